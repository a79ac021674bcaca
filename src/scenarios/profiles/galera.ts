import { z } from 'zod';
import { duration, durationDist, livenessProbe, period } from '../../experiment/schema.js';
import type { GaleraParams, HaProxyParams, OperatorParams } from '../../galera/index.js';

const bytes = () => z.number().int().nonnegative().max(2 ** 50);
const rate = () => z.number().positive().max(2 ** 40);

/** `models/percona-*.yaml`: galera timeouts, state transfer, HAProxy checks, operator cadence. */
export const perconaProfileSchema = z.strictObject({
  weight: z.number().int().min(0).max(255),
  evs: z.strictObject({
    keepalivePeriod: period(),
    inactiveCheckPeriod: period(),
    suspectTimeout: duration(),
    inactiveTimeout: duration(),
    peerTimeout: duration(),
  }),
  mergeDelay: durationDist(),
  transfer: z.strictObject({
    gcacheBytes: bytes(),
    istOverhead: durationDist(),
    istBytesPerSecond: rate(),
    sstOverhead: durationDist(),
    sstBytesPerSecond: rate(),
    dataBytes: bytes(),
  }),
  writeBytesPerSecond: z.number().nonnegative().max(2 ** 40),
  haproxy: z.strictObject({ checkInterval: period(), fall: z.number().int().min(1).max(100), rise: z.number().int().min(1).max(100) }),
  operator: z.strictObject({ reconcileInterval: period(), afterBootstrapSleep: duration() }),
  /** The PXC container's liveness probe (its check needs wsrep_cluster_status Primary). */
  liveness: livenessProbe(),
});
export type PerconaProfile = z.infer<typeof perconaProfileSchema>;

export const galeraParams = (p: PerconaProfile): GaleraParams => ({ evs: p.evs, mergeDelay: p.mergeDelay, transfer: p.transfer, writeBytesPerSecond: p.writeBytesPerSecond });
export const haproxyParams = (p: PerconaProfile): HaProxyParams => p.haproxy;
export const operatorParams = (p: PerconaProfile): OperatorParams => p.operator;
