import { z } from 'zod';
import type { SimContext } from '../engine/index.js';
import { period } from '../experiment/schema.js';
import { registerScenario } from './registry.js';
import { buildTestbed, testbedParams } from './thesis-testbed.js';

/**
 * The thesis latency table (ch. 7; MODEL.md §3): `ping` from the root to each leaf along three
 * paths — VM to VM, pod to pod inside one cluster (other node), pod to pod across the Liqo peering —
 * through the same network and fabric models the other scenarios use. Metric names follow
 * shared/reference/thesis-testbed.yaml (`latencyRttMs.<path>.leaf<i>`, `.mean` pools the leaves),
 * so `gridtwin compare` pairs every row. The VM and same-cluster rows are the network profile's
 * inputs (this checks their conversion into one-way delays); the Liqo rows come out of the VM path
 * plus the fabric's overhead, and `liqoOverhead` is each Liqo ping minus a same-cluster ping.
 */
const params = z.strictObject({
  kind: z.literal('thesis-latency'),
  ...testbedParams,
  /** Echo requests per path and leaf (the thesis: ~1000 a row). */
  pings: z.number().int().min(1).max(100_000).default(1000),
  /** `ping -i`: one echo request a second by default. */
  interval: period().default(1_000_000),
});

type Params = z.infer<typeof params>;

const ms = (us: number) => us / 1000;

function build(ctx: SimContext, p: Params): void {
  const { sim, metrics } = ctx;
  const { network, fabric, root, leaves } = buildTestbed(ctx, p);
  // One stream per path, so adding a path never shifts another's draws.
  const rng = { network: ctx.random.stream('scenario/latency/vm'), sameCluster: ctx.random.stream('scenario/latency/pod'), acrossLiqo: ctx.random.stream('scenario/latency/liqo') };
  const rtt = (there: number | undefined, back: number | undefined) => (there === undefined || back === undefined ? undefined : there + back);
  let sent = 0;
  const ping = sim.every(p.interval, 'ping: root to every leaf, three paths', () => {
    for (const [i, leaf] of leaves.entries()) {
      const row = `leaf${i + 1}`;
      const samples = {
        network: rtt(network.delay(root.name, leaf.name, rng.network), network.delay(leaf.name, root.name, rng.network)),
        sameCluster: rtt(network.delay(leaf.name, leaf.name, rng.sameCluster), network.delay(leaf.name, leaf.name, rng.sameCluster)),
        acrossLiqo: rtt(fabric.podDelay(root.name, leaf.name, rng.acrossLiqo), fabric.podDelay(leaf.name, root.name, rng.acrossLiqo)),
      };
      for (const [path, value] of Object.entries(samples)) {
        if (value === undefined) continue; // a lost echo: ping prints no time for it
        metrics.record(`latencyRttMs.${path}.${row}`, 'ms', ms(value));
        metrics.record(`latencyRttMs.${path}.mean`, 'ms', ms(value));
      }
      if (samples.acrossLiqo !== undefined && samples.sameCluster !== undefined) metrics.record('latencyRttMs.liqoOverhead.mean', 'ms', ms(samples.acrossLiqo - samples.sameCluster));
    }
    if (++sent === p.pings) {
      ping.stop();
      sim.stop();
    }
  });
}

registerScenario({
  kind: 'thesis-latency',
  description: 'thesis testbed: ping round trips VM to VM, pod to pod in a cluster, and across the Liqo peering',
  params,
  build,
});
