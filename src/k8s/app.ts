import { sampleDuration, type Dist, type Rng, type Time } from '../engine/index.js';

/**
 * The seam between Kubernetes and the applications running in its pods (a PDC, a PMU
 * simulator, a PXC member). The kubelet model drives the container lifecycle and asks the
 * app only what an app decides: how long it takes to start, whether an init container
 * succeeds (and how long it takes), and what a probe answers at an instant. It tells the
 * app when its container starts, serves and stops, and on which cluster and node.
 *
 * An app reaches other components (the network, a database) through what it was constructed
 * with; the seam passes only *where* the container runs. One `App` object serves every pod of
 * a workload: state per instance is keyed by `ContainerRef.pod` (or by the whole ref).
 */

/** Where a container instance runs. For an offloaded pod, `cluster` is the provider where it really runs. */
export interface ContainerRef {
  readonly namespace: string;
  readonly pod: string;
  /** The cluster (network site) whose node runs the container. */
  readonly cluster: string;
  readonly node: string;
  /** Restart count of this pod's container when this instance started (0 for the first). */
  readonly restarts: number;
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** Why a container stopped: killed after failed liveness, pod deleted/evicted, its node died, or the app exited. */
export type StopReason = 'liveness' | 'deleted' | 'node-down' | 'exited';

/** What an init container did: its duration, and whether it succeeded (a failure restarts it with back-off). */
export interface InitOutcome {
  readonly ok: boolean;
  /** µs from its start to its exit. */
  readonly duration: Time;
  /** Shown in the trace when it fails, e.g. "DB unreachable through cluster1-haproxy". */
  readonly reason?: string;
}

/** Handed to the app when its container starts: the app may end its own process (a crash, a failed start). */
export interface ContainerControl {
  /** The main process exits now (the kubelet restarts it with CrashLoopBackOff). */
  exit(reason: string): void;
}

export interface App {
  /** µs from the container process starting to the application serving; drawn anew per start. */
  startLatency(where: ContainerRef, rng: Rng): Time;
  /** Runs init container `name` starting now at `where`. Default: succeeds at once. */
  runInit?(name: string, where: ContainerRef, rng: Rng, now: Time): InitOutcome;
  /** The container process started at `now` (the app is not serving yet). */
  started?(where: ContainerRef, now: Time, control: ContainerControl): void;
  /** The start latency has elapsed: the application serves from `now`. */
  serving?(where: ContainerRef, now: Time): void;
  /** The container stopped at `now`. Not called when the node is merely cut off: the container keeps running there. */
  stopped?(where: ContainerRef, now: Time, reason: StopReason): void;
  /**
   * The probe's answer at `now`. The kubelet only asks while the container runs; `serving` tells
   * whether start latency has elapsed. Default (when absent): pass iff serving.
   */
  probe?(kind: ProbeKind, where: ContainerRef, now: Time, serving: boolean): boolean;
}

/** Default answer of a probe for an app that does not implement `probe`. */
export const defaultProbe = (app: App, kind: ProbeKind, where: ContainerRef, now: Time, serving: boolean): boolean =>
  app.probe ? app.probe(kind, where, now, serving) : serving;

export interface GenericAppParams {
  /** Application start-up after the container starts (µs). */
  readonly startLatency: Dist;
  /** Duration of every init container (µs); they always succeed. */
  readonly initDuration?: Dist;
}

/**
 * A generic app: starts after a drawn latency, init containers always succeed, probes pass once
 * serving. Faults: `breakLiveness(pod)` makes that pod's liveness (and readiness) fail until the
 * container restarts (a hung process, as in the thesis's forced liveness failure).
 */
export class GenericApp implements App {
  private readonly broken = new Set<string>();
  /** Start/stop history, for scenarios and tests that measure the app side. */
  readonly events: { t: Time; pod: string; cluster: string; what: 'started' | 'serving' | 'stopped'; reason?: StopReason }[] = [];

  constructor(private readonly params: GenericAppParams) {}

  startLatency(_where: ContainerRef, rng: Rng): Time {
    return sampleDuration(this.params.startLatency, rng);
  }

  runInit(_name: string, _where: ContainerRef, rng: Rng): InitOutcome {
    return { ok: true, duration: this.params.initDuration ? sampleDuration(this.params.initDuration, rng) : 0 };
  }

  started(where: ContainerRef, now: Time): void {
    this.broken.delete(where.pod);
    this.events.push({ t: now, pod: where.pod, cluster: where.cluster, what: 'started' });
  }

  serving(where: ContainerRef, now: Time): void {
    this.events.push({ t: now, pod: where.pod, cluster: where.cluster, what: 'serving' });
  }

  stopped(where: ContainerRef, now: Time, reason: StopReason): void {
    this.events.push({ t: now, pod: where.pod, cluster: where.cluster, what: 'stopped', reason });
  }

  probe(_kind: ProbeKind, where: ContainerRef, _now: Time, serving: boolean): boolean {
    return serving && !this.broken.has(where.pod);
  }

  /** The process of `pod` hangs: its probes fail until the container is restarted. */
  breakLiveness(pod: string): void {
    this.broken.add(pod);
  }
}
