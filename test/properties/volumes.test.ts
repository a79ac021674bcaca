import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECOND, type Time } from '../../src/engine/index.js';
import { matchesTerm, VIRTUAL_NODE_LABEL, type App, type Cluster, type ContainerRef } from '../../src/k8s/index.js';
import { makeCluster, with_ } from '../k8s/fixtures.js';
import { nodeCut, scheduleCuts } from './harness.js';

const NODES = 3;
const HEAL = 800 * SECOND;

/** Checks, whenever a container starts, that every claim of its pod is usable on that node. */
class DataGravityCheck implements App {
  starts = 0;
  cluster!: Cluster;
  startLatency(): Time {
    return 2 * SECOND;
  }
  started(c: ContainerRef): void {
    this.starts++;
    const node = this.cluster.node(c.node)!;
    for (const name of this.cluster.spec(`${c.namespace}/${c.pod}`)?.volumes ?? []) {
      const claim = this.cluster.volumes.claim(c.namespace, name)!;
      expect(claim.boundTo, `${name} bound before ${c.pod} starts`).toBeDefined();
      expect(matchesTerm(node.labels, claim.boundTo!), `${c.pod} on ${c.node}, ${name} on ${claim.location}`).toBe(true);
      // local-path: the PV is a directory on one node; replicated: any physical node attaches it.
      if (claim.location !== 'cluster') expect(c.node).toBe(claim.location);
      else expect(node.virtual).toBe(false);
    }
  }
}

const scenario = fc.record({
  cuts: fc.array(nodeCut(NODES), { maxLength: 8 }),
  storageClass: fc.constantFrom('local-path', 'longhorn'),
  toleration: fc.constantFrom(20 * SECOND, 300 * SECOND),
  replicas: fc.integer({ min: 1, max: 3 }),
  virtualNode: fc.boolean(),
  seed: fc.string({ maxLength: 4 }),
});

describe('volume properties', () => {
  it("data gravity: a pod's container runs only where its PV is reachable (local-path: its node; replicated: a physical node) under random node cuts, and every pod runs again once they heal", () => {
    let starts = 0;
    fc.assert(
      fc.property(scenario, ({ cuts, storageClass, toleration, replicas, virtualNode, seed }) => {
        const params = with_({ apiServer: { defaultNotReadyToleration: toleration, defaultUnreachableToleration: toleration } });
        const { ctx, kc, cluster } = makeCluster(NODES, params, seed);
        // A virtual node (no kubelet here: nothing may run there) that a local PV class cannot use.
        if (virtualNode) cluster.addNode({ name: 'liqo-provider', virtual: true, labels: { [VIRTUAL_NODE_LABEL]: 'virtual-node', 'kubernetes.io/hostname': 'liqo-provider' }, cpu: 100_000, memory: 100_000 });
        cluster.volumes.addClass({ name: 'local-path', provisioner: 'local-path' });
        cluster.volumes.addClass({ name: 'longhorn', provisioner: 'replicated', replicas: 3 });
        const app = new DataGravityCheck();
        app.cluster = cluster;
        kc.statefulSets.add({
          name: 'db', namespace: 'ns', replicas, labels: { app: 'db' }, template: { image: 'pxc:8', app },
          volumeClaimTemplates: [{ name: 'datadir', storageClass }], podManagementPolicy: 'Parallel',
        });
        scheduleCuts(ctx, kc, cuts, HEAL);
        ctx.sim.run(1400 * SECOND);
        for (let i = 0; i < replicas; i++) {
          const pod = cluster.pod(`ns/db-${i}`);
          expect(pod && pod.phase === 'Running' && pod.ready, `db-${i} after the heal`).toBe(true);
        }
        starts += app.starts;
      }),
      { numRuns: 100 },
    );
    expect(starts).toBeGreaterThan(100);
  });
});
