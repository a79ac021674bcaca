import { describe, expect, it } from 'vitest';
import { SECOND, toSeconds } from '../../src/engine/index.js';
import { GenericApp } from '../../src/k8s/index.js';
import { offloadNamespace, OffloadingRefused } from '../../src/liqo/index.js';
import { appSpec } from '../k8s/fixtures.js';
import { makeStar } from './fixtures.js';

/** Isolates leaf-1 at `cutAt`; returns how long until root's virtual node left Ready, and how (False or Unknown). */
function notReadyAfterCut(seed: string, cutAt: number) {
  const { ctx, network, root } = makeStar(2, seed);
  ctx.sim.at(cutAt, 'NIC down', () => network.isolate('leaf-1'));
  let result: { delay: number; status: string } | undefined;
  root.cluster.store.subscribe((next) => {
    const n = next.nodes['liqo-leaf-1']!;
    if (!result && ctx.sim.now >= cutAt && n.ready !== 'True') result = { delay: ctx.sim.now - cutAt, status: n.ready };
  });
  ctx.sim.run(cutAt + 45 * SECOND);
  return result!;
}

describe('virtual node health', () => {
  it('goes Ready=False ~9.5 s after the provider is cut (tunnel check), or later by lease expiry when the API check wins the race', () => {
    const runs = Array.from({ length: 200 }, (_, i) => notReadyAfterCut(`v${i}`, 60 * SECOND + i * 7_919));
    const byTunnel = runs.filter((r) => r.status === 'False');
    const byLease = runs.filter((r) => r.status === 'Unknown');
    expect(byTunnel.length + byLease.length).toBe(runs.length);
    const mean = toSeconds(byTunnel.reduce((a, r) => a + r.delay, 0) / byTunnel.length);
    expect(mean).toBeGreaterThan(9.3);
    expect(mean).toBeLessThan(9.8);
    for (const r of byTunnel) expect(r.delay).toBeLessThanOrEqual(11.1 * SECOND);
    // The race: about 7 % of cut instants.
    expect(byLease.length / runs.length).toBeGreaterThan(0.02);
    expect(byLease.length / runs.length).toBeLessThan(0.14);
    for (const r of byLease) expect(r.delay).toBeGreaterThan(20 * SECOND);
  });

  it('comes back Ready when the provider is reachable again', () => {
    const { ctx, network, root } = makeStar(1);
    ctx.sim.at(30 * SECOND, 'cut', () => network.isolate('leaf-1'));
    ctx.sim.at(100 * SECOND, 'heal', () => network.restore('leaf-1'));
    ctx.sim.run(150 * SECOND);
    expect(root.cluster.node('liqo-leaf-1')!.ready).toBe('True');
    expect(root.cluster.node('liqo-leaf-1')!.taints.map((t) => t.key)).toEqual(['virtual-node.liqo.io/not-allowed']);
  });
});

describe('offloading', () => {
  it('an offloaded pod runs in the provider; cut off, it keeps running there (island mode) while the consumer evicts it and starts a replacement elsewhere; reconnection reconciles', () => {
    const { ctx, network, fabric, root, leafs } = makeStar(2);
    offloadNamespace(fabric, 'root', { namespace: 'grid', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName' });
    const app = new GenericApp({ startLatency: { kind: 'constant', value: SECOND } });
    root.replicaSets.add({ name: 'pdc', namespace: 'grid', replicas: 1, template: appSpec({ app, affinity: { nodePreferred: [{ weight: 1, term: [{ key: 'liqo.io/remote-cluster-id', operator: 'In', values: ['leaf-1'] }] }] } }) });
    ctx.sim.run(20 * SECOND);
    const [pod] = root.cluster.pods();
    expect(pod!.node).toBe('liqo-leaf-1');
    expect(pod!.ready).toBe(true);
    const remoteKey = `grid-root/${pod!.name}`;
    expect(leafs[0]!.cluster.pod(remoteKey)!.phase).toBe('Running');

    ctx.sim.at(30 * SECOND, 'cut leaf-1', () => network.isolate('leaf-1'));
    ctx.sim.run(120 * SECOND);
    expect(root.cluster.pod(pod!.key)!.deletionTimestamp).toBeDefined(); // Terminating, cannot be confirmed
    const replacement = root.cluster.pods().find((p) => p.key !== pod!.key)!;
    expect(replacement.node).toBe('liqo-leaf-2');
    expect(replacement.ready).toBe(true);
    expect(leafs[0]!.cluster.pod(remoteKey)!.ready).toBe(true); // island mode
    expect(app.events.filter((e) => e.what === 'stopped')).toEqual([]);

    ctx.sim.at(200 * SECOND, 'heal', () => network.restore('leaf-1'));
    ctx.sim.run(260 * SECOND);
    expect(root.cluster.pod(pod!.key)).toBeUndefined();
    expect(leafs[0]!.cluster.pod(remoteKey)).toBeUndefined();
    expect(app.events.filter((e) => e.what === 'stopped').map((e) => e.cluster)).toEqual(['leaf-1']);
  });

  it('offloaded pods on a NotReady virtual node are marked not ready at once, before any eviction', () => {
    const { ctx, network, fabric, root, leafs } = makeStar(1, 'nr');
    offloadNamespace(fabric, 'root', { namespace: 'grid', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'EnforceSameName' });
    root.replicaSets.add({ name: 'pdc', namespace: 'grid', replicas: 1, template: appSpec() });
    ctx.sim.run(20 * SECOND);
    const [pod] = root.cluster.pods();
    expect(pod!.ready).toBe(true);
    ctx.sim.at(30 * SECOND, 'cut', () => network.isolate('leaf-1'));
    let notReadyAt = 0;
    root.cluster.store.subscribe((s) => {
      if (!notReadyAt && s.pods[pod!.key] && !s.pods[pod!.key]!.ready) notReadyAt = ctx.sim.now;
    });
    ctx.sim.run(45 * SECOND);
    const nodeFalse = ctx.trace.records.find((r) => r.kind === 'node-ready' && r.node === 'liqo-leaf-1' && r.ready === false)!.t;
    expect(notReadyAt).toBe(nodeFalse);
    expect(root.cluster.pod(pod!.key)!.deletionTimestamp).toBeUndefined();
    expect(leafs[0]!.cluster.pod(`grid/${pod!.name}`)!.ready).toBe(true);
  });

  it('Local keeps pods on physical nodes; the cluster selector limits Remote to matching providers', () => {
    const { ctx, fabric, root } = makeStar(2);
    offloadNamespace(fabric, 'root', { namespace: 'local', podOffloadingStrategy: 'Local', namespaceMappingStrategy: 'EnforceSameName' });
    const res = offloadNamespace(fabric, 'root', {
      namespace: 'south', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName',
      clusterSelector: [[{ key: 'topology.liqo.io/region', operator: 'In', values: ['south'] }]],
    });
    expect(res.providers).toEqual(['leaf-2']);
    root.replicaSets.add({ name: 'a', namespace: 'local', replicas: 3, template: appSpec() });
    root.replicaSets.add({ name: 'b', namespace: 'south', replicas: 3, template: appSpec() });
    ctx.sim.run(20 * SECOND);
    expect(new Set(root.replicaSets.pods('a').map((p) => p.node))).toEqual(new Set(['root-node']));
    expect(new Set(root.replicaSets.pods('b').map((p) => p.node))).toEqual(new Set(['liqo-leaf-2']));
  });

  it('an offloaded namespace cannot be offloaded again (no multi-hop)', () => {
    const { fabric } = makeStar(2);
    fabric.peer('leaf-1', 'leaf-2');
    offloadNamespace(fabric, 'root', { namespace: 'grid', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'EnforceSameName' });
    expect(() => offloadNamespace(fabric, 'leaf-1', { namespace: 'grid', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName' })).toThrow(OffloadingRefused);
    // A namespace of its own is fine.
    expect(offloadNamespace(fabric, 'leaf-1', { namespace: 'mine', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName' }).providers).toEqual(['leaf-2']);
  });

  it('a pod on the liqo storage class is pulled back to the cluster holding its PV, and stays Pending while that cluster is unreachable', () => {
    const { ctx, network, fabric, root, leafs } = makeStar(2);
    root.cluster.volumes.addClass({ name: 'liqo', provisioner: 'liqo', realStorageClass: 'longhorn' });
    for (const l of leafs) l.cluster.volumes.addClass({ name: 'longhorn', provisioner: 'replicated', replicas: 3 });
    offloadNamespace(fabric, 'root', { namespace: 'db', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'EnforceSameName' });
    root.statefulSets.add({ name: 'pxc', namespace: 'db', replicas: 1, template: appSpec(), volumeClaimTemplates: [{ name: 'data', storageClass: 'liqo' }] });
    ctx.sim.run(20 * SECOND);
    const home = root.cluster.pod('db/pxc-0')!.node!;
    for (let i = 0; i < 4; i++) {
      ctx.sim.at(ctx.sim.now + 1, 'delete', () => root.cluster.delete('db/pxc-0', 'test'));
      ctx.sim.run(ctx.sim.now + 15 * SECOND);
      expect(root.cluster.pod('db/pxc-0')!.node).toBe(home);
    }
    const provider = home.replace('liqo-', '');
    ctx.sim.at(ctx.sim.now + 1, 'cut', () => network.isolate(provider));
    ctx.sim.at(ctx.sim.now + 60 * SECOND, 'force delete', () => root.cluster.remove('db/pxc-0', 'force'));
    ctx.sim.run(ctx.sim.now + 120 * SECOND);
    const pod = root.cluster.pod('db/pxc-0')!;
    expect(pod.node).toBeUndefined();
    expect(pod.reason).toMatch(/volume node affinity conflict|untolerated taint/);
  });
});

describe('network fabric', () => {
  it('pod-to-pod traffic across clusters pays the Liqo overhead; within a cluster it does not', () => {
    const { fabric, ctx } = makeStar(1);
    const rng = ctx.random.stream('x');
    expect(fabric.podDelay('root', 'leaf-1', rng)).toBe(350 + 229);
    expect(fabric.podDelay('root', 'root', rng)).toBe(350);
    fabric.network.isolate('leaf-1');
    expect(fabric.podDelay('root', 'leaf-1', rng)).toBeUndefined();
  });
});
