import { join } from 'node:path';
import type { Experiment, SweepPoint } from '../experiment/load.js';
import { runExperiment } from '../experiment/run.js';
import { runsCsv, summarize, type MetricSummary } from '../report/summary.js';
import { within, writeAtomic } from '../report/write.js';
import type { RunCliOptions } from './run.js';

/** summary.json of a sweep: `metrics` stays (empty: pooling across parameter values means nothing), one entry per point. */
export interface SweepSummary {
  experiment: string;
  seed: number | string;
  runs: number;
  complete: boolean;
  metrics: Record<string, MetricSummary>;
  points: { parameters: Record<string, unknown>; metrics: Record<string, MetricSummary> }[];
}

/**
 * Runs every point of a sweep (each with the same seed and replication count, so points differ
 * only by the swept value) and writes summary.json with `points` and runs.csv with the point
 * and the parameter's value as leading columns.
 */
export async function runSweepCommand(exp: Experiment & { points: readonly SweepPoint[] }, opts: RunCliOptions): Promise<number> {
  const seed = opts.seed ?? exp.seed;
  const runs = opts.runs ?? exp.runs;
  const out = opts.out ?? join('results', exp.name);
  const log = (line: string) => {
    if (!opts.json) process.stdout.write(line + '\n');
  };
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const summary: SweepSummary = { experiment: exp.name, seed, runs, complete: true, metrics: {}, points: [] };
  const parameter = Object.keys(exp.points[0]!.parameters)[0]!;
  const csv = [`point,${parameter},run,seed,metric,unit,value`];
  log(`gridtwin: ${exp.name} (scenario ${exp.scenario.kind}), sweep of ${parameter} over ${exp.points.length} points, seed ${seed}, ${runs} runs each`);
  try {
    for (const [i, point] of exp.points.entries()) {
      if (interrupted) break;
      const { results, complete } = await runExperiment(point.experiment, { seed, runs, workers: opts.workers, source: { file: exp.file, point: i }, shouldStop: () => interrupted });
      summary.complete &&= complete;
      const s = summarize(exp.name, seed, results, complete);
      summary.points.push({ parameters: point.parameters, metrics: s.metrics });
      const value = JSON.stringify(point.parameters[parameter]);
      for (const row of runsCsv(results).trimEnd().split('\n').slice(1)) csv.push(`${i},"${value.replace(/"/g, '""')}",${row}`);
      log(`  point ${i + 1}/${exp.points.length}: ${parameter} = ${value}  ${Object.entries(s.metrics).map(([k, m]) => `${k} ${m.median}`).join(', ')}`);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  summary.complete &&= !interrupted && summary.points.length === exp.points.length;
  const json = JSON.stringify(summary, null, 2) + '\n';
  writeAtomic(within(out, 'runs.csv'), csv.join('\n') + '\n');
  writeAtomic(within(out, 'summary.json'), json);
  if (opts.json) process.stdout.write(json);
  else log(`${summary.complete ? 'results' : 'INTERRUPTED: partial results'} in ${out}/summary.json, ${out}/runs.csv`);
  return interrupted ? 130 : 0;
}
