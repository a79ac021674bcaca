import { describe, expect, it } from 'vitest';
import { SECOND, toSeconds } from '../../src/engine/index.js';
import { TAINT_UNREACHABLE } from '../../src/k8s/index.js';
import { appSpec, DEFAULTS, makeCluster, with_ } from './fixtures.js';

/** Cuts node n1 off its API server at `cutAt`; returns when it turned Unknown (µs after the cut). */
function unknownDelay(seed: string, cutAt: number) {
  const { ctx, kc, cluster } = makeCluster(2, DEFAULTS, seed);
  ctx.sim.at(cutAt, 'cut', () => kc.kubelets.get('n1')!.setLink(false));
  let at = -1;
  cluster.store.subscribe((next, prev) => {
    if (at < 0 && next.nodes.n1!.ready === 'Unknown' && prev.nodes.n1!.ready !== 'Unknown') at = ctx.sim.now - cutAt;
  });
  ctx.sim.run(cutAt + 90 * SECOND);
  return at;
}

describe('node lifecycle controller', () => {
  it('mean delay from a cut to Ready=Unknown ≈ grace + 2.5 s − H/2 (H = lease renewal 10 s)', () => {
    const delays = Array.from({ length: 300 }, (_, i) => unknownDelay(`u${i}`, 100 * SECOND + i * 37_123));
    expect(Math.min(...delays)).toBeGreaterThan(30 * SECOND);
    expect(Math.max(...delays)).toBeLessThanOrEqual(45.1 * SECOND);
    const mean = toSeconds(delays.reduce((a, b) => a + b, 0) / delays.length);
    expect(mean).toBeGreaterThan(37.5 - 0.6);
    expect(mean).toBeLessThan(37.5 + 0.6);
  });

  it('queues unreachable:NoExecute one pass after Unknown; the taint manager evicts at tolerationSeconds', () => {
    const { ctx, kc, cluster } = makeCluster(2, with_({ apiServer: { defaultUnreachableToleration: 20 * SECOND } }));
    cluster.createPod({ name: 'p', namespace: 'ns', spec: appSpec({ nodeSelector: { 'kubernetes.io/hostname': 'n1' } }) });
    ctx.sim.at(30 * SECOND, 'cut', () => kc.kubelets.get('n1')!.setLink(false));
    ctx.sim.run(200 * SECOND);
    const t = (kind: string, pred: (r: any) => boolean = () => true) => ctx.trace.records.find((r) => r.kind === kind && pred(r))?.t ?? NaN;
    const unknown = t('node-ready', (r) => r.node === 'n1' && r.status === 'Unknown');
    const tainted = t('node-taint', (r) => r.taint === TAINT_UNREACHABLE && r.effect === 'NoExecute' && r.added);
    const evicted = t('pod-evicted');
    expect(tainted - unknown).toBeGreaterThanOrEqual(5 * SECOND);
    expect(tainted - unknown).toBeLessThan(5.2 * SECOND);
    expect(evicted - tainted).toBe(20 * SECOND);
    // The node cannot confirm: the pod stays Terminating.
    expect(cluster.pod('ns/p')!.deletionTimestamp).toBe(evicted);
  });

  it('a toleration without seconds is never evicted', () => {
    const { ctx, kc, cluster } = makeCluster(2);
    cluster.createPod({ name: 'p', namespace: 'ns', spec: appSpec({ nodeSelector: { 'kubernetes.io/hostname': 'n1' }, tolerations: [{ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }] }) });
    ctx.sim.at(30 * SECOND, 'cut', () => kc.kubelets.get('n1')!.setLink(false));
    ctx.sim.run(900 * SECOND);
    expect(cluster.node('n1')!.taints.some((t) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute')).toBe(true);
    expect(cluster.pod('ns/p')!.deletionTimestamp).toBeUndefined();
  });

  it('a single-node cluster whose node dies never taints or evicts (full disruption)', () => {
    const { ctx, kc, cluster } = makeCluster(1, with_({ apiServer: { defaultUnreachableToleration: 0 } }));
    cluster.createPod({ name: 'p', namespace: 'ns', spec: appSpec() });
    ctx.sim.at(30 * SECOND, 'power off', () => kc.kubelets.get('n0')!.powerOff());
    ctx.sim.run(1000 * SECOND);
    expect(cluster.node('n0')!.ready).toBe('Unknown');
    expect(cluster.node('n0')!.taints.filter((t) => t.effect === 'NoExecute')).toEqual([]);
    expect(cluster.pod('ns/p')!.deletionTimestamp).toBeUndefined();
    expect(kc.nodeLifecycle.zoneStates.get(':')).toBe('FullDisruption');
  });

  it('a partially disrupted zone (>2 and ≥55% not ready) stops tainting; the first node of a zone is tainted at once', () => {
    const { ctx, kc, cluster } = makeCluster(4);
    ctx.sim.at(30 * SECOND, 'cut 3 of 4', () => ['n1', 'n2', 'n3'].forEach((n) => kc.kubelets.get(n)!.setLink(false)));
    ctx.sim.run(300 * SECOND);
    expect(kc.nodeLifecycle.zoneStates.get(':')).toBe('PartialDisruption');
    const noExecute = ['n1', 'n2', 'n3'].filter((n) => cluster.node(n)!.taints.some((t) => t.effect === 'NoExecute'));
    expect(noExecute.length).toBeLessThanOrEqual(1);
  });

  it('taints nodes of a zone ~10 s apart (token bucket 0.1/s, burst 1)', () => {
    const { ctx, kc } = makeCluster(8);
    ctx.sim.at(30 * SECOND, 'cut 2 of 8', () => ['n1', 'n2'].forEach((n) => kc.kubelets.get(n)!.setLink(false)));
    ctx.sim.run(200 * SECOND);
    const times = ctx.trace.records.filter((r) => r.kind === 'node-taint' && r.effect === 'NoExecute' && r.added).map((r) => r.t);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(9.9 * SECOND);
    expect(times[1]! - times[0]!).toBeLessThan(10.2 * SECOND);
  });

  it('legacy mode (--enable-taint-manager=false) deletes pods at the first pass after probe + pod-eviction-timeout, no taints', () => {
    const { ctx, kc, cluster } = makeCluster(2, with_({ nodeLifecycle: { taintManager: false, podEvictionTimeout: 5 * SECOND, gracePeriod: 20 * SECOND } }));
    cluster.createPod({ name: 'p', namespace: 'ns', spec: appSpec({ nodeSelector: { 'kubernetes.io/hostname': 'n1' } }) });
    ctx.sim.at(30 * SECOND, 'cut', () => kc.kubelets.get('n1')!.setLink(false));
    ctx.sim.run(200 * SECOND);
    const unknown = ctx.trace.records.find((r) => r.kind === 'node-ready' && r.status === 'Unknown')!.t;
    const evicted = ctx.trace.records.find((r) => r.kind === 'pod-evicted')!;
    expect(evicted.by).toBe('pod-eviction-timeout');
    expect(evicted.t - unknown).toBeGreaterThanOrEqual(5 * SECOND);
    expect(evicted.t - unknown).toBeLessThan(5.2 * SECOND);
    expect(ctx.trace.records.some((r) => r.kind === 'node-taint' && r.effect === 'NoExecute')).toBe(false);
  });

  it('a node that comes back is Ready again, untainted, and its Terminating pods are removed', () => {
    const { ctx, kc, cluster } = makeCluster(2, with_({ apiServer: { defaultUnreachableToleration: 0 } }));
    cluster.createPod({ name: 'p', namespace: 'ns', spec: appSpec({ nodeSelector: { 'kubernetes.io/hostname': 'n1' } }) });
    ctx.sim.at(30 * SECOND, 'cut', () => kc.kubelets.get('n1')!.setLink(false));
    ctx.sim.at(150 * SECOND, 'heal', () => kc.kubelets.get('n1')!.setLink(true));
    ctx.sim.run(100 * SECOND);
    expect(cluster.pod('ns/p')!.deletionTimestamp).toBeDefined();
    ctx.sim.run(200 * SECOND);
    expect(cluster.node('n1')!.ready).toBe('True');
    expect(cluster.node('n1')!.taints).toEqual([]);
    expect(cluster.pod('ns/p')).toBeUndefined();
  });
});
