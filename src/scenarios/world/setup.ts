import { sampleDuration, type Dist, type SimContext, type Time } from '../../engine/index.js';
import { TopologyIndex, type Design } from '../../topology/index.js';

/** Liqo control-plane set-up parameters (models/liqo-setup.yaml). */
export interface SetupParams {
  readonly peering: Dist;
  readonly concurrentPeeringsPerCluster: number;
  readonly namespaceOffloading: Dist;
}

export interface SetupResult {
  /** When every peering and twin namespace is in place. */
  readonly doneAt: Time;
  /** Control-plane events scheduled: one per peering and one per twin namespace. */
  readonly events: number;
  /** When `consumer`'s peering to `provider` is established. */
  readonly establishedAt: (consumer: string, provider: string) => Time;
  /** When `namespace` of `owner` exists at `cluster` (owner itself: at 0). */
  readonly namespaceReady: (owner: string, namespace: string, cluster: string) => Time;
}

/**
 * Establishes every peering and offloaded namespace, as an operator's install script does:
 * each consumer runs its `liqoctl peer` commands a few at a time (its lanes), so set-up time
 * grows with the peerings of the busiest cluster — in a DB domain's mesh, N−1 per member.
 * Each peering and each twin namespace is one control-plane event (traced). Times are drawn
 * up front from per-cluster streams, so adding a cluster never shifts another's draws.
 */
export function scheduleSetup(ctx: SimContext, design: Design, idx: TopologyIndex, p: SetupParams, opts: { events?: boolean } = {}): SetupResult {
  // Without events the schedule is only drawn: a detailed world performs the steps itself.
  const emit = opts.events ?? true;
  const { sim, trace, random } = ctx;
  const establishedAt = new Map<string, Time>();
  const lanesOf = new Map<string, Time[]>();
  let doneAt = 0;
  let events = 0;
  for (const peering of design.peerings) {
    const rng = random.stream(`liqo/peering/${peering.consumer}`);
    let lanes = lanesOf.get(peering.consumer);
    if (!lanes) lanesOf.set(peering.consumer, (lanes = new Array<Time>(Math.max(1, p.concurrentPeeringsPerCluster)).fill(0)));
    // The earliest free lane takes the next peering (lowest index on ties: deterministic).
    let lane = 0;
    for (let i = 1; i < lanes.length; i++) if (lanes[i]! < lanes[lane]!) lane = i;
    const t = lanes[lane]! + sampleDuration(p.peering, rng);
    lanes[lane] = t;
    doneAt = Math.max(doneAt, t);
    const ends = peering.bidirectional ? [[peering.consumer, peering.provider], [peering.provider, peering.consumer]] : [[peering.consumer, peering.provider]];
    for (const [consumer, provider] of ends) establishedAt.set(`${consumer}\u0000${provider}`, t);
    events++;
    if (emit) sim.at(t, `peering ${peering.consumer} -> ${peering.provider} established`, () => {
      for (const [consumer, provider] of ends) {
        trace.emit(sim.now, 'peering', { consumer, provider, state: 'established' });
        trace.emit(sim.now, 'node-ready', { cluster: consumer, node: `liqo-${provider}`, ready: true, virtual: true, reason: 'peering established' });
      }
    });
  }

  const ready = new Map<string, Time>();
  for (const o of design.offloading) {
    const rng = random.stream(`liqo/offloading/${o.owner}/${o.namespace}`);
    for (const target of idx.offloadTargets(o)) {
      const t = (establishedAt.get(`${o.owner}\u0000${target}`) ?? 0) + sampleDuration(p.namespaceOffloading, rng);
      ready.set(`${o.owner}\u0000${o.namespace}\u0000${target}`, t);
      doneAt = Math.max(doneAt, t);
      events++;
      if (emit) sim.at(t, `namespace ${o.namespace} of ${o.owner} offloaded to ${target}`, () => {
        trace.emit(sim.now, 'namespace-offloaded', { owner: o.owner, namespace: o.namespace, cluster: target });
      });
    }
  }
  return {
    doneAt,
    events,
    establishedAt: (consumer, provider) => establishedAt.get(`${consumer}\u0000${provider}`) ?? 0,
    namespaceReady: (owner, namespace, cluster) => (owner === cluster ? 0 : (ready.get(`${owner}\u0000${namespace}\u0000${cluster}`) ?? 0)),
  };
}
