import { describe, expect, it } from 'vitest';
import { createContext, MS, SECOND, type Time } from '../../src/engine/index.js';
import { loadProfile } from '../../src/experiment/profiles.js';
import { concentrate, dataFrameBytes, FrameStream, InputConnection, OpenPdcApp, PmuApp, Publisher } from '../../src/grid/index.js';
import type { ContainerRef as Where, StopReason } from '../../src/k8s/index.js';
import { Network } from '../../src/network/index.js';
import { openPdcParams, openPdcProfileSchema, pmuClock, pmuFormat, pmuProfileSchema } from '../../src/scenarios/profiles/grid.js';

const world = () => {
  const ctx = createContext('p', { trace: true });
  const net = new Network(ctx.bus, { delay: { kind: 'constant', value: 300 }, loss: 0 });
  return { ctx, net };
};
const at = (pod: string, cluster: string, restarts = 0): Where => ({ namespace: 'grid', pod, cluster, node: `${cluster}-node`, restarts });

describe('C37.118 frames', () => {
  it('the testbed PMU (3 phasors, 1 analog, 16-bit) sends 36-byte data frames; the profile clock is 33 ms', () => {
    const pmu = loadProfile('pmu-c37.118', pmuProfileSchema);
    expect(dataFrameBytes([pmuFormat(pmu)])).toBe(36);
    expect(dataFrameBytes([{ phasors: 3, analogs: 1, digitals: 1, numbers: 'float32' }])).toBe(16 + 2 + 24 + 8 + 4 + 2);
    expect(pmuClock(pmu)).toEqual({ t0: 0, num: 33_000, den: 1 });
  });
});

describe('concentrator (LagTime / LeadTime)', () => {
  const p = { lagTime: 3 * SECOND, leadTime: SECOND, preemptivePublishing: true };
  it('publishes as soon as every input arrived', () => {
    expect(concentrate([2 * MS, 5 * MS], p)).toEqual({ publishedAfter: 5 * MS, complete: true, discarded: [] });
  });
  it('a missing input: published at the lag time, flagged incomplete', () => {
    expect(concentrate([2 * MS, undefined], p)).toEqual({ publishedAfter: 3 * SECOND, complete: false, discarded: [] });
  });
  it('late and too-early measurements are discarded', () => {
    expect(concentrate([3 * SECOND + 1, -2 * SECOND, MS], p)).toEqual({ publishedAfter: 3 * SECOND, complete: false, discarded: [0, 1] });
  });
  it('a high-level lag shorter than the low level lag + network delay drops the low level incomplete frames', () => {
    const low = concentrate([MS, undefined], p); // one PMU of two is down
    const high = concentrate([low.publishedAfter! + 400], { ...p, lagTime: 2 * SECOND });
    expect(high.publishedAfter).toBeUndefined();
    expect(high.discarded).toEqual([0]);
    expect(concentrate([low.publishedAfter! + 400], { ...p, lagTime: 4 * SECOND }).complete).toBe(true);
  });
});

describe('InputConnection (openPDC input adapter)', () => {
  const params = { reconnectInterval: 5 * SECOND, dataLossInterval: 5 * SECOND };
  const setup = () => {
    const { ctx, net } = world();
    const pub = new Publisher('pmu-1');
    const flips: [number, boolean][] = [];
    const conn = new InputConnection(ctx, net, pub, 'root', params, (up) => flips.push([ctx.sim.now / SECOND, up]));
    return { ctx, net, pub, conn, flips };
  };

  it('a closed publisher is noticed at once; reconnection follows the 5 s cadence from the disconnect', () => {
    const { ctx, pub, conn, flips } = setup();
    pub.serve('pmu-a', 'leaf-1');
    conn.start();
    ctx.sim.at(10 * SECOND, 'kill', () => pub.stop('pmu-a', 'closed'));
    ctx.sim.at(12 * SECOND, 'new pod', () => pub.serve('pmu-b', 'leaf-2'));
    ctx.sim.run(60 * SECOND);
    expect(flips).toEqual([[0, true], [10, false], [15, true]]);
  });

  it('a silent cut is noticed after the data-loss interval, then attempts every 5 s until the network is back', () => {
    const { ctx, net, pub, conn, flips } = setup();
    pub.serve('pmu-a', 'leaf-1');
    conn.start();
    ctx.sim.at(10 * SECOND, 'cut', () => net.isolate('leaf-1'));
    ctx.sim.at(23 * SECOND, 'heal', () => net.restore('leaf-1'));
    ctx.sim.run(60 * SECOND);
    // data loss at 15 s, attempts at 15, 20, 25 s: connected again at 25 s
    expect(flips).toEqual([[0, true], [10, false], [25, true]]);
  });

  it('a cut shorter than the data-loss interval resumes on the same connection', () => {
    const { ctx, net, pub, conn, flips } = setup();
    pub.serve('pmu-a', 'leaf-1');
    conn.start();
    ctx.sim.at(10 * SECOND, 'cut', () => net.isolate('leaf-1'));
    ctx.sim.at(12 * SECOND, 'heal', () => net.restore('leaf-1'));
    ctx.sim.run(60 * SECOND);
    expect(flips).toEqual([[0, true], [10, false], [12, true]]);
  });
});

describe('OpenPdcApp', () => {
  const profile = () => openPdcParams(loadProfile('openpdc-2.4', openPdcProfileSchema));
  /** Plays the kubelet: start the container, serve after the start latency. */
  const runPod = (ctx: ReturnType<typeof world>['ctx'], app: OpenPdcApp, w: Where) => {
    const exits: string[] = [];
    app.started(w, ctx.sim.now, { exit: (r) => exits.push(r) });
    ctx.sim.after(app.startLatency(w, ctx.random.stream('k')), 'serving', () => app.serving(w, ctx.sim.now));
    return { exits, stop: (reason: StopReason) => app.stopped(w, ctx.sim.now, reason) };
  };

  it('without the database (and no cache) it exits at start; the init container fails too', () => {
    const { ctx, net } = world();
    const app = new OpenPdcApp(ctx, net, 'pdc-low', profile(), () => ({ ok: false, error: 'ERROR 1047' }), []);
    const init = app.runInit('create-db', at('pdc-0', 'leaf-1'), ctx.random.stream('i'), 0);
    expect(init.ok).toBe(false);
    expect(init.reason).toBe('ERROR 1047');
    const pod = runPod(ctx, app, at('pdc-0', 'leaf-1'));
    ctx.sim.run(10 * SECOND);
    expect(pod.exits).toEqual(['configuration unavailable: ERROR 1047']);
    expect(app.publisher.serving).toBe(false);
  });

  it('a configuration cached on the pod volume lets the same pod restart without the database', () => {
    const { ctx, net } = world();
    let dbUp = true;
    const app = new OpenPdcApp(ctx, net, 'pdc-low', { ...profile(), cacheOnVolume: true }, () => (dbUp ? { ok: true } : { ok: false, error: 'down' }), []);
    const first = runPod(ctx, app, at('pdc-0', 'leaf-1'));
    ctx.sim.run(10 * SECOND);
    first.stop('liveness');
    dbUp = false;
    const again = runPod(ctx, app, at('pdc-0', 'leaf-1', 1));
    const other = runPod(ctx, app, at('pdc-1', 'leaf-2'));
    ctx.sim.run(20 * SECOND);
    expect(again.exits).toEqual([]);
    expect(other.exits).toHaveLength(1); // a new pod has no cache
  });

  it('failLiveness: the probe fails until the container is started anew (the thesis pod-failure fault)', () => {
    const { ctx, net } = world();
    const app = new OpenPdcApp(ctx, net, 'pdc-low', profile(), () => ({ ok: true }), []);
    const w = at('pdc-0', 'leaf-1');
    app.started(w, 0, { exit: () => {} });
    expect(app.probe('liveness', w, 0, true)).toBe(true);
    app.failLiveness('pdc-0');
    expect(app.probe('liveness', w, 0, true)).toBe(false);
    app.stopped(w, 0, 'liveness');
    app.started(at('pdc-0', 'leaf-1', 1), 0, { exit: () => {} });
    expect(app.probe('liveness', w, 0, true)).toBe(true);
  });

  it('PMU → low PDC → high PDC: a low PDC replaced on another cluster gives a gap at the high level', () => {
    const { ctx, net } = world();
    const clock = { t0: 0, num: 33_000, den: 1 };
    const stream = new FrameStream(ctx, {
      id: 'pmu-1',
      clock,
      hops: [
        { to: 'pmu', offset: 0, initiallyUp: false },
        { to: 'pdc-lower', offset: 400, initiallyUp: false },
        { to: 'pdc-higher', offset: 900, initiallyUp: false },
      ],
    });
    const pmu = new PmuApp('pmu-1', { startLatency: { kind: 'constant', value: 0 } });
    pmu.publisher.onChange(() => stream.setHop('pmu', pmu.publisher.serving));
    const p = profile();
    const low = new OpenPdcApp(ctx, net, 'pdc-low', p, () => ({ ok: true }), [{ from: pmu.publisher, onFlow: (up) => stream.setHop('pdc-lower', up) }]);
    const high = new OpenPdcApp(ctx, net, 'pdc-high', p, () => ({ ok: true }), [{ from: low.publisher, onFlow: (up) => stream.setHop('pdc-higher', up) }]);
    pmu.serving(at('pmu-0', 'leaf-3'));
    const low0 = runPod(ctx, low, at('pdc-low-0', 'leaf-1'));
    runPod(ctx, high, at('pdc-high-0', 'root'));
    // leaf-1 loses its network at 60 s; a replacement low PDC starts on leaf-2 at 90 s (what
    // Kubernetes/Liqo would do); the old one keeps running cut off (island mode).
    ctx.sim.at(60 * SECOND, 'cut', () => net.isolate('leaf-1'));
    ctx.sim.at(90 * SECOND, 'replacement', () => runPod(ctx, low, at('pdc-low-1', 'leaf-2')));
    ctx.sim.run(200 * SECOND);
    void low0;
    const r = stream.report('pdc-higher', 199 * SECOND);
    expect(r.outages).toHaveLength(1); // the start-up gap is no outage (no frame before it); the cut is
    const o = r.outages[r.outages.length - 1]!;
    expect(o.lastBefore).toBeLessThan(60 * SECOND);
    expect(o.lastBefore).toBeGreaterThan(60 * SECOND - 40 * MS);
    // replacement serves at 90 + 2..4.5 s; the high PDC's retries (every 5 s since its data-loss
    // restart at 65 s) reach it at the first attempt after that: 95 or 100 s
    const firstAfter: Time = o.firstAfter!;
    expect([95, 100]).toContain(Math.round(firstAfter / SECOND));
  });
});
