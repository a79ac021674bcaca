import { sampleDuration, type EventHandle, type Rng, type Time, type Timer } from '../engine/index.js';
import { defaultProbe, type ContainerRef, type StopReason } from './app.js';
import type { Cluster } from './cluster.js';
import type { PodSpec, ProbeSpec, StartupDists } from './types.js';

/** Kubelet settings (KubeletConfiguration) and the start-up latency parts it draws. */
export interface KubeletParams {
  /** Lease renewal (nodelease: 0.25 × leaseDurationSeconds 40 s = 10 s). */
  readonly leaseRenewInterval: Time;
  /** `nodeStatusUpdateFrequency`: how often the kubelet computes its status (posts only on change …). */
  readonly statusUpdateInterval: Time;
  /** … or when `nodeStatusReportFrequency` has passed since the last post. */
  readonly statusReportInterval: Time;
  /** PLEG relist period: how soon an exited container is noticed. */
  readonly plegRelistPeriod: Time;
  /** CrashLoopBackOff: first delay, cap; an entry idle for 2 × cap is forgotten (flowcontrol.Backoff). */
  readonly backoffInitial: Time;
  readonly backoffMax: Time;
  readonly startup: StartupDists;
}

type ContainerState = 'init' | 'creating' | 'running' | 'stopping' | 'exited' | 'gone';

/** What the kubelet knows of one of its pods. */
interface Runtime {
  readonly key: string;
  readonly spec: PodSpec;
  state: ContainerState;
  restarts: number;
  startedAt: Time;
  serving: boolean;
  finishedAt: Time;
  backoff?: { delay: Time; lastUpdate: Time };
  pending?: EventHandle;
  probes: Timer[];
  livenessFailures: number;
  ready: boolean;
  /** Why the last instance ended (for the trace). */
  lastExit?: string;
}

/**
 * The kubelet of one physical node: its heartbeats (Lease and node status) and the lifecycle of
 * its pods' containers — init containers, image pull, container and app start, liveness and
 * readiness probes, kill and in-place restart with CrashLoopBackOff, graceful deletion. It talks
 * to its API server only while `apiReachable()`; a cut-off node keeps its containers running.
 */
export class Kubelet {
  private readonly pods = new Map<string, Runtime>();
  private up = true;
  private linkUp = true;
  private resyncNeeded = false;
  private lastReport = -Infinity;
  private timers: Timer[] = [];

  constructor(
    private readonly cluster: Cluster,
    readonly node: string,
    private readonly params: KubeletParams,
    private readonly rng: Rng,
    /** Is the API server reachable from this node besides its own link (e.g. the site's network)? */
    private readonly siteReachable: () => boolean = () => true,
  ) {
    cluster.onPod((e) => {
      if (!this.up) return;
      if (!this.apiReachable()) this.resyncNeeded = true;
      else this.syncPod(e.key);
    });
    this.startLoops();
  }

  private get now(): Time {
    return this.cluster.ctx.sim.now;
  }

  apiReachable(): boolean {
    return this.up && this.linkUp && this.siteReachable();
  }

  /** The node's own NIC (a node-level cut inside its cluster). */
  setLink(up: boolean): void {
    this.linkUp = up;
    if (up) this.resyncNeeded = true;
  }

  /** Power loss: every container stops, heartbeats stop. */
  powerOff(): void {
    if (!this.up) return;
    this.up = false;
    for (const t of this.timers) t.stop();
    for (const r of this.pods.values()) this.stopContainer(r, 'node-down', false);
    this.pods.clear();
  }

  /** The node boots again: heartbeats resume and every pod still bound here is started anew. */
  powerOn(): void {
    if (this.up) return;
    this.up = true;
    this.resyncNeeded = true;
    this.startLoops();
  }

  private startLoops(): void {
    const { sim } = this.cluster.ctx;
    const p = this.params;
    // Each loop starts at a random phase: the cut instant is uniform against it.
    const phase = (period: Time) => sim.now + Math.floor(this.rng.next() * period);
    this.timers = [
      sim.every(p.leaseRenewInterval, `kubelet ${this.node}: renew lease`, () => {
        if (this.apiReachable()) this.cluster.heartbeat(this.node, 'lease');
      }, phase(p.leaseRenewInterval)),
      sim.every(p.statusUpdateInterval, `kubelet ${this.node}: node status`, () => this.statusTick(), phase(p.statusUpdateInterval)),
    ];
    if (this.resyncNeeded) this.statusTick();
  }

  private statusTick(): void {
    if (!this.apiReachable()) return;
    const node = this.cluster.node(this.node);
    if (node && (node.ready !== 'True' || this.now - this.lastReport >= this.params.statusReportInterval)) {
      this.cluster.heartbeat(this.node, 'status');
      this.cluster.setReady(this.node, 'True', 'KubeletReady');
      this.lastReport = this.now;
    }
    if (this.resyncNeeded) {
      this.resyncNeeded = false;
      for (const key of [...this.pods.keys()]) this.syncPod(key);
      for (const p of this.cluster.podsOn(this.node)) this.syncPod(p.key);
    }
  }

  /** Level-triggered: brings the runtime of `key` in line with the API object. */
  private syncPod(key: string): void {
    const pod = this.cluster.pod(key);
    let r = this.pods.get(key);
    if (!pod || pod.node !== this.node) {
      // Gone from the API (force-deleted or moved): stop whatever still runs.
      if (r) {
        this.stopContainer(r, 'deleted', false);
        this.pods.delete(key);
      }
      return;
    }
    if (!r) {
      const spec = this.cluster.spec(key)!;
      r = { key, spec, state: 'init', restarts: pod.restarts, startedAt: 0, serving: false, finishedAt: 0, probes: [], livenessFailures: 0, ready: false };
      this.pods.set(key, r);
      this.startProbes(r);
      if (pod.deletionTimestamp === undefined) this.runInit(r, 0);
    } else {
      this.writeStatus(r);
    }
    if (pod.deletionTimestamp !== undefined && r.state !== 'stopping' && r.state !== 'gone') this.terminate(r);
  }

  private where(r: Runtime): ContainerRef {
    const pod = this.cluster.pod(r.key);
    return { namespace: pod?.namespace ?? '', pod: pod?.name ?? r.key, cluster: this.cluster.name, node: this.node, restarts: r.restarts };
  }

  /** Init containers one after another; a failure restarts the sequence after the back-off. */
  private runInit(r: Runtime, index: number): void {
    const inits = r.spec.initContainers ?? [];
    if (index >= inits.length) return this.createContainer(r);
    r.state = 'init';
    const name = inits[index]!;
    const outcome = r.spec.app.runInit?.(name, this.where(r), this.rng, this.now) ?? { ok: true, duration: 0 };
    r.pending = this.cluster.ctx.sim.after(outcome.duration, `kubelet ${this.node}: init ${name} of ${r.key} exits`, () => {
      if (outcome.ok) return this.runInit(r, index + 1);
      r.finishedAt = this.now;
      r.state = 'exited';
      r.lastExit = `init container ${name}: ${outcome.reason ?? 'failed'}`;
      this.cluster.podPhase(r.key, 'Pending', `Init:Error ${name}: ${outcome.reason ?? 'failed'}`);
      this.restartAfterBackoff(r, () => this.runInit(r, 0), false);
    });
  }

  /** Image pull if absent, then container creation and start. */
  private createContainer(r: Runtime): void {
    r.state = 'creating';
    const { startup } = this.params;
    const node = this.cluster.node(this.node);
    const pull = node?.images.includes(r.spec.image) ? 0 : sampleDuration(startup.imagePull, this.rng);
    const delay = pull + sampleDuration(startup.containerStart, this.rng);
    r.pending = this.cluster.ctx.sim.after(delay, `kubelet ${this.node}: start ${r.key}`, () => {
      if (pull > 0 && this.apiReachable()) this.cluster.updateNode(this.node, `image ${r.spec.image} on ${this.node}`, (n) => void n.images.push(r.spec.image));
      r.state = 'running';
      r.startedAt = this.now;
      r.serving = false;
      r.livenessFailures = 0;
      r.ready = r.spec.readiness === undefined; // no readiness probe: ready once running
      const where = this.where(r);
      r.spec.app.started?.(where, this.now, { exit: (reason) => this.onExit(r, where.restarts, reason) });
      this.writeStatus(r);
      this.cluster.podPhase(r.key, 'Running', r.restarts === 0 ? 'container started' : `restarted (${r.restarts})`);
      const startLatency = r.spec.app.startLatency(where, this.rng);
      r.pending = this.cluster.ctx.sim.after(startLatency, `app ${r.key} serving`, () => {
        r.serving = true;
        r.spec.app.serving?.(where, this.now);
      });
    });
  }

  /** The app ended its own process; PLEG notices at its next relist. */
  private onExit(r: Runtime, instance: number, reason: string): void {
    if (r.state !== 'running' || r.restarts !== instance) return;
    this.stopContainer(r, 'exited', false);
    const relist = this.params.plegRelistPeriod;
    const noticed = Math.ceil((this.now + 1) / relist) * relist; // relist ticks on a fixed grid
    this.cluster.ctx.sim.at(noticed, `kubelet ${this.node}: PLEG sees ${r.key} exited`, () => {
      r.lastExit = reason;
      this.restartAfterBackoff(r, () => this.createContainer(r));
    });
  }

  private startProbes(r: Runtime): void {
    const { sim } = this.cluster.ctx;
    // prober worker: a ticker from when the kubelet first sees the pod, kept across restarts.
    const worker = (kind: 'liveness' | 'readiness', spec: ProbeSpec) =>
      sim.every(spec.period, `kubelet ${this.node}: ${kind} probe ${r.key}`, () => {
        if (r.state !== 'running' || this.now - r.startedAt < spec.initialDelay) return;
        const ok = defaultProbe(r.spec.app, kind, this.where(r), this.now, r.serving);
        if (kind === 'readiness') {
          if (ok !== r.ready) {
            r.ready = ok;
            this.writeStatus(r);
          }
          return;
        }
        r.livenessFailures = ok ? 0 : r.livenessFailures + 1;
        if (r.livenessFailures >= spec.failureThreshold) this.killForLiveness(r);
      });
    if (r.spec.liveness) r.probes.push(worker('liveness', r.spec.liveness));
    if (r.spec.readiness) r.probes.push(worker('readiness', r.spec.readiness));
  }

  /** Liveness failed `failureThreshold` times: SIGTERM, wait for exit, restart in the same sync. */
  private killForLiveness(r: Runtime): void {
    r.lastExit = `liveness probe failed ${r.livenessFailures}×`;
    this.cluster.ctx.trace.emit(this.now, 'container-killed', { cluster: this.cluster.name, pod: r.key, reason: `liveness probe failed ${r.livenessFailures}×` });
    this.stopContainer(r, 'liveness', true, () => this.restartAfterBackoff(r, () => this.createContainer(r)));
  }

  /** Graceful deletion: stop the container, then the object goes (kubelet's final delete). */
  private terminate(r: Runtime): void {
    this.stopContainer(r, 'deleted', true, () => {
      this.pods.delete(r.key);
      if (this.apiReachable()) this.cluster.remove(r.key, 'terminated by kubelet');
      else this.resyncNeeded = true;
    });
  }

  /** Stops the container (`graceful`: after the app's stop time, capped by the grace period) then calls `then`. */
  private stopContainer(r: Runtime, reason: StopReason, graceful: boolean, then?: () => void): void {
    this.cluster.ctx.sim.cancel(r.pending);
    const wasRunning = r.state === 'running';
    const done = () => {
      if (wasRunning) r.spec.app.stopped?.(this.where(r), this.now, reason);
      r.state = reason === 'deleted' || reason === 'node-down' ? 'gone' : 'exited';
      r.serving = false;
      r.ready = false;
      r.finishedAt = this.now;
      if (r.state === 'gone') for (const t of r.probes) t.stop();
      this.writeStatus(r);
      then?.();
    };
    if (!graceful || !wasRunning) return done();
    r.state = 'stopping';
    const grace = r.spec.terminationGrace ?? 30_000_000;
    r.pending = this.cluster.ctx.sim.after(Math.min(grace, sampleDuration(this.params.startup.containerStop, this.rng)), `kubelet ${this.node}: ${r.key} stopped`, done);
  }

  /** CrashLoopBackOff (kuberuntime doBackOff + flowcontrol.Backoff): 0, then 10 s, 20 s, … ≤ cap; forgotten after 2 × cap. */
  private restartAfterBackoff(r: Runtime, start: () => void, mainContainer = true): void {
    const { backoffInitial, backoffMax } = this.params;
    const b = r.backoff;
    const expired = !b || r.finishedAt - b.lastUpdate > 2 * backoffMax;
    if (!expired && this.now - r.finishedAt < b.delay) {
      const at = r.finishedAt + b.delay;
      r.pending = this.cluster.ctx.sim.at(at, `kubelet ${this.node}: back-off of ${r.key} over`, () => this.restartAfterBackoff(r, start, mainContainer));
      return;
    }
    r.backoff = { delay: expired ? backoffInitial : Math.min(2 * b.delay, backoffMax), lastUpdate: this.now };
    if (mainContainer) r.restarts++; // init container restarts are counted on the init container, not the pod
    this.cluster.ctx.trace.emit(this.now, 'container-restart', { cluster: this.cluster.name, pod: r.key, restarts: r.restarts, backoffUs: this.now - r.finishedAt, reason: r.lastExit });
    this.writeStatus(r);
    // Writing the status may have let the API server's answer delete the pod (synchronously, on
    // the bus): no container is started for a pod that is gone.
    if (r.state !== 'gone') start();
  }

  /** Pushes the pod status (phase, ready, restarts) to the API server if it can be reached. */
  private writeStatus(r: Runtime): void {
    const pod = this.cluster.pod(r.key);
    if (!pod || !this.apiReachable()) {
      if (pod) this.resyncNeeded = true;
      return;
    }
    const phase = r.state === 'running' || r.state === 'stopping' || r.restarts > 0 ? 'Running' : 'Pending';
    const ready = r.ready && pod.deletionTimestamp === undefined;
    if (pod.phase === phase && pod.ready === ready && pod.restarts === r.restarts) return;
    const becameReady = ready && !pod.ready;
    this.cluster.updatePod(r.key, `kubelet status ${r.key}`, (p) => {
      p.phase = phase;
      p.ready = ready;
      p.restarts = r.restarts;
    });
    if (becameReady) this.cluster.podPhase(r.key, 'Ready', 'containers ready');
  }
}
