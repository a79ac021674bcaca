import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../experiment/errors.js';
import type { MeasuredMetric, PartialStats } from './measured.js';
import { readMeasuredCsv } from './measured-csv.js';
import { ksTwoSample, tidy, type KsResult } from './stats.js';
import type { MetricSummary, Summary } from './summary.js';
import { unitFactor } from './units.js';

/** What a results directory predicts: its summary and, from runs.csv, the samples. */
export interface Predicted {
  dir: string;
  summary: Summary;
  metrics: Map<string, { unit: string; stats: MetricSummary; samples?: number[] }>;
}

/** `point`: compare one point of a sweep (summary.json `points[i]`); its samples are not separable, so no KS. */
export function readResultsDir(dir: string, point?: number): Predicted {
  const summaryPath = join(dir, 'summary.json');
  if (!existsSync(summaryPath)) throw new InputError(`${dir}: not a results directory (no summary.json; run \`gridtwin run\` first)`);
  let summary: Summary;
  try {
    summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary;
  } catch (err) {
    throw new InputError(`${summaryPath}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof summary !== 'object' || summary === null) throw new InputError(`${summaryPath}: expected {experiment, seed, runs, metrics: {…}}`);
  const points = (summary as { points?: { metrics?: Summary['metrics'] }[] }).points;
  if (point !== undefined && !points?.[point]?.metrics) throw new InputError(`${summaryPath}: has no sweep point ${point} (${points?.length ?? 0} points)`);
  const chosen = point === undefined ? summary.metrics : points![point]!.metrics!;
  if (typeof chosen !== 'object' || chosen === null) throw new InputError(`${summaryPath}: expected {experiment, seed, runs, metrics: {…}}${points ? ' (a sweep: choose a point with --point)' : ''}`);
  const metrics: Predicted['metrics'] = new Map();
  for (const [name, stats] of Object.entries(chosen)) metrics.set(name, { unit: stats.unit, stats });
  const runsPath = join(dir, 'runs.csv');
  if (point === undefined && existsSync(runsPath)) {
    for (const m of readMeasuredCsv(runsPath, readFileSync(runsPath, 'utf8'), '')) {
      const p = metrics.get(m.name);
      if (p) p.samples = m.samples;
    }
  }
  return { dir, summary, metrics };
}

export interface ComparedStats {
  median?: number;
  p25?: number;
  p75?: number;
  mean?: number;
  sd?: number;
  n?: number;
}

export interface ComparisonRow {
  metric: string;
  /** Name of the predicted metric it was matched with; absent when the results do not predict it. */
  predictedMetric?: string;
  unit: string;
  measured: ComparedStats;
  predicted?: ComparedStats;
  /** Relative errors (predicted − measured) / |measured| of the statistics both sides have. */
  relativeError: { median?: number; mean?: number; sd?: number; iqr?: number };
  /** Two-sample Kolmogorov–Smirnov test when both sides have samples. */
  ks?: KsResult;
  where: string;
}

export interface Comparison {
  results: string;
  measured: string;
  rows: ComparisonRow[];
}

/** Metric names compared loosely: case, punctuation and a trailing `.mean` (a cross-leaf mean) do not matter. */
const loose = (name: string): string => name.replace(/\.mean$/, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/** Finds the predicted metric for a measured one: an explicit map, the same name, or a loose match. */
export function matchMetric(measured: string, predicted: readonly string[], map: Record<string, string> = {}): string | undefined {
  if (map[measured] !== undefined) return predicted.includes(map[measured]) ? map[measured] : undefined;
  if (predicted.includes(measured)) return measured;
  const key = loose(measured);
  return predicted.find((p) => loose(p) === key);
}

const pick = (s: PartialStats, f: number): ComparedStats => {
  const out: ComparedStats = {};
  for (const k of ['median', 'p25', 'p75', 'mean', 'sd'] as const) if (s[k] !== undefined) out[k] = tidy(s[k] * f);
  if (s.n !== undefined) out.n = s.n;
  return out;
};

const relErr = (pred: number | undefined, meas: number | undefined): number | undefined =>
  pred === undefined || meas === undefined || meas === 0 ? undefined : tidy((pred - meas) / Math.abs(meas));

export function compare(predicted: Predicted, measured: readonly MeasuredMetric[], measuredPath: string, map: Record<string, string> = {}): Comparison {
  const names = [...predicted.metrics.keys()];
  const rows = measured.map((m): ComparisonRow => {
    const name = matchMetric(m.name, names, map);
    const p = name === undefined ? undefined : predicted.metrics.get(name)!;
    // Compare in the predicted metric's unit when both are time units.
    const factor = p ? unitFactor(m.unit, p.unit) : 1;
    if (p && factor === undefined) throw new InputError(`${m.where}: ${m.name} is in ${m.unit}, the prediction ${name} in ${p.unit}; cannot convert`);
    const unit = p ? p.unit : m.unit;
    const meas = pick(m.stats, factor ?? 1);
    const row: ComparisonRow = { metric: m.name, unit, measured: meas, relativeError: {}, where: m.where };
    if (!p) return row;
    const pred = pick(p.stats, 1);
    row.predictedMetric = name;
    row.predicted = pred;
    const iqr = (s: ComparedStats) => (s.p25 !== undefined && s.p75 !== undefined ? s.p75 - s.p25 : undefined);
    const errors = { median: relErr(pred.median, meas.median), mean: relErr(pred.mean, meas.mean), sd: relErr(pred.sd, meas.sd), iqr: relErr(iqr(pred), iqr(meas)) };
    for (const [k, v] of Object.entries(errors)) if (v !== undefined) row.relativeError[k as keyof typeof errors] = v;
    if (m.samples?.length && p.samples?.length) row.ks = ksTwoSample(m.samples.map((x) => x * (factor ?? 1)), p.samples);
    return row;
  });
  return { results: predicted.dir, measured: measuredPath, rows };
}

/** The relative errors that `--fail-over` bounds: those of the location statistics (median, mean). */
export function gatedErrors(row: ComparisonRow): { stat: 'median' | 'mean'; error: number }[] {
  const out: { stat: 'median' | 'mean'; error: number }[] = [];
  for (const stat of ['median', 'mean'] as const) {
    const e = row.relativeError[stat];
    if (e !== undefined) out.push({ stat, error: e });
  }
  return out;
}
