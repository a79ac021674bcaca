import { ksPValue, tidy } from './stats.js';

/** Distribution families a measured sample can be fitted to (the shapes `Dist` in the engine draws from). */
export const FAMILIES = ['normal', 'lognormal', 'exponential', 'uniform', 'empirical'] as const;
export type Family = (typeof FAMILIES)[number];

/** A fitted distribution in the measurement's unit (not yet µs). */
export type Fitted =
  | { kind: 'normal'; mean: number; sd: number }
  | { kind: 'lognormal'; median: number; sigma: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'empirical'; samples: number[] };

export interface Fit {
  dist: Fitted;
  method: string;
  /** Log-likelihood and Akaike information criterion (2k − 2 ln L); undefined for empirical. */
  logLik?: number;
  aic?: number;
  /** One-sample Kolmogorov–Smirnov distance of the samples from the fitted CDF, and its p. */
  ks: { d: number; p: number };
}

const LN_2PI = Math.log(2 * Math.PI);

/** erf by Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): enough for a goodness-of-fit distance. */
export function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

const normalCdf = (x: number, mean: number, sd: number) => 0.5 * (1 + erf((x - mean) / (sd * Math.SQRT2)));

export function cdf(d: Fitted, x: number): number {
  switch (d.kind) {
    case 'normal':
      return d.sd > 0 ? normalCdf(x, d.mean, d.sd) : x >= d.mean ? 1 : 0;
    case 'lognormal':
      return x <= 0 ? 0 : d.sigma > 0 ? normalCdf(Math.log(x), Math.log(d.median), d.sigma) : x >= d.median ? 1 : 0;
    case 'exponential':
      return x <= 0 ? 0 : 1 - Math.exp(-x / d.mean);
    case 'uniform':
      return x < d.min ? 0 : x >= d.max ? 1 : (x - d.min) / (d.max - d.min);
    case 'empirical':
      return d.samples.filter((s) => s <= x).length / d.samples.length;
  }
}

/** One-sample KS: sup |Fₙ − F| checked on both sides of every step of the ECDF. */
export function ksOneSample(samples: readonly number[], d: Fitted): { d: number; p: number } {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  let dist = 0;
  s.forEach((x, i) => {
    const f = cdf(d, x);
    dist = Math.max(dist, Math.abs((i + 1) / n - f), Math.abs(f - i / n));
  });
  // The two-sample formula with m → ∞ reduces to √n·D (with Stephens' correction).
  const p = ksPValue(dist, n, 1e12);
  return { d: tidy(dist), p: tidy(p) };
}

/** Maximum-likelihood fit of one family to the samples. */
export function fit(family: Family, samples: readonly number[]): Fit {
  const n = samples.length;
  if (n < 2) throw new RangeError('at least two samples are needed for a fit');
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  let dist: Fitted;
  let logLik: number | undefined;
  let k = 2;
  let method = 'maximum likelihood';
  switch (family) {
    case 'normal': {
      const sd = Math.sqrt(samples.reduce((a, x) => a + (x - mean) ** 2, 0) / n);
      dist = { kind: 'normal', mean: tidy(mean), sd: tidy(sd) };
      logLik = sd > 0 ? -0.5 * n * (LN_2PI + 2 * Math.log(sd) + 1) : undefined;
      break;
    }
    case 'lognormal': {
      if (samples.some((x) => x <= 0)) throw new RangeError('a lognormal fit needs positive samples');
      const logs = samples.map(Math.log);
      const mu = logs.reduce((a, b) => a + b, 0) / n;
      const sigma = Math.sqrt(logs.reduce((a, x) => a + (x - mu) ** 2, 0) / n);
      dist = { kind: 'lognormal', median: tidy(Math.exp(mu)), sigma: tidy(sigma) };
      logLik = sigma > 0 ? -0.5 * n * (LN_2PI + 2 * Math.log(sigma) + 1) - mu * n : undefined;
      break;
    }
    case 'exponential':
      if (samples.some((x) => x < 0) || mean <= 0) throw new RangeError('an exponential fit needs non-negative samples');
      dist = { kind: 'exponential', mean: tidy(mean) };
      logLik = -n * Math.log(mean) - n;
      k = 1;
      break;
    case 'uniform': {
      const min = Math.min(...samples);
      const max = Math.max(...samples);
      dist = { kind: 'uniform', min: tidy(min), max: tidy(max) };
      logLik = max > min ? -n * Math.log(max - min) : undefined;
      break;
    }
    case 'empirical':
      dist = { kind: 'empirical', samples: [...samples].sort((a, b) => a - b) };
      method = 'empirical distribution (bootstrap resampling of the measured values)';
      break;
  }
  const aic = logLik === undefined ? undefined : tidy(2 * k - 2 * logLik);
  return { dist, method, ...(logLik !== undefined ? { logLik: tidy(logLik), aic } : {}), ks: ksOneSample(samples, dist) };
}

/** Fits every parametric family that applies and orders them by AIC (best first). */
export function fitAll(samples: readonly number[]): Fit[] {
  const fits: Fit[] = [];
  for (const family of FAMILIES) {
    if (family === 'empirical') continue;
    try {
      const f = fit(family, samples);
      if (f.aic !== undefined) fits.push(f);
    } catch {
      // family does not apply to these samples (e.g. lognormal with a zero)
    }
  }
  return fits.sort((a, b) => a.aic! - b.aic!);
}
