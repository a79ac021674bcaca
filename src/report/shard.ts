import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../experiment/errors.js';
import type { ReplicationResult } from '../experiment/run.js';
import { within, writeAtomic } from './write.js';

/**
 * A shard result: the raw replications of one deterministic slice (`--shard i/n`) of a run.
 * `gridtwin merge` puts the slices back in replication order and writes exactly the files a
 * single run would have written, byte for byte.
 */
export const SHARD_FILE = 'shard.json';
const FORMAT = 'gridtwin-shard/v1';

const sampleSchema = z.strictObject({ name: z.string(), unit: z.string(), value: z.number() });
const resultSchema = z.strictObject({
  run: z.number().int().min(0),
  seed: z.string(),
  samples: z.array(sampleSchema),
  events: z.number(),
  simTime: z.number(),
  trace: z.string().optional(),
});
const shardSchema = z.strictObject({
  format: z.literal(FORMAT),
  experiment: z.string(),
  seed: z.union([z.number(), z.string()]),
  runs: z.number().int().min(1),
  /** Simulated time of a replication (µs); absent in shards written before it was recorded. */
  duration: z.number().int().min(1).optional(),
  shard: z.strictObject({ index: z.number().int().min(0), count: z.number().int().min(1) }),
  trace: z.boolean(),
  complete: z.boolean(),
  results: z.array(resultSchema),
});
export type Shard = z.infer<typeof shardSchema>;

export function writeShard(out: string, shard: Omit<Shard, 'format' | 'results'> & { results: readonly ReplicationResult[] }): string {
  const path = within(out, SHARD_FILE);
  writeAtomic(path, JSON.stringify({ format: FORMAT, ...shard }) + '\n');
  return path;
}

export function readShard(dir: string): Shard {
  const path = within(dir, SHARD_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new InputError(`${path}: not a readable shard result (${why})`);
  }
  const parsed = shardSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${path}: not a ${FORMAT} file: ${issue.path.join('.') || '(document)'}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Combines the shards of one run: they must agree on experiment, seed, run count, shard count
 * and trace, and each index 0 … n−1 must be present exactly once. Missing replications (a shard
 * interrupted) make the merged result incomplete, as a single interrupted run would be.
 */
export function mergeShards(dirs: readonly string[]): { experiment: string; seed: number | string; duration?: number; trace: boolean; results: ReplicationResult[]; complete: boolean } {
  const shards = dirs.map((d) => ({ dir: d, shard: readShard(d) }));
  const first = shards[0];
  if (!first) throw new InputError('merge: no shard directories given');
  const key = (s: Shard) => JSON.stringify([s.experiment, s.seed, s.runs, s.shard.count, s.trace, s.duration]);
  const seen = new Map<number, string>();
  for (const { dir, shard } of shards) {
    if (key(shard) !== key(first.shard)) {
      throw new InputError(`merge: ${dir} is shard of ${shard.experiment} (seed ${shard.seed}, ${shard.runs} runs, ${shard.shard.count} shards, trace ${shard.trace}), ${first.dir} of ${first.shard.experiment} (seed ${first.shard.seed}, ${first.shard.runs} runs, ${first.shard.shard.count} shards, trace ${first.shard.trace})`);
    }
    const other = seen.get(shard.shard.index);
    if (other !== undefined) throw new InputError(`merge: ${dir} and ${other} are both shard ${shard.shard.index}/${shard.shard.count}`);
    seen.set(shard.shard.index, dir);
    for (const r of shard.results) {
      if (r.run >= shard.runs || r.run % shard.shard.count !== shard.shard.index) {
        throw new InputError(`merge: ${dir}: replication ${r.run} does not belong to shard ${shard.shard.index}/${shard.shard.count} of ${shard.runs} runs`);
      }
    }
  }
  const missing = Array.from({ length: first.shard.shard.count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new InputError(`merge: shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${first.shard.shard.count} missing`);
  const results = shards.flatMap(({ shard }) => shard.results).sort((a, b) => a.run - b.run);
  return {
    experiment: first.shard.experiment,
    seed: first.shard.seed,
    duration: first.shard.duration,
    trace: first.shard.trace,
    results,
    complete: results.length === first.shard.runs && shards.every(({ shard }) => shard.complete),
  };
}
