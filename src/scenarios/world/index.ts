import { z } from 'zod';
import { toSeconds, type SimContext, type Time } from '../../engine/index.js';
import { loadProfile } from '../../experiment/profiles.js';
import { duration, durationDist, livenessProbe } from '../../experiment/schema.js';
import { resolveWorld } from '../../experiment/design.js';
import { worldSchema, type WorldFile } from '../../experiment/world-schema.js';
import { checkFaultTargets, scheduleFaults } from './faults.js';
import { TopologyIndex, type Design } from '../../topology/index.js';
import { registerScenario } from '../registry.js';
import { WorldRuntime } from './runtime.js';
import { FailoverTiming } from './coarse-timing.js';
import { scheduleSetup, type SetupParams } from './setup.js';
import { StreamTracker } from './streams.js';
import { DetailedWorld, type DetailedParams } from './detailed.js';
import { k3sProfileSchema, liqoProfileSchema } from '../profiles/k8s.js';
import { openPdcProfileSchema, pmuProfileSchema } from '../profiles/grid.js';
import { perconaProfileSchema } from '../profiles/galera.js';
import { FlowTracker } from './grid-apps.js';

const setupProfile = z.strictObject({
  peering: durationDist(),
  concurrentPeeringsPerCluster: z.number().int().min(1).max(10_000),
  namespaceOffloading: durationDist(),
});
/** What no model profile holds: the generic app's start and the probe every workload gets (both fidelities). */
const failoverProfile = z.strictObject({
  appStart: durationDist(),
  liveness: livenessProbe(),
});

interface Resolved {
  readonly world: WorldFile;
  readonly design: Design;
  readonly setup: SetupParams;
  /** The profiles both fidelities read. */
  readonly models: DetailedParams;
  readonly detailed: boolean;
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

/** Clusters, peerings and virtual nodes per cluster: properties of the design, the same in every run. */
function recordDesign(ctx: SimContext, design: Design, idx: TopologyIndex): void {
  let vnMax = 0;
  let vnSum = 0;
  for (const c of design.clusters) {
    const n = idx.virtualNodes(c.name);
    vnMax = Math.max(vnMax, n);
    vnSum += n;
  }
  ctx.metrics.record('clusters', 'count', design.clusters.length);
  ctx.metrics.record('peerings', 'count', design.peerings.length);
  ctx.metrics.record('virtualNodesMax', 'count', vnMax);
  ctx.metrics.record('virtualNodesMean', 'count', design.clusters.length ? vnSum / design.clusters.length : 0);
}

function build(ctx: SimContext, r: Resolved, horizon: Time): void {
  const { sim, metrics } = ctx;
  const idx = new TopologyIndex(r.design);
  recordDesign(ctx, r.design, idx);
  const detailed = r.detailed;
  const timing = new FailoverTiming(r.models);
  const setup = scheduleSetup(ctx, r.design, idx, r.setup, { events: !detailed });
  // Known up front (drawn at build), so recorded even when set-up outlasts the horizon.
  metrics.record('setupTime', 's', toSeconds(setup.doneAt));

  const world = detailed ? new DetailedWorld(ctx, r.design, idx, r.models, r.world.framePeriod) : new WorldRuntime(ctx, r.design, idx, timing, r.world.streamUpdates === 'changed');
  // Detailed: streams as the grid apps' inputs see them; coarse: the world's own reconnect arithmetic.
  const tracker = world instanceof DetailedWorld ? world.flows : new StreamTracker(ctx, r.design.streams, world, r.world.framePeriod, timing.reconnectInterval, r.world.streamUpdates === 'all');
  // From the steady state on (set-up done, first pods serving) streams are tracked and faults play.
  const steadyState = () => {
    world.onChange = () => tracker.update();
    if (tracker instanceof FlowTracker) tracker.begin();
    else tracker.update();
    scheduleFaults(ctx, world, r.world.faults, r.design, sim.now);
  };
  if (world instanceof WorldRuntime) {
    const first = world.place(setup.namespaceReady);
    metrics.record('controlPlaneEvents', 'count', setup.events + first.pods);
    sim.at(Math.max(setup.doneAt, first.last) + 1, 'steady state', steadyState);
  } else {
    world.schedule(setup);
    const wanted = r.design.workloads.filter((w) => w.replicas > 0);
    world.flows.changed = () => world.onChange();
    world.onChange = () => {
      if (sim.now < setup.doneAt || !wanted.every((w) => world.servingCount(w.name) >= w.replicas) || !world.flows.allUp()) return;
      world.flows.changed = () => {};
      world.steadyAt = sim.now;
      metrics.record('controlPlaneEvents', 'count', sim.processed);
      steadyState();
    };
  }
  sim.at(horizon, 'horizon: final counts', () => {
    const c = world instanceof WorldRuntime
      ? world.counts
      : { deploymentsLost: world.counts.deploymentsLost, podsReplaced: world.counts.podsStartedAfterSteady, reconciledPods: world.counts.podsDeletedAfterSteady, recoveryActions: world.counts.podsStartedAfterSteady + world.counts.podsDeletedAfterSteady };
    metrics.record('deploymentsLost', 'count', c.deploymentsLost);
    metrics.record('recoveryActions', 'count', c.recoveryActions);
    metrics.record('podsReplaced', 'count', c.podsReplaced);
    metrics.record('reconciledPods', 'count', c.reconciledPods);
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
    checkFaultTargets(world.faults, design, ctx.locate);
    const failover = profile(world.profiles.failover, 'failover', failoverProfile);
    // Both fidelities read the same k3s/Liqo/openPDC/PMU profiles: the coarse one in closed form.
    const models: DetailedParams = {
      k3s: profile(world.profiles.k3s, 'k3s-1.24-thesis', k3sProfileSchema),
      liqo: profile(world.profiles.liqo, 'liqo-0.10', liqoProfileSchema),
      oneWayDelay: world.oneWayDelay,
      appStart: failover.appStart,
      liveness: failover.liveness,
      openPdc: profile(world.profiles.openpdc, 'openpdc-2.4', openPdcProfileSchema),
      pmuStart: profile(world.profiles.pmu, 'pmu-c37.118', pmuProfileSchema).startLatency,
      percona: profile(world.profiles.percona, 'percona-operator-1.11', perconaProfileSchema),
    };
    return { world, design, setup: profile(world.profiles['liqo-setup'], 'liqo-setup', setupProfile), models, detailed: world.fidelity === 'detailed' };
  },
  build: (ctx, params, horizon) => build(ctx, params as Resolved, horizon),
});
