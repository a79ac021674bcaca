import { createContext, replicationSeed, type MetricSample } from '../engine/index.js';
import type { Experiment } from './load.js';

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
}

/** Runs the replications in order, yielding to the event loop between them (so Ctrl-C is seen). */
export async function runExperiment(exp: Experiment, opts: RunOptions = {}): Promise<{ results: ReplicationResult[]; complete: boolean }> {
  const seed = opts.seed ?? exp.seed;
  const total = opts.runs ?? exp.runs;
  const results: ReplicationResult[] = [];
  let events = 0;
  let simTime = 0;
  for (let run = 0; run < total; run++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.shouldStop?.()) return { results, complete: false };
    const r = runReplication(exp, seed, run, { trace: opts.trace });
    results.push(r);
    events += r.events;
    simTime += r.simTime;
    opts.onProgress?.({ done: run + 1, total, events, simTime }, r);
  }
  return { results, complete: true };
}
