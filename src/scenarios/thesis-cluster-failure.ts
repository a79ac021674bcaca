import { z } from 'zod';
import { MS, SECOND, sampleDuration, toSeconds, type SimContext } from '../engine/index.js';
import { loadProfile } from '../experiment/profiles.js';
import { duration, durationDist, period } from '../experiment/schema.js';
import { clusterNicDown, FaultScheduler } from '../faults/index.js';
import { GaleraCluster, HaProxy, PerconaOperator } from '../galera/index.js';
import { FrameStream, OpenPdcApp, PmuApp, type ConfigSource } from '../grid/index.js';
import { REMOTE_CLUSTER_LABEL, VIRTUAL_NODE_LABEL, type PodSpec, type SelectorTerm } from '../k8s/index.js';
import { offloadNamespace } from '../liqo/index.js';
import { galeraParams, haproxyParams, operatorParams, perconaProfileSchema } from './profiles/galera.js';
import { openPdcParams, openPdcProfileSchema, pmuClock, pmuProfileSchema } from './profiles/grid.js';
import { meanDelay } from '../network/index.js';
import { registerScenario } from './registry.js';
import { buildTestbed, testbedParams } from './thesis-testbed.js';

/**
 * Thesis experiment: the cluster hosting the low-level PDC loses its network. Root holds every
 * Deployment and offloads the `grid` namespace to the leaves (Liqo); the high-level PDC is pinned
 * to root's physical node, the PMU, the low-level PDC and the Percona members run on leaves.
 * What the outage is made of comes from the models: the virtual node goes NotReady (Liqo health
 * checks), the taint manager evicts the PDC after its toleration, the ReplicaSet's replacement is
 * scheduled on another leaf, its init container creates the DB through HAProxy, openPDC loads its
 * configuration and connects to the PMU, and the high-level PDC, which lost its input to silence
 * (data-loss interval), reconnects on its 5 s cadence. The stream is measured at the high-level PDC.
 */
const site = () => z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

const params = z.strictObject({
  kind: z.literal('thesis-cluster-failure'),
  ...testbedParams,
  pmu: z.strictObject({ profile: z.string().default('pmu-c37.118'), overrides: z.unknown().optional() }).default({ profile: 'pmu-c37.118' }),
  openpdc: z.strictObject({ profile: z.string().default('openpdc-2.4'), overrides: z.unknown().optional() }).default({ profile: 'openpdc-2.4' }),
  percona: z.strictObject({ profile: z.string().default('percona-operator-1.11'), overrides: z.unknown().optional() }).default({ profile: 'percona-operator-1.11' }),
  /** Where things start (preferred placement; a replacement goes wherever the scheduler puts it). */
  placement: z
    .strictObject({ pmu: site().default('leaf-2'), pdcLower: site().default('leaf-1'), db: z.array(site()).min(1).max(9).default(['leaf-2', 'leaf-3', 'leaf-4']) })
    .default({ pmu: 'leaf-2', pdcLower: 'leaf-1', db: ['leaf-2', 'leaf-3', 'leaf-4'] }),
  /** fluidos openPDC liveness: exec every 5 s after 5 s, ports 8500/6165 listening (MODEL.md §7). */
  pdcLiveness: z
    .strictObject({ initialDelay: duration().default(5 * SECOND), period: period().default(5 * SECOND), failureThreshold: z.number().int().min(1).max(1000).default(3) })
    .default({ initialDelay: 5 * SECOND, period: 5 * SECOND, failureThreshold: 3 }),
  /** When the low-level PDC's cluster loses its network (after everything settled). */
  cutAt: durationDist().default({ kind: 'uniform', min: 120 * SECOND, max: 180 * SECOND }),
  /** How long the NIC stays down (the measure needs the stream back before the horizon, not the NIC). */
  cutFor: duration().default(10 * 60 * SECOND),
});
type Params = z.infer<typeof params>;

const onLeaf = (leaf: string): SelectorTerm => [{ key: REMOTE_CLUSTER_LABEL, operator: 'In', values: [leaf] }];
const prefer = (leaf: string) => ({ nodeRequired: [[{ key: VIRTUAL_NODE_LABEL, operator: 'Exists' as const }]], nodePreferred: [{ weight: 100, term: onLeaf(leaf) }] });

function build(ctx: SimContext, p: Params, horizon: number): void {
  const { network, fabric, root } = buildTestbed(ctx, p);
  offloadNamespace(fabric, 'root', { namespace: 'grid', podOffloadingStrategy: 'LocalAndRemote', namespaceMappingStrategy: 'DefaultName' });

  // Percona XtraDB: one member per DB leaf, HAProxy beside each (operator: haproxy size = pxc size).
  const percona = loadProfile(p.percona.profile, perconaProfileSchema, p.percona.overrides);
  const db = new GaleraCluster(ctx, network, 'cluster1', p.placement.db.map((s, i) => ({ name: `cluster1-pxc-${i}`, site: s, weight: percona.weight })), galeraParams(percona));
  const proxies = p.placement.db.map((s, i) => new HaProxy(ctx, network, db, `cluster1-haproxy-${i}`, s, haproxyParams(percona)));
  new PerconaOperator(ctx, db, operatorParams(percona));
  // `cluster1-haproxy:3306` from a pod: the Service sends it to a reachable HAProxy pod.
  const config: ConfigSource = (from) => {
    const proxy = proxies.find((h) => network.reachable(from, h.site));
    if (!proxy) return { ok: false, error: 'cluster1-haproxy unreachable' };
    const r = proxy.query(from);
    return r.ok ? { ok: true } : r;
  };

  // The stream PMU → low PDC → high PDC; hop offsets are the mean one-way pod-to-pod delays across Liqo.
  const pmuProfile = loadProfile(p.pmu.profile, pmuProfileSchema, p.pmu.overrides);
  const acrossLiqo = p.network.acrossLiqo.delay;
  const hopDelay = Math.round(meanDelay(acrossLiqo));
  const stream = new FrameStream(ctx, {
    id: 'pmu-1',
    clock: pmuClock(pmuProfile),
    hops: [
      { to: 'pmu', offset: 0, initiallyUp: false },
      { to: 'pdc-lower', offset: hopDelay, initiallyUp: false, delay: acrossLiqo },
      { to: 'pdc-higher', offset: 2 * hopDelay, initiallyUp: false, delay: acrossLiqo },
    ],
  });
  const pmu = new PmuApp('pmu-1', { startLatency: pmuProfile.startLatency });
  pmu.publisher.onChange(() => stream.setHop('pmu', pmu.publisher.serving));
  const pdcParams = openPdcParams(loadProfile(p.openpdc.profile, openPdcProfileSchema, p.openpdc.overrides));
  const low = new OpenPdcApp(ctx, network, 'pdc-lower', pdcParams, config, [{ from: pmu.publisher, onFlow: (up) => stream.setHop('pdc-lower', up) }]);
  const high = new OpenPdcApp(ctx, network, 'pdc-higher', pdcParams, config, [{ from: low.publisher, onFlow: (up) => stream.setHop('pdc-higher', up) }]);

  const pdcSpec = (app: OpenPdcApp, affinity: PodSpec['affinity']): PodSpec => ({
    image: 'openpdc:2.4',
    app,
    initContainers: ['create-db'],
    liveness: p.pdcLiveness,
    affinity,
  });
  const deploy = (name: string, template: PodSpec) => root.deployments.add({ name, namespace: 'grid', replicas: 1, template, strategy: { type: 'Recreate' } });
  deploy('pmu', { image: 'pmu-simulator:1', app: pmu, affinity: prefer(p.placement.pmu) });
  deploy('pdc-lower', pdcSpec(low, prefer(p.placement.pdcLower)));
  // fluidos: the high-level PDC is pinned to a physical node (liqo.io/type DoesNotExist).
  deploy('pdc-higher', pdcSpec(high, { nodeRequired: [[{ key: VIRTUAL_NODE_LABEL, operator: 'DoesNotExist' }]] }));

  const rng = ctx.random.stream('scenario/cluster-failure');
  const cutAt = sampleDuration(p.cutAt, rng);
  const faults = new FaultScheduler(ctx);
  faults.add({ what: 'cluster-nic-down', target: p.placement.pdcLower, timing: { kind: 'at', at: cutAt, duration: p.cutFor } }, clusterNicDown(network, p.placement.pdcLower));

  ctx.sim.at(horizon, 'measure', () => {
    const r = stream.report('pdc-higher', horizon - SECOND);
    const o = r.outages.find((x) => x.lastBefore >= cutAt - SECOND && x.lastBefore < cutAt + 100 * MS);
    if (o?.downtimeUs !== undefined) ctx.metrics.record('clusterFailureStreamDowntime', 's', toSeconds(o.downtimeUs));
    else ctx.metrics.record('clusterFailureStreamNotRestored', 'count', 1);
    ctx.metrics.record('clusterFailureFramesLost', 'frames', o?.framesLost ?? 0);
    ctx.metrics.record('streamAvailability', 'fraction', r.availability);
    for (const l of stream.latencySamples('pdc-higher', 20, ctx.random.stream('stream/pmu-1/latency'))) ctx.metrics.record('streamLatencyPmuToHighPdc', 'ms', l / MS);
  });
}

registerScenario({
  kind: 'thesis-cluster-failure',
  description: 'thesis testbed: the cluster hosting the low-level PDC loses its network; stream downtime at the high-level PDC',
  params,
  build,
});
