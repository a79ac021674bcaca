import { z } from 'zod';
import { sampleDuration, SECOND, toSeconds, type SimContext, type Time } from '../engine/index.js';
import { duration, durationDist } from '../experiment/schema.js';
import { registerScenario } from './registry.js';

/**
 * Smallest end-to-end assembly: one PMU stream into one PDC pod whose application stops at
 * `failAt`; the liveness probe notices, the kubelet restarts the container, the consumer
 * reconnects on its fixed cadence. Reports the stream downtime by the thesis definition.
 */
/** A period or interval: zero would mean an infinite loop or a division by zero. */
const positive = () => duration().refine((t) => t > 0, 'must be longer than 0');

const params = z.strictObject({
  kind: z.literal('pod-restart'),
  framePeriod: positive().default(33_000),
  failAt: durationDist(),
  probe: z.strictObject({
    initialDelay: duration().default(5 * SECOND),
    period: positive().default(5 * SECOND),
    failureThreshold: z.number().int().min(1).max(100).default(3),
  }),
  containerRestart: durationDist(),
  appStart: durationDist(),
  reconnectInterval: positive().default(5 * SECOND),
});

type Params = z.infer<typeof params>;

/** Timestamp of the first frame at or after `t` for a stream with frames at k·period. */
const firstFrameAtOrAfter = (t: Time, period: Time): Time => Math.ceil(t / period) * period;

function build(ctx: SimContext, p: Params): void {
  const { sim, trace, metrics, random } = ctx;
  const rng = random.stream('pod-restart');
  const failAt = sampleDuration(p.failAt, rng);
  let consecutiveFailures = 0;
  let appUp = true;

  sim.at(failAt, 'fault: liveness starts failing', () => {
    appUp = false;
    trace.emit(sim.now, 'fault', { what: 'pdc application stops' });
  });

  const probe = sim.every(p.probe.period, 'liveness probe', () => {
    consecutiveFailures = appUp ? 0 : consecutiveFailures + 1;
    if (consecutiveFailures < p.probe.failureThreshold) return;
    probe.stop();
    const killedAt = sim.now;
    trace.emit(killedAt, 'container-killed', { reason: `liveness failed ${consecutiveFailures}×` });
    const upAt = killedAt + sampleDuration(p.containerRestart, rng) + sampleDuration(p.appStart, rng);
    // The consumer retries every reconnectInterval from the moment the connection dropped.
    const attempts = Math.max(0, Math.ceil((upAt - killedAt) / p.reconnectInterval));
    const connectedAt = killedAt + attempts * p.reconnectInterval;
    sim.at(connectedAt, 'consumer reconnected', () => {
      const lastBefore = firstFrameAtOrAfter(failAt, p.framePeriod) - p.framePeriod;
      const firstAfter = firstFrameAtOrAfter(connectedAt, p.framePeriod);
      trace.emit(sim.now, 'stream-restored', { lastBefore, firstAfter });
      metrics.record('podFailureStreamDowntime', 's', toSeconds(firstAfter - lastBefore));
    });
  }, p.probe.initialDelay);
}

registerScenario({ kind: 'pod-restart', description: 'one PDC pod restarted by its liveness probe', params, build });
