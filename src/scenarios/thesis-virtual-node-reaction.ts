import { z } from 'zod';
import { sampleDuration, toSeconds, type SimContext } from '../engine/index.js';
import { duration, durationDist } from '../experiment/schema.js';
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
  pollInterval: duration().default(400_000),
  /** One way of one `kubectl get node` request to the local API server. [assumed] */
  kubectlLatency: durationDist().default({ kind: 'uniform', min: 10_000, max: 40_000 }),
});

type Params = z.infer<typeof params>;

function build(ctx: SimContext, p: Params): void {
  const { sim, metrics, trace } = ctx;
  const { network, root, leaves } = buildTestbed(ctx, p);
  const rng = ctx.random.stream('scenario/virtual-node-reaction');
  const cutAt = sampleDuration(p.cutAt, rng);
  const victim = leaves[Math.floor(rng.next() * leaves.length)]!.name;
  const node = `liqo-${victim}`;
  sim.at(cutAt, `fault: ${victim} NIC disabled`, () => {
    network.isolate(victim);
    trace.emit(sim.now, 'fault', { what: 'nic-down', target: victim });
  });
  // The observer's loop started at an instant unrelated to the cut.
  const pollPhase = Math.floor(rng.next() * p.pollInterval);
  const poll = sim.every(p.pollInterval, 'observer: kubectl get node', () => {
    if (sim.now < cutAt) return;
    const asked = sim.now;
    sim.after(sampleDuration(p.kubectlLatency, rng), 'observer: API server answers', () => {
      const n = root.cluster.node(node)!;
      if (n.ready === 'True') return;
      sim.after(sampleDuration(p.kubectlLatency, rng), 'observer: kubectl prints', () => {
        if (!poll) return;
        poll.stop();
        metrics.record('virtualNodeNotReadyAfterDisconnect', 's', toSeconds(sim.now - cutAt));
        // Which health path won: 1 = lease expiry (API-server check first), 0 = tunnel check.
        metrics.record('virtualNodeNotReadyByLeaseExpiry', 'fraction', n.ready === 'Unknown' ? 1 : 0);
        sim.stop();
      });
    });
  }, pollPhase);
}

registerScenario({
  kind: 'thesis-virtual-node-reaction',
  description: 'thesis testbed: a provider NIC goes down, time until the consumer sees its virtual node NotReady',
  params,
  build,
});
