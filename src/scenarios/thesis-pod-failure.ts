import { z } from 'zod';
import { sampleDuration, toSeconds, type Dist, type Rng, type SimContext, type Time } from '../engine/index.js';
import { duration, durationDist } from '../experiment/schema.js';
import { GenericApp, type App, type ContainerRef, type ProbeKind, type StopReason } from '../k8s/index.js';
import { offloadNamespace } from '../liqo/index.js';
import { registerScenario } from './registry.js';
import { buildTestbed, testbedParams } from './thesis-testbed.js';

/**
 * Thesis experiment 2: the low-level PDC's liveness probe is forced to fail 60 s after it
 * starts; the kubelet kills and restarts the container in place; the high-level PDC reconnects on
 * its 5 s cadence. Reports the stream downtime at the high-level PDC (last frame before → first
 * frame after) and its parts: probe detection, restart (kill + container + openPDC start with its
 * configuration read), and the wait for the consumer's next reconnect attempt.
 *
 * The PDC side here is deliberately tiny (one link, frame arithmetic) until src/grid lands in
 * main; swap `LowerPdc`/`HigherInput` for the grid models then.
 */
const params = z.strictObject({
  kind: z.literal('thesis-pod-failure'),
  ...testbedParams,
  /** C37.118 frame period of the thesis stream (MODEL.md §5). */
  framePeriod: duration().default(33_000),
  /** The forced failure, after the low PDC's container started (thesis: 60 s). */
  failAfterStart: durationDist().default({ kind: 'constant', value: 60_000_000 }),
  /** fluidos openPDC liveness: exec every 5 s after 5 s; failureThreshold default 3 (MODEL.md §2, §7). */
  liveness: z.strictObject({ initialDelay: duration(), period: duration(), failureThreshold: z.number().int().min(1) })
    .default({ initialDelay: 5_000_000, period: 5_000_000, failureThreshold: 3 }),
  /** openPDC process start until it listens, and its configuration read from the DB (MODEL.md §5). */
  pdcStart: durationDist(),
  configLoad: durationDist(),
  /** openPDC DelayedConnectionInterval: the consumer's reconnect cadence (MODEL.md §5). */
  reconnectInterval: duration().default(5_000_000),
});

type Params = z.infer<typeof params>;

/** The low-level PDC: publishes once started and serving; the forced failure stops its output and fails its probes. */
class LowerPdc implements App {
  failed = false;
  servingAt: Time | undefined;
  onStop?: (at: Time) => void;
  onServing?: (at: Time) => void;

  constructor(private readonly start: Dist, private readonly configLoad: Dist) {}

  startLatency(_w: ContainerRef, rng: Rng): Time {
    return sampleDuration(this.start, rng) + sampleDuration(this.configLoad, rng);
  }

  started(): void {
    this.failed = false;
    this.servingAt = undefined;
  }

  serving(_w: ContainerRef, now: Time): void {
    this.servingAt = now;
    this.onServing?.(now);
  }

  stopped(_w: ContainerRef, now: Time, _reason: StopReason): void {
    this.servingAt = undefined;
    this.onStop?.(now);
  }

  probe(_k: ProbeKind, _w: ContainerRef, _now: Time, serving: boolean): boolean {
    return serving && !this.failed;
  }
}

function build(ctx: SimContext, p: Params): void {
  const { sim, metrics, trace } = ctx;
  const { fabric, root } = buildTestbed(ctx, p);
  const rng = ctx.random.stream('scenario/pod-failure');
  offloadNamespace(fabric, root.name, { namespace: 'pdc', podOffloadingStrategy: 'Remote', namespaceMappingStrategy: 'DefaultName' });

  const lower = new LowerPdc(p.pdcStart, p.configLoad);
  const generic = () => new GenericApp({ startLatency: p.pdcStart });
  root.deployments.add({ name: 'pmu', namespace: 'pdc', replicas: 1, template: { image: 'pmu-sim', app: generic() }, strategy: { type: 'Recreate' } });
  root.deployments.add({ name: 'pdc-higher', namespace: 'pdc', replicas: 1, template: { image: 'openpdc', app: generic() }, strategy: { type: 'Recreate' } });
  root.deployments.add({
    name: 'pdc-lower', namespace: 'pdc', replicas: 1, strategy: { type: 'Recreate' },
    template: { image: 'openpdc', app: lower, liveness: p.liveness },
  });

  // Stream arithmetic at the high-level PDC: frame k carries t0 + k·period (t0 = 0).
  const frameAtOrAfter = (t: Time) => Math.ceil(t / p.framePeriod) * p.framePeriod;
  let failAt: Time | undefined;
  let killedAt: Time | undefined;
  let connected = true;
  lower.onServing = (now) => {
    if (failAt !== undefined) return;
    failAt = now + sampleDuration(p.failAfterStart, rng);
    sim.at(failAt, 'fault: pdc-lower liveness forced to fail', () => {
      lower.failed = true;
      trace.emit(sim.now, 'fault', { what: 'liveness-forced-fail', target: 'pdc-lower' });
      trace.emit(sim.now, 'stream-state', { stream: 'pdc-lower', level: 'pdc-higher', up: false });
    });
  };
  lower.onStop = (now) => {
    if (failAt === undefined || killedAt !== undefined) return;
    // The killed process closes its socket: the consumer sees it at once and retries every reconnectInterval.
    killedAt = now;
    connected = false;
    const retry = sim.every(p.reconnectInterval, 'pdc-higher: reconnect attempt', () => {
      if (lower.servingAt === undefined || connected) return;
      connected = true;
      retry.stop();
      const lastBefore = frameAtOrAfter(failAt!) - p.framePeriod;
      const firstAfter = frameAtOrAfter(sim.now);
      trace.emit(sim.now, 'stream-outage', { stream: 'pdc-lower', level: 'pdc-higher', lastBefore, firstAfter, downtimeUs: firstAfter - lastBefore });
      metrics.record('podFailureStreamDowntime', 's', toSeconds(firstAfter - lastBefore));
      metrics.record('podFailureProbeDetection', 's', toSeconds(killedAt! - failAt!));
      metrics.record('podFailureRestart', 's', toSeconds(lower.servingAt - killedAt!));
      metrics.record('podFailureReconnectWait', 's', toSeconds(sim.now - lower.servingAt));
      sim.stop();
    }, now + p.reconnectInterval);
  };
}

registerScenario({
  kind: 'thesis-pod-failure',
  description: 'thesis testbed: the low-level PDC liveness probe fails, stream downtime at the high-level PDC',
  params,
  build,
});
