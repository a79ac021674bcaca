import { appendTo, type Time } from '../../engine/index.js';
import type { WorkloadSpec } from '../../topology/index.js';
import type { Backoff } from './coarse-timing.js';

export interface Pod {
  readonly name: string;
  /** Creation order: passes over a subset of pods keep the order a pass over all would have. */
  readonly order: number;
  readonly workload: WorkloadSpec;
  /** Its replica number (a StatefulSet's ordinal). */
  readonly ordinal: number;
  readonly cluster: string;
  /** The process serves (on its own cluster, whatever the owner believes). */
  running: boolean;
  startedAt: Time;
  /** The owner deleted it (Terminating in the owner's view); a cut-off provider keeps it running. */
  evicted: boolean;
  /** Galera member of a PXC pod: one name across its restarts and re-creations (StatefulSet ordinal). */
  readonly member?: string;
  /** Gone for good: its owner's deletion reached it, or a reset replaced it; nothing restarts it. */
  superseded?: boolean;
  /** CrashLoopBackOff of its containers. */
  backoff?: Backoff;
  /** Bumped by each start attempt: a stale chain of retries stops. */
  attempt: number;
  /** The armed liveness kill, if one is due (a PXC member out of the primary component). */
  livenessDue?: number;
}

/**
 * The coarse world's pods, indexed by workload, by the cluster they run on and by the cluster
 * that owns their workload (whose control plane evicts and replaces them). Every list keeps
 * creation order, so a pass over a subset keeps the order a pass over all would have.
 */
export class Pods {
  private readonly byWorkload = new Map<string, Pod[]>();
  private readonly byCluster = new Map<string, Pod[]>();
  private readonly byOwner = new Map<string, Pod[]>();
  private createdSinceSweep = 0;
  private keptAtSweep = 0;

  /** `keep`: which pods a sweep keeps (none is swept without it: the keep-everything reference). */
  constructor(private readonly keep?: (p: Pod) => boolean) {}

  add(pod: Pod): void {
    this.createdSinceSweep++;
    appendTo(this.byWorkload, pod.workload.name, pod);
    appendTo(this.byCluster, pod.cluster, pod);
    appendTo(this.byOwner, pod.workload.owner, pod);
  }

  of(workload: string): readonly Pod[] {
    return this.byWorkload.get(workload) ?? [];
  }

  on(cluster: string): readonly Pod[] {
    return this.byCluster.get(cluster) ?? [];
  }

  /**
   * Pods whose owner may have lost or regained sight of them when `clusters` changed: those
   * running there and those owned from there (every other pair's reachability is unchanged),
   * in creation order.
   */
  around(clusters: readonly string[]): Pod[] {
    const seen = new Set<Pod>();
    for (const c of clusters) for (const list of [this.byCluster.get(c), this.byOwner.get(c)]) for (const p of list ?? []) seen.add(p);
    return [...seen].sort((a, b) => a.order - b.order);
  }

  /**
   * Forgets the pods `keep` refuses (dead: nothing restarts them, every pass skips them) once as
   * many pods were created since the last sweep as it kept, so a year of failures costs memory
   * for the pods alive, at O(1) amortised per pod. Each list keeps its order.
   */
  sweep(): void {
    const keep = this.keep;
    if (!keep || this.createdSinceSweep < Math.max(64, this.keptAtSweep)) return;
    let kept = 0;
    for (const lists of [this.byWorkload, this.byCluster, this.byOwner]) {
      for (const list of lists.values()) {
        let n = 0;
        for (const p of list) if (keep(p)) list[n++] = p;
        list.length = n;
        if (lists === this.byWorkload) kept += n;
      }
    }
    this.keptAtSweep = kept;
    this.createdSinceSweep = 0;
  }
}
