import { sampleDuration, type Dist, type Rng, type SimContext, type Time } from '../../engine/index.js';
import {
  KubeCluster,
  REMOTE_CLUSTER_LABEL,
  VIRTUAL_NODE_LABEL,
  type Affinity,
  type App,
  type ContainerControl,
  type ContainerRef,
  type InitOutcome,
  type ProbeKind,
  type StopReason,
  type K8sParams,
  type PodSpec,
  type ProbeSpec,
  type SelectorTerm,
} from '../../k8s/index.js';
import { LiqoFabric, offloadNamespace, type LiqoParams } from '../../liqo/index.js';
import { Network } from '../../network/index.js';
import { type Design, type TopologyIndex, type WorkloadSpec } from '../../topology/index.js';
import { FaultHolds, type FaultTarget } from './faults.js';
import type { SetupResult } from './setup.js';
import type { Serving } from './streams.js';
import { FlowTracker, gridApps, type GridAppParams } from './grid-apps.js';
import { DbDomains } from './db-domains.js';
import type { PerconaProfile } from '../profiles/galera.js';

export interface DetailedParams extends GridAppParams {
  readonly k3s: K8sParams;
  readonly liqo: LiqoParams;
  /** One-way delay between sites. */
  readonly oneWayDelay: Dist;
  /** Application start after its container starts. */
  readonly appStart: Dist;
  /** Liveness probe of every workload (the fluidos openPDC probe: exec every 5 s after 5 s, MODEL.md §7). */
  readonly liveness: ProbeSpec;
  /** The DB domains' Galera clusters and operator. */
  readonly percona: PerconaProfile;
}

interface Instance {
  readonly workload: string;
  readonly cluster: string;
  startedAt: Time;
  serving: boolean;
  control?: ContainerControl;
}

/**
 * Where a workload's containers really run and serve, as the kubelets report it through the
 * app seam (src/k8s/app.ts), around the workload's own app (a grid app, or a generic one that
 * starts after `appStart`). For an offloaded pod `where.cluster` is the provider that runs it,
 * so a ShadowPod in a cut-off island keeps serving here.
 */
class RecordingApp implements App {
  constructor(
    private readonly name: string,
    private readonly world: DetailedWorld,
    private readonly start: Dist,
    private readonly inner?: App,
  ) {}

  startLatency(where: ContainerRef, rng: Rng): Time {
    return this.inner ? this.inner.startLatency(where, rng) : sampleDuration(this.start, rng);
  }

  runInit(name: string, where: ContainerRef, rng: Rng, now: Time): InitOutcome {
    return this.inner?.runInit?.(name, where, rng, now) ?? { ok: true, duration: 0 };
  }

  started(where: ContainerRef, now: Time, control: ContainerControl): void {
    this.world.instanceStarted(this.name, where, now, control);
    this.inner?.started?.(where, now, control);
  }

  serving(where: ContainerRef, now: Time): void {
    this.world.instanceServing(where, now);
    this.inner?.serving?.(where, now);
  }

  stopped(where: ContainerRef, now: Time, reason: StopReason): void {
    this.world.instanceStopped(where, reason);
    this.inner?.stopped?.(where, now, reason);
  }

  probe(kind: ProbeKind, where: ContainerRef, now: Time, serving: boolean): boolean {
    if (this.world.broken.has(`${where.cluster}/${where.pod}`)) return false;
    return this.inner?.probe ? this.inner.probe(kind, where, now, serving) : serving;
  }
}

const termFor = (w: WorkloadSpec, cluster: string): SelectorTerm =>
  cluster === w.owner ? [{ key: VIRTUAL_NODE_LABEL, operator: 'DoesNotExist' }] : [{ key: REMOTE_CLUSTER_LABEL, operator: 'In', values: [cluster] }];

/**
 * Node affinity for a placement: required — the owner's own nodes and/or the virtual nodes of
 * the listed providers; preferred — the first listed cluster (the generators list the main
 * station first, its backups after).
 */
function placementAffinity(w: WorkloadSpec): Affinity | undefined {
  const clusters = w.placement.cluster !== undefined ? [w.placement.cluster] : w.placement.clusters;
  if (!clusters) return undefined;
  const remote = clusters.filter((c) => c !== w.owner);
  const required: SelectorTerm[] = [];
  if (remote.length) required.push([{ key: REMOTE_CLUSTER_LABEL, operator: 'In', values: remote }]);
  if (clusters.includes(w.owner)) required.push(termFor(w, w.owner));
  return { nodeRequired: required, nodePreferred: clusters.length > 1 ? [{ weight: 100, term: termFor(w, clusters[0]!) }] : undefined };
}

/**
 * The world built from the detailed models: one k3s cluster (src/k8s) per site, the Liqo fabric
 * (src/liqo) with every peering and namespace offloading of the design at its set-up instant,
 * and the workloads created by their owner cluster's controllers. Failover is what those models
 * do; this class only wires them and reports where workloads serve.
 */
export class DetailedWorld implements Serving, FaultTarget {
  readonly network: Network;
  readonly fabric: LiqoFabric;
  private readonly clusters = new Map<string, KubeCluster>();
  private readonly instances = new Map<string, Instance>();
  /** Stream levels as the PDCs' inputs see them. */
  readonly flows: FlowTracker;
  private readonly apps: Map<string, App>;
  /** The DB domains' Galera clusters: where PDCs read their configuration. */
  private readonly dbs: DbDomains;
  private readonly down = new Set<string>();
  private readonly holds = new FaultHolds();
  readonly broken = new Set<string>();
  /** Instances started after the steady state (replacements and restarts) and pods deleted by reconciliation. */
  readonly counts = { deploymentsLost: 0, podsStartedAfterSteady: 0, podsDeletedAfterSteady: 0 };
  steadyAt = Infinity;
  onChange: () => void = () => {};

  constructor(
    private readonly ctx: SimContext,
    private readonly design: Design,
    private readonly idx: TopologyIndex,
    private readonly p: DetailedParams,
    framePeriod: Time,
  ) {
    this.network = new Network(ctx.bus, { delay: p.oneWayDelay, loss: 0 });
    this.fabric = new LiqoFabric(ctx, this.network, p.liqo);
    for (const c of design.clusters) {
      const kc = new KubeCluster(ctx, c.name, p.k3s, { ...c.labels, 'liqo.io/cluster-name': c.name });
      for (const n of c.nodes) kc.addNode({ name: n.name, cpu: n.cpu, memory: n.memory, labels: n.labels });
      this.fabric.addCluster(kc);
      this.clusters.set(c.name, kc);
    }
    this.dbs = new DbDomains(ctx, this.network, design.workloads, p.percona, this);
    this.flows = new FlowTracker(ctx, design.streams, framePeriod);
    this.apps = gridApps(ctx, this.network, design, p, (w) => this.configSource(w), this.flows);
  }

  /**
   * A PDC reads its configuration from its DB domain: a member of its Galera cluster's primary
   * component reachable from where the PDC runs (during set-up, any serving member).
   */
  private configSource(w: WorkloadSpec): (from: string) => { ok: true } | { ok: false; error: string } {
    const db = w.db;
    return (from) => (db === undefined ? { ok: true } : this.dbs.readable(db, from));
  }

  /** Peerings, offloadings and workloads at the instants the set-up schedule drew. */
  schedule(setup: SetupResult): void {
    const establishedAt = setup.establishedAt;
    const { sim } = this.ctx;
    for (const peering of this.design.peerings) {
      const ends = peering.bidirectional ? [[peering.consumer, peering.provider], [peering.provider, peering.consumer]] : [[peering.consumer, peering.provider]];
      for (const [c, pr] of ends) sim.at(establishedAt(c!, pr!), `liqo: ${c} peers with ${pr}`, () => this.fabric.peer(c!, pr!));
    }
    const offloadedAt = new Map<string, Time>();
    for (const o of this.design.offloading) {
      // Liqo offloads to the providers peered at that instant: wait for every selected one.
      const t = Math.max(0, ...this.idx.offloadTargets(o).map((target) => setup.namespaceReady(o.owner, o.namespace, target)));
      offloadedAt.set(`${o.owner}\u0000${o.namespace}`, t);
      const clusterSelector = o.clusters
        ? [[{ key: 'liqo.io/cluster-name', operator: 'In' as const, values: [...o.clusters] }]]
        : Object.keys(o.clusterSelector).length
          ? [Object.entries(o.clusterSelector).map(([key, v]) => ({ key, operator: 'In' as const, values: [v] }))]
          : undefined;
      sim.at(t, `liqo: offload ${o.owner}/${o.namespace}`, () =>
        offloadNamespace(this.fabric, o.owner, { namespace: o.namespace, clusterSelector, podOffloadingStrategy: o.podOffloadingStrategy, namespaceMappingStrategy: o.mappingStrategy }),
      );
    }
    for (const w of this.design.workloads) {
      const t = offloadedAt.get(`${w.owner}\u0000${w.namespace}`) ?? 0;
      sim.at(t, `${w.owner}: create ${w.kind} ${w.name}`, () => this.create(w));
    }
  }

  private create(w: WorkloadSpec): void {
    const kc = this.clusters.get(w.owner)!;
    const nodes = placementAffinity(w);
    // The Percona operator's default hostname anti-affinity: one member per node, so one per
    // cluster when each is one node or a virtual node (MODEL.md §7).
    const dbSpread = w.app === 'db' ? { podAntiAffinity: [{ matchLabels: { app: w.name }, topologyKey: 'kubernetes.io/hostname' }] } : undefined;
    const affinity = nodes || dbSpread ? { ...nodes, ...dbSpread } : undefined;
    const pxc = w.app === 'db';
    const inner = pxc ? this.dbs.pxcApp(w.name, this.p.appStart) : this.apps.get(w.name);
    // openPDC pods first create their database through HAProxy in an init container (MODEL.md §7).
    const init = inner && w.db !== undefined && w.app.startsWith('pdc') ? { initContainers: ['create-db'] } : {};
    const liveness = pxc ? this.p.percona.liveness : this.p.liveness;
    const template: PodSpec = { image: w.app, app: new RecordingApp(w.name, this, this.p.appStart, inner), liveness, ...init, ...(affinity ? { affinity } : {}) };
    const labels = { app: w.name };
    if (w.kind === 'StatefulSet') kc.statefulSets.add({ name: w.name, namespace: w.namespace, replicas: w.replicas, labels, template, podManagementPolicy: 'Parallel' });
    else kc.deployments.add({ name: w.name, namespace: w.namespace, replicas: w.replicas, labels, template, strategy: { type: 'RollingUpdate', maxSurge: 1, maxUnavailable: 0 } });
  }

  instanceStarted(workload: string, where: ContainerRef, now: Time, control: ContainerControl): void {
    const key = `${where.cluster}/${where.pod}`;
    // A new pod (not an in-place restart) after the steady state is a recovery action.
    if (now > this.steadyAt && where.restarts === 0) this.counts.podsStartedAfterSteady++;
    this.instances.set(key, { workload, cluster: where.cluster, startedAt: now, serving: false, control });
    this.broken.delete(key);
  }

  instanceServing(where: ContainerRef, now: Time): void {
    const i = this.instances.get(`${where.cluster}/${where.pod}`);
    if (!i) return;
    i.serving = true;
    i.startedAt = now;
    this.dbs.serving(i.workload, where.pod, where.cluster);
    this.onChange();
  }

  instanceStopped(where: ContainerRef, reason: string): void {
    const key = `${where.cluster}/${where.pod}`;
    const i = this.instances.get(key);
    if (!i) return;
    this.instances.delete(key);
    this.dbs.stopped(i.workload, where.pod);
    if (reason === 'deleted' && this.ctx.sim.now > this.steadyAt) this.counts.podsDeletedAfterSteady++;
    this.onChange();
  }

  /** Instances of every workload serving, by workload. */
  servingCount(workload: string): number {
    let n = 0;
    for (const i of this.instances.values()) if (i.workload === workload && i.serving) n++;
    return n;
  }

  servingAt(workload: string): string[] {
    const out: string[] = [];
    for (const i of this.instances.values()) if (i.workload === workload && i.serving && !out.includes(i.cluster)) out.push(i.cluster);
    return out;
  }

  startedAt(workload: string, cluster: string): Time {
    let t = 0;
    for (const i of this.instances.values()) if (i.workload === workload && i.cluster === cluster && i.serving) t = Math.max(t, i.startedAt);
    return t;
  }

  reachable(a: string, b: string): boolean {
    return !this.down.has(a) && !this.down.has(b) && this.network.reachable(a, b);
  }

  /**
   * Power loss of a whole site: its kubelets stop and it answers nobody (isolated). Its control
   * plane is modelled as cut off rather than stopped: what it decides alone reaches no one and
   * is reconciled when it returns.
   */
  clusterDown(c: string): void {
    if (!this.holds.hold('down', c)) return;
    this.down.add(c);
    // Its deployments are lost until it returns (MODEL.md §6): nobody else manages them.
    for (const w of this.design.workloads) if (w.owner === c) this.counts.deploymentsLost++;
    this.network.isolate(c);
    for (const k of this.clusters.get(c)!.kubelets.values()) k.powerOff();
    this.onChange();
  }

  clusterUp(c: string): void {
    if (!this.holds.release('down', c)) return;
    this.down.delete(c);
    for (const k of this.clusters.get(c)!.kubelets.values()) k.powerOn();
    if (!this.holds.holds('isolated', c)) this.network.restore(c); // still cut off by another fault
    this.onChange();
  }

  isolate(c: string): void {
    if (!this.holds.hold('isolated', c)) return;
    this.network.isolate(c);
    this.onChange();
  }

  restore(c: string): void {
    if (!this.holds.release('isolated', c)) return;
    if (!this.down.has(c)) this.network.restore(c); // a cluster that is down stays unreachable
    this.onChange();
  }

  partition(island: readonly string[]): void {
    this.network.partition([island]);
    this.onChange();
  }

  healPartition(): void {
    this.network.healPartition();
    this.onChange();
  }

  /** The workload's processes hang: liveness fails, the kubelet restarts them in place (MODEL.md §2). */
  podFailure(workload: string): void {
    for (const [key, i] of this.instances) {
      if (i.workload !== workload) continue;
      this.broken.add(key);
      i.serving = false;
    }
    this.onChange();
  }
}
