import { createContext, replicationSeed, type MetricSample } from '../engine/index.js';
import type { Experiment } from './load.js';
import { runParallel, type ExperimentSource } from './parallel.js';

export interface ReplicationResult {
  readonly run: number;
  readonly seed: string;
  readonly samples: readonly MetricSample[];
  readonly events: number;
  readonly simTime: number;
  readonly trace?: string;
}

/** One replication: a fresh world from the run's own seed, run to the horizon. Pure in (experiment, seed, run). */
export function runReplication(exp: Experiment, seed: number | string, run: number, opts: { trace?: boolean } = {}): ReplicationResult {
  const runSeed = replicationSeed(seed, run);
  const ctx = createContext(runSeed, { trace: opts.trace });
  exp.scenario.build(ctx, exp.params, exp.duration);
  ctx.sim.run(exp.duration);
  return {
    run,
    seed: runSeed,
    samples: ctx.metrics.samples,
    events: ctx.sim.processed,
    simTime: ctx.sim.now,
    trace: opts.trace ? ctx.trace.toJsonLines() : undefined,
  };
}

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly events: number;
  readonly simTime: number;
}

export interface RunOptions {
  seed?: number | string;
  runs?: number;
  trace?: boolean;
  onProgress?: (p: Progress, last: ReplicationResult) => void;
  /** Checked between replications: returning true stops early (finished runs are kept). */
  shouldStop?: () => boolean;
  /** Worker threads (default 1: in this thread). Results are byte-identical for any count. */
  workers?: number;
  /** Run only these replication indices (a shard's slice); default 0 … runs−1. */
  only?: readonly number[];
  /** Where workers reload the experiment from (default: its file); a sweep point names its index. */
  source?: ExperimentSource;
}

/**
 * Runs the replications and returns them in replication order. On one worker they run here,
 * yielding to the event loop between them (so Ctrl-C is seen); on more, on worker threads.
 */
export async function runExperiment(exp: Experiment, opts: RunOptions = {}): Promise<{ results: ReplicationResult[]; complete: boolean }> {
  const seed = opts.seed ?? exp.seed;
  const runs = opts.only ?? Array.from({ length: opts.runs ?? exp.runs }, (_, i) => i);
  if ((opts.workers ?? 1) > 1 && runs.length > 1) {
    return runParallel(exp, runs, { ...opts, source: opts.source ?? { file: exp.file }, seed, trace: opts.trace ?? false, workers: opts.workers! });
  }
  const results: ReplicationResult[] = [];
  let events = 0;
  let simTime = 0;
  for (const run of runs) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.shouldStop?.()) return { results, complete: false };
    const r = runReplication(exp, seed, run, { trace: opts.trace });
    results.push(r);
    events += r.events;
    simTime += r.simTime;
    opts.onProgress?.({ done: results.length, total: runs.length, events, simTime }, r);
  }
  return { results, complete: true };
}
