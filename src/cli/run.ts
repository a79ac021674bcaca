import { join } from 'node:path';
import { catchInterrupts } from './interrupt.js';
import { toSeconds } from '../engine/index.js';
import { loadExperiment } from '../experiment/load.js';
import { runExperiment, type Progress } from '../experiment/run.js';
import { shardSlice } from '../experiment/parallel.js';
import { writeResults } from '../report/results.js';
import { writeShard } from '../report/shard.js';
import { finalLines, type FinalInfo, type RunInfo, type RunProgress } from '../ui/layout.js';
import { outputs, presentation, startLiveUi, wallMs } from './present.js';
import { runSweepCommand } from './sweep.js';

export interface RunCliOptions {
  seed?: number;
  runs?: number;
  out?: string;
  json?: boolean;
  trace?: boolean;
  ui?: boolean;
  plots?: boolean;
  workers?: number;
  /** --workers was typed (not its default): on a terminal the default is one worker and the live view. */
  workersGiven?: boolean;
  shard?: { index: number; count: number };
}

export async function runCommand(file: string, opts: RunCliOptions): Promise<number> {
  const exp = loadExperiment(file);
  for (const w of exp.warnings) process.stderr.write(`warning: ${w}\n`);
  if (exp.points) return runSweepCommand({ ...exp, points: exp.points }, opts);
  const seed = opts.seed ?? exp.seed;
  const runs = opts.runs ?? exp.runs;
  const out = opts.out ?? join('results', exp.name);
  const mode = presentation(opts, process.env, process.stdout.isTTY === true);
  // Someone watching a terminal gets the live view of the running replication, which needs the
  // replications in this thread; `--workers N` trades it for speed (progress only).
  const workers = mode === 'live' && !opts.workersGiven ? 1 : opts.workers;
  const log = (line: string) => {
    if (mode === 'plain') process.stdout.write(line + '\n');
  };
  const info: RunInfo = { experiment: exp.name, scenario: exp.scenario.kind, seed, runs, horizon: exp.duration, workers };
  const started = wallMs();
  const ui = mode === 'live' ? await startLiveUi(info) : undefined;

  const signals = catchInterrupts(() => ui?.interrupt());

  let last: Progress = { done: 0, total: runs, events: 0, simTime: 0 };
  const progressNow = (): RunProgress => ({ done: last.done, simTime: last.simTime, events: last.events, wallMs: wallMs() - started, stopping: signals.requested() });
  log(`gridtwin: ${exp.name} (scenario ${exp.scenario.kind}), seed ${seed}, ${runs} runs, horizon ${toSeconds(exp.duration)} s`);
  const step = Math.max(1, Math.floor(runs / 10));
  let lastLineMs = -Infinity;
  try {
    const { results, complete } = await runExperiment(exp, {
      seed,
      runs,
      trace: opts.trace,
      workers,
      only: opts.shard && shardSlice(runs, opts.shard),
      shouldStop: () => signals.requested(),
      observer: ui?.observer, // observed only on one worker: the others' records stay in their threads
      onProgress: (p) => {
        last = p;
        ui?.onProgress(p);
        // A line per tenth of the runs, and at least every 2 s of wall time on long runs (the first one at once).
        const now = progressNow();
        if (p.done % step === 0 || p.done === p.total || now.wallMs - lastLineMs >= 2000) {
          lastLineMs = now.wallMs;
          log(`  run ${p.done}/${p.total}  events ${p.events}  ${(p.events / Math.max(progressNow().wallMs / 1000, 1e-9)).toFixed(0)} events/s`);
        }
      },
    });

    if (opts.shard) {
      const path = writeShard(out, { experiment: exp.name, seed, runs, duration: exp.duration, shard: opts.shard, trace: opts.trace ?? false, complete, results });
      ui?.close(); // the screen goes; the line below stays, on a terminal too
      if (mode !== 'json') process.stdout.write(`${complete ? 'shard' : 'INTERRUPTED: partial shard'} ${opts.shard.index}/${opts.shard.count} (${results.length} runs) in ${path}; combine with gridtwin merge\n`);
      return signals.requested() ? 130 : 0;
    }
    const { summary, summaryJson, files, plots } = writeResults(out, exp, seed, results, { complete, trace: opts.trace, plots: opts.plots });
    await plots; // plots/ and report.html: a failure there is a warning, never a failed run
    const final: FinalInfo = { complete, runs: results.length, metrics: summary.metrics, out, ...outputs(out, files) };
    if (mode === 'json') process.stdout.write(summaryJson);
    else if (ui) ui.finish(final);
    else for (const l of finalLines(info, progressNow(), final, 100)) log(l.text);
  } catch (err) {
    ui?.close();
    throw err;
  } finally {
    signals.release();
  }
  return signals.requested() ? 130 : 0;
}
