import { z } from 'zod';
import { sampleDuration, toSeconds, type SimContext } from '../engine/index.js';
import { duration, durationDist, period } from '../experiment/schema.js';
import { GenericApp } from '../k8s/index.js';
import { offloadNamespace } from '../liqo/index.js';
import { registerScenario } from './registry.js';
import { buildTestbed, testbedParams } from './thesis-testbed.js';

/**
 * Thesis experiment 1: a provider's NIC is disabled at a random instant; the consumer (root)
 * watches its virtual node by polling `kubectl get node` every 0.4 s. Reports the delay from the
 * cut to the first poll that shows the node not Ready. The figure comes out of Liqo's health
 * paths (src/liqo/health.ts) and, when the API-server check wins the race, the node lifecycle
 * controller's grace period — nothing here sets it.
 */
const params = z.strictObject({
  kind: z.literal('thesis-virtual-node-reaction'),
  ...testbedParams,
  /** When the NIC goes down (after the peerings have settled). */
  cutAt: durationDist().default({ kind: 'uniform', min: 120_000_000, max: 180_000_000 }),
  /** The observer's `kubectl get node` loop period. */
  pollInterval: period().default(400_000),
  /** One way of one `kubectl get node` request to the local API server. [assumed] */
  kubectlLatency: durationDist().default({ kind: 'uniform', min: 10_000, max: 40_000 }),
});

type Params = z.infer<typeof params>;

function build(ctx: SimContext, p: Params): void {
  const { sim, metrics, trace } = ctx;
  const { network, fabric, root, leaves } = buildTestbed(ctx, p);
  const rng = ctx.random.stream('scenario/virtual-node-reaction');
  const cutAt = sampleDuration(p.cutAt, rng);
  const victim = leaves[Math.floor(rng.next() * leaves.length)]!.name;
  const node = `liqo-${victim}`;
  sim.at(cutAt, `fault: ${victim} NIC disabled`, () => {
    network.isolate(victim);
    trace.emit(sim.now, 'fault', { what: 'nic-down', target: victim });
  });

  // An offloaded pod on the victim: when is it evicted after its virtual node went NotReady?
  // (taint manager + tolerationSeconds, or the legacy pod-eviction-timeout: the profile chooses.)
  offloadNamespace(fabric, root.name, { namespace: 'test', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName' });
  root.replicaSets.add({
    name: 'probe', namespace: 'test', replicas: 1,
    template: { image: 'busybox', app: new GenericApp({ startLatency: { kind: 'constant', value: 0 } }), affinity: { nodeRequired: [[{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }]] } },
  });
  let seen = false;
  let evicted = false;
  let notReadyAt: number | undefined;
  root.cluster.onNode((e) => {
    if (notReadyAt === undefined && e.node === node && sim.now >= cutAt && root.cluster.node(node)!.ready !== 'True') notReadyAt = sim.now;
  });
  const finish = () => seen && evicted && sim.stop();
  root.cluster.onPod((e) => {
    const pod = root.cluster.pod(e.key);
    if (evicted || !pod || pod.node !== node || pod.deletionTimestamp === undefined || notReadyAt === undefined) return;
    evicted = true;
    metrics.record('offloadedPodEvictedAfterNotReady', 's', toSeconds(pod.deletionTimestamp - notReadyAt));
    finish();
  });

  // The observer's loop started at an instant unrelated to the cut.
  const pollPhase = Math.floor(rng.next() * p.pollInterval);
  const poll = sim.every(p.pollInterval, 'observer: kubectl get node', () => {
    if (sim.now < cutAt) return;
    sim.after(sampleDuration(p.kubectlLatency, rng), 'observer: API server answers', () => {
      const n = root.cluster.node(node)!;
      if (n.ready === 'True' || seen) return;
      seen = true;
      poll.stop();
      sim.after(sampleDuration(p.kubectlLatency, rng), 'observer: kubectl prints', () => {
        metrics.record('virtualNodeNotReadyAfterDisconnect', 's', toSeconds(sim.now - cutAt));
        // Which health path won: 1 = lease expiry (API-server check first), 0 = tunnel check.
        metrics.record('virtualNodeNotReadyByLeaseExpiry', 'fraction', n.ready === 'Unknown' ? 1 : 0);
        finish();
      });
    });
  }, pollPhase);
}

registerScenario({
  kind: 'thesis-virtual-node-reaction',
  description: 'thesis testbed: a provider NIC goes down, time until the consumer sees its virtual node NotReady',
  params,
  metrics: ['virtualNodeNotReadyAfterDisconnect', 'virtualNodeNotReadyByLeaseExpiry', 'offloadedPodEvictedAfterNotReady'],
  build,
});
