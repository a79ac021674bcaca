import { Store, type SimContext, type Time } from '../engine/index.js';
import { Volumes } from './storage.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE, podKey, type ClusterState, type ConditionStatus, type NodeState, type OwnerRef, type PodSpec, type PodState, type Taint, type Toleration } from './types.js';

/**
 * Bus topics published by a cluster's API server, one pair per cluster (`k8s.pod/<cluster>`) so
 * that a change costs only that cluster's subscribers; payloads name the cluster and the object.
 */
export const POD_CHANGED = 'k8s.pod';
export const NODE_CHANGED = 'k8s.node';
export const podTopic = (cluster: string): string => `${POD_CHANGED}/${cluster}`;
export const nodeTopic = (cluster: string): string => `${NODE_CHANGED}/${cluster}`;
export interface PodChanged {
  readonly cluster: string;
  readonly key: string;
  readonly gone: boolean;
}
export interface NodeChanged {
  readonly cluster: string;
  readonly node: string;
}

export interface ApiServerParams {
  /** DefaultTolerationSeconds admission plugin (`--default-not-ready-toleration-seconds`). */
  readonly defaultNotReadyToleration: Time;
  /** `--default-unreachable-toleration-seconds`. */
  readonly defaultUnreachableToleration: Time;
}

export interface NewPod {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly owner?: OwnerRef;
  readonly spec: PodSpec;
}

export interface NewNode {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly virtual?: boolean;
  readonly taints?: readonly Taint[];
  readonly cpu?: number;
  readonly memory?: number;
  readonly images?: readonly string[];
}

/** An admission mutator: may rewrite a pod's spec at creation (Liqo's offloading webhook is one). */
export type Admission = (pod: NewPod, cluster: Cluster) => NewPod;

/**
 * One cluster's API server: its objects in one `Store` slice, the writes controllers make,
 * and the admission chain. Every change is announced on the bus (POD_CHANGED / NODE_CHANGED)
 * so controllers reconcile level-triggered. `name` is also the cluster's network site.
 */
export class Cluster {
  readonly store = new Store<ClusterState>({ nodes: {}, pods: {} });
  private readonly specs = new Map<string, PodSpec>();
  /** Storage classes and claims of this cluster. */
  readonly volumes = new Volumes();
  /** Per node: last Lease renewal and last status post (µs). */
  private readonly heartbeats = new Map<string, { lease: Time; status: Time }>();
  private readonly admissions: Admission[] = [];

  constructor(
    readonly ctx: SimContext,
    readonly name: string,
    readonly params: ApiServerParams,
    /** Labels of the cluster itself (Liqo's cluster selector matches them). */
    readonly labels: Readonly<Record<string, string>> = {},
  ) {
    this.admissions.push(defaultTolerationSeconds(params));
  }

  get state(): ClusterState {
    return this.store.get();
  }

  node(name: string): NodeState | undefined {
    return this.state.nodes[name];
  }

  pod(key: string): PodState | undefined {
    return this.state.pods[key];
  }

  spec(key: string): PodSpec | undefined {
    return this.specs.get(key);
  }

  /** Pods in creation order (object insertion order is deterministic). */
  pods(filter: (p: PodState) => boolean = () => true): PodState[] {
    return Object.values(this.state.pods).filter(filter);
  }

  podsOn(node: string): PodState[] {
    return this.pods((p) => p.node === node);
  }

  /** Subscribes to this cluster's pod changes. */
  onPod(handler: (e: PodChanged) => void): void {
    this.ctx.bus.on<PodChanged>(podTopic(this.name), handler);
  }

  /** Subscribes to this cluster's node changes (heartbeats excluded). */
  onNode(handler: (e: NodeChanged) => void): void {
    this.ctx.bus.on<NodeChanged>(nodeTopic(this.name), handler);
  }

  addAdmission(a: Admission): void {
    this.admissions.push(a);
  }

  addNode(n: NewNode): void {
    const now = this.ctx.sim.now;
    this.store.update(`add node ${n.name}`, (s) => {
      s.nodes[n.name] = {
        name: n.name,
        labels: { 'kubernetes.io/hostname': n.name, ...n.labels },
        virtual: n.virtual ?? false,
        ready: 'True',
        readyReason: 'KubeletReady',
        readyTransition: now,
        taints: [...(n.taints ?? [])],
        cpu: n.cpu ?? 4000,
        memory: n.memory ?? 8192,
        images: [...(n.images ?? [])],
      };
    });
    this.heartbeats.set(n.name, { lease: now, status: now });
    // Announced once, so a trace reader (the live view, the readiness plot) knows every node, not only those that change.
    this.ctx.trace.emit(now, 'node-ready', { cluster: this.name, node: n.name, ready: true, status: 'True', virtual: n.virtual ?? false, reason: 'KubeletReady' });
    this.ctx.bus.emit<NodeChanged>(nodeTopic(this.name), { cluster: this.name, node: n.name });
  }

  updateNode(name: string, transition: string, recipe: (n: import('immer').Draft<NodeState>) => void): void {
    if (!this.state.nodes[name]) return;
    this.store.update(transition, (s) => recipe(s.nodes[name]!));
    this.ctx.bus.emit<NodeChanged>(nodeTopic(this.name), { cluster: this.name, node: name });
  }

  /**
   * A heartbeat write (Lease renewal or status report). Heartbeats are the hottest writes of a
   * cluster, so they live beside the state slice (like a Lease object), not in the immer tree, and
   * raise no NODE_CHANGED: the node lifecycle controller reads them on its own passes.
   */
  heartbeat(name: string, what: 'lease' | 'status'): void {
    const h = this.heartbeats.get(name);
    if (!h) return;
    h[what] = this.ctx.sim.now;
  }

  /** The newer of the node's last Lease renewal and last status post. */
  lastHeartbeat(name: string): Time {
    const h = this.heartbeats.get(name);
    return h ? Math.max(h.lease, h.status) : -Infinity;
  }

  /** Sets the node's Ready condition (kubelet post or node lifecycle controller); traces a change. */
  setReady(name: string, status: ConditionStatus, reason: string): void {
    const n = this.node(name);
    if (!n || (n.ready === status && n.readyReason === reason)) return;
    const now = this.ctx.sim.now;
    this.updateNode(name, `node ${name} Ready=${status}`, (d) => {
      if (d.ready !== status) d.readyTransition = now;
      d.ready = status;
      d.readyReason = reason;
      // TaintNodesByCondition: the NoSchedule twin of the condition follows it at once.
      d.taints = d.taints.filter((t) => !(t.effect === 'NoSchedule' && (t.key === TAINT_NOT_READY || t.key === TAINT_UNREACHABLE)));
      if (status !== 'True') d.taints.push({ key: status === 'False' ? TAINT_NOT_READY : TAINT_UNREACHABLE, effect: 'NoSchedule' });
    });
    if (n.ready !== status) this.ctx.trace.emit(now, 'node-ready', { cluster: this.name, node: name, ready: status === 'True', status, virtual: n.virtual, reason });
  }

  setTaint(name: string, taint: Taint, present: boolean): void {
    const n = this.node(name);
    if (!n) return;
    const has = n.taints.some((t) => t.key === taint.key && t.effect === taint.effect);
    if (has === present) return;
    const now = this.ctx.sim.now;
    this.updateNode(name, `${present ? 'taint' : 'untaint'} ${name} ${taint.key}:${taint.effect}`, (d) => {
      d.taints = d.taints.filter((t) => !(t.key === taint.key && t.effect === taint.effect));
      if (present) d.taints.push({ ...taint, timeAdded: now });
    });
    this.ctx.trace.emit(now, 'node-taint', { cluster: this.name, node: name, taint: taint.key, effect: taint.effect, added: present });
  }

  createPod(input: NewPod): string {
    const pod = this.admissions.reduce((p, a) => a(p, this), input);
    const key = podKey(pod.namespace, pod.name);
    if (this.state.pods[key]) throw new Error(`pod ${key} already exists in ${this.name}`);
    const now = this.ctx.sim.now;
    this.specs.set(key, pod.spec);
    this.store.update(`create pod ${key}`, (s) => {
      s.pods[key] = {
        key, name: pod.name, namespace: pod.namespace, labels: { ...pod.labels }, owner: pod.owner,
        phase: 'Pending', ready: false, restarts: 0, createdAt: now, tolerations: [...(pod.spec.tolerations ?? [])],
      };
    });
    this.podPhase(key, 'Pending', 'created');
    this.ctx.bus.emit<PodChanged>(podTopic(this.name), { cluster: this.name, key, gone: false });
    return key;
  }

  updatePod(key: string, transition: string, recipe: (p: import('immer').Draft<PodState>) => void): void {
    if (!this.state.pods[key]) return;
    this.store.update(transition, (s) => recipe(s.pods[key]!));
    this.ctx.bus.emit<PodChanged>(podTopic(this.name), { cluster: this.name, key, gone: false });
  }

  bind(key: string, node: string): void {
    this.updatePod(key, `bind ${key} to ${node}`, (p) => {
      p.node = node;
      p.reason = undefined;
    });
  }

  /** Graceful deletion: the pod turns Terminating; its node's kubelet stops it and then `remove`s it. */
  delete(key: string, reason: string): void {
    const p = this.pod(key);
    if (!p || p.deletionTimestamp !== undefined) return;
    if (p.node === undefined) return this.remove(key, reason); // never ran: nothing to stop
    this.updatePod(key, `delete ${key}`, (d) => {
      d.deletionTimestamp = this.ctx.sim.now;
      d.ready = false;
    });
    this.podPhase(key, 'Terminating', reason);
  }

  /** The object is gone from the API server. */
  remove(key: string, reason: string): void {
    if (!this.state.pods[key]) return;
    this.podPhase(key, 'Deleted', reason);
    this.store.update(`remove pod ${key}`, (s) => {
      delete s.pods[key];
    });
    this.specs.delete(key);
    this.ctx.bus.emit<PodChanged>(podTopic(this.name), { cluster: this.name, key, gone: true });
  }

  /** Traces a pod phase (the UI/plot vocabulary includes Ready, Terminating and Deleted). */
  podPhase(key: string, phase: string, reason: string): void {
    const p = this.pod(key);
    this.ctx.trace.emit(this.ctx.sim.now, 'pod-phase', { cluster: this.name, pod: key, node: p?.node ?? null, phase, reason });
  }
}

/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * a pod without its own not-ready / unreachable NoExecute toleration gets one with the default seconds.
 */
function defaultTolerationSeconds(params: ApiServerParams): Admission {
  return (pod) => {
    const tolerations: Toleration[] = [...(pod.spec.tolerations ?? [])];
    const has = (key: string) => tolerations.some((t) => (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (t.effect === undefined || t.effect === 'NoExecute'));
    if (!has(TAINT_NOT_READY)) tolerations.push({ key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: params.defaultNotReadyToleration });
    if (!has(TAINT_UNREACHABLE)) tolerations.push({ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: params.defaultUnreachableToleration });
    return { ...pod, spec: { ...pod.spec, tolerations } };
  };
}

/**
 * A controller's work queue reduced to what matters here: many change notifications in one
 * instant collapse into one reconcile, run `latency` later (never synchronously inside a store update).
 */
export class ReconcileQueue {
  private pending = false;

  constructor(
    private readonly ctx: SimContext,
    private readonly label: string,
    private readonly reconcile: () => void,
    private readonly latency: () => Time = () => 0,
  ) {}

  request(): void {
    if (this.pending) return;
    this.pending = true;
    this.ctx.sim.after(this.latency(), this.label, () => {
      this.pending = false;
      this.reconcile();
    });
  }
}
