import type { Experiment } from '../experiment/load.js';
import type { ReplicationResult } from '../experiment/run.js';
import { runsCsv, summarize, type Summary } from './summary.js';
import { within, writeAtomic } from './write.js';

export interface WrittenResults {
  summary: Summary;
  summaryJson: string;
  files: string[];
}

/**
 * Writes everything a run leaves in its results directory. Each file is written atomically;
 * summary.json goes last, so its presence means the directory is complete.
 */
export function writeResults(
  out: string,
  exp: Pick<Experiment, 'name'>,
  seed: number | string,
  results: readonly ReplicationResult[],
  opts: { complete: boolean; trace?: boolean },
): WrittenResults {
  const summary = summarize(exp.name, seed, results, opts.complete);
  const summaryJson = JSON.stringify(summary, null, 2) + '\n';
  const files: string[] = [];
  const put = (name: string, content: string) => {
    const path = within(out, name);
    writeAtomic(path, content);
    files.push(path);
  };
  put('runs.csv', runsCsv(results));
  if (opts.trace) put('trace.jsonl', results.map((r) => r.trace ?? '').join(''));
  put('summary.json', summaryJson);
  return { summary, summaryJson, files };
}
