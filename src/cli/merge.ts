import { writeResults } from '../report/results.js';
import { mergeShards } from '../report/shard.js';

export interface MergeCliOptions {
  out: string;
  json?: boolean;
}

/** `gridtwin merge <dirs…> --out DIR`: the shards of one run → the files a single run writes. */
export function mergeCommand(dirs: string[], opts: MergeCliOptions): number {
  const merged = mergeShards(dirs);
  const { summaryJson } = writeResults(opts.out, { name: merged.experiment }, merged.seed, merged.results, { complete: merged.complete, trace: merged.trace });
  if (opts.json) process.stdout.write(summaryJson);
  else process.stdout.write(`merged ${dirs.length} shards, ${merged.results.length} runs${merged.complete ? '' : ' (INCOMPLETE: a shard was interrupted)'} → ${opts.out}/summary.json\n`);
  return 0;
}
