import { join } from 'node:path';
import { toSeconds } from '../engine/index.js';
import { loadExperiment } from '../experiment/load.js';
import { runExperiment } from '../experiment/run.js';
import { writeResults } from '../report/results.js';
import { runSweepCommand } from './sweep.js';

export interface RunCliOptions {
  seed?: number;
  runs?: number;
  out?: string;
  json?: boolean;
  trace?: boolean;
  ui?: boolean;
}

export async function runCommand(file: string, opts: RunCliOptions): Promise<number> {
  const exp = loadExperiment(file);
  for (const w of exp.warnings) process.stderr.write(`warning: ${w}\n`);
  if (exp.points) return runSweepCommand({ ...exp, points: exp.points }, opts);
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

  log(`gridtwin: ${exp.name} (scenario ${exp.scenario.kind}), seed ${seed}, ${runs} runs, horizon ${toSeconds(exp.duration)} s`);
  const started = process.hrtime.bigint(); // wall clock for the progress line only, never inside a run
  const step = Math.max(1, Math.floor(runs / 10));
  const { results, complete } = await runExperiment(exp, {
    seed,
    runs,
    trace: opts.trace,
    shouldStop: () => interrupted,
    onProgress: (p) => {
      if (p.done % step === 0 || p.done === p.total) {
        const wall = Number(process.hrtime.bigint() - started) / 1e9;
        log(`  run ${p.done}/${p.total}  events ${p.events}  ${(p.events / Math.max(wall, 1e-9)).toFixed(0)} events/s`);
      }
    },
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);

  const { summary, summaryJson } = writeResults(out, exp, seed, results, { complete, trace: opts.trace });

  if (opts.json) {
    process.stdout.write(summaryJson);
  } else {
    for (const [name, m] of Object.entries(summary.metrics)) {
      log(`  ${name}: median ${m.median} ${m.unit}  (p05 ${m.p05}, p95 ${m.p95}, n ${m.n})`);
    }
    log(`${complete ? 'results' : 'INTERRUPTED: partial results'} in ${out}/summary.json, ${out}/runs.csv`);
  }
  return interrupted ? 130 : 0;
}
