import type { Rng } from './random.js';

/**
 * Distributions the models draw from, as plain data so that profiles and experiment files
 * can carry them. Values are in whatever unit the parameter names (µs for durations).
 */
export type Dist =
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'normal'; mean: number; sd: number; min?: number }
  | { kind: 'lognormal'; median: number; sigma: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'empirical'; samples: readonly number[] };

/** Standard normal draw by Box–Muller (two uniforms, one output: simple and stream-stable). */
export function standardNormal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log is finite
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function sample(dist: Dist, rng: Rng): number {
  switch (dist.kind) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return dist.min + (dist.max - dist.min) * rng.next();
    case 'normal': {
      const x = dist.mean + dist.sd * standardNormal(rng);
      return dist.min === undefined ? x : Math.max(dist.min, x);
    }
    case 'lognormal':
      return dist.median * Math.exp(dist.sigma * standardNormal(rng));
    case 'exponential':
      return -dist.mean * Math.log(1 - rng.next());
    case 'empirical': {
      // Resample the measured values (bootstrap): no shape assumed.
      const i = Math.floor(rng.next() * dist.samples.length);
      return dist.samples[i]!;
    }
  }
}

/** A draw rounded to an integer and clamped at 0: the form durations (µs) need. */
export const sampleDuration = (dist: Dist, rng: Rng): number => Math.max(0, Math.round(sample(dist, rng)));

/**
 * The lognormal with this mean and standard deviation (moment matching): the shape for positive,
 * right-skewed delays whose sd is close to their mean, where a normal would put mass below zero.
 */
export function lognormalFromMoments(m: number, sd: number): Dist {
  if (!(m > 0) || !(sd >= 0)) throw new RangeError(`a lognormal needs a positive mean and a non-negative sd (got ${m} ± ${sd})`);
  const cv2 = (sd * sd) / (m * m);
  return { kind: 'lognormal', median: m / Math.sqrt(1 + cv2), sigma: Math.sqrt(Math.log(1 + cv2)) };
}

/** Mean of a distribution (for documentation and sanity checks). */
export function mean(dist: Dist): number {
  switch (dist.kind) {
    case 'constant':
      return dist.value;
    case 'uniform':
      return (dist.min + dist.max) / 2;
    case 'normal':
      return dist.mean;
    case 'lognormal':
      return dist.median * Math.exp((dist.sigma * dist.sigma) / 2);
    case 'exponential':
      return dist.mean;
    case 'empirical':
      return dist.samples.reduce((a, b) => a + b, 0) / Math.max(1, dist.samples.length);
  }
}
