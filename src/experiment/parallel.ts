import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from './errors.js';
import type { Experiment } from './load.js';
import type { Progress, ReplicationResult } from './run.js';

/**
 * Replications on worker threads. Each replication is a pure function of (experiment, seed,
 * run index), so where and in which order they run cannot change a result: the runner only has
 * to put the results back in replication order. Workers rebuild the experiment from its file
 * (a scenario is code, it cannot be posted to a thread) and prove it is the same one by its
 * fingerprint.
 */

/** Which experiment a worker must load: the file, and the sweep point if it is one. */
export interface ExperimentSource {
  readonly file: string;
  readonly point?: number;
}

/** Messages main → worker. */
export type ToWorker =
  | { type: 'init'; source: ExperimentSource; fingerprint: string; seed: number | string; trace: boolean }
  | { type: 'run'; runs: number[] };

/** Messages worker → main. */
export type FromWorker =
  | { type: 'result'; result: ReplicationResult }
  | { type: 'idle' }
  | { type: 'error'; name: string; message: string; stack?: string };

/**
 * What identifies an experiment's behaviour: everything a replication reads. Two loads of the
 * same file give the same fingerprint; an experiment changed in memory does not.
 */
export function fingerprint(exp: Experiment): string {
  try {
    return JSON.stringify([exp.name, exp.scenario.kind, exp.duration, exp.params]);
  } catch {
    return JSON.stringify([exp.name, exp.scenario.kind, exp.duration]); // params not serialisable (cyclic)
  }
}

/** The built worker (dist/experiment/worker.js); from the TypeScript sources (tests) too. */
export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith('.ts') ? resolve(dirname(here), '../../dist/experiment/worker.js') : resolve(dirname(here), 'worker.js');
  if (!existsSync(file)) throw new Error(`worker ${file} not found: run npm run build`);
  return file;
}

export interface ParallelOptions {
  readonly source: ExperimentSource;
  readonly seed: number | string;
  readonly trace: boolean;
  readonly workers: number;
  readonly onProgress?: (p: Progress, last: ReplicationResult) => void;
  readonly shouldStop?: () => boolean;
}

/**
 * Runs the replications `runs` on up to `workers` threads, handing out small chunks so that a
 * slow replication does not leave the other threads idle. Resolves with the results in the
 * order of `runs`; on `shouldStop` it stops handing out work and keeps what finished.
 */
export function runParallel(exp: Experiment, runs: readonly number[], opts: ParallelOptions): Promise<{ results: ReplicationResult[]; complete: boolean }> {
  const threads = Math.max(1, Math.min(opts.workers, runs.length));
  const chunk = Math.max(1, Math.min(64, Math.ceil(runs.length / (threads * 16))));
  const init: ToWorker = { type: 'init', source: opts.source, fingerprint: fingerprint(exp), seed: opts.seed, trace: opts.trace };
  const byRun = new Map<number, ReplicationResult>();
  let next = 0;
  let events = 0;
  let simTime = 0;
  const pool: Worker[] = [];

  return new Promise((resolvePromise, reject) => {
    let settled = false;
    // Ctrl-C must not wait for a long replication: poll, and drop what is still in flight.
    const poll = setInterval(() => opts.shouldStop?.() && finish(), 50);
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      for (const w of pool) void w.terminate();
      if (err) return reject(err);
      const results = runs.flatMap((r) => byRun.get(r) ?? []);
      resolvePromise({ results, complete: results.length === runs.length });
    };
    let busy = 0;
    const record = (r: ReplicationResult) => {
      byRun.set(r.run, r);
      events += r.events;
      simTime += r.simTime;
      opts.onProgress?.({ done: byRun.size, total: runs.length, events, simTime }, r);
    };
    const dispatch = (w: Worker) => {
      if (opts.shouldStop?.() || next >= runs.length) {
        if (busy === 0) finish();
        return;
      }
      busy++;
      w.postMessage({ type: 'run', runs: runs.slice(next, next + chunk) } satisfies ToWorker);
      next += chunk;
    };
    for (let i = 0; i < threads; i++) {
      const w = new Worker(workerFile());
      pool.push(w);
      w.on('message', (msg: FromWorker) => {
        if (msg.type === 'result') {
          record(msg.result);
        } else if (msg.type === 'idle') {
          busy--;
          dispatch(w);
        } else {
          // Errors keep their kind: bad input stays exit 2 even when a worker found it.
          const err = msg.name === 'InputError' ? new InputError(msg.message) : new Error(msg.message);
          if (msg.stack) err.stack = msg.stack;
          finish(err);
        }
      });
      w.on('error', (err) => finish(err));
      w.on('exit', (code) => {
        if (code !== 0 && !settled) finish(new Error(`worker thread exited with code ${code}`));
      });
      w.postMessage(init);
      dispatch(w);
    }
  });
}

/** A deterministic slice: shard `index` of `count` takes every count-th item starting at `index`. */
export function shardSlice(total: number, shard: { index: number; count: number }): number[] {
  const runs: number[] = [];
  for (let r = shard.index; r < total; r += shard.count) runs.push(r);
  return runs;
}
