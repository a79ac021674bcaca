import { z } from 'zod';
import { oneWayFromRtt, type LinkProfile } from '../../network/index.js';

const rtt = z.strictObject({ meanMs: z.number().positive().max(60_000), sdMs: z.number().nonnegative().max(60_000) });

/** `models/network-*.yaml`: measured round trips per kind of path. */
export const networkProfileSchema = z.strictObject({
  rtt: z.strictObject({ vmToVm: rtt, podSameCluster: rtt, podAcrossLiqo: rtt }),
  loss: z.number().min(0).max(1).default(0),
});
export type NetworkProfile = z.infer<typeof networkProfileSchema>;

/** A netem rule with explicit units (RIasC TrafficProfile style, MODEL.md §7). */
export const netemSchema = z.strictObject({
  delayMs: z.number().nonnegative().max(600_000),
  jitterMs: z.number().nonnegative().max(600_000).default(0),
  distribution: z.enum(['uniform', 'normal', 'pareto', 'paretonormal']).default('normal'),
  lossPercent: z.number().min(0).max(100).default(0),
});
export type NetemParams = z.infer<typeof netemSchema>;

export const netemLink = (p: NetemParams): LinkProfile => ({
  delay: { kind: 'netem', delay: Math.round(p.delayMs * 1000), jitter: Math.round(p.jitterMs * 1000), distribution: p.distribution },
  loss: p.lossPercent / 100,
});

/** Link profiles of a pod-network path: within one cluster, and across a Liqo peering. */
export function podLinks(p: NetworkProfile): { intraSite: LinkProfile; acrossLiqo: LinkProfile; host: LinkProfile } {
  return {
    intraSite: { delay: oneWayFromRtt(p.rtt.podSameCluster), loss: p.loss },
    acrossLiqo: { delay: oneWayFromRtt(p.rtt.podAcrossLiqo), loss: p.loss },
    host: { delay: oneWayFromRtt(p.rtt.vmToVm), loss: p.loss },
  };
}
