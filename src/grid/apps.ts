import { sampleDuration, type Dist, type Rng, type SimContext, type Time } from '../engine/index.js';
import type { App, ContainerControl, ContainerRef, InitOutcome, ProbeKind, StopReason } from '../k8s/index.js';
import type { Network, SiteId } from '../network/index.js';
import type { ConcentratorParams } from './concentrator.js';
import { InputConnection, Publisher, type InputParams } from './publisher.js';

/**
 * The grid applications as the Kubernetes model runs them in pods (the `App` seam of
 * src/k8s/app.ts: start latency, init containers, started/serving/stopped, probes).
 */
type Where = ContainerRef;

/** A stopped container's peers see a closed connection, unless its node died (silence). */
const howStopped = (reason: StopReason): 'closed' | 'vanished' => (reason === 'node-down' ? 'vanished' : 'closed');

/** The fluidos PMU simulator: publishes C37.118 frames on TCP 4712 once serving. */
export class PmuApp implements App {
  readonly publisher: Publisher;

  constructor(
    id: string,
    private readonly params: { readonly startLatency: Dist },
  ) {
    this.publisher = new Publisher(id);
  }

  startLatency(_w: Where, rng: Rng): Time {
    return sampleDuration(this.params.startLatency, rng);
  }

  serving(w: Where): void {
    this.publisher.serve(w.pod, w.cluster);
  }

  stopped(w: Where, _now: Time, reason: StopReason): void {
    this.publisher.stop(w.pod, howStopped(reason));
  }
}

/** What a PDC reads its configuration from: a query through HAProxy from the PDC's site. */
export type ConfigSource = (from: SiteId) => { ok: true } | { ok: false; error: string };

export interface OpenPdcParams {
  /** Process start to listening (openPDC service start, before the configuration load). */
  readonly startLatency: Dist;
  /** Reading the configuration from the database. */
  readonly configLoad: Dist;
  /** Init container that creates the PDC's database through HAProxy: duration when it succeeds … */
  readonly initDuration: Dist;
  /** … and until it gives up when the database is unreachable. */
  readonly initFailDuration: Dist;
  /** A configuration cache on the pod's volume lets the PDC start without the DB (lost with the pod). */
  readonly cacheOnVolume: boolean;
  readonly input: InputParams;
  readonly concentrator: ConcentratorParams;
}

interface Instance {
  readonly where: Where;
  readonly inputs: InputConnection[];
  /** Whether data flows on each input of this instance. */
  readonly flowing: boolean[];
  control: ContainerControl;
}

/**
 * openPDC 2.4 in a pod (MODEL.md §5): at start it loads its configuration from the database;
 * no database and no cache ⇒ the process exits (and the kubelet restarts it with back-off). Once
 * running it connects to its inputs and publishes to the next level. The fluidos liveness probe only
 * checks listening ports, so a PDC with no data passes it (the default probe: pass iff serving).
 */
export class OpenPdcApp implements App {
  readonly publisher: Publisher;
  private readonly instances = new Map<string, Instance>();
  /** Pods whose volume holds a cached configuration. */
  private readonly cached = new Set<string>();
  /** When each start was first blocked by the database, and when it finally started (for metrics). */
  readonly blocked: { pod: string; since: Time; until?: Time }[] = [];
  private readonly hung = new Set<string>();
  /** Flow last reported per input. */
  private readonly reported: boolean[];

  constructor(
    private readonly ctx: SimContext,
    private readonly network: Network,
    id: string,
    private readonly params: OpenPdcParams,
    private readonly config: ConfigSource,
    /** Upstream publishers, and what to do when data from each starts or stops flowing. */
    private readonly inputs: readonly { readonly from: Publisher; readonly onFlow: (up: boolean) => void }[],
  ) {
    this.publisher = new Publisher(id);
    this.reported = inputs.map(() => false);
  }

  startLatency(_w: Where, rng: Rng): Time {
    return sampleDuration(this.params.startLatency, rng) + sampleDuration(this.params.configLoad, rng);
  }

  /** The fluidos init container: create the PDC database through `cluster1-haproxy:3306`. */
  runInit(_name: string, w: Where, rng: Rng, now: Time): InitOutcome {
    const r = this.config(w.cluster);
    if (r.ok) return { ok: true, duration: sampleDuration(this.params.initDuration, rng) };
    this.noteBlocked(w.pod, now);
    return { ok: false, duration: sampleDuration(this.params.initFailDuration, rng), reason: r.error };
  }

  started(w: Where, _now: Time, control: ContainerControl): void {
    this.hung.delete(w.pod);
    this.instances.set(w.pod, { where: w, inputs: [], flowing: this.inputs.map(() => false), control });
  }

  /** fluidos liveness (ports 8500/6165 listening): passes while serving, unless the test forced it to fail. */
  probe(_kind: ProbeKind, w: Where, _now: Time, serving: boolean): boolean {
    return serving && !this.hung.has(w.pod);
  }

  /**
   * The thesis's fault: the liveness probe of `pod` fails from now on (data keeps flowing until
   * the kubelet kills the container; the new container answers again).
   */
  failLiveness(pod: string): void {
    this.hung.add(pod);
  }

  serving(w: Where, now: Time): void {
    const inst = this.instances.get(w.pod);
    if (!inst) return;
    const r = this.config(w.cluster);
    if (!r.ok && !(this.params.cacheOnVolume && this.cached.has(w.pod))) {
      this.noteBlocked(w.pod, now);
      inst.control.exit(`configuration unavailable: ${r.error}`);
      return;
    }
    if (r.ok) this.cached.add(w.pod);
    for (const b of this.blocked) if (b.until === undefined) b.until = now;
    this.publisher.serve(w.pod, w.cluster);
    this.inputs.forEach((input, i) => {
      const conn = new InputConnection(this.ctx, this.network, input.from, w.cluster, this.params.input, (up) => {
        inst.flowing[i] = up;
        this.report();
      });
      inst.inputs.push(conn);
      conn.start();
    });
  }

  stopped(w: Where, _now: Time, reason: StopReason): void {
    const inst = this.instances.get(w.pod);
    if (!inst) return;
    this.instances.delete(w.pod);
    for (const c of inst.inputs) c.stop();
    this.publisher.stop(w.pod, howStopped(reason));
    this.report();
  }

  /**
   * The stream follows the newest instance's inputs: an older one still running on a cut-off
   * cluster (island mode) is out of the Service's endpoints and feeds no one downstream.
   */
  private report(): void {
    const newest = [...this.instances.values()].pop();
    this.inputs.forEach((input, i) => {
      const up = newest?.flowing[i] ?? false;
      if (up === this.reported[i]) return;
      this.reported[i] = up;
      input.onFlow(up);
    });
  }

  private noteBlocked(pod: string, now: Time): void {
    if (!this.blocked.some((b) => b.until === undefined)) this.blocked.push({ pod, since: now });
  }
}
