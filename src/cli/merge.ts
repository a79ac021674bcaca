import { writeResults } from '../report/results.js';
import { mergeShards } from '../report/shard.js';

export interface MergeCliOptions {
  out: string;
  json?: boolean;
  plots?: boolean;
}

/** `gridtwin merge <dirs…> --out DIR`: the shards of one run → the files a single run writes. */
export async function mergeCommand(dirs: string[], opts: MergeCliOptions): Promise<number> {
  const merged = mergeShards(dirs);
  const { summaryJson, plots } = writeResults(opts.out, { name: merged.experiment, duration: merged.duration }, merged.seed, merged.results, { complete: merged.complete, trace: merged.trace, plots: opts.plots });
  await plots; // as after a run: a plot failure is a warning
  if (opts.json) process.stdout.write(summaryJson);
  else process.stdout.write(`merged ${dirs.length} shards, ${merged.results.length} runs${merged.complete ? '' : ' (INCOMPLETE: a shard was interrupted)'} → ${opts.out}/summary.json\n`);
  return 0;
}
