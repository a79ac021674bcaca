import type { Rng, SimContext } from '../../engine/index.js';
import type { FailoverTiming } from './coarse-timing.js';
import type { DbDomains } from './db-domains.js';
import type { Pod, Pods } from './pods.js';

/** Which container reads a PDC's configuration: the init container of a new pod, or the main one restarted in place. */
export type Reader = 'init' | 'main';

/** What the closed-form kubelets need of the coarse world. */
export interface PodHost {
  readonly pods: Pods;
  gone(p: Pod): boolean;
  started(p: Pod, attempt: number, reason: string, reader: Reader): void;
  halt(p: Pod): void;
  onChange(): void;
}

/**
 * The coarse world's kubelets around the PDCs' configuration databases, in closed form: a PDC
 * whose configuration read fails retries after CrashLoopBackOff, and a PXC member out of the
 * primary component is killed by its liveness check and restarted (MODEL.md §2, §4).
 */
export class ClosedFormKubelets {
  /** Numbers each armed liveness kill (a pod's `livenessDue`), so a superseded one does nothing. */
  private livenessArmed = 0;

  constructor(
    private readonly ctx: SimContext,
    private readonly p: FailoverTiming,
    private readonly rng: Rng,
    private readonly dbs: DbDomains,
    private readonly host: PodHost,
  ) {}

  /** A PDC reads its configuration where it runs; other pods need none. */
  configRead(pod: Pod): { ok: true } | { ok: false; error: string } {
    const { db, app } = pod.workload;
    if (db === undefined || app === 'db') return { ok: true };
    return this.dbs.readable(db, pod.cluster);
  }

  /**
   * The container that read the configuration failed and runs again after CrashLoopBackOff: on a
   * new pod the init container (openPDC's create-db), after a restart in place the main container.
   */
  retryConfigRead(pod: Pod, attempt: number, reader: Reader, error: string): void {
    const { sim, trace } = this.ctx;
    trace.emit(sim.now, 'pod-phase', { cluster: pod.cluster, pod: pod.name, node: `${pod.cluster}-n0`, phase: reader === 'init' ? 'Init:CrashLoopBackOff' : 'CrashLoopBackOff', reason: error });
    const retry = this.p.restartAfterBackoff(pod.backoff, sim.now);
    pod.backoff = retry.backoff;
    if (reader === 'main') {
      sim.at(retry.at + this.p.pdcAfterInit(this.rng), `pod ${pod.name} restarts`, () => this.host.started(pod, attempt, 'configuration read after retries', 'main'));
      return;
    }
    sim.at(retry.at + this.p.pdcInit(this.rng), `pod ${pod.name}: init container create-db runs again`, () => {
      if (this.host.gone(pod) || pod.attempt !== attempt) return;
      const read = this.configRead(pod);
      if (!read.ok) return this.retryConfigRead(pod, attempt, 'init', read.error);
      sim.after(this.p.pdcAfterInit(this.rng), `pod ${pod.name} starts`, () => this.host.started(pod, attempt, 'configuration read after retries', 'main'));
    });
  }

  /**
   * A PXC member out of the primary component (not joining, not waiting for the operator's
   * recovery) fails its liveness check, which needs Primary: killed and restarted in place, it
   * then waits or rejoins (MODEL.md §4; models/percona-operator-1.11.yaml `liveness`).
   */
  livenessOfMembers(workload: string): void {
    const { sim, trace } = this.ctx;
    for (const p of this.host.pods.of(workload)) {
      if (!p.member || !p.running) continue;
      // A passing check resets the failure count: a kill armed by an earlier spell is off.
      if (this.dbs.alive(workload, p.member)) {
        p.livenessDue = undefined;
        continue;
      }
      if (p.livenessDue !== undefined) continue;
      const due = (p.livenessDue = this.livenessArmed++);
      const member = p.member;
      sim.at(this.p.pxcLivenessKill(sim.now, p.startedAt, this.rng), `pod ${p.name}: liveness check fails`, () => {
        if (p.livenessDue !== due) return;
        p.livenessDue = undefined;
        if (!p.running || this.dbs.alive(workload, member)) return;
        trace.emit(sim.now, 'pod-phase', { cluster: p.cluster, pod: p.name, node: `${p.cluster}-n0`, phase: 'Failed', reason: 'liveness: wsrep_cluster_status is not Primary' });
        this.host.halt(p);
        const restart = this.p.restartAfterBackoff(p.backoff, sim.now + this.p.containerStop(this.rng));
        p.backoff = restart.backoff;
        const attempt = p.attempt;
        sim.at(restart.at + this.p.pxcStart(this.rng), `pod ${p.name} restarts`, () => this.host.started(p, attempt, 'liveness restart', 'main'));
        this.host.onChange();
      });
    }
  }
}
