import { z } from 'zod';
import { loadProfile } from '../../experiment/profiles.js';
import { duration, durationDist, period } from '../../experiment/schema.js';
import type { K8sParams } from '../../k8s/index.js';
import type { LiqoParams } from '../../liqo/index.js';

/** Schema of a k3s profile (`models/k3s-*.yaml`); the model takes the parsed plain object (`K8sParams`). */
export const k3sProfileSchema = z.strictObject({
  apiServer: z.strictObject({
    defaultNotReadyToleration: duration(),
    defaultUnreachableToleration: duration(),
  }),
  nodeLifecycle: z.strictObject({
    monitorPeriod: period(),
    monitorPassDuration: duration(),
    gracePeriod: duration(),
    evictionPassPeriod: period(),
    evictionQps: z.number().nonnegative(),
    secondaryEvictionQps: z.number().nonnegative(),
    largeClusterSize: z.number().int().nonnegative(),
    unhealthyZoneThreshold: z.number().min(0).max(1),
    taintManager: z.boolean(),
    podEvictionTimeout: duration(),
  }),
  kubelet: z.strictObject({
    leaseRenewInterval: period(),
    statusUpdateInterval: period(),
    statusReportInterval: duration(),
    plegRelistPeriod: period(),
    backoffInitial: duration(),
    backoffMax: duration(),
    startup: z.strictObject({ imagePull: durationDist(), containerStart: durationDist(), containerStop: durationDist() }),
  }),
  scheduler: z.strictObject({ latency: durationDist() }),
});

export const liqoProfileSchema = z.strictObject({
  virtualKubelet: z.strictObject({
    tunnel: z.strictObject({
      pingInterval: period(),
      observerInterval: period(),
      lossThreshold: z.number().int().min(1),
    }),
    apiServer: z.strictObject({
      livezInterval: period(),
      livezTimeout: duration(),
      vkPingInterval: period(),
    }),
    leaseRenewInterval: period(),
    statusPropagation: durationDist(),
    remoteApiLatency: durationDist(),
  }),
  crossClusterOverhead: durationDist(),
});

/** A profile reference in a scenario: its name and per-experiment overrides. */
export const profileRef = (defaultName: string) =>
  z.strictObject({ name: z.string().default(defaultName), overrides: z.record(z.string(), z.unknown()).optional() }).default({ name: defaultName });

export const loadK3s = (ref: { name: string; overrides?: unknown }): K8sParams => loadProfile(ref.name, k3sProfileSchema, ref.overrides);
export const loadLiqo = (ref: { name: string; overrides?: unknown }): LiqoParams => loadProfile(ref.name, liqoProfileSchema, ref.overrides);
