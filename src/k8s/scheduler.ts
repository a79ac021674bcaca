import { sampleDuration, type Dist, type Rng } from '../engine/index.js';
import { ReconcileQueue, type Cluster } from './cluster.js';
import { matchesAnyTerm, matchesLabels, matchesTerm } from './selectors.js';
import type { Volumes } from './storage.js';
import { tolerates, untoleratedTaint } from './taints.js';
import type { NodeState, PodAffinityTerm, PodSpec, PodState } from './types.js';

/** What a plugin sees when judging one node for one pod. */
export interface SchedulingInput {
  readonly cluster: Cluster;
  readonly volumes: Volumes;
  readonly pod: PodState;
  readonly spec: PodSpec;
}

/** A Filter plugin: the reason the node is rejected, or undefined if it fits. */
export interface FilterPlugin {
  readonly name: string;
  filter(input: SchedulingInput, node: NodeState): string | undefined;
}

/** A Score plugin: 0..100 (higher is better), multiplied by its weight. */
export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  score(input: SchedulingInput, node: NodeState): number;
}

const live = (p: PodState) => p.phase !== 'Succeeded' && p.phase !== 'Failed';

/** NodeResourcesFit: requests of the pods already bound (Terminating ones too) plus this one fit allocatable. */
export const nodeResourcesFit: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter({ cluster, spec }, node) {
    let cpu = spec.cpu ?? 0;
    let memory = spec.memory ?? 0;
    for (const p of cluster.podsOn(node.name)) {
      if (!live(p)) continue;
      const s = cluster.spec(p.key);
      cpu += s?.cpu ?? 0;
      memory += s?.memory ?? 0;
    }
    if (cpu > node.cpu) return 'Insufficient cpu';
    if (memory > node.memory) return 'Insufficient memory';
    return undefined;
  },
};

/** NodeAffinity filter: nodeSelector and required node affinity. */
export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter({ spec }, node) {
    if (spec.nodeSelector && !matchesLabels(node.labels, spec.nodeSelector)) return "node didn't match Pod's node selector";
    const req = spec.affinity?.nodeRequired;
    if (req && !matchesAnyTerm(node.labels, req)) return "node didn't match Pod's node affinity";
    return undefined;
  },
};

/** TaintToleration filter: NoSchedule and NoExecute taints must be tolerated. */
export const taintToleration: FilterPlugin = {
  name: 'TaintToleration',
  filter({ pod }, node) {
    const t = untoleratedTaint(node.taints, pod.tolerations, ['NoSchedule', 'NoExecute']);
    return t ? `node had untolerated taint {${t.key}: ${t.effect}}` : undefined;
  },
};

/** Pods (alive, not this one) matching `term` in the same topology domain as `node`. */
function podsInDomain(input: SchedulingInput, node: NodeState, term: PodAffinityTerm): PodState[] {
  const domain = node.labels[term.topologyKey];
  if (domain === undefined) return [];
  return input.cluster.pods((p) => {
    if (p.key === input.pod.key || p.node === undefined || p.deletionTimestamp !== undefined || !live(p)) return false;
    if (p.namespace !== input.pod.namespace || !matchesLabels(p.labels, term.matchLabels)) return false;
    return input.cluster.node(p.node)?.labels[term.topologyKey] === domain;
  });
}

/** Does a bound pod's required anti-affinity forbid the incoming pod on `node` (same domain, labels match)? */
function existingPodRejects(input: SchedulingInput, node: NodeState): boolean {
  return input.cluster.pods((p) => p.key !== input.pod.key && p.node !== undefined && p.deletionTimestamp === undefined && live(p)).some((p) =>
    (input.cluster.spec(p.key)?.affinity?.podAntiAffinity ?? []).some((term) => {
      if (p.namespace !== input.pod.namespace || !matchesLabels(input.pod.labels, term.matchLabels)) return false;
      const domain = input.cluster.node(p.node!)?.labels[term.topologyKey];
      return domain !== undefined && node.labels[term.topologyKey] === domain;
    }),
  );
}

/**
 * InterPodAffinity filter: required pod affinity and anti-affinity, the latter both ways — the
 * incoming pod's terms and those of the pods already bound (interpodaffinity/filtering.go).
 */
export const interPodAffinity: FilterPlugin = {
  name: 'InterPodAffinity',
  filter(input, node) {
    if (existingPodRejects(input, node)) return "node didn't satisfy existing pods anti-affinity rules";
    for (const term of input.spec.affinity?.podAntiAffinity ?? []) {
      if (podsInDomain(input, node, term).length > 0) return "node didn't match pod anti-affinity rules";
    }
    for (const term of input.spec.affinity?.podAffinity ?? []) {
      // The first pod of a group may go anywhere if it matches its own term (as in the real plugin).
      const anyMatching = input.cluster.pods((p) => p.key !== input.pod.key && p.node !== undefined && matchesLabels(p.labels, term.matchLabels)).length > 0;
      if ((anyMatching || !matchesLabels(input.pod.labels, term.matchLabels)) && podsInDomain(input, node, term).length === 0) return "node didn't match pod affinity rules";
    }
    return undefined;
  },
};

/** VolumeBinding: a bound volume's node affinity (data gravity); unbound classes that cannot provision here. */
export const volumeBinding: FilterPlugin = {
  name: 'VolumeBinding',
  filter({ volumes, pod, spec }, node) {
    for (const name of spec.volumes ?? []) {
      const c = volumes.claim(pod.namespace, name);
      if (!c) return `persistentvolumeclaim "${name}" not found`;
      const reason = volumes.unusableReason(c, node);
      if (reason) return reason;
    }
    return undefined;
  },
};

/** NodeAffinity score: sum of the weights of matching preferred terms. */
export const preferredNodeAffinity: ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  score({ spec }, node) {
    const prefs = spec.affinity?.nodePreferred ?? [];
    const total = prefs.reduce((a, p) => a + p.weight, 0);
    if (total === 0) return 0;
    return (100 * prefs.filter((p) => matchesTerm(node.labels, p.term)).reduce((a, p) => a + p.weight, 0)) / total;
  },
};

/** TaintToleration score: fewer untolerated PreferNoSchedule taints is better. */
export const preferNoSchedule: ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  score({ pod }, node) {
    const bad = node.taints.filter((t) => t.effect === 'PreferNoSchedule' && !pod.tolerations.some((tol) => tolerates(tol, t))).length;
    return Math.max(0, 100 - 10 * bad);
  },
};

/** InterPodAffinity score: preferred anti-affinity (spreading) weights. */
export const preferredPodAntiAffinity: ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  score(input, node) {
    const prefs = input.spec.affinity?.podAntiAffinityPreferred ?? [];
    const total = prefs.reduce((a, p) => a + p.weight, 0);
    if (total === 0) return 0;
    return (100 * prefs.filter((p) => podsInDomain(input, node, p.term).length === 0).reduce((a, p) => a + p.weight, 0)) / total;
  },
};

/** NodeResourcesFit score, LeastAllocated: the emptier node by requested CPU. */
export const leastAllocated: ScorePlugin = {
  name: 'NodeResourcesLeastAllocated',
  weight: 1,
  score({ cluster }, node) {
    const used = cluster.podsOn(node.name).filter(live).reduce((a, p) => a + (cluster.spec(p.key)?.cpu ?? 0), 0);
    return node.cpu > 0 ? (100 * Math.max(0, node.cpu - used)) / node.cpu : 0;
  },
};

export const DEFAULT_FILTERS: readonly FilterPlugin[] = [nodeResourcesFit, nodeAffinity, taintToleration, interPodAffinity, volumeBinding];
export const DEFAULT_SCORES: readonly ScorePlugin[] = [preferredNodeAffinity, preferNoSchedule, preferredPodAntiAffinity, leastAllocated];

export interface SchedulerParams {
  /** From a pod becoming schedulable to its binding (queueing + cycle + bind API call). */
  readonly latency: Dist;
  readonly filters?: readonly FilterPlugin[];
  readonly scores?: readonly ScorePlugin[];
}

/**
 * kube-scheduler as an ordered list of named filter and score plugins. Pending pods are tried in
 * creation order whenever pods or nodes change; ties among the best nodes are broken by the
 * scheduler's own seeded stream (the real one picks at random too). An unschedulable pod stays
 * Pending with the reasons recorded ("0/3 nodes are available: …").
 */
export class Scheduler {
  private readonly queue: ReconcileQueue;
  private readonly filters: readonly FilterPlugin[];
  private readonly scores: readonly ScorePlugin[];

  constructor(
    private readonly cluster: Cluster,
    params: SchedulerParams,
    private readonly rng: Rng,
  ) {
    this.filters = params.filters ?? DEFAULT_FILTERS;
    this.scores = params.scores ?? DEFAULT_SCORES;
    this.queue = new ReconcileQueue(cluster.ctx, `scheduler ${cluster.name}`, () => this.schedulePending(), () => sampleDuration(params.latency, rng));
    cluster.onPod(() => this.queue.request());
    cluster.onNode(() => this.queue.request());
  }

  private schedulePending(): void {
    for (const pod of this.cluster.pods((p) => p.node === undefined && p.deletionTimestamp === undefined && p.phase === 'Pending')) {
      const spec = this.cluster.spec(pod.key);
      if (spec) this.scheduleOne({ cluster: this.cluster, volumes: this.cluster.volumes, pod, spec });
    }
  }

  /** One scheduling cycle: the chosen node, or undefined with the pod's reason updated. */
  scheduleOne(input: SchedulingInput): string | undefined {
    const nodes = Object.values(this.cluster.state.nodes);
    const feasible: NodeState[] = [];
    const reasons = new Map<string, number>();
    for (const node of nodes) {
      const why = this.filters.map((f) => f.filter(input, node)).find((r) => r !== undefined);
      if (why === undefined) feasible.push(node);
      else reasons.set(why, (reasons.get(why) ?? 0) + 1);
    }
    if (feasible.length === 0) {
      const reason = `0/${nodes.length} nodes are available: ${[...reasons].map(([r, n]) => `${n} ${r}`).sort().join(', ')}`;
      if (input.pod.reason !== reason) {
        this.cluster.updatePod(input.pod.key, `unschedulable ${input.pod.key}`, (p) => void (p.reason = reason));
        this.cluster.podPhase(input.pod.key, 'Pending', reason);
      }
      return undefined;
    }
    let best: NodeState[] = [];
    let bestScore = -Infinity;
    for (const node of feasible) {
      const s = this.scores.reduce((a, p) => a + p.weight * p.score(input, node), 0);
      if (s > bestScore + 1e-9) [best, bestScore] = [[node], s];
      else if (Math.abs(s - bestScore) <= 1e-9) best.push(node);
    }
    const chosen = best[Math.floor(this.rng.next() * best.length)]!;
    for (const name of input.spec.volumes ?? []) {
      const c = this.cluster.volumes.claim(input.pod.namespace, name);
      if (c) this.cluster.volumes.bindFirstConsumer(c, chosen);
    }
    this.cluster.bind(input.pod.key, chosen.name);
    return chosen.name;
  }
}
