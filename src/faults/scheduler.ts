import { sampleDuration, type Dist, type SimContext, type Time } from '../engine/index.js';

/** What a fault does to its target; the experiment layer wires these to the models. */
export interface FaultAction {
  inject(): void;
  /** Undone by `repair`; absent for faults that heal themselves (a killed pod is replaced). */
  repair?(): void;
}

/** When a fault happens: once at a fixed time, or again and again (up-time ~ MTBF, down-time ~ MTTR). */
export type FaultTiming =
  | { readonly kind: 'at'; readonly at: Time; /** Repair this long after injection; none ⇒ never. */ readonly duration?: Time }
  | { readonly kind: 'random'; readonly timeToFailure: Dist; readonly timeToRepair: Dist; readonly start?: Time; readonly maxFailures?: number };

export interface FaultSpec {
  /** What kind of fault ("node-crash", "cluster-nic-down", "partition", "db-member-loss", …). */
  readonly what: string;
  /** Its target, for the trace ("leaf-1", "pxc-0", "root|leaf-1"). */
  readonly target: string;
  readonly timing: FaultTiming;
  /** Name of the random stream of a random fault (default "faults/<what>/<target>"). */
  readonly stream?: string;
}

export interface FaultRecord {
  readonly what: string;
  readonly target: string;
  readonly injectedAt: Time;
  repairedAt?: Time;
}

/**
 * Schedules faults and their repairs on the simulation clock and records them (trace kinds
 * `fault` and `repair`). Random faults draw from their own named stream per fault
 * ("faults/<what>/<target>"), so adding a fault never shifts another's draws.
 */
export class FaultScheduler {
  readonly history: FaultRecord[] = [];

  constructor(private readonly ctx: SimContext) {}

  add(spec: FaultSpec, action: FaultAction): void {
    const t = spec.timing;
    if (t.kind === 'at') {
      this.ctx.sim.at(t.at, `fault ${spec.what} ${spec.target}`, () => {
        const rec = this.inject(spec, action);
        if (t.duration !== undefined && action.repair) this.ctx.sim.after(t.duration, `repair ${spec.what} ${spec.target}`, () => this.repair(spec, action, rec));
      });
      return;
    }
    const rng = this.ctx.random.stream(spec.stream ?? `faults/${spec.what}/${spec.target}`);
    let failures = 0;
    const next = (from: Time) => {
      if (t.maxFailures !== undefined && failures >= t.maxFailures) return;
      // At least 1 µs of up-time: distributions that can only draw 0 would otherwise fail and
      // repair forever at one instant (the clock would never move).
      this.ctx.sim.at(from + Math.max(1, sampleDuration(t.timeToFailure, rng)), `fault ${spec.what} ${spec.target}`, () => {
        failures++;
        const rec = this.inject(spec, action);
        if (!action.repair) return next(this.ctx.sim.now);
        this.ctx.sim.after(sampleDuration(t.timeToRepair, rng), `repair ${spec.what} ${spec.target}`, () => {
          this.repair(spec, action, rec);
          next(this.ctx.sim.now);
        });
      });
    };
    next(t.start ?? this.ctx.sim.now);
  }

  private inject(spec: FaultSpec, action: FaultAction): FaultRecord {
    const rec: FaultRecord = { what: spec.what, target: spec.target, injectedAt: this.ctx.sim.now };
    this.history.push(rec);
    // A fault with nothing to repair (a pod deleted, a process killed) is over once injected.
    this.ctx.trace.emit(this.ctx.sim.now, 'fault', { what: spec.what, target: spec.target, ...(action.repair ? {} : { instant: true }) });
    action.inject();
    return rec;
  }

  private repair(spec: FaultSpec, action: FaultAction, rec: FaultRecord): void {
    rec.repairedAt = this.ctx.sim.now;
    this.ctx.trace.emit(this.ctx.sim.now, 'repair', { what: spec.what, target: spec.target });
    action.repair!();
  }
}
