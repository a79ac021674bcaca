import type { SimContext, Time } from '../engine/index.js';
import type { GaleraCluster } from './galera.js';

export interface OperatorParams {
  /** Reconcile period of the Percona operator (1.11: 5 s). */
  readonly reconcileInterval: Time;
  /** Pause after a full-crash bootstrap before it acts again (1.11: 30 s). */
  readonly afterBootstrapSleep: Time;
}

/**
 * The Percona XtraDB operator's full-cluster-crash auto-recovery (MODEL.md §4): once every PXC
 * pod is up and waiting for a primary, it bootstraps the member with the highest seqno (here:
 * the most committed bytes; ties to the first member, pxc-0) and the others join it by IST.
 * It reads each pod's state through the API server, so a member it cannot reach (`reaches`:
 * e.g. on a cut-off provider) keeps it from bootstrapping anyone.
 * Pod (re)creation itself is the StatefulSet's, i.e. the Kubernetes model's.
 */
export class PerconaOperator {
  private sleepUntil: Time = 0;
  /** Its reconcile ticks are origin + k · reconcileInterval, k ≥ 1. */
  private readonly origin: Time;
  private scheduled = false;

  /**
   * `lazy`: instead of a timer every reconcile interval, a tick is scheduled only after `kick()`
   * (something it reads changed) — the same ticks a polling operator would act at, since what it
   * reads changes only at events; for thousands of domains over a year.
   */
  constructor(
    private readonly ctx: SimContext,
    private readonly db: GaleraCluster,
    private readonly params: OperatorParams,
    private readonly reaches: (member: string) => boolean = () => true,
    private readonly lazy = false,
  ) {
    this.origin = ctx.sim.now;
    if (!lazy) ctx.sim.every(params.reconcileInterval, `percona-operator ${db.name}: reconcile`, () => this.reconcile());
  }

  /** What the operator reads may have changed: a lazy operator looks at its next tick. */
  kick(): void {
    if (this.lazy) this.tickAtOrAfter(this.ctx.sim.now + 1);
  }

  private tickAtOrAfter(t: Time): void {
    if (this.scheduled) return;
    const { reconcileInterval } = this.params;
    const k = Math.max(1, Math.ceil((t - this.origin) / reconcileInterval));
    this.scheduled = true;
    this.ctx.sim.at(this.origin + k * reconcileInterval, `percona-operator ${this.db.name}: reconcile`, () => {
      this.scheduled = false;
      this.reconcile();
    });
  }

  private reconcile(): void {
    const now = this.ctx.sim.now;
    if (now < this.sleepUntil) {
      if (this.lazy) this.tickAtOrAfter(this.sleepUntil);
      return;
    }
    const waiting = this.db.awaitingBootstrap();
    if (waiting.length === 0 || waiting.length < this.db.memberNames().length || !waiting.every((m) => this.reaches(m.name))) return;
    const best = waiting.reduce((a, b) => (b.position > a.position ? b : a));
    this.ctx.trace.emit(now, 'repair', { what: 'full-crash recovery: bootstrap highest seqno', target: `${this.db.name}/${best.name}` });
    this.db.bootstrap(best.name);
    this.sleepUntil = now + this.params.afterBootstrapSleep;
  }
}
