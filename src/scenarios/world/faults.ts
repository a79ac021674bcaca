import { sampleDuration, type SimContext, type Time } from '../../engine/index.js';
import type { FaultSpec } from '../../experiment/world-schema.js';

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
 * Schedules the faults of an experiment, measured from `t0` (the steady state: set-up done,
 * first pods serving), each with its own random stream so adding a fault never shifts another's
 * draws. Every fault and repair is traced (`fault` / `repair`).
 */
export function scheduleFaults(ctx: SimContext, world: FaultTarget, faults: readonly FaultSpec[], t0: Time): void {
  const { sim, trace, random } = ctx;
  faults.forEach((f, i) => {
    const rng = random.stream(`world/fault/${i}`);
    const at = t0 + sampleDuration(f.at, rng);
    const repairAfter = 'for' in f && f.for ? sampleDuration(f.for, rng) : undefined;
    const target = f.kind === 'partition' ? f.island.join(',') : f.kind === 'pod-failure' ? f.workload : f.target;
    sim.at(at, `fault ${f.kind} ${target}`, () => {
      trace.emit(sim.now, 'fault', { what: f.kind, target, ...(f.kind === 'pod-failure' ? { instant: true } : {}) });
      if (f.kind === 'cluster-down') world.clusterDown(f.target);
      else if (f.kind === 'isolate') world.isolate(f.target);
      else if (f.kind === 'partition') world.partition(f.island);
      else world.podFailure(f.workload);
      if (repairAfter === undefined || f.kind === 'pod-failure') return;
      sim.after(repairAfter, `repair ${f.kind} ${target}`, () => {
        trace.emit(sim.now, 'repair', { what: f.kind, target });
        if (f.kind === 'cluster-down') world.clusterUp(f.target);
        else if (f.kind === 'isolate') world.restore(f.target);
        else world.healPartition();
      });
    });
  });
}
