import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/engine/index.js';
import { GenericApp, type App } from '../../src/k8s/index.js';
import { appSpec, makeCluster, with_ } from './fixtures.js';

const cutAfterEviction = with_({ apiServer: { defaultUnreachableToleration: 0, defaultNotReadyToleration: 0 } });

describe('workloads', () => {
  it('a ReplicaSet replaces an evicted pod at once while the old one stays Terminating', () => {
    const { ctx, kc, cluster } = makeCluster(2, cutAfterEviction);
    kc.replicaSets.add({ name: 'pdc', namespace: 'ns', replicas: 1, template: appSpec() });
    ctx.sim.run(10 * SECOND);
    const first = cluster.pods()[0]!;
    const node = first.node!;
    ctx.sim.at(20 * SECOND, 'cut', () => kc.kubelets.get(node)!.setLink(false));
    ctx.sim.run(200 * SECOND);
    const pods = cluster.pods();
    expect(pods).toHaveLength(2);
    const old = cluster.pod(first.key)!;
    const replacement = pods.find((p) => p.key !== first.key)!;
    expect(old.deletionTimestamp).toBeDefined();
    expect(replacement.createdAt - old.deletionTimestamp!).toBeLessThan(1000);
    expect(replacement.node).not.toBe(node);
    expect(replacement.phase).toBe('Running');
  });

  it('a StatefulSet pod on a cut-off node is not replaced until the node returns', () => {
    const { ctx, kc, cluster } = makeCluster(2, cutAfterEviction);
    kc.statefulSets.add({ name: 'pxc', namespace: 'db', replicas: 1, template: appSpec() });
    ctx.sim.run(10 * SECOND);
    const node = cluster.pod('db/pxc-0')!.node!;
    ctx.sim.at(20 * SECOND, 'cut', () => kc.kubelets.get(node)!.setLink(false));
    ctx.sim.run(300 * SECOND);
    expect(cluster.pods().map((p) => p.key)).toEqual(['db/pxc-0']);
    expect(cluster.pod('db/pxc-0')!.deletionTimestamp).toBeDefined();
    ctx.sim.at(310 * SECOND, 'heal', () => kc.kubelets.get(node)!.setLink(true));
    ctx.sim.run(400 * SECOND);
    const again = cluster.pod('db/pxc-0')!;
    expect(again.deletionTimestamp).toBeUndefined();
    expect(again.createdAt).toBeGreaterThan(310 * SECOND);
  });

  it('a pod follows its local PV: the replacement goes back to the node holding the data, or stays Pending', () => {
    const { ctx, kc, cluster } = makeCluster(3, cutAfterEviction);
    cluster.volumes.addClass({ name: 'local-path', provisioner: 'local-path' });
    kc.statefulSets.add({ name: 'db', namespace: 'ns', replicas: 1, template: appSpec(), volumeClaimTemplates: [{ name: 'data', storageClass: 'local-path' }] });
    ctx.sim.run(10 * SECOND);
    const home = cluster.pod('ns/db-0')!.node!;
    for (let i = 0; i < 5; i++) {
      ctx.sim.at(ctx.sim.now + 1, 'delete', () => cluster.delete('ns/db-0', 'test'));
      ctx.sim.run(ctx.sim.now + 10 * SECOND);
      expect(cluster.pod('ns/db-0')!.node).toBe(home);
    }
    // Data node gone for good: the recreated pod cannot run anywhere else.
    ctx.sim.at(ctx.sim.now + 1, 'power off', () => kc.kubelets.get(home)!.powerOff());
    ctx.sim.at(ctx.sim.now + 100 * SECOND, 'force delete', () => cluster.remove('ns/db-0', 'force'));
    ctx.sim.run(ctx.sim.now + 200 * SECOND);
    const pod = cluster.pod('ns/db-0')!;
    expect(pod.node).toBeUndefined();
    expect(pod.reason).toMatch(/volume node affinity conflict/);
  });

  it('an unschedulable pod stays Pending with the reasons recorded', () => {
    const { ctx, cluster } = makeCluster(2);
    cluster.createPod({ name: 'big', namespace: 'ns', spec: appSpec({ cpu: 100_000 }) });
    cluster.createPod({ name: 'picky', namespace: 'ns', spec: appSpec({ nodeSelector: { site: 'mars' } }) });
    ctx.sim.run(5 * SECOND);
    expect(cluster.pod('ns/big')!.reason).toBe('0/2 nodes are available: 2 Insufficient cpu');
    expect(cluster.pod('ns/picky')!.reason).toMatch(/node selector/);
    expect(cluster.pod('ns/picky')!.phase).toBe('Pending');
  });

  it('required pod anti-affinity puts replicas on distinct nodes; the extra one stays Pending', () => {
    const { ctx, kc, cluster } = makeCluster(2);
    const anti = { podAntiAffinity: [{ matchLabels: { app: 'pxc' }, topologyKey: 'kubernetes.io/hostname' }] };
    kc.statefulSets.add({ name: 'pxc', namespace: 'db', replicas: 3, labels: { app: 'pxc' }, template: appSpec({ affinity: anti }) });
    ctx.sim.run(60 * SECOND);
    const pods = cluster.pods();
    expect(new Set(pods.filter((p) => p.node).map((p) => p.node)).size).toBe(2);
    expect(cluster.pod('db/pxc-2')!.reason).toMatch(/anti-affinity/);
  });

  it('Recreate waits for every old pod to be gone; RollingUpdate keeps a ready pod throughout', () => {
    for (const strategy of [{ type: 'Recreate' as const }, { type: 'RollingUpdate' as const, maxSurge: 1, maxUnavailable: 0 }]) {
      const { ctx, kc, cluster } = makeCluster(2);
      kc.deployments.add({ name: 'pmu', namespace: 'ns', replicas: 1, template: appSpec(), strategy });
      ctx.sim.run(10 * SECOND);
      let minReady = Infinity;
      let overlap = false;
      cluster.store.subscribe((s) => {
        const pods = Object.values(s.pods);
        minReady = Math.min(minReady, pods.filter((p) => p.ready).length);
        if (pods.some((p) => p.owner?.name === 'pmu-1') && pods.some((p) => p.owner?.name === 'pmu-2')) overlap = true;
      });
      kc.deployments.updateTemplate('pmu', appSpec({ image: 'app:2' }));
      ctx.sim.run(60 * SECOND);
      expect(cluster.pods().map((p) => p.owner?.name)).toEqual(['pmu-2']);
      if (strategy.type === 'Recreate') expect(overlap).toBe(false);
      else expect(minReady).toBe(1);
    }
  });
});

describe('kubelet', () => {
  it('restarts a crashing container with CrashLoopBackOff 0, 10, 20, 40 … s', () => {
    const crashing: App = { startLatency: () => 0, started: (_w, _t, c) => c.exit('boom') };
    const { ctx, cluster } = makeCluster(1);
    cluster.createPod({ name: 'x', namespace: 'ns', spec: appSpec({ app: crashing }) });
    ctx.sim.run(200 * SECOND);
    const waits = ctx.trace.records.filter((r) => r.kind === 'container-restart').map((r) => r.backoffUs as number);
    // backoffUs counts from the exit to the restart: the first restart waits only for PLEG's relist (≤ 1 s).
    expect(waits[0]).toBeLessThanOrEqual(SECOND);
    expect(waits.slice(1, 5)).toEqual([10, 20, 40, 80].map((s) => s * SECOND));
  });

  it('a failing liveness probe kills and restarts the container in place', () => {
    const app = new GenericApp({ startLatency: { kind: 'constant', value: SECOND } });
    const { ctx, cluster } = makeCluster(1);
    cluster.createPod({ name: 'pdc', namespace: 'ns', spec: appSpec({ app, liveness: { initialDelay: 5 * SECOND, period: 5 * SECOND, failureThreshold: 3 } }) });
    ctx.sim.at(60 * SECOND, 'hang', () => app.breakLiveness('pdc'));
    ctx.sim.run(120 * SECOND);
    const killed = ctx.trace.records.find((r) => r.kind === 'container-killed')!.t;
    expect(killed - 60 * SECOND).toBeGreaterThanOrEqual(10 * SECOND);
    expect(killed - 60 * SECOND).toBeLessThan(15 * SECOND);
    expect(cluster.pod('ns/pdc')!.restarts).toBe(1);
    expect(cluster.pod('ns/pdc')!.ready).toBe(true);
    expect(app.events.map((e) => e.what)).toEqual(['started', 'serving', 'stopped', 'started', 'serving']);
  });

  it('an init container that fails keeps the pod Pending and is retried with back-off', () => {
    let tries = 0;
    const app: App = { startLatency: () => 0, runInit: () => ({ ok: ++tries >= 3, duration: SECOND, reason: 'DB unreachable' }) };
    const { ctx, cluster } = makeCluster(1);
    cluster.createPod({ name: 'pdc', namespace: 'ns', spec: appSpec({ app, initContainers: ['create-db'] }) });
    ctx.sim.run(8 * SECOND);
    expect(cluster.pod('ns/pdc')!.phase).toBe('Pending');
    ctx.sim.run(40 * SECOND);
    expect(tries).toBe(3);
    expect(cluster.pod('ns/pdc')!.ready).toBe(true);
  });
});

describe('kubelet back-off reset', () => {
  it('forgets the back-off after 10 min (2 × cap) of clean running', () => {
    let exits = 0;
    const flaky: App = {
      startLatency: () => 0,
      // Crashes at once 4 times, then runs 15 min, then crashes once more.
      started: (_w, now, c) => {
        if (exits < 4) return void (exits++, c.exit('boom'));
        if (exits === 4) { exits++; setCrash = () => c.exit('late'); }
      },
    };
    let setCrash: () => void = () => {};
    const { ctx, cluster } = makeCluster(1);
    cluster.createPod({ name: 'x', namespace: 'ns', spec: appSpec({ app: flaky }) });
    ctx.sim.run(200 * SECOND);
    ctx.sim.at(200 * SECOND + 15 * 60 * SECOND, 'late crash', () => setCrash());
    ctx.sim.run(200 * SECOND + 16 * 60 * SECOND);
    const restarts = ctx.trace.records.filter((r) => r.kind === 'container-restart');
    expect(restarts).toHaveLength(5);
    expect(restarts[4]!.backoffUs as number).toBeLessThanOrEqual(SECOND); // immediate again (PLEG only)
    expect(restarts[4]!.reason).toBe('late');
  });
});

describe('replicated (Longhorn-like) storage', () => {
  it('lets a pod move to another physical node of its cluster when its node is lost', () => {
    const { ctx, kc, cluster } = makeCluster(3, cutAfterEviction);
    cluster.volumes.addClass({ name: 'longhorn', provisioner: 'replicated', replicas: 3 });
    kc.statefulSets.add({ name: 'db', namespace: 'ns', replicas: 1, template: appSpec(), volumeClaimTemplates: [{ name: 'data', storageClass: 'longhorn' }] });
    ctx.sim.run(10 * SECOND);
    const first = cluster.pod('ns/db-0')!.node!;
    ctx.sim.at(11 * SECOND, 'power off', () => kc.kubelets.get(first)!.powerOff());
    ctx.sim.at(150 * SECOND, 'force delete', () => cluster.remove('ns/db-0', 'force'));
    ctx.sim.run(200 * SECOND);
    const again = cluster.pod('ns/db-0')!;
    expect(again.node).toBeDefined();
    expect(again.node).not.toBe(first);
    expect(again.ready).toBe(true);
  });
});
