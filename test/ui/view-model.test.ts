import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/engine/index.js';
import { applyRecords, atTime, emptyView, LOG_KEEP, tally } from '../../src/ui/view-model.js';

const S = 1_000_000;
const rec = (t: number, kind: string, data: Record<string, unknown> = {}): TraceRecord => ({ t, kind, ...data });
const texts = (v: ReturnType<typeof emptyView>) => v.log.map((l) => `${l.tone}: ${l.text}`);

describe('live view model', () => {
  it('an instant fault (a pod deleted) is logged but never listed as active; a repair says why', () => {
    const v = applyRecords(emptyView(), [
      rec(1 * S, 'fault', { what: 'pod-deleted', target: 'grid/pdc-0', instant: true }),
      rec(2 * S, 'fault', { what: 'deployment lost', target: 'centre/pdc', reason: 'its owner cluster is gone' }),
      rec(9 * S, 'repair', { what: 'deployment lost', target: 'centre/pdc', reason: 'reset after reconnection' }),
    ]);
    expect(v.faults).toEqual({});
    expect(texts(v)).toEqual([
      'bad: fault injected: pod-deleted grid/pdc-0',
      'bad: fault injected: deployment lost centre/pdc (its owner cluster is gone)',
      'good: repaired: deployment lost centre/pdc (reset after reconnection)',
    ]);
  });

  it('a virtual node going NotReady after a cluster fault, then Ready again after repair', () => {
    let v = applyRecords(emptyView(), [
      rec(0, 'node-ready', { cluster: 'c1', node: 'liqo-c2', ready: true, virtual: true, reason: 'peering up' }),
      rec(0, 'node-ready', { cluster: 'c1', node: 'w1', ready: true, virtual: false, reason: 'kubelet ready' }),
    ]);
    expect(v.log).toEqual([]); // initial Ready announcements are not news
    expect(tally(v)).toMatchObject({ clusters: 1, nodes: 2, virtual: 1, notReady: 0 });
    v = applyRecords(v, [
      rec(60 * S, 'fault', { what: 'cluster isolated', target: 'c2' }),
      rec(100 * S, 'node-ready', { cluster: 'c1', node: 'liqo-c2', ready: false, virtual: true, reason: 'lease expired' }),
    ]);
    expect(v.clusters.c1!.nodes['liqo-c2']).toMatchObject({ ready: false, virtual: true, reason: 'lease expired' });
    expect(v.faults).toEqual({ 'cluster isolated c2': 'cluster isolated c2' });
    expect(tally(v).notReady).toBe(1);
    v = applyRecords(v, [rec(200 * S, 'repair', { what: 'cluster isolated', target: 'c2' }), rec(205 * S, 'node-ready', { cluster: 'c1', node: 'liqo-c2', ready: true, virtual: true, reason: '' })]);
    expect(v.faults).toEqual({});
    expect(texts(v)).toEqual([
      'bad: fault injected: cluster isolated c2',
      'bad: virtual node c1/liqo-c2 NotReady (lease expired)',
      'good: repaired: cluster isolated c2',
      'good: virtual node c1/liqo-c2 Ready',
    ]);
    expect(v.now).toBe(205 * S);
    expect(v.records).toBe(6);
  });

  it('streams: down with the time it went down, restored with the gap; frame-exact outage overrides', () => {
    let v = applyRecords(emptyView(), [rec(0, 'stream-state', { stream: 'pmu7', level: 'pmu', up: true })]);
    v = applyRecords(v, [rec(10 * S, 'stream-state', { stream: 'pmu7', level: 'pmu', up: false }), rec(11 * S, 'stream-state', { stream: 'pmu7', level: 'pmu', up: false })]);
    expect(v.streams['pmu7 (pmu)']).toMatchObject({ up: false, downSince: 10 * S });
    expect(tally(v)).toMatchObject({ streams: 1, down: 1 });
    v = applyRecords(v, [rec(22_500_000, 'stream-state', { stream: 'pmu7', level: 'pmu', up: true })]);
    expect(v.streams['pmu7 (pmu)']).toEqual({ level: 'pmu', up: true, lastGap: 12_500_000 });
    v = applyRecords(v, [rec(22_500_000, 'stream-outage', { stream: 'pmu7', level: 'pmu', lastBefore: 9_999_000, firstAfter: 22_506_000, downtimeUs: 12_507_000 })]);
    expect(v.streams['pmu7 (pmu)']!.lastGap).toBe(12_507_000);
    // the same stream at the next level is another entry; an outage on its own gets its own line
    v = applyRecords(v, [rec(30 * S, 'stream-outage', { stream: 'pmu7', level: 'pdc-higher', downtimeUs: 20 * S })]);
    expect(Object.keys(v.streams)).toEqual(['pmu7 (pmu)', 'pmu7 (pdc-higher)']);
    expect(texts(v)).toEqual([
      'bad: stream pmu7 (pmu) down',
      'good: stream pmu7 (pmu) restored, frame-exact outage 12.507 s',
      'info: stream pmu7 (pdc-higher) outage 20 s',
    ]);
  });

  it('pods: eviction and restart are logged, Deleted pods leave the cluster; db members change state', () => {
    const v = applyRecords(emptyView(), [
      rec(0, 'pod-phase', { cluster: 'c1', pod: 'pdc-0', node: 'w1', phase: 'Pending', reason: 'scheduled' }),
      rec(1, 'pod-phase', { cluster: 'c1', pod: 'pdc-0', node: 'w1', phase: 'Running', reason: '' }),
      rec(5, 'pod-evicted', { cluster: 'c1', pod: 'pdc-0', node: 'w1' }),
      rec(5, 'pod-phase', { cluster: 'c1', pod: 'pdc-0', node: 'w1', phase: 'Deleted', reason: 'evicted' }),
      rec(6, 'container-restart', { cluster: 'c1', pod: 'pdc-1', restarts: 2, backoffUs: 20 * S }),
      rec(0, 'db-member', { db: 'pxc', member: 'pxc-0', state: 'primary' }),
      rec(7, 'db-member', { db: 'pxc', member: 'pxc-0', state: 'non-primary', reason: 'lost quorum' }),
      rec(8, 'peering', { consumer: 'c1', provider: 'c2', state: 'Established' }),
    ]);
    expect(v.clusters.c1!.pods).toEqual({});
    expect(v.databases).toEqual({ pxc: { 'pxc-0': 'non-primary' } });
    expect(v.clusters.c1!.peerings).toEqual({ c2: 'Established' });
    expect(texts(v)).toEqual([
      'good: pod pdc-0 started on c1/w1',
      'bad: pod pdc-0 evicted from c1/w1',
      'bad: pod pdc-0 Deleted on c1/w1 (evicted)',
      'bad: container restart c1/pdc-1 #2, back-off 20 s',
      'bad: db pxc: pxc-0 non-primary (lost quorum)',
      'good: peering c1 → c2: Established',
    ]);
  });

  it('unknown kinds still show as one generic line; the log keeps only the newest lines', () => {
    let v = applyRecords(emptyView(), [
      rec(3, 'haproxy-backend', { haproxy: 'hap', member: 'pxc-1', up: false }),
      rec(4, 'container-killed', { reason: 'liveness failed 3×' }),
      rec(5, 'container-exit', { cluster: 'c1', pod: 'pdc-0', reason: 'OOMKilled' }),
    ]);
    expect(texts(v)).toEqual(['info: haproxy-backend haproxy=hap member=pxc-1 up=false', 'bad: container killed: liveness failed 3×', 'bad: container exited c1/pdc-0: OOMKilled']);
    v = applyRecords(v, Array.from({ length: LOG_KEEP + 10 }, (_, i) => rec(10 + i, 'fault', { what: `f${i}` })));
    expect(v.log).toHaveLength(LOG_KEEP);
    expect(v.log.at(-1)!.text).toBe(`fault injected: f${LOG_KEEP + 9}`);
  });

  it('is pure: folding never changes the view it was given', () => {
    const a = emptyView(2);
    const b = applyRecords(a, [rec(5, 'fault', { what: 'x' })]);
    expect(a).toEqual(emptyView(2));
    expect(b).not.toBe(a);
    expect(applyRecords(b, [])).toBe(b);
    expect(atTime(b, 9).now).toBe(9);
    expect(b.now).toBe(5);
  });
});
