import { createContext, replicationSeed, type MetricSample, type SimContext, type Time, type TraceRecord } from '../engine/index.js';
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

/** A fresh world for replication `run`, built from the run's own seed. */
function buildReplication(exp: Experiment, seed: number | string, run: number, trace: boolean | undefined, observer?: ReplicationObserver) {
  const runSeed = replicationSeed(seed, run);
  const ctx = createContext(runSeed, { trace });
  ctx.trace.observer = observer?.onRecord; // before build: models may emit while assembling
  exp.scenario.build(ctx, exp.params, exp.duration);
  return { runSeed, ctx };
}

function replicationResult(run: number, runSeed: string, ctx: SimContext, trace: boolean | undefined): ReplicationResult {
  return {
    run,
    seed: runSeed,
    samples: ctx.metrics.samples,
    events: ctx.sim.processed,
    simTime: ctx.sim.now,
    trace: trace ? ctx.trace.toJsonLines() : undefined,
  };
}

/** One replication: a fresh world from the run's own seed, run to the horizon. Pure in (experiment, seed, run). */
export function runReplication(exp: Experiment, seed: number | string, run: number, opts: { trace?: boolean } = {}): ReplicationResult {
  const { runSeed, ctx } = buildReplication(exp, seed, run, opts.trace);
  ctx.sim.run(exp.duration);
  return replicationResult(run, runSeed, ctx, opts.trace);
}

/** Watches the replication being run (the live UI). Observing never changes a result. */
export interface ReplicationObserver {
  /** Replication `run` starts: a fresh world. */
  onStart?(run: number): void;
  /** A notable trace record of the replication being run (read only). */
  onRecord?(record: TraceRecord): void;
  /** After each slice of simulated time: the clock and the events fired so far in this replication. */
  onSlice?(run: number, now: Time, events: number): void;
}

/** Aim of the adaptive slice length: enough events to amortise the yield, few enough to repaint often. */
const EVENTS_PER_SLICE = 20_000;

/**
 * `runReplication` in slices of simulated time with a yield to the event loop between them, so
 * a UI can repaint and Ctrl-C is seen mid-replication. Slicing only splits the `sim.run` calls:
 * events fire in the same (time, insertion) order, so the result is the same. The slice length
 * adapts to the event count (not the wall clock), so the slicing itself is deterministic.
 * Returns undefined when `shouldStop` ends it early (a partial replication is never kept).
 */
export async function runReplicationObserved(
  exp: Experiment,
  seed: number | string,
  run: number,
  observer: ReplicationObserver,
  opts: { trace?: boolean; shouldStop?: () => boolean; slicing?: { length: Time } } = {},
): Promise<ReplicationResult | undefined> {
  observer.onStart?.(run);
  const { runSeed, ctx } = buildReplication(exp, seed, run, opts.trace, observer);
  const { sim } = ctx;
  // The adapted length carries over between replications of one run (they cost alike).
  const slicing = opts.slicing ?? { length: 0 };
  let slice = slicing.length || Math.max(1, Math.ceil(exp.duration / 1000));
  for (;;) {
    const before = sim.processed;
    const until = Math.min(sim.now + slice, exp.duration);
    sim.run(until);
    observer.onSlice?.(run, sim.now, sim.processed);
    if (sim.now >= exp.duration || sim.now < until) break; // horizon reached, or a model stopped the clock
    const fired = sim.processed - before;
    if (fired < EVENTS_PER_SLICE / 2) slice *= 2;
    else if (fired > EVENTS_PER_SLICE * 2 && slice > 1) slice = Math.ceil(slice / 2);
    slicing.length = slice;
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.shouldStop?.()) return undefined;
  }
  ctx.trace.observer = undefined;
  return replicationResult(run, runSeed, ctx, opts.trace);
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
  /** Runs each replication in observed slices (see `runReplicationObserved`); results are unchanged. */
  observer?: ReplicationObserver;
}

/**
 * Runs the replications and returns them in replication order. On one worker (or with the live
 * view) they run here, yielding to the event loop between them (so Ctrl-C is seen); on more, on
 * worker threads.
 */
export async function runExperiment(exp: Experiment, opts: RunOptions = {}): Promise<{ results: ReplicationResult[]; complete: boolean }> {
  const seed = opts.seed ?? exp.seed;
  const runs = opts.only ?? Array.from({ length: opts.runs ?? exp.runs }, (_, i) => i);
  // The live view watches replications as they run, so it keeps them in this thread.
  if ((opts.workers ?? 1) > 1 && runs.length > 1 && !opts.observer) {
    return runParallel(exp, runs, { ...opts, source: opts.source ?? { file: exp.file }, seed, trace: opts.trace ?? false, workers: opts.workers! });
  }
  const results: ReplicationResult[] = [];
  let events = 0;
  let simTime = 0;
  const slicing = { length: 0 };
  for (const run of runs) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (opts.shouldStop?.()) return { results, complete: false };
    const r = opts.observer
      ? await runReplicationObserved(exp, seed, run, opts.observer, { trace: opts.trace, shouldStop: opts.shouldStop, slicing })
      : runReplication(exp, seed, run, { trace: opts.trace });
    if (!r) return { results, complete: false };
    results.push(r);
    events += r.events;
    simTime += r.simTime;
    opts.onProgress?.({ done: results.length, total: runs.length, events, simTime }, r);
  }
  return { results, complete: true };
}
