import { availableParallelism } from 'node:os';
import { loadExperiment } from '../experiment/load.js';
import { runExperiment } from '../experiment/run.js';

export interface ReplicationsBench {
  experiment: string;
  runs: number;
  workers: number;
  wallSeconds: number;
  replicationsPerSecond: number;
  events: number;
}

/** An experiment's replications on `workers` threads (worker start-up included), as `gridtwin run` does. */
export async function benchReplications(file: string, runs: number, workers = availableParallelism()): Promise<ReplicationsBench> {
  const exp = loadExperiment(file);
  const t0 = process.hrtime.bigint();
  const { results } = await runExperiment(exp, { runs, workers });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    experiment: exp.name,
    runs,
    workers,
    wallSeconds: Number(wall.toFixed(3)),
    replicationsPerSecond: Math.round(runs / wall),
    events: results.reduce((n, r) => n + r.events, 0),
  };
}
