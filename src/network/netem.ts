import { lognormalFromMoments, mean, sample, standardNormal, type Dist, type Rng } from '../engine/index.js';

/**
 * A delay in the spirit of a `tc netem delay TIME JITTER distribution D` rule, with explicit
 * units (µs) where the RIasC TrafficProfile left them ambiguous (MODEL.md §7). netem draws
 * `delay + jitter · x` with x from a table normalised to mean 0, sd 1 (iproute2 `netem/*.dist`);
 * `uniform` is netem's default without a table: delay ± jitter.
 */
export interface NetemDelay {
  readonly kind: 'netem';
  readonly delay: number;
  readonly jitter: number;
  readonly distribution: 'uniform' | 'normal' | 'pareto' | 'paretonormal';
}

/** What a link's one-way delay is drawn from: a plain distribution or a netem rule. */
export type DelayModel = Dist | NetemDelay;

// iproute2 netem/pareto.c builds its table from a Pareto with shape a = 3; normalised to mean 0, sd 1
// here: for shape 3 and scale 1, mean = 1.5 and sd = √3/2.
const PARETO_SHAPE = 3;
const PARETO_MEAN = 1.5;
const PARETO_SD = Math.sqrt(3) / 2;

function standardPareto(rng: Rng): number {
  const x = Math.pow(1 - rng.next(), -1 / PARETO_SHAPE); // inverse CDF, scale 1: x ≥ 1
  return (x - PARETO_MEAN) / PARETO_SD;
}

/** One normalised netem draw (mean 0, sd 1 for the table distributions). */
function netemUnit(d: NetemDelay['distribution'], rng: Rng): number {
  switch (d) {
    case 'uniform':
      return 2 * rng.next() - 1;
    case 'normal':
      return standardNormal(rng);
    case 'pareto':
      return standardPareto(rng);
    case 'paretonormal':
      // iproute2 netem/paretonormal.c: one quarter Pareto, three quarters normal.
      return 0.25 * standardPareto(rng) + 0.75 * standardNormal(rng);
  }
}

/** One-way delay draw in µs, never negative (netem cannot send a packet before it arrives). */
export function sampleDelay(model: DelayModel, rng: Rng): number {
  const v = model.kind === 'netem' ? model.delay + model.jitter * netemUnit(model.distribution, rng) : sample(model, rng);
  return Math.max(0, Math.round(v));
}

/** Mean one-way delay, µs (netem tables have mean 0, so a netem rule's mean is its delay; clamping at 0 ignored). */
export const meanDelay = (model: DelayModel): number => (model.kind === 'netem' ? model.delay : mean(model));

/** Round-trip figure of a ping table: mean and standard deviation, ms (MODEL.md §3). */
export interface RttMeasurement {
  readonly meanMs: number;
  readonly sdMs: number;
}

/**
 * One-way delay (µs) calibrated from a measured ping round trip: both directions independent
 * and alike, so one way has half the mean and sd/√2. The shape is lognormal, matched by moments:
 * delays are positive and right-skewed, and with sd close to the mean a normal would put mass
 * below zero (a clamped normal would bias the mean upwards).
 */
export function oneWayFromRtt(rtt: RttMeasurement): Dist {
  if (!(rtt.meanMs > 0) || !(rtt.sdMs >= 0)) throw new RangeError(`RTT mean must be positive and sd non-negative (got ${rtt.meanMs} ± ${rtt.sdMs} ms)`);
  return lognormalFromMoments((rtt.meanMs * 1000) / 2, (rtt.sdMs * 1000) / Math.SQRT2);
}
