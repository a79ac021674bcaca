import { z } from 'zod';
import { MS, sampleDuration, toSeconds, type Rng, type SimContext, type Time } from '../engine/index.js';
import { loadProfile } from '../experiment/profiles.js';
import { duration, durationDist, livenessProbe } from '../experiment/schema.js';
import { FrameStream, OpenPdcApp, PmuApp, type StreamLevel } from '../grid/index.js';
import type { App, ContainerControl, ContainerRef, InitOutcome, ProbeKind, StopReason } from '../k8s/index.js';
import { offloadNamespace } from '../liqo/index.js';
import { openPdcParams, openPdcProfileSchema, pmuClock, pmuProfileSchema } from './profiles/grid.js';
import { registerScenario } from './registry.js';
import { buildTestbed, testbedParams } from './thesis-testbed.js';

/**
 * Thesis experiment 2: the low-level PDC's liveness probe is forced to fail 60 s after it starts
 * and its output stops (MODEL.md §2: the outage includes the probe detection); the kubelet kills
 * and restarts the container in place; openPDC starts and reads its configuration; the high-level
 * PDC's input reconnects on its 5 s cadence from the closed connection. Reports the downtime at
 * the high-level PDC (last frame before → first frame after) and those parts. Mechanisms: src/k8s
 * (probes, kill, restart, back-off), src/grid (openPDC, input adapter, frame stream).
 */
const params = z.strictObject({
  kind: z.literal('thesis-pod-failure'),
  ...testbedParams,
  pmu: z.strictObject({ profile: z.string().default('pmu-c37.118') }).default({ profile: 'pmu-c37.118' })
    .transform((r) => loadProfile(r.profile, pmuProfileSchema)),
  openPdc: z.strictObject({ profile: z.string().default('openpdc-2.4'), overrides: z.unknown().optional() }).default({ profile: 'openpdc-2.4' })
    .transform((r) => openPdcParams(loadProfile(r.profile, openPdcProfileSchema, r.overrides))),
  /** The forced failure, after the low PDC's container started (thesis: 60 s). */
  failAfterStart: durationDist().default({ kind: 'constant', value: 60_000_000 }),
  /** fluidos openPDC liveness: exec every 5 s after 5 s; failureThreshold is the k8s default 3 (MODEL.md §2, §7). */
  liveness: livenessProbe()
    .default({ initialDelay: 5_000_000, period: 5_000_000, failureThreshold: 3 }),
});

type Params = z.infer<typeof params>;

/**
 * The thesis's fault as a wrapper around any app: `after()` past its first container start the
 * liveness probe fails and the output stops (`onHang`), until the container is stopped. Everything
 * else is the wrapped app's.
 */
class ForcedLivenessFailure implements App {
  private hung = false;
  /** Times of the fault, the kill and the next serving, for the decomposition. */
  readonly marks: { failAt?: Time; killedAt?: Time; servingAgainAt?: Time } = {};

  constructor(
    private readonly inner: App,
    private readonly after: () => Time,
    /** Schedules the failure once its instant is known. */
    private readonly arm: (at: Time, fail: (t: Time) => void) => void,
    private readonly onHang: (hung: boolean) => void,
  ) {}

  startLatency(w: ContainerRef, rng: Rng): Time {
    return this.inner.startLatency(w, rng);
  }
  runInit(name: string, w: ContainerRef, rng: Rng, now: Time): InitOutcome {
    return this.inner.runInit?.(name, w, rng, now) ?? { ok: true, duration: 0 };
  }
  started(w: ContainerRef, now: Time, control: ContainerControl): void {
    if (this.marks.failAt === undefined && !this.hung) {
      this.arm(now + this.after(), (t) => {
        this.marks.failAt = t;
        this.hung = true;
        this.onHang(true);
      });
    }
    this.inner.started?.(w, now, control);
  }
  serving(w: ContainerRef, now: Time): void {
    if (this.marks.killedAt !== undefined && this.marks.servingAgainAt === undefined) this.marks.servingAgainAt = now;
    this.inner.serving?.(w, now);
  }
  stopped(w: ContainerRef, now: Time, reason: StopReason): void {
    // The process goes first, then the hang with it: the other way round, the chain would look
    // whole for an instant (the hang lifted, the output not yet stopped).
    this.inner.stopped?.(w, now, reason);
    if (this.hung) {
      this.marks.killedAt = now;
      this.hung = false;
      this.onHang(false);
    }
  }
  probe(kind: ProbeKind, w: ContainerRef, now: Time, serving: boolean): boolean {
    return !this.hung && (this.inner.probe?.(kind, w, now, serving) ?? serving);
  }
}

function build(ctx: SimContext, p: Params, horizon: number): void {
  const { sim, metrics, trace } = ctx;
  const { fabric, root, network } = buildTestbed(ctx, p);
  const rng = ctx.random.stream('scenario/pod-failure');
  offloadNamespace(fabric, root.name, { namespace: 'pdc', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName' });

  // PMU → pdc-lower → pdc-higher; frame k crosses each hop a few ms after its timestamp.
  const stream = new FrameStream(ctx, {
    id: 'pmu-1', clock: pmuClock(p.pmu),
    hops: [{ to: 'pdc-lower', offset: 2 * MS, initiallyUp: false }, { to: 'pdc-higher', offset: 4 * MS, initiallyUp: false }],
  });
  const config = () => ({ ok: true as const }); // the Percona cluster is healthy throughout this experiment
  const pmu = new PmuApp('pmu-1', { startLatency: p.pmu.startLatency });
  const hop = (level: StreamLevel) => (up: boolean) => stream.setHop(level, up);
  const lowerPdc = new OpenPdcApp(ctx, network, 'pdc-lower', p.openPdc, config, [{ from: pmu.publisher, onFlow: hop('pdc-lower') }]);
  let higherFlowing = false;
  let hung = false;
  const higherHop = () => stream.setHop('pdc-higher', higherFlowing && !hung, hung ? 'pdc-lower hung' : '');
  const higherPdc = new OpenPdcApp(ctx, network, 'pdc-higher', p.openPdc, config, [{ from: lowerPdc.publisher, onFlow: (up) => void ((higherFlowing = up), higherHop()) }]);
  let armed = false;
  const lower = new ForcedLivenessFailure(lowerPdc, () => sampleDuration(p.failAfterStart, rng), (at, fail) => {
    if (armed) return;
    armed = true;
    sim.at(at, 'fault: pdc-lower liveness forced to fail', () => {
      fail(sim.now);
      trace.emit(sim.now, 'fault', { what: 'liveness-forced-fail', target: 'pdc-lower' });
    });
  }, (h) => {
    hung = h;
    higherHop();
    if (!h) trace.emit(sim.now, 'repair', { what: 'liveness-forced-fail', target: 'pdc-lower', reason: 'container killed by its liveness probe' });
  });

  const deploy = (name: string, app: App, extra: object = {}) =>
    root.deployments.add({ name, namespace: 'pdc', replicas: 1, strategy: { type: 'Recreate' }, template: { image: name === 'pmu' ? 'pmu-sim' : 'openpdc', app, initContainers: name === 'pmu' ? [] : ['create-db'], ...extra } });
  deploy('pmu', pmu);
  deploy('pdc-higher', higherPdc);
  deploy('pdc-lower', lower, { liveness: p.liveness });

  sim.at(horizon, 'measure', () => {
    const report = stream.report('pdc-higher', horizon - 10_000 * MS);
    const { failAt, killedAt, servingAgainAt } = lower.marks;
    const outage = report.outages.find((o) => failAt !== undefined && o.lastBefore <= failAt && o.lastBefore > failAt - 1000 * MS);
    if (!outage?.downtimeUs || failAt === undefined || killedAt === undefined || servingAgainAt === undefined) return;
    metrics.record('podFailureStreamDowntime', 's', toSeconds(outage.downtimeUs));
    metrics.record('podFailureProbeDetection', 's', toSeconds(killedAt - failAt));
    metrics.record('podFailureRestart', 's', toSeconds(servingAgainAt - killedAt));
    metrics.record('podFailureReconnectWait', 's', toSeconds(outage.firstAfter! - servingAgainAt));
  });
}

registerScenario({
  kind: 'thesis-pod-failure',
  description: 'thesis testbed: the low-level PDC liveness probe fails, stream downtime at the high-level PDC',
  params,
  metrics: ['podFailureStreamDowntime', 'podFailureProbeDetection', 'podFailureRestart', 'podFailureReconnectWait'],
  build,
});
