import { join } from 'node:path';
import { catchInterrupts } from './interrupt.js';
import { InputError } from '../experiment/errors.js';
import type { Experiment, SweepPoint } from '../experiment/load.js';
import { runExperiment } from '../experiment/run.js';
import { runsCsv, summarize, type MetricSummary } from '../report/summary.js';
import { atomicWriter } from '../report/write.js';
import { num } from '../ui/format.js';
import { outputs, presentation, startLiveUi } from './present.js';
import type { RunCliOptions } from './run.js';

/** summary.json of a sweep: `metrics` stays (empty: pooling across parameter values means nothing), one entry per point. */
export interface SweepSummary {
  experiment: string;
  seed: number | string;
  runs: number;
  complete: boolean;
  horizonSeconds: number;
  metrics: Record<string, MetricSummary>;
  points: { parameters: Record<string, unknown>; metrics: Record<string, MetricSummary> }[];
}

/**
 * Runs every point of a sweep (each with the same seed and replication count, so points differ
 * only by the swept value) and writes summary.json with `points` and runs.csv with the point
 * and the parameter's value as leading columns.
 */
export async function runSweepCommand(exp: Experiment & { points: readonly SweepPoint[] }, opts: RunCliOptions): Promise<number> {
  if (opts.shard) throw new InputError(`${exp.file}: --shard splits the replications of one experiment; run a sweep whole (its points already run on --workers)`);
  const seed = opts.seed ?? exp.seed;
  const runs = opts.runs ?? exp.runs;
  const out = opts.out ?? join('results', exp.name);
  const mode = presentation(opts, process.env, process.stdout.isTTY === true);
  const log = (line: string) => {
    if (mode === 'plain') process.stdout.write(line + '\n');
  };
  const ui = mode === 'live' ? await startLiveUi({ experiment: exp.name, scenario: exp.scenario.kind, seed, runs, horizon: exp.duration, points: exp.points.length }) : undefined;
  const signals = catchInterrupts(() => ui?.interrupt());
  // The timelines are drawn from the first point's first replication: they end at its horizon
  // (a sweep may vary the duration itself).
  const horizon = exp.points[0]!.experiment.duration;
  const summary: SweepSummary = { experiment: exp.name, seed, runs, complete: true, horizonSeconds: horizon / 1_000_000, metrics: {}, points: [] };
  const parameter = Object.keys(exp.points[0]!.parameters)[0]!;
  const pointLabel = (parameters: Record<string, unknown>) => `${parameter.split('.').at(-1)} = ${JSON.stringify(parameters[parameter])}`;
  const csv = [`point,${parameter},run,seed,metric,unit,value`];
  const traces: string[] = [];
  log(`gridtwin: ${exp.name} (scenario ${exp.scenario.kind}), sweep of ${parameter} over ${exp.points.length} points, seed ${seed}, ${runs} runs each`);
  try {
    for (const [i, point] of exp.points.entries()) {
      if (signals.requested()) break;
      // Workers reload the experiment from its file and pick the point by index.
      ui?.startPoint(i, pointLabel(point.parameters));
      const { results, complete } = await runExperiment(point.experiment, {
        seed,
        runs,
        trace: opts.trace,
        workers: opts.workers,
        source: { file: exp.file, point: i },
        shouldStop: () => signals.requested(),
        observer: ui?.observer,
        onProgress: ui?.onProgress,
      });
      if (opts.trace) traces.push(...results.map((r) => r.trace ?? ''));
      summary.complete &&= complete;
      const s = summarize(exp.name, seed, results, complete);
      summary.points.push({ parameters: point.parameters, metrics: s.metrics });
      const value = JSON.stringify(point.parameters[parameter]);
      for (const row of runsCsv(results).trimEnd().split('\n').slice(1)) csv.push(`${i},"${value.replace(/"/g, '""')}",${row}`);
      log(`  point ${i + 1}/${exp.points.length}: ${parameter} = ${value}  ${Object.entries(s.metrics).map(([k, m]) => `${k} ${num(m.median)}`).join(', ')}`);
    }
  } catch (err) {
    ui?.close();
    throw err;
  } finally {
    signals.release();
  }
  summary.complete &&= !signals.requested() && summary.points.length === exp.points.length;
  const json = JSON.stringify(summary, null, 2) + '\n';
  const { put, files } = atomicWriter(out);
  put('runs.csv', csv.join('\n') + '\n');
  if (opts.trace) put('trace.jsonl', traces.join(''));
  put('summary.json', json);
  if (opts.plots !== false) {
    // Scalability curves and report.html; a plot failure is a warning, never a failed run.
    const { writePlots } = await import('../report/plots.js');
    const warn = (msg: string) => void process.stderr.write(`warning: ${msg}\n`);
    await writePlots(out, { warn }).catch((err: Error) => warn(`plots not written: ${err.message}`));
  }
  if (opts.json) process.stdout.write(json);
  else if (ui) {
    const points = summary.points.map((p) => ({ label: pointLabel(p.parameters), metrics: p.metrics }));
    ui.finish({ complete: summary.complete, runs: runs * points.length, metrics: {}, points, out, ...outputs(out, files) });
  } else log(`${summary.complete ? 'results' : 'INTERRUPTED: partial results'} in ${out}/: ${outputs(out, files).written.join('  ')}`); // plots/ and report.html found by outputs()
  return signals.requested() ? 130 : 0;
}
