import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/engine/index.js';
import type { PodState } from '../../src/k8s/index.js';
import { makeCluster, with_ } from '../k8s/fixtures.js';
import { nodeCut, RunningContainers, scheduleCuts, type NodeCut } from './harness.js';

const NODES = 3;
const scenario = fc.record({
  cuts: fc.array(nodeCut(NODES), { maxLength: 8 }),
  toleration: fc.constantFrom(20 * SECOND, 300 * SECOND),
  replicas: fc.integer({ min: 1, max: 4 }),
  parallel: fc.boolean(),
  seed: fc.string({ maxLength: 4 }),
});

const HEAL = 800 * SECOND;
const END = 1400 * SECOND;
const active = (p: PodState) => p.deletionTimestamp === undefined && p.phase !== 'Failed' && p.phase !== 'Succeeded';

/** Runs a StatefulSet and a ReplicaSet under random node cuts (NIC down, power loss), all healed at HEAL. */
function run({ cuts, toleration, replicas, parallel, seed }: { cuts: NodeCut[]; toleration: number; replicas: number; parallel: boolean; seed: string }) {
  const params = with_({ apiServer: { defaultNotReadyToleration: toleration, defaultUnreachableToleration: toleration } });
  const { ctx, kc, cluster } = makeCluster(NODES, params, seed);
  const app = new RunningContainers();
  const template = { image: 'pdc:1', app };
  kc.statefulSets.add({ name: 'db', namespace: 'ns', replicas, labels: { app: 'db' }, template, podManagementPolicy: parallel ? 'Parallel' : 'OrderedReady' });
  kc.replicaSets.add({ name: 'pdc', namespace: 'ns', replicas, labels: { app: 'pdc' }, template });
  scheduleCuts(ctx, kc, cuts, HEAL);
  ctx.sim.run(END);
  return { app, cluster, kc };
}

describe('workload properties', () => {
  it('a StatefulSet never runs two containers of one ordinal at once under random node cuts, and every ordinal is Running and Ready once the network heals', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { app, cluster } = run(s);
        for (let i = 0; i < s.replicas; i++) {
          expect(app.maxConcurrent.get(`db-${i}`) ?? 0, `db-${i}`).toBeLessThanOrEqual(1);
          const pod = cluster.pod(`ns/db-${i}`);
          expect(pod && pod.phase === 'Running' && pod.ready, `db-${i} after the heal`).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('a ReplicaSet converges to its replica count once the network heals: that many active pods, all Running and Ready, none left Terminating', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const { kc } = run(s);
        const pods = kc.replicaSets.pods('pdc');
        expect(pods.filter(active)).toHaveLength(s.replicas);
        expect(pods.every((p) => active(p) && p.phase === 'Running' && p.ready), JSON.stringify(pods.map((p) => [p.name, p.phase, p.ready, p.node]))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
