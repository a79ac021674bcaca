/** Quantile with linear interpolation between order statistics (R type 7, numpy default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export interface Stats {
  n: number;
  mean: number;
  sd: number;
  median: number;
  p05: number;
  p25: number;
  p75: number;
  p95: number;
  min: number;
  max: number;
}

/** Rounds to 12 significant digits so that summaries print the same everywhere. */
export const tidy = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(12)) : x);

export function describe(values: readonly number[]): Stats {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return {
    n,
    mean: tidy(mean),
    sd: tidy(sd),
    median: tidy(quantile(s, 0.5)),
    p05: tidy(quantile(s, 0.05)),
    p25: tidy(quantile(s, 0.25)),
    p75: tidy(quantile(s, 0.75)),
    p95: tidy(quantile(s, 0.95)),
    min: tidy(s[0]!),
    max: tidy(s[n - 1]!),
  };
}

/** Two-sample Kolmogorov–Smirnov test: D = sup |F₁ − F₂| over the pooled values. */
export interface KsResult {
  d: number;
  p: number;
  n: number;
  m: number;
}

export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return { d: NaN, p: NaN, n, m };
  let i = 0;
  let j = 0;
  let d = 0;
  // Walk both sorted samples; ties advance together so the ECDFs are compared after each value.
  while (i < n && j < m) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return { d: tidy(d), p: tidy(ksPValue(d, n, m)), n, m };
}

/**
 * Asymptotic p-value of D with Stephens' small-sample correction (Numerical Recipes §14.3):
 * Q_KS((√nₑ + 0.12 + 0.11/√nₑ)·D), nₑ = nm/(n+m). Conservative enough from nₑ ≈ 4 up.
 */
export function ksPValue(d: number, n: number, m: number): number {
  const en = Math.sqrt((n * m) / (n + m));
  const lambda = (en + 0.12 + 0.11 / en) * d;
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let j = 1; j <= 100; j++) {
    const term = 2 * (j % 2 === 1 ? 1 : -1) * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}
