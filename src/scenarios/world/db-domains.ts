import { appendTo, sampleDuration, type Dist, type SimContext } from '../../engine/index.js';
import { GaleraCluster, PerconaOperator } from '../../galera/index.js';
import type { App } from '../../k8s/index.js';
import type { Network } from '../../network/index.js';
import type { WorkloadSpec } from '../../topology/index.js';
import { galeraParams, operatorParams, type PerconaProfile } from '../profiles/galera.js';

interface Domain {
  readonly name: string;
  /** Its PXC StatefulSet; the owner cluster's Percona operator manages it. */
  readonly workload: string;
  readonly owner: string;
  readonly replicas: number;
  /** Until the Galera cluster forms: member (pod) → the cluster where it serves. Then the cluster knows. */
  readonly sites: Map<string, string>;
  galera?: GaleraCluster;
  operator?: PerconaOperator;
}

/**
 * The detailed world's PDC configuration databases: one Galera (Percona XtraDB) cluster per DB
 * domain, its members the domain's PXC pods (MODEL.md §4). It is bootstrapped once every member
 * serves (the operator's initial bootstrap); from then on a member's pod stopping is a crash, a
 * pod serving again (where it was rescheduled, if it moved) is a rejoin (IST/SST), and the
 * network decides the components and the primary-component rule which of them answer. The PXC
 * liveness probe needs Primary, so a member left non-primary is restarted and waits, and the
 * Percona operator's full-crash recovery bootstraps the cluster once every member waits and its
 * owner cluster reaches them all. Left out: HAProxy's checks (a PDC reads from any reachable
 * primary member).
 */
/** What the domains need of their world: where a workload serves, and who reaches whom. */
export interface DbWorld {
  servingAt(workload: string): readonly string[];
  reachable(a: string, b: string): boolean;
}

/** The coarse world's mode: the clusters a PXC workload's pods may run on, and whom an operator reaches. */
export interface LazyDomains {
  readonly placements: (w: WorkloadSpec) => readonly string[];
  readonly reaches: (a: string, b: string) => boolean;
}

export class DbDomains {
  private readonly byWorkload = new Map<string, Domain>();
  private readonly byDomain = new Map<string, Domain>();
  /** Lazy mode: the domains whose members may run on, or whose owner is, a cluster. */
  private readonly around = new Map<string, Domain[]>();
  /** Lazy mode: called after a member of the domain of PXC workload `workload` changed. */
  onMemberChange: (workload: string) => void = () => {};

  /**
   * `lazy` (the coarse world): the Galera clusters do not watch every network change and the
   * operators do not poll; the world reports the clusters a change touched (`networkChanged`).
   * Otherwise an operator reaches a member when the network does.
   */
  constructor(
    private readonly ctx: SimContext,
    private readonly network: Network,
    workloads: readonly WorkloadSpec[],
    private readonly percona: PerconaProfile,
    private readonly world: DbWorld,
    private readonly lazy?: LazyDomains,
  ) {
    for (const w of workloads) {
      if (w.app !== 'db' || w.db === undefined) continue;
      const d: Domain = { name: w.db, workload: w.name, owner: w.owner, replicas: w.replicas, sites: new Map() };
      this.byWorkload.set(w.name, d);
      this.byDomain.set(w.db, d);
      if (lazy) for (const c of new Set([w.owner, ...lazy.placements(w)])) appendTo(this.around, c, d);
    }
  }

  /** Lazy mode: reachability changed at `clusters` (cut, healed, powered off or on). */
  networkChanged(clusters: readonly string[]): void {
    const touched = new Set<Domain>();
    for (const c of clusters) for (const d of this.around.get(c) ?? []) touched.add(d);
    for (const d of touched) {
      d.galera?.topologyChanged();
      d.operator?.kick();
    }
  }

  /**
   * The PXC container of `workload`: a generic start, and the liveness check of operator 1.11
   * (MODEL.md §4): it needs wsrep_cluster_status Primary (a joiner's too), except while the
   * entrypoint waits for the operator's full-crash recovery (its recovery-case file).
   */
  pxcApp(workload: string, start: Dist): App {
    return {
      startLatency: (_where, rng) => sampleDuration(start, rng),
      probe: (kind, where, _now, serving) => (kind === 'liveness' ? serving && this.alive(workload, where.pod) : serving),
    };
  }

  /** Before the cluster has formed, or for a pod that is not a member, there is nothing to check. */
  alive(workload: string, pod: string): boolean {
    const galera = this.byWorkload.get(workload)?.galera;
    if (!galera?.has(pod)) return true;
    const state = galera.state(pod);
    return state === 'primary' || state === 'joining' || galera.waitingForBootstrap(pod);
  }

  /** A pod of `workload` serves at `cluster`. */
  serving(workload: string, pod: string, cluster: string): void {
    const d = this.byWorkload.get(workload);
    if (!d) return;
    if (d.galera) {
      if (d.galera.has(pod)) d.galera.start(pod, cluster);
      return;
    }
    d.sites.set(pod, cluster);
    if (d.sites.size < d.replicas) return;
    const members = [...d.sites].map(([name, site]) => ({ name, site, weight: this.percona.weight }));
    const lazy = this.lazy;
    const changed = lazy
      ? () => {
          d.operator?.kick();
          this.onMemberChange(d.workload);
        }
      : undefined;
    const galera = new GaleraCluster(this.ctx, this.network, d.name, members, galeraParams(this.percona), { watchNetwork: !lazy, changed });
    d.galera = galera;
    const reaches = lazy ? lazy.reaches : (a: string, b: string) => this.network.reachable(a, b);
    d.operator = new PerconaOperator(this.ctx, galera, operatorParams(this.percona), (member) => reaches(d.owner, galera.site(member)), lazy !== undefined);
  }

  /** A pod of `workload` stopped (killed, deleted, its node powered off). */
  stopped(workload: string, pod: string): void {
    const d = this.byWorkload.get(workload);
    if (!d) return;
    if (!d.galera) d.sites.delete(pod); // not formed yet: it must serve again to count
    else if (d.galera.has(pod)) d.galera.crash(pod, 'pod stopped');
  }

  /**
   * Whether a PDC at `from` can read its configuration from domain `db`: a member of a primary
   * component reachable from there. Before the cluster has formed (set-up), any serving member
   * reachable from there answers. A domain without a PXC
   * workload has nothing to refuse.
   */
  readable(db: string, from: string): { ok: true } | { ok: false; error: string } {
    const d = this.byDomain.get(db);
    const galera = d?.galera;
    if (!d || (galera ? galera.anyPrimaryReachable(from) : this.world.servingAt(d.workload).some((c) => this.world.reachable(from, c)))) return { ok: true };
    return { ok: false, error: galera ? `no primary member of ${db} reachable from ${from}` : `no member of ${db} reachable from ${from}` };
  }
}
