import type { Experiment } from '../experiment/load.js';
import type { ReplicationResult } from '../experiment/run.js';
import { runsCsv, summarize, type Summary } from './summary.js';
import { atomicWriter } from './write.js';

export interface WrittenResults {
  summary: Summary;
  summaryJson: string;
  files: string[];
  /**
   * Plots and report.html, drawn after summary.json is written (rendering is asynchronous).
   * Never rejects: a plot that fails is a warning on stderr, not a failed run. Resolves to the files.
   */
  plots: Promise<string[]>;
}

/**
 * Writes everything a run leaves in its results directory. Each file is written atomically;
 * summary.json goes last, so its presence means the directory is complete.
 */
export function writeResults(
  out: string,
  exp: Pick<Experiment, 'name'> & Partial<Pick<Experiment, 'duration'>>, // duration (µs) ends the timelines
  seed: number | string,
  results: readonly ReplicationResult[],
  opts: { complete: boolean; trace?: boolean; plots?: boolean },
): WrittenResults {
  const summary = summarize(exp.name, seed, results, opts.complete, exp.duration);
  const summaryJson = JSON.stringify(summary, null, 2) + '\n';
  const { put, files } = atomicWriter(out);
  put('runs.csv', runsCsv(results));
  if (opts.trace) put('trace.jsonl', results.map((r) => r.trace ?? '').join(''));
  put('summary.json', summaryJson);
  const plots = opts.plots === false ? Promise.resolve([]) : drawPlots(out, results[0]?.trace);
  return { summary, summaryJson, files, plots };
}

const warn = (message: string) => void process.stderr.write(`warning: ${message}\n`);

/** Loaded lazily so that writing results does not pay for importing vega when plots are off. */
async function drawPlots(out: string, trace0: string | undefined): Promise<string[]> {
  try {
    const [{ writePlots }, { parseTrace }] = await Promise.all([import('./plots.js'), import('./trace-timelines.js')]);
    return await writePlots(out, { warn, trace: trace0 === undefined ? undefined : parseTrace(trace0) });
  } catch (err) {
    warn(`plots not written: ${(err as Error).message}`);
    return [];
  }
}
