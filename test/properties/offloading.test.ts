import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/engine/index.js';
import { offloadNamespace } from '../../src/liqo/index.js';
import { makeStar } from '../liqo/fixtures.js';
import { RunningContainers } from './harness.js';

const LEAVES = 3;
const HEAL = 600 * SECOND;

/** Site-level cuts of the Liqo star: a provider isolated, or the root split from some providers. */
type SiteCut = { at: number; length: number } & ({ kind: 'isolate'; leaf: number } | { kind: 'partition'; side: boolean[] });
const siteCut: fc.Arbitrary<SiteCut> = fc.oneof(
  fc.record({ at: fc.integer({ min: 0, max: 400 * SECOND }), length: fc.integer({ min: SECOND, max: 300 * SECOND }), kind: fc.constant('isolate' as const), leaf: fc.integer({ min: 1, max: LEAVES }) }),
  fc.record({ at: fc.integer({ min: 0, max: 400 * SECOND }), length: fc.integer({ min: SECOND, max: 300 * SECOND }), kind: fc.constant('partition' as const), side: fc.array(fc.boolean(), { minLength: LEAVES, maxLength: LEAVES }) }),
);

describe('offloading properties', () => {
  it('an offloaded StatefulSet never runs two containers of one ordinal at once in any cluster under random site cuts, and once the network heals every ordinal runs exactly once', () => {
    fc.assert(
      fc.property(fc.array(siteCut, { maxLength: 5 }), fc.integer({ min: 1, max: 3 }), fc.string({ maxLength: 4 }), (cuts, replicas, seed) => {
        const { ctx, network, fabric, root } = makeStar(LEAVES, seed);
        offloadNamespace(fabric, 'root', { namespace: 'grid', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName' });
        const app = new RunningContainers();
        const rs = new RunningContainers();
        root.statefulSets.add({ name: 'db', namespace: 'grid', replicas, labels: { app: 'db' }, template: { image: 'pxc:8', app }, podManagementPolicy: 'Parallel' });
        root.replicaSets.add({ name: 'pdc', namespace: 'grid', replicas, labels: { app: 'pdc' }, template: { image: 'pdc:1', app: rs } });
        for (const c of cuts) {
          const back = Math.min(c.at + c.length, HEAL);
          if (c.kind === 'isolate') {
            ctx.sim.at(c.at, 'isolate', () => network.isolate(`leaf-${c.leaf}`));
            ctx.sim.at(back, 'restore', () => network.restore(`leaf-${c.leaf}`));
          } else {
            const far = c.side.flatMap((s, i) => (s ? [`leaf-${i + 1}`] : []));
            ctx.sim.at(c.at, 'partition', () => network.partition([['root', ...c.side.flatMap((s, i) => (s ? [] : [`leaf-${i + 1}`]))], far]));
            ctx.sim.at(back, 'heal', () => network.healPartition());
          }
        }
        ctx.sim.at(HEAL, 'heal all', () => {
          network.healPartition();
          for (let i = 1; i <= LEAVES; i++) network.restore(`leaf-${i}`);
        });
        ctx.sim.run(HEAL + 400 * SECOND);
        for (let i = 0; i < replicas; i++) {
          expect(app.maxConcurrent.get(`db-${i}`) ?? 0, `db-${i} ran twice at once`).toBeLessThanOrEqual(1);
          expect(app.where.get(`db-${i}`) ?? [], `db-${i} after the heal`).toHaveLength(1);
        }
        // Island-mode copies left on a provider during a cut are reconciled away after the heal.
        const running = [...rs.where.values()].reduce((a, w) => a + w.length, 0);
        expect(running, 'ReplicaSet containers running after the heal').toBe(replicas);
      }),
      { numRuns: 100 },
    );
  });
});
