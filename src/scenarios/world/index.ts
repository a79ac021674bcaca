import { z } from 'zod';
import { toSeconds, sampleDuration, type SimContext, type Time } from '../../engine/index.js';
import { loadProfile } from '../../experiment/profiles.js';
import { duration, durationDist } from '../../experiment/schema.js';
import { resolveWorld } from '../../experiment/design.js';
import { worldSchema, type FaultSpec, type WorldFile } from '../../experiment/world-schema.js';
import { TopologyIndex, type Design } from '../../topology/index.js';
import { registerScenario } from '../registry.js';
import { WorldRuntime, type FailoverParams } from './runtime.js';
import { scheduleSetup, type SetupParams } from './setup.js';
import { StreamTracker } from './streams.js';

const setupProfile = z.strictObject({
  peering: durationDist(),
  concurrentPeeringsPerCluster: z.number().int().min(1).max(10_000),
  namespaceOffloading: durationDist(),
});
const failoverProfile = z.strictObject({
  notReadyDetection: durationDist(),
  taintDelay: durationDist(),
  tolerationSeconds: duration(),
  podStart: durationDist(),
  containerRestart: durationDist(),
  reconnectInterval: duration(),
});

interface Resolved {
  readonly world: WorldFile;
  readonly design: Design;
  readonly setup: SetupParams;
  readonly failover: FailoverParams;
}

export const WORLD_METRICS = [
  'clusters',
  'peerings',
  'virtualNodesMax',
  'virtualNodesMean',
  'setupTime',
  'controlPlaneEvents',
  'deploymentsLost',
  'recoveryActions',
  'podsReplaced',
  'reconciledPods',
  'streamDowntimeLower',
  'streamDowntimeHigher',
  'streamsDownAtEnd',
] as const;

function profile<T>(ref: WorldFile['profiles'][keyof WorldFile['profiles']], fallback: string, schema: z.ZodType<T, any>): T {
  if (ref === undefined) return loadProfile(fallback, schema);
  if (typeof ref === 'string') return loadProfile(ref, schema);
  return loadProfile(ref.profile, schema, ref.overrides);
}

/** Schedules the faults, measured from the end of set-up (the steady state). */
function scheduleFaults(ctx: SimContext, rt: WorldRuntime, faults: readonly FaultSpec[], t0: Time): void {
  const { sim, trace, random } = ctx;
  faults.forEach((f, i) => {
    const rng = random.stream(`world/fault/${i}`);
    const at = t0 + sampleDuration(f.at, rng);
    const repairAfter = 'for' in f && f.for ? sampleDuration(f.for, rng) : undefined;
    const target = f.kind === 'partition' ? f.island.join(',') : f.kind === 'pod-failure' ? f.workload : f.target;
    sim.at(at, `fault ${f.kind} ${target}`, () => {
      trace.emit(sim.now, 'fault', { what: f.kind, target });
      if (f.kind === 'cluster-down') rt.clusterDown(f.target);
      else if (f.kind === 'isolate') rt.net.isolate(f.target);
      else if (f.kind === 'partition') rt.net.partition([f.island]);
      else rt.podFailure(f.workload);
      if (f.kind !== 'cluster-down' && f.kind !== 'pod-failure') rt.networkChanged(false);
      if (repairAfter === undefined) return;
      sim.after(repairAfter, `repair ${f.kind} ${target}`, () => {
        trace.emit(sim.now, 'repair', { what: f.kind, target });
        if (f.kind === 'cluster-down') return rt.clusterUp(f.target);
        if (f.kind === 'isolate') rt.net.restore(f.target);
        else rt.net.healPartition();
        rt.networkChanged(true);
      });
    });
  });
}

function build(ctx: SimContext, r: Resolved, horizon: Time): void {
  const { sim, metrics } = ctx;
  const idx = new TopologyIndex(r.design);
  const setup = scheduleSetup(ctx, r.design, idx, r.setup);
  const rt = new WorldRuntime(ctx, r.design, idx, r.failover);
  const first = rt.place(setup.namespaceReady);
  const tracker = new StreamTracker(ctx, r.design.streams, rt, r.world.framePeriod, r.failover.reconnectInterval);
  // Steady state: every peering and twin namespace in place and every first pod serving.
  const steady = Math.max(setup.doneAt, first.last) + 1;

  const clusters = r.design.clusters;
  let vnMax = 0;
  let vnSum = 0;
  for (const c of clusters) {
    const n = idx.virtualNodes(c.name);
    vnMax = Math.max(vnMax, n);
    vnSum += n;
  }
  metrics.record('clusters', 'count', clusters.length);
  metrics.record('peerings', 'count', r.design.peerings.length);
  metrics.record('virtualNodesMax', 'count', vnMax);
  metrics.record('virtualNodesMean', 'count', clusters.length ? vnSum / clusters.length : 0);
  // Known up front (drawn at build), so recorded even when set-up outlasts the horizon.
  metrics.record('setupTime', 's', toSeconds(setup.doneAt));
  metrics.record('controlPlaneEvents', 'count', setup.events + first.pods);

  sim.at(steady, 'set-up complete', () => {
    // Stream levels are tracked from the steady state on (set-up is not an outage).
    rt.onChange = () => tracker.update();
    tracker.update();
  });
  scheduleFaults(ctx, rt, r.world.faults, steady);
  sim.at(horizon, 'horizon: final counts', () => {
    metrics.record('deploymentsLost', 'count', rt.counts.deploymentsLost);
    metrics.record('recoveryActions', 'count', rt.counts.recoveryActions);
    metrics.record('podsReplaced', 'count', rt.counts.podsReplaced);
    metrics.record('reconciledPods', 'count', rt.counts.reconciledPods);
    metrics.record('streamsDownAtEnd', 'count', tracker.downCount());
  });
}

registerScenario({
  kind: 'world',
  description: 'a multi-cluster design (explicit or generated) with workloads, streams and faults: set-up, failover, island mode',
  params: worldSchema,
  metrics: WORLD_METRICS,
  resolve(world: WorldFile, ctx): Resolved {
    const { design, warnings } = resolveWorld(world, ctx.file, ctx.locate);
    warnings.forEach(ctx.warn);
    return {
      world,
      design,
      setup: profile(world.profiles['liqo-setup'], 'liqo-setup', setupProfile),
      failover: profile(world.profiles.failover, 'failover', failoverProfile),
    };
  },
  build: (ctx, params, horizon) => build(ctx, params as Resolved, horizon),
});
