import type { Dist, Time } from '../engine/index.js';
import type { App } from './app.js';

/** The objects of one cluster's API server, as plain serialisable data (kept in a per-cluster `Store`). */

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: TaintEffect;
  /** When a NoExecute taint was added (the taint manager counts tolerationSeconds from here). */
  readonly timeAdded?: Time;
}

export interface Toleration {
  /** Absent with operator Exists: tolerates every taint. */
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  /** Absent: every effect. */
  readonly effect?: TaintEffect;
  /** NoExecute only: how long the pod stays bound after the taint is added; absent = forever. */
  readonly tolerationSeconds?: Time;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface NodeState {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** A Liqo virtual node (its "kubelet" is the virtual kubelet in this cluster). */
  readonly virtual: boolean;
  readonly ready: ConditionStatus;
  readonly readyReason: string;
  readonly readyTransition: Time;
  readonly taints: readonly Taint[];
  /** Allocatable resources: CPU in millicores, memory in MiB. */
  readonly cpu: number;
  readonly memory: number;
  /** Images present on the node (pull skipped). */
  readonly images: readonly string[];
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface OwnerRef {
  readonly kind: 'ReplicaSet' | 'StatefulSet';
  readonly name: string;
}

export interface PodState {
  readonly key: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly owner?: OwnerRef;
  readonly node?: string;
  readonly phase: PodPhase;
  readonly ready: boolean;
  readonly restarts: number;
  readonly createdAt: Time;
  /** Set when deletion was requested: the pod is Terminating until its node's kubelet confirms. */
  readonly deletionTimestamp?: Time;
  /** Why a pending pod is not scheduled, or why the pod failed. */
  readonly reason?: string;
  /** Tolerations after admission (DefaultTolerationSeconds adds not-ready/unreachable ones). */
  readonly tolerations: readonly Toleration[];
}

export interface ClusterState {
  readonly nodes: Readonly<Record<string, NodeState>>;
  readonly pods: Readonly<Record<string, PodState>>;
}

export interface ProbeSpec {
  readonly initialDelay: Time;
  readonly period: Time;
  readonly failureThreshold: number;
}

export type SelectorOp = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: SelectorOp;
  readonly values?: readonly string[];
}
/** A node selector term: every requirement must hold (terms of a list are ORed). */
export type SelectorTerm = readonly SelectorRequirement[];

export interface PodAffinityTerm {
  /** Labels the other pods must carry (all of them). */
  readonly matchLabels: Readonly<Record<string, string>>;
  /** Node label defining "the same place", e.g. kubernetes.io/hostname or a cluster label. */
  readonly topologyKey: string;
}

export interface Affinity {
  readonly nodeRequired?: readonly SelectorTerm[];
  readonly nodePreferred?: readonly { readonly weight: number; readonly term: SelectorTerm }[];
  readonly podAffinity?: readonly PodAffinityTerm[];
  readonly podAntiAffinity?: readonly PodAffinityTerm[];
  readonly podAntiAffinityPreferred?: readonly { readonly weight: number; readonly term: PodAffinityTerm }[];
}

/** Immutable pod template: what a controller stamps pods from. Kept outside the state slice (it holds the app). */
export interface PodSpec {
  readonly image: string;
  readonly app: App;
  readonly initContainers?: readonly string[];
  readonly liveness?: ProbeSpec;
  readonly readiness?: ProbeSpec;
  /** Requests: CPU millicores, memory MiB. */
  readonly cpu?: number;
  readonly memory?: number;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
  /** PersistentVolumeClaims (by claim name, in the pod's namespace). */
  readonly volumes?: readonly string[];
  /** Seconds the kubelet waits after SIGTERM; the app's stop time is drawn by the kubelet. */
  readonly terminationGrace?: Time;
}

/** Start-up latency parts drawn by a kubelet (µs). */
export interface StartupDists {
  readonly imagePull: Dist;
  readonly containerStart: Dist;
  readonly containerStop: Dist;
}

export const podKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** Well-known taint keys (k8s.io/api/core/v1 well_known_taints.go). */
export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
