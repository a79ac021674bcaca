import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { toSeconds } from '../engine/index.js';
import { loadExperiment } from '../experiment/load.js';
import { runExperiment, type Progress } from '../experiment/run.js';
import { shardSlice } from '../experiment/parallel.js';
import { writeResults } from '../report/results.js';
import { writeShard } from '../report/shard.js';
import { finalLines, type FinalInfo, type RunInfo, type RunProgress } from '../ui/layout.js';
import type { LiveUi } from '../ui/live.js';
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
  shard?: { index: number; count: number };
}

type Presentation = 'json' | 'live' | 'plain';

/** The live screen only on a real, capable terminal; pipes, CI logs and `--no-ui` get plain lines. */
export function presentation(opts: RunCliOptions, env: NodeJS.ProcessEnv, isTTY: boolean): Presentation {
  if (opts.json) return 'json';
  const ci = env.CI !== undefined && !['', '0', 'false'].includes(env.CI.toLowerCase());
  return isTTY && opts.ui !== false && !ci && env.TERM !== 'dumb' ? 'live' : 'plain';
}

/** NO_COLOR (https://no-color.org): present and not empty disables colour. */
export const colorAllowed = (env: NodeJS.ProcessEnv): boolean => !env.NO_COLOR && env.TERM !== 'dumb';

/** What the results directory holds and what to run next, for the final screen. */
function outputs(out: string, files: readonly string[]): Pick<FinalInfo, 'written' | 'next'> {
  const plots = join(out, 'plots');
  const hasPlots = existsSync(plots) && statSync(plots).isDirectory(); // a file there: the plots were not written
  // Plot files are many: one entry for the folder instead.
  const written = files.map((f) => relative(out, f)).filter((f) => !(hasPlots && f.startsWith('plots')));
  if (hasPlots) written.push(`plots/ (${readdirSync(plots).length} files)`);
  const report = join(out, 'report.html');
  if (existsSync(report) && !written.includes('report.html')) written.push('report.html');
  const next = [`gridtwin compare ${out} <measured.yaml|csv|log>`];
  if (existsSync(report)) next.push(`xdg-open ${report}`);
  return { written, next };
}

export async function runCommand(file: string, opts: RunCliOptions): Promise<number> {
  const exp = loadExperiment(file);
  for (const w of exp.warnings) process.stderr.write(`warning: ${w}\n`);
  if (exp.points) return runSweepCommand({ ...exp, points: exp.points }, opts);
  const seed = opts.seed ?? exp.seed;
  const runs = opts.runs ?? exp.runs;
  const out = opts.out ?? join('results', exp.name);
  const mode = presentation(opts, process.env, process.stdout.isTTY === true);
  const log = (line: string) => {
    if (mode === 'plain') process.stdout.write(line + '\n');
  };
  const info: RunInfo = { experiment: exp.name, scenario: exp.scenario.kind, seed, runs, horizon: exp.duration };
  const wallMs = () => Number(process.hrtime.bigint()) / 1e6; // the header's wall clock, never inside a run
  const started = wallMs();
  // ink and React load only for the live screen: piped runs and CI do not pay for them.
  const live = mode === 'live' ? await Promise.all([import('ink'), import('../ui/live.js')]) : undefined;
  const ui: LiveUi | undefined =
    live
      ? new live[1].LiveUi(info, {
          // Ctrl-C stays a signal (handled below); console output (a plot warning) prints above the screen.
          mount: (node) => live[0].render(node, { exitOnCtrlC: false, patchConsole: true }),
          clock: wallMs,
          size: () => ({ columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 }),
          color: colorAllowed(process.env),
        })
      : undefined;

  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    ui?.interrupt();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let last: Progress = { done: 0, total: runs, events: 0, simTime: 0 };
  const progressNow = (): RunProgress => ({ done: last.done, simTime: last.simTime, events: last.events, wallMs: wallMs() - started, stopping: interrupted });
  log(`gridtwin: ${exp.name} (scenario ${exp.scenario.kind}), seed ${seed}, ${runs} runs, horizon ${toSeconds(exp.duration)} s`);
  const step = Math.max(1, Math.floor(runs / 10));
  try {
    const { results, complete } = await runExperiment(exp, {
      seed,
      runs,
      trace: opts.trace,
      workers: opts.workers,
      only: opts.shard && shardSlice(runs, opts.shard),
      shouldStop: () => interrupted,
      observer: ui?.observer,
      onProgress: (p) => {
        last = p;
        ui?.onProgress(p);
        if (p.done % step === 0 || p.done === p.total) {
          log(`  run ${p.done}/${p.total}  events ${p.events}  ${(p.events / Math.max(progressNow().wallMs / 1000, 1e-9)).toFixed(0)} events/s`);
        }
      },
    });

    if (opts.shard) {
      const path = writeShard(out, { experiment: exp.name, seed, runs, shard: opts.shard, trace: opts.trace ?? false, complete, results });
      ui?.close();
      log(`${complete ? 'shard' : 'INTERRUPTED: partial shard'} ${opts.shard.index}/${opts.shard.count} (${results.length} runs) in ${path}; combine with gridtwin merge`);
      return interrupted ? 130 : 0;
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
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return interrupted ? 130 : 0;
}
