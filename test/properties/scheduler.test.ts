import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/engine/index.js';
import { matchesAnyTerm, matchesLabels, untoleratedTaint, type Affinity, type PodSpec, type SelectorTerm, type Taint, type Toleration } from '../../src/k8s/index.js';
import { appSpec, makeCluster } from '../k8s/fixtures.js';

// Small alphabets, so that random selectors, taints and tolerations meet each other often.
const labelsArb = fc.record({ zone: fc.constantFrom('a', 'b'), disk: fc.constantFrom('ssd', 'hdd') }, { requiredKeys: [] });
const taintArb: fc.Arbitrary<Taint> = fc.record({ key: fc.constantFrom('gpu', 'maint'), effect: fc.constantFrom('NoSchedule' as const, 'PreferNoSchedule' as const, 'NoExecute' as const) });
const tolerationArb: fc.Arbitrary<Toleration> = fc.oneof(
  fc.record({ key: fc.constantFrom('gpu', 'maint'), operator: fc.constant('Exists' as const), effect: fc.constantFrom(undefined, 'NoSchedule' as const, 'NoExecute' as const) }),
  fc.constant({ operator: 'Exists' as const }),
);
const termArb: fc.Arbitrary<SelectorTerm> = fc.array(
  fc.record({ key: fc.constantFrom('zone', 'disk'), operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const), values: fc.constantFrom(['a'], ['b'], ['ssd'], ['a', 'hdd']) }),
  { minLength: 1, maxLength: 2 },
);
const affinityArb: fc.Arbitrary<Affinity> = fc.record(
  {
    nodeRequired: fc.array(termArb, { minLength: 1, maxLength: 2 }),
    nodePreferred: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 100 }), term: termArb }), { maxLength: 2 }),
    podAntiAffinity: fc.array(fc.record({ matchLabels: fc.constantFrom({ app: 'x' }, { app: 'y' }), topologyKey: fc.constantFrom('kubernetes.io/hostname', 'zone') }), { maxLength: 1 }),
  },
  { requiredKeys: [] },
);
const nodeArb = fc.record({ labels: labelsArb, taints: fc.uniqueArray(taintArb, { maxLength: 2, selector: (t) => `${t.key}/${t.effect}` }), cpu: fc.constantFrom(1000, 2000, 4000), memory: fc.constantFrom(1024, 4096) });
const podArb = fc.record({
  at: fc.integer({ min: 0, max: 120 * SECOND }),
  app: fc.constantFrom('x', 'y'),
  cpu: fc.constantFrom(undefined, 100, 500, 1500),
  memory: fc.constantFrom(undefined, 256, 2048),
  nodeSelector: fc.option(fc.record({ zone: fc.constantFrom('a', 'b') }), { nil: undefined }),
  affinity: fc.option(affinityArb, { nil: undefined }),
  tolerations: fc.array(tolerationArb, { maxLength: 2 }),
});
const taintChangeArb = fc.record({ at: fc.integer({ min: 0, max: 120 * SECOND }), node: fc.nat(), taint: taintArb, present: fc.boolean() });
const world = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 5 }),
  pods: fc.array(podArb, { maxLength: 12 }),
  taintChanges: fc.array(taintChangeArb, { maxLength: 4 }),
  seed: fc.string({ maxLength: 4 }),
});

describe('scheduler properties', () => {
  let totalBinds = 0;
  it('every pod is bound at most once, to one node, and only to a node that passes the filters at bind time (resources, node selector and affinity, taints, pod anti-affinity)', () => {
    fc.assert(
      fc.property(world, ({ nodes, pods, taintChanges, seed }) => {
        const { ctx, kc, cluster } = makeCluster(0, undefined, seed);
        nodes.forEach((n, i) => kc.addNode({ name: `n${i}`, labels: { ...n.labels, 'kubernetes.io/hostname': `n${i}` }, taints: n.taints, cpu: n.cpu, memory: n.memory }));
        for (const c of taintChanges) ctx.sim.at(c.at, 'taint', () => cluster.setTaint(`n${c.node % nodes.length}`, c.taint, c.present));
        pods.forEach((p, i) => {
          const spec: PodSpec = appSpec({ cpu: p.cpu, memory: p.memory, nodeSelector: p.nodeSelector, affinity: p.affinity, tolerations: p.tolerations });
          ctx.sim.at(p.at, 'create pod', () => cluster.createPod({ name: `p${i}`, namespace: 'ns', labels: { app: p.app }, spec }));
        });

        const boundTo = new Map<string, string>();
        let binds = 0;
        cluster.onPod(({ key, gone }) => {
          const pod = cluster.pod(key);
          if (gone || !pod?.node) return;
          const before = boundTo.get(key);
          if (before !== undefined) {
            expect(pod.node, `${key} rebound`).toBe(before);
            return;
          }
          boundTo.set(key, pod.node);
          binds++;
          const node = cluster.node(pod.node)!;
          const spec = cluster.spec(key)!;
          const others = cluster.pods((o) => o.key !== key && o.node === node.name && o.phase !== 'Failed' && o.phase !== 'Succeeded');
          expect(others.reduce((a, o) => a + (cluster.spec(o.key)?.cpu ?? 0), spec.cpu ?? 0), 'cpu').toBeLessThanOrEqual(node.cpu);
          expect(others.reduce((a, o) => a + (cluster.spec(o.key)?.memory ?? 0), spec.memory ?? 0), 'memory').toBeLessThanOrEqual(node.memory);
          if (spec.nodeSelector) expect(matchesLabels(node.labels, spec.nodeSelector), 'nodeSelector').toBe(true);
          if (spec.affinity?.nodeRequired) expect(matchesAnyTerm(node.labels, spec.affinity.nodeRequired), 'required node affinity').toBe(true);
          expect(untoleratedTaint(node.taints, pod.tolerations, ['NoSchedule', 'NoExecute']), 'untolerated taint').toBeUndefined();
          for (const term of spec.affinity?.podAntiAffinity ?? []) {
            const domain = node.labels[term.topologyKey];
            const clash = cluster.pods((o) => o.key !== key && o.node !== undefined && o.deletionTimestamp === undefined && o.phase !== 'Failed' && matchesLabels(o.labels, term.matchLabels) && domain !== undefined && cluster.node(o.node)?.labels[term.topologyKey] === domain);
            expect(clash.map((o) => o.key), 'pod anti-affinity').toEqual([]);
          }
          // Symmetry (InterPodAffinity's "existing pods anti-affinity rules"): no bound pod's required
          // anti-affinity rejects this pod in that pod's domain.
          for (const o of cluster.pods((o) => o.key !== key && o.node !== undefined && o.deletionTimestamp === undefined && o.phase !== 'Failed')) {
            for (const term of cluster.spec(o.key)?.affinity?.podAntiAffinity ?? []) {
              const domain = cluster.node(o.node!)?.labels[term.topologyKey];
              if (domain !== undefined && node.labels[term.topologyKey] === domain && matchesLabels(pod.labels, term.matchLabels)) expect.fail(`${key} on ${node.name} violates ${o.key}'s anti-affinity`);
            }
          }
        });
        ctx.sim.run(200 * SECOND);
        // Not vacuous: a pod left unbound has a reason naming the filters.
        for (const p of cluster.pods((p) => p.node === undefined)) expect(p.reason).toMatch(/^0\/\d+ nodes are available/);
        totalBinds += binds;
      }),
      { numRuns: 200 },
    );
    expect(totalBinds).toBeGreaterThan(200);
  });
});
