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
