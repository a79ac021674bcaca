import type { ReplicationResult } from '../experiment/run.js';
import { describe, tidy, type Stats } from './stats.js';

export interface MetricSummary extends Stats {
  unit: string;
}

/** The `summary.json` document. Key order is fixed so the bytes are reproducible. */
export interface Summary {
  experiment: string;
  seed: number | string;
  runs: number;
  complete: boolean;
  /** Simulated time of each replication (s): where `gridtwin plot` ends the timelines it redraws. */
  horizonSeconds?: number;
  metrics: Record<string, MetricSummary>;
}

export function summarize(experiment: string, seed: number | string, results: readonly ReplicationResult[], complete = true, horizon?: number): Summary {
  const byMetric = new Map<string, { unit: string; values: number[] }>();
  for (const r of results) {
    for (const s of r.samples) {
      let m = byMetric.get(s.name);
      if (!m) byMetric.set(s.name, (m = { unit: s.unit, values: [] }));
      m.values.push(s.value);
    }
  }
  const metrics: Record<string, MetricSummary> = {};
  for (const name of [...byMetric.keys()].sort()) {
    const m = byMetric.get(name)!;
    metrics[name] = { unit: m.unit, ...describe(m.values) };
  }
  const horizonSeconds = horizon === undefined ? undefined : horizon / 1_000_000;
  return { experiment, seed, runs: results.length, complete, horizonSeconds, metrics };
}

const csvCell = (v: string | number): string => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** `runs.csv`: one row per metric sample of each replication (long format). */
export function runsCsv(results: readonly ReplicationResult[]): string {
  const rows = ['run,seed,metric,unit,value'];
  for (const r of results) {
    for (const s of r.samples) rows.push([r.run, r.seed, s.name, s.unit, tidy(s.value)].map(csvCell).join(','));
  }
  return rows.join('\n') + '\n';
}
