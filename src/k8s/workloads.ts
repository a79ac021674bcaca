import { ReconcileQueue, type Cluster } from './cluster.js';
import type { PodSpec, PodState } from './types.js';

/** A pod that still counts for its controller: not being deleted, not finished. */
const active = (p: PodState) => p.deletionTimestamp === undefined && p.phase !== 'Failed' && p.phase !== 'Succeeded';

/** Deletion preference when scaling down (controller.ActivePods ordering, simplified): unbound, pending, not ready, newest first. */
const deletionRank = (p: PodState) => (p.node === undefined ? 0 : 4) + (p.phase === 'Pending' ? 0 : 2) + (p.ready ? 1 : 0);

export interface ReplicaSetSpec {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly template: PodSpec;
}

/**
 * ReplicaSet controller: keeps `replicas` active pods. A pod with a deletion timestamp no longer
 * counts, so the replacement of an evicted pod is created at once even though the old one stays
 * Terminating while its node is unreachable (MODEL.md §2).
 */
export class ReplicaSetController {
  private readonly sets = new Map<string, { spec: ReplicaSetSpec; replicas: number; next: number }>();
  private readonly queue: ReconcileQueue;

  constructor(private readonly cluster: Cluster) {
    this.queue = new ReconcileQueue(cluster.ctx, `replicaset-controller ${cluster.name}`, () => this.reconcileAll());
    cluster.onPod(() => this.queue.request());
  }

  add(spec: ReplicaSetSpec): void {
    this.sets.set(spec.name, { spec, replicas: spec.replicas, next: 0 });
    this.queue.request();
  }

  scale(name: string, replicas: number): void {
    const rs = this.sets.get(name);
    if (!rs || rs.replicas === replicas) return;
    rs.replicas = replicas;
    this.queue.request();
  }

  replicas(name: string): number {
    return this.sets.get(name)?.replicas ?? 0;
  }

  pods(name: string): PodState[] {
    return this.cluster.pods((p) => p.owner?.kind === 'ReplicaSet' && p.owner.name === name);
  }

  private reconcileAll(): void {
    for (const [name, rs] of this.sets) {
      const mine = this.pods(name).filter(active);
      for (let i = mine.length; i < rs.replicas; i++) {
        const podName = `${name}-${(rs.next++).toString(36).padStart(5, '0')}`;
        this.cluster.createPod({ name: podName, namespace: rs.spec.namespace, labels: rs.spec.labels, owner: { kind: 'ReplicaSet', name }, spec: rs.spec.template });
      }
      const extra = mine
        .map((p, i) => ({ p, i }))
        .sort((a, b) => deletionRank(a.p) - deletionRank(b.p) || b.i - a.i)
        .slice(0, Math.max(0, mine.length - rs.replicas));
      for (const { p } of extra) this.cluster.delete(p.key, `scaled down ${name}`);
    }
  }
}

export interface DeploymentSpec {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly template: PodSpec;
  /** Recreate: all old pods gone before any new one; RollingUpdate: bounded surge / unavailability. */
  readonly strategy: { readonly type: 'Recreate' } | { readonly type: 'RollingUpdate'; readonly maxSurge: number; readonly maxUnavailable: number };
}

/**
 * Deployment controller: one ReplicaSet per template revision (`<name>-<revision>`); a template
 * update rolls pods over by the strategy. Recreate waits until the old pods are *gone* (not only
 * Terminating) — so a Recreate Deployment whose old pod hangs on an unreachable node never starts a new one.
 */
export class DeploymentController {
  private readonly deployments = new Map<string, { spec: DeploymentSpec; revision: number }>();
  private readonly queue: ReconcileQueue;

  constructor(
    private readonly cluster: Cluster,
    private readonly replicaSets: ReplicaSetController,
  ) {
    this.queue = new ReconcileQueue(cluster.ctx, `deployment-controller ${cluster.name}`, () => this.reconcileAll());
    cluster.onPod(() => this.queue.request());
  }

  add(spec: DeploymentSpec): void {
    this.deployments.set(spec.name, { spec, revision: 1 });
    this.replicaSets.add({ name: `${spec.name}-1`, namespace: spec.namespace, labels: spec.labels, template: spec.template, replicas: spec.replicas });
  }

  /** A new pod template: a new revision and its ReplicaSet, started at 0 replicas and rolled by the strategy. */
  updateTemplate(name: string, template: PodSpec): void {
    const d = this.deployments.get(name);
    if (!d) return;
    d.revision++;
    d.spec = { ...d.spec, template };
    this.replicaSets.add({ name: `${name}-${d.revision}`, namespace: d.spec.namespace, labels: d.spec.labels, template, replicas: 0 });
    this.queue.request();
  }

  private reconcileAll(): void {
    for (const [name, d] of this.deployments) {
      const current = `${name}-${d.revision}`;
      const old = Array.from({ length: d.revision - 1 }, (_, i) => `${name}-${i + 1}`);
      const { replicas, strategy } = d.spec;
      if (strategy.type === 'Recreate') {
        for (const rs of old) this.replicaSets.scale(rs, 0);
        // oldPodsRunning: any old pod object still there (Terminating included) blocks the new revision.
        if (old.some((rs) => this.replicaSets.pods(rs).some((p) => p.phase !== 'Failed' && p.phase !== 'Succeeded'))) continue;
        this.replicaSets.scale(current, replicas);
        continue;
      }
      const all = [current, ...old];
      const podsOf = (rs: string) => this.replicaSets.pods(rs).filter(active);
      const total = all.reduce((a, rs) => a + podsOf(rs).length, 0);
      const ready = all.reduce((a, rs) => a + podsOf(rs).filter((p) => p.ready).length, 0);
      // Scale up the new ReplicaSet within maxSurge …
      const up = Math.min(replicas - this.replicaSets.replicas(current), replicas + strategy.maxSurge - total);
      if (up > 0) this.replicaSets.scale(current, this.replicaSets.replicas(current) + up);
      // … and the old ones down as far as maxUnavailable allows (counting ready pods).
      let canRemove = ready - (replicas - strategy.maxUnavailable);
      for (const rs of old) {
        const n = this.replicaSets.replicas(rs);
        const cut = Math.min(n, Math.max(0, canRemove));
        if (cut > 0) this.replicaSets.scale(rs, n - cut);
        canRemove -= cut;
      }
    }
  }
}

export interface StatefulSetSpec {
  readonly name: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly template: PodSpec;
  /** volumeClaimTemplates: claim `<template>-<set>-<ordinal>` per pod, kept when the pod is replaced. */
  readonly volumeClaimTemplates?: readonly { readonly name: string; readonly storageClass: string }[];
  /** OrderedReady (default) creates ordinal i only when 0..i-1 are Running and Ready. */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
}

/**
 * StatefulSet controller with at-most-one semantics: pod `<set>-<i>` is created only when no pod
 * object of that name exists, so a pod Terminating on an unreachable node is *not* replaced until
 * the object is gone (node back, or a force delete).
 */
export class StatefulSetController {
  private readonly sets = new Map<string, StatefulSetSpec>();
  private readonly queue: ReconcileQueue;

  constructor(private readonly cluster: Cluster) {
    this.queue = new ReconcileQueue(cluster.ctx, `statefulset-controller ${cluster.name}`, () => this.reconcileAll());
    cluster.onPod(() => this.queue.request());
  }

  add(spec: StatefulSetSpec): void {
    this.sets.set(spec.name, spec);
    this.queue.request();
  }

  private reconcileAll(): void {
    for (const set of this.sets.values()) {
      for (let i = 0; i < set.replicas; i++) {
        const name = `${set.name}-${i}`;
        const pod = this.cluster.pod(`${set.namespace}/${name}`);
        if (pod) {
          if (pod.phase === 'Failed' && pod.deletionTimestamp === undefined) this.cluster.delete(pod.key, 'failed stateful pod is recreated');
          if ((set.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady' && !(pod.phase === 'Running' && pod.ready)) break;
          continue;
        }
        const claims = (set.volumeClaimTemplates ?? []).map((t) => this.cluster.volumes.ensureClaim(set.namespace, `${t.name}-${name}`, t.storageClass).name);
        const template = claims.length ? { ...set.template, volumes: [...(set.template.volumes ?? []), ...claims] } : set.template;
        this.cluster.createPod({ name, namespace: set.namespace, labels: set.labels, owner: { kind: 'StatefulSet', name: set.name }, spec: template });
        if ((set.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady') break;
      }
    }
  }
}
