import { appendTo, type Rng, type SimContext, type Time } from '../../engine/index.js';
import { Network } from '../../network/index.js';
import { TopologyIndex, type Design, type WorkloadSpec } from '../../topology/index.js';
import { FaultHolds, type FaultTarget } from './faults.js';
import type { ChangingWorld } from './streams.js';
import type { FailoverTiming } from './coarse-timing.js';
import { DbDomains } from './db-domains.js';
import { Pods, type Pod } from './pods.js';
import { ClosedFormKubelets, type Reader } from './closed-form-kubelets.js';

/**
 * The coarse world (national scale; `fidelity: detailed` runs src/k8s + src/liqo instead):
 * where each workload's pods run, and what the owner's control plane does when a cluster is
 * lost — a virtual node goes NotReady, the pod is evicted when its toleration expires, a
 * Deployment gets a replacement on another allowed cluster the owner reaches, a StatefulSet
 * waits (at-most-one). A pod on a cut-off provider keeps running (ShadowPod, island mode) and
 * is deleted when the link heals (reconciliation). When the owner itself is lost, its
 * deployments are lost until it returns and resets them (MODEL.md §2, §3, §6).
 *
 * The PDCs' configuration databases are the detailed world's Galera clusters (DbDomains), run
 * lazily: told of the clusters a fault touched. Around them the kubelet's part in closed form: a
 * PDC whose configuration read fails retries after CrashLoopBackOff, and a PXC member out of the
 * primary component is killed by its liveness check and restarted (MODEL.md §4).
 */
export class WorldRuntime implements ChangingWorld, FaultTarget {
  private readonly net: Network;
  private readonly down = new Set<string>();
  private readonly holds = new FaultHolds();
  readonly pods: Pods;
  private readonly workloadsOwnedBy = new Map<string, WorkloadSpec[]>();
  /** Workloads whose serving pods or reachability changed since the stream tracker last asked. */
  private changed = new Set<string>();
  /** The clusters of the current partition's island (its heal changes their reachability). */
  private island: readonly string[] = [];
  private readonly offloadingOf = new Map<string, Design['offloading'][number]>();
  private readonly candidates = new Map<string, readonly string[]>();
  private readonly rng: Rng;
  private generation = 0;
  /** Replacements that found no cluster; retried whenever something heals. */
  private readonly waiting: WorkloadSpec[] = [];
  readonly counts = { deploymentsLost: 0, recoveryActions: 0, podsReplaced: 0, reconciledPods: 0 };
  onChange: () => void = () => {};
  private readonly dbs: DbDomains;
  private readonly kubelets: ClosedFormKubelets;

  constructor(
    private readonly ctx: SimContext,
    private readonly design: Design,
    private readonly idx: TopologyIndex,
    private readonly p: FailoverTiming,
    /** Forget dead pods (off only in the `streamUpdates: all` reference, which keeps every pod). */
    private readonly sweep = true,
  ) {
    this.net = new Network(ctx.bus, { delay: { kind: 'constant', value: 0 }, loss: 0 });
    this.rng = ctx.random.stream('world/failover');
    for (const o of design.offloading) this.offloadingOf.set(`${o.owner}\u0000${o.namespace}`, o);
    for (const w of design.workloads) appendTo(this.workloadsOwnedBy, w.owner, w);
    // Dead pods are forgotten: gone for good (the owner's deletion reached them) and not running.
    // An evicted pod its owner has not reached yet may still be restarted where it is.
    this.pods = new Pods(sweep ? (p) => p.running || !p.superseded : undefined);
    // The operator runs in its owner cluster: down, it reaches nobody (the coarse network does not know a cluster is down).
    this.dbs = new DbDomains(ctx, this.net, design.workloads, p.p.percona, this, { placements: (w) => this.allowed(w), reaches: (a, b) => this.reachable(a, b) });
    this.kubelets = new ClosedFormKubelets(ctx, p, this.rng, this.dbs, this);
    this.dbs.onMemberChange = (workload) => this.kubelets.livenessOfMembers(workload);
    // The coarse model runs each cluster's pods on one node: announce it, as a kubelet registering would.
    for (const c of design.clusters) ctx.trace.emit(0, 'node-ready', { cluster: c.name, node: `${c.name}-n0`, ready: true, virtual: false, reason: 'KubeletReady' });
  }

  /** Clusters a workload's pods may run on, in preference order (pinning, else its namespace's clusters). */
  private allowed(w: WorkloadSpec): readonly string[] {
    let list = this.candidates.get(w.name);
    if (list) return list;
    if (w.placement.cluster) list = [w.placement.cluster];
    else if (w.placement.clusters) list = w.placement.clusters;
    else {
      const o = this.offloadingOf.get(`${w.owner}\u0000${w.namespace}`);
      const remote = o && o.podOffloadingStrategy !== 'Local' ? this.idx.offloadTargets(o) : [];
      list = !o || o.podOffloadingStrategy !== 'Remote' ? [w.owner, ...remote] : remote;
    }
    this.candidates.set(w.name, list);
    return list;
  }

  /** First pods of every workload, each when its namespace is ready at its cluster plus a start: when the last serves, and how many. */
  place(ready: (owner: string, namespace: string, cluster: string) => Time): { last: Time; pods: number } {
    let last = 0;
    let pods = 0;
    for (const w of this.design.workloads) {
      const allowed = this.allowed(w);
      for (let i = 0; i < w.replicas && allowed.length > 0; i++) {
        const cluster = allowed[i % allowed.length]!;
        last = Math.max(last, this.start(w, cluster, ready(w.owner, w.namespace, cluster), i));
        pods++;
      }
    }
    return { last, pods };
  }

  /** Creates a pod (replica `ordinal` of its workload) that serves after a drawn start; returns that instant. */
  private start(w: WorkloadSpec, cluster: string, from: Time, ordinal: number): Time {
    const member = w.app === 'db' && w.db !== undefined ? `${w.name}-${ordinal}` : undefined;
    const pod: Pod = { name: `${w.name}-${this.generation}`, order: this.generation++, workload: w, ordinal, cluster, running: false, startedAt: 0, evicted: false, member, attempt: 0 };
    this.pods.add(pod);
    const { sim } = this.ctx;
    const at = Math.max(from, sim.now) + this.p.podStart(w, this.rng);
    const attempt = pod.attempt;
    sim.at(at, `pod ${pod.name} starts`, () => this.started(pod, attempt, 'started', 'init'));
    return at;
  }

  /**
   * A pod's containers are up: it serves — unless it is a PDC whose configuration database does
   * not answer from there (no reachable member of a primary component).
   */
  started(pod: Pod, attempt: number, reason: string, reader: Reader): void {
    if (this.gone(pod) || pod.running || pod.attempt !== attempt) return;
    const { sim, trace } = this.ctx;
    const w = pod.workload;
    const read = this.kubelets.configRead(pod);
    if (!read.ok) return this.kubelets.retryConfigRead(pod, attempt, reader, read.error);
    pod.running = true;
    pod.startedAt = sim.now;
    trace.emit(sim.now, 'pod-phase', { cluster: pod.cluster, pod: pod.name, node: `${pod.cluster}-n0`, phase: 'Running', reason });
    this.changed.add(w.name);
    if (pod.member) this.dbs.serving(w.name, pod.member, pod.cluster);
    this.onChange();
  }

  /** The pod's process stops (its start attempts too); a Galera member crashes. */
  halt(pod: Pod): void {
    pod.attempt++;
    pod.livenessDue = undefined; // a new container starts with the probe's initial delay
    if (!pod.running) return;
    pod.running = false;
    this.changed.add(pod.workload.name);
    if (pod.member) this.dbs.stopped(pod.workload.name, pod.member);
  }

  reachable(a: string, b: string): boolean {
    return !this.down.has(a) && !this.down.has(b) && this.net.reachable(a, b);
  }

  servingAt(workload: string): string[] {
    const out: string[] = [];
    for (const p of this.pods.of(workload)) if (p.running && !out.includes(p.cluster)) out.push(p.cluster);
    return out;
  }

  takeChanged(): ReadonlySet<string> {
    const out = this.changed;
    this.changed = new Set();
    return out;
  }

  /** Every workload with a pod on `cluster` sees its serving or reachability change. */
  private touchCluster(cluster: string): void {
    for (const p of this.pods.on(cluster)) this.changed.add(p.workload.name);
  }

  startedAt(workload: string, cluster: string): Time {
    let t = 0;
    for (const p of this.pods.of(workload)) if (p.cluster === cluster && p.running) t = Math.max(t, p.startedAt);
    return t;
  }

  /** The cluster's machines stop. */
  clusterDown(c: string): void {
    if (!this.holds.hold('down', c)) return;
    this.down.add(c);
    for (const p of this.pods.on(c)) this.halt(p);
    this.dbs.networkChanged([c]); // an operator on it stops acting; its members crashed
    this.afterLoss([c]);
  }

  clusterUp(c: string): void {
    if (!this.holds.release('down', c)) return;
    this.down.delete(c);
    // Pods still there are restarted by the returning kubelet: those the owner did not delete, and
    // those it deleted without reaching this cluster yet (island mode, until reconciliation).
    for (const p of this.pods.on(c)) if (!this.gone(p)) this.restartInPlace(p, this.p.restartOnPowerOn(p.workload, this.rng));
    this.dbs.networkChanged([c]);
    this.afterHeal([c]);
  }

  isolate(c: string): void {
    if (!this.holds.hold('isolated', c)) return;
    this.net.isolate(c);
    this.dbs.networkChanged([c]);
    this.afterLoss([c]);
  }

  restore(c: string): void {
    if (!this.holds.release('isolated', c)) return;
    this.net.restore(c);
    this.dbs.networkChanged([c]);
    this.afterHeal([c]);
  }

  partition(island: readonly string[]): void {
    this.net.partition([island]);
    const previous = this.island;
    this.island = island;
    this.dbs.networkChanged([...previous, ...island]);
    // A partition replaces the last one: its island heals (reconciliation) as the new one is cut.
    // The new island's streams are re-evaluated with the old one's, at the heal's first pass.
    for (const c of island) this.touchCluster(c);
    if (previous.length) this.afterHeal(previous);
    this.afterLoss(island);
  }

  healPartition(): void {
    this.net.healPartition();
    const healed = this.island;
    this.island = [];
    this.dbs.networkChanged(healed);
    this.afterHeal(healed);
  }

  private workloadsOwnedFrom(clusters: readonly string[]): WorkloadSpec[] {
    return clusters.flatMap((c) => this.workloadsOwnedBy.get(c) ?? []);
  }

  /** The pods of `workload` die; their kubelet restarts the containers in place (no owner needed). */
  podFailure(workload: string): void {
    for (const p of this.pods.of(workload)) {
      if (!p.running) continue;
      this.halt(p);
      this.ctx.trace.emit(this.ctx.sim.now, 'fault', { what: 'pod process dies', target: p.name, instant: true });
      this.restartInPlace(p, this.p.containerRestart(p.workload, this.rng));
    }
    this.onChange();
  }

  private restartInPlace(p: Pod, delay: Time): void {
    const { sim, trace } = this.ctx;
    const attempt = ++p.attempt;
    sim.after(delay, `pod ${p.name} restarts`, () => {
      if (this.gone(p) || p.running || p.attempt !== attempt) return;
      trace.emit(sim.now, 'container-restart', { cluster: p.cluster, pod: p.name, restarts: 1, backoffUs: 0 });
      this.started(p, attempt, 'restarted', 'main');
    });
  }

  /**
   * Whether a pod can no longer (re)start: its cluster is down, or its owner deleted it and that
   * reached its cluster. A pod evicted while its cluster is cut off still exists there (ShadowPod):
   * its kubelet restarts it, until reconciliation deletes it.
   */
  gone(p: Pod): boolean {
    return this.down.has(p.cluster) || (p.evicted && (p.superseded === true || this.reachable(p.workload.owner, p.cluster)));
  }

  /** An evicted StatefulSet pod is created again once its cluster is back in its owner's sight (at-most-one). */
  private awaitsRecreation(p: Pod): boolean {
    return p.evicted && p.workload.kind === 'StatefulSet' && !p.superseded;
  }

  /**
   * A deployment is lost when the cluster that owns it (its ReplicaSet/StatefulSet controller)
   * is down: nothing can replace its pods until the owner returns and resets it. An owner that
   * is merely cut off keeps managing what it still reaches (island mode).
   */
  private ownerLost(w: WorkloadSpec): boolean {
    return this.down.has(w.owner);
  }

  private readonly lost = new Set<string>();
  /** Virtual nodes posted NotReady (owner, provider), until the tunnel check sees pongs again. */
  private readonly notReady = new Map<string, { owner: string; provider: string; apiServerDownAt: Time }>();

  /** `clusters` went down or were cut off: their workloads' streams change, owners notice, evict, replace. */
  private afterLoss(clusters: readonly string[]): void {
    const { sim, trace } = this.ctx;
    this.pods.sweep();
    for (const c of clusters) this.touchCluster(c);
    for (const w of this.workloadsOwnedFrom(clusters)) {
      if (this.lost.has(w.name) || !this.ownerLost(w)) continue;
      this.lost.add(w.name);
      this.counts.deploymentsLost++;
      trace.emit(sim.now, 'fault', { what: 'deployment lost', target: `${w.owner}/${w.name}`, reason: 'its owner cluster is gone' });
    }
    this.noticeCutOff(this.pods.around(clusters));
    this.onChange();
  }

  /** Each owner notices each virtual node it lost sight of once per cut, then evicts after the toleration. */
  private noticeCutOff(pods: readonly Pod[]): void {
    const { sim, trace } = this.ctx;
    const noticed = new Map<string, Time>();
    for (const p of pods) {
      const w = p.workload;
      if (p.evicted || this.down.has(w.owner) || p.cluster === w.owner || this.reachable(w.owner, p.cluster)) continue;
      const key = `${w.owner}\u0000${p.cluster}`;
      let at = noticed.get(key);
      if (at === undefined) {
        const draw = this.p.eviction(this.rng);
        const cutAt = sim.now;
        at = sim.now + draw.evicted;
        noticed.set(key, at);
        sim.at(sim.now + draw.notReady, `virtual node ${p.cluster} NotReady in ${w.owner}`, () => {
          if (this.reachable(w.owner, p.cluster) || this.notReady.has(key)) return;
          this.notReady.set(key, { owner: w.owner, provider: p.cluster, apiServerDownAt: cutAt + draw.apiServerDown });
          trace.emit(sim.now, 'node-ready', { cluster: w.owner, node: `liqo-${p.cluster}`, ready: false, virtual: true, reason: draw.reason });
        });
      }
      sim.at(at, `evict ${p.name}`, () => this.evict(p));
    }
  }

  private evict(p: Pod): void {
    const w = p.workload;
    if (p.evicted || this.down.has(w.owner) || this.reachable(w.owner, p.cluster)) return;
    p.evicted = true;
    this.ctx.trace.emit(this.ctx.sim.now, 'pod-evicted', { cluster: w.owner, pod: p.name, node: `liqo-${p.cluster}` });
    // A StatefulSet pod is not replaced while the old one may still run (at-most-one).
    if (w.kind === 'Deployment') this.replace(w, p.cluster);
    this.onChange();
  }

  private replace(w: WorkloadSpec, avoid: string): void {
    const target = this.allowed(w).find((c) => c !== avoid && this.reachable(w.owner, c) && !this.down.has(c));
    if (target === undefined) {
      this.waiting.push(w);
      return;
    }
    this.counts.podsReplaced++;
    this.counts.recoveryActions++;
    this.start(w, target, this.ctx.sim.now, 0);
  }

  /** `clusters` came back or were reconnected: their workloads' streams change, owners reconcile. */
  private afterHeal(clusters: readonly string[]): void {
    const { sim, trace } = this.ctx;
    this.pods.sweep();
    for (const c of clusters) this.touchCluster(c);
    // Reconciliation: pods the owner deleted while cut off are deleted remotely now.
    for (const p of this.pods.around(clusters)) {
      const w = p.workload;
      if (!p.evicted || p.superseded || !this.reachable(w.owner, p.cluster)) continue;
      // The owner's deletion reaches the pod: it is gone for good (a StatefulSet creates it again).
      const recreate = this.awaitsRecreation(p);
      p.superseded = true;
      if (p.running) {
        this.halt(p);
        this.counts.reconciledPods++;
        this.counts.recoveryActions++;
        trace.emit(sim.now, 'pod-phase', { cluster: p.cluster, pod: p.name, node: `${p.cluster}-n0`, phase: 'Deleted', reason: 'reconciled after reconnection' });
      }
      if (recreate) {
        this.counts.podsReplaced++;
        this.counts.recoveryActions++;
        this.start(w, p.cluster, sim.now, p.ordinal);
      }
    }
    // Lost deployments need a reset once their owner is back.
    for (const w of this.workloadsOwnedFrom(clusters)) {
      if (!this.lost.has(w.name) || this.ownerLost(w)) continue;
      this.lost.delete(w.name);
      this.counts.recoveryActions++;
      trace.emit(sim.now, 'repair', { what: 'deployment lost', target: `${w.owner}/${w.name}`, reason: 'reset after reconnection' });
      this.changed.add(w.name);
      this.reset(w);
    }
    for (const w of this.waiting.splice(0)) this.replace(w, '');
    this.virtualNodesReady();
    this.onChange();
  }

  /**
   * The returning controller adopts the pods that still exist (a running pod is not restarted;
   * one its kubelet restarts stays). A StatefulSet's pod on a cluster its owner does not reach is
   * Terminating until that cluster is back in sight, then created again there (afterHeal, at most
   * one per ordinal); a Deployment's missing replicas are created where the owner reaches, or
   * when a cluster heals. Running pods it does not reach are left running: the detailed models,
   * the reference, do not evict them either (review 2 of stop 13: an owner back while still
   * partitioned; evicting them gave a 635 s outage the detailed world does not have).
   */
  private reset(w: WorkloadSpec): void {
    const current = this.pods.of(w.name).filter((p) => !p.superseded && !p.evicted);
    for (const p of current) if (!p.running && !this.reachable(w.owner, p.cluster)) p.evicted = true;
    if (w.kind === 'StatefulSet') return; // (its evicted pods are created again by afterHeal)
    const kept = current.filter((p) => !p.evicted).length;
    const allowed = this.allowed(w).filter((c) => this.reachable(w.owner, c)); // (reachable: not down either)
    for (let i = kept; i < w.replicas; i++) {
      if (allowed.length > 0) this.start(w, allowed[i % allowed.length]!, this.ctx.sim.now, i);
      else this.waiting.push(w);
    }
  }

  /** A healed virtual node goes Ready again once Liqo's health checks see the provider. */
  private virtualNodesReady(): void {
    const { sim, trace } = this.ctx;
    for (const [key, { owner, provider, apiServerDownAt }] of this.notReady) {
      if (!this.reachable(owner, provider)) continue;
      sim.after(this.p.readyAgain(this.rng, sim.now >= apiServerDownAt), `virtual node ${provider} Ready in ${owner}`, () => {
        if (!this.reachable(owner, provider) || !this.notReady.delete(key)) return;
        trace.emit(sim.now, 'node-ready', { cluster: owner, node: `liqo-${provider}`, ready: true, virtual: true, reason: 'tunnel check: pong received' });
      });
    }
  }
}
