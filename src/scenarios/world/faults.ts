import { sampleDuration, type SimContext, type Time } from '../../engine/index.js';
import { InputError } from '../../experiment/errors.js';
import type { FaultSpec } from '../../experiment/world-schema.js';
import { FaultScheduler, type FaultAction } from '../../faults/index.js';
import type { Design } from '../../topology/index.js';

/** What a world offers the fault schedule: the fault kinds of an experiment file and their repairs. */
export interface FaultTarget {
  clusterDown(cluster: string): void;
  clusterUp(cluster: string): void;
  isolate(cluster: string): void;
  restore(cluster: string): void;
  partition(island: readonly string[]): void;
  healPartition(): void;
  podFailure(workload: string): void;
}

/**
 * How many faults hold each cluster down or cut off now, so that overlapping faults (a planned
 * outage and a random failure of the same station) end with the last repair, not the first.
 */
export class FaultHolds {
  private readonly counts = { down: new Map<string, number>(), isolated: new Map<string, number>() };

  /** One more fault holds `c`; true if it is the first (the state changes now). */
  hold(kind: 'down' | 'isolated', c: string): boolean {
    const n = (this.counts[kind].get(c) ?? 0) + 1;
    this.counts[kind].set(c, n);
    return n === 1;
  }

  /** One fault on `c` is repaired; true if it was the last one (the state changes back now). */
  release(kind: 'down' | 'isolated', c: string): boolean {
    const n = this.counts[kind].get(c) ?? 0;
    if (n > 1) this.counts[kind].set(c, n - 1);
    else this.counts[kind].delete(c);
    return n === 1;
  }

  holds(kind: 'down' | 'isolated', c: string): boolean {
    return this.counts[kind].has(c);
  }
}

/** The clusters a random-failures entry selects: those named, plus those whose labels all match; design order. */
export function selectClusters(design: Design, sel: { names: readonly string[]; matchLabels?: Readonly<Record<string, string>> }): string[] {
  const named = new Set(sel.names);
  const match = sel.matchLabels;
  return design.clusters
    .filter((c) => named.has(c.name) || (match !== undefined && Object.entries(match).every(([k, v]) => c.labels[k] === v)))
    .map((c) => c.name);
}

/**
 * Fault targets must exist: a typo would otherwise be a fault that silently hits nothing.
 * Throws an InputError naming the field, located in the experiment file.
 */
export function checkFaultTargets(faults: readonly FaultSpec[], design: Design, locate: (path: readonly (string | number)[]) => string): void {
  const clusters = new Set(design.clusters.map((c) => c.name));
  const workloads = new Set(design.workloads.map((w) => w.name));
  const fail = (path: (string | number)[], message: string): never => {
    const field = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').replace(/\.\[/g, '[');
    throw new InputError(`${locate(path)}: spec.scenario${field}: ${message}`);
  };
  const cluster = (path: (string | number)[], name: string) => clusters.has(name) || fail(path, `no cluster named ${JSON.stringify(name)} in the design`);
  faults.forEach((f, i) => {
    if (f.kind === 'cluster-down' || f.kind === 'isolate') cluster(['faults', i, 'target'], f.target);
    else if (f.kind === 'partition') f.island.forEach((c, k) => cluster(['faults', i, 'island', k], c));
    else if (f.kind === 'pod-failure') workloads.has(f.workload) || fail(['faults', i, 'workload'], `no workload named ${JSON.stringify(f.workload)} in the design`);
    else {
      f.clusters.names.forEach((c, k) => cluster(['faults', i, 'clusters', 'names', k], c));
      if (selectClusters(design, f.clusters).length === 0) fail(['faults', i, 'clusters'], 'selects no cluster (give names or matchLabels that some cluster has)');
    }
  });
}

/**
 * Schedules the faults of an experiment, measured from `t0` (the steady state: set-up done,
 * first pods serving), each with its own random stream so adding a fault never shifts another's
 * draws. Every fault and repair is traced (`fault` / `repair`).
 */
export function scheduleFaults(ctx: SimContext, world: FaultTarget, faults: readonly FaultSpec[], design: Design, t0: Time): void {
  const scheduler = new FaultScheduler(ctx);
  const clusterFault = (kind: 'cluster-down' | 'isolate', c: string): FaultAction =>
    kind === 'cluster-down' ? { inject: () => world.clusterDown(c), repair: () => world.clusterUp(c) } : { inject: () => world.isolate(c), repair: () => world.restore(c) };
  faults.forEach((f, i) => {
    if (f.kind === 'random-failures') {
      // One renewal process per cluster, on a stream of its own: selecting one more cluster shifts no other's failures.
      for (const c of selectClusters(design, f.clusters)) {
        scheduler.add({ what: f.fault, target: c, stream: `world/fault/${i}/${c}`, timing: { kind: 'random', timeToFailure: f.timeToFailure, timeToRepair: f.timeToRepair, start: t0 } }, clusterFault(f.fault, c));
      }
      return;
    }
    const rng = ctx.random.stream(`world/fault/${i}`);
    const at = t0 + sampleDuration(f.at, rng);
    const duration = 'for' in f && f.for ? sampleDuration(f.for, rng) : undefined;
    if (f.kind === 'pod-failure') scheduler.add({ what: f.kind, target: f.workload, timing: { kind: 'at', at } }, { inject: () => world.podFailure(f.workload) });
    else if (f.kind === 'partition') scheduler.add({ what: f.kind, target: f.island.join(','), timing: { kind: 'at', at, duration } }, { inject: () => world.partition(f.island), repair: () => world.healPartition() });
    else scheduler.add({ what: f.kind, target: f.target, timing: { kind: 'at', at, duration } }, clusterFault(f.kind, f.target));
  });
}
