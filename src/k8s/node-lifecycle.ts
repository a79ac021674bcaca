import type { Time } from '../engine/index.js';
import { type Cluster } from './cluster.js';
import { TokenBucket } from './token-bucket.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE, type ConditionStatus, type NodeState } from './types.js';

/** kube-controller-manager node lifecycle flags (pkg/controller/nodelifecycle). */
export interface NodeLifecycleParams {
  /** `--node-monitor-period`: the next health pass starts this long after the previous one ends (wait.Until). */
  readonly monitorPeriod: Time;
  /** How long one pass takes: passes drift later by this much, so "now > probe + grace" holds at probe + grace. */
  readonly monitorPassDuration: Time;
  /** `--node-monitor-grace-period`: no heartbeat for this long ⇒ Ready=Unknown. */
  readonly gracePeriod: Time;
  /** nodeEvictionPeriod: how often the tainting / eviction queues are worked (100 ms). */
  readonly evictionPassPeriod: Time;
  /** `--node-eviction-rate` (per zone, burst 1). */
  readonly evictionQps: number;
  /** `--secondary-node-eviction-rate`, used in a partially disrupted zone above `largeClusterSize` nodes. */
  readonly secondaryEvictionQps: number;
  readonly largeClusterSize: number;
  /** `--unhealthy-zone-threshold`. */
  readonly unhealthyZoneThreshold: number;
  /** false = `--enable-taint-manager=false`: the legacy eviction by `podEvictionTimeout`. */
  readonly taintManager: boolean;
  /** `--pod-eviction-timeout` (only read in legacy mode). */
  readonly podEvictionTimeout: Time;
}

export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** What the controller remembers of a node (nodeHealthData). */
interface Health {
  lastHeartbeat: Time;
  /** The controller's own clock at the pass that first saw `lastHeartbeat`. */
  probeTimestamp: Time;
  readyTransitionTimestamp: Time;
  status: ConditionStatus;
}

const ZONE_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone'];
const zoneOf = (n: NodeState): string => ZONE_LABELS.map((l) => n.labels[l] ?? '').join(':');

const NOT_READY_NOEXECUTE = { key: TAINT_NOT_READY, effect: 'NoExecute' } as const;
const UNREACHABLE_NOEXECUTE = { key: TAINT_UNREACHABLE, effect: 'NoExecute' } as const;

/**
 * The node lifecycle controller of one cluster, as read at v1.23–1.26: a monitor pass every
 * `monitorPeriod` turns silent nodes Unknown after the grace period and queues NoExecute taints
 * (taint manager mode) or pod evictions (legacy mode) per zone; a 100 ms pass drains each zone's
 * queue through its token bucket, whose rate follows the zone's disruption state.
 */
export class NodeLifecycleController {
  private readonly health = new Map<string, Health>();
  /** Per zone: nodes queued for tainting (or, legacy, for pod eviction), in queue order. */
  private readonly queues = new Map<string, string[]>();
  private readonly limiters = new Map<string, TokenBucket>();
  readonly zoneStates = new Map<string, ZoneState>();
  private allFullyDisrupted = false;

  constructor(
    private readonly cluster: Cluster,
    readonly params: NodeLifecycleParams,
    /** Phase of the first pass (µs after now); a scenario draws it so the cut instant is uniform against it. */
    firstPassIn: Time = params.monitorPeriod,
  ) {
    const { sim } = cluster.ctx;
    sim.every(params.monitorPeriod + params.monitorPassDuration, `node-lifecycle ${cluster.name}: monitor`, () => this.monitorPass(), sim.now + firstPassIn);
    this.passGridOrigin = sim.now;
  }

  /** The 100 ms queue pass ticks on a fixed grid; it is only scheduled while some queue holds a node (cost). */
  private readonly passGridOrigin: Time;
  private passScheduled = false;

  private schedulePass(): void {
    if (this.passScheduled) return;
    const { sim } = this.cluster.ctx;
    const period = this.params.evictionPassPeriod;
    const k = Math.floor((sim.now - this.passGridOrigin) / period) + 1;
    this.passScheduled = true;
    sim.at(this.passGridOrigin + k * period, `node-lifecycle ${this.cluster.name}: taint/evict pass`, () => {
      this.passScheduled = false;
      this.queuePass();
      if ([...this.queues.values()].some((q) => q.length > 0)) this.schedulePass();
    });
  }

  private get now(): Time {
    return this.cluster.ctx.sim.now;
  }

  /** monitorNodeHealth: one pass over every node. */
  monitorPass(): void {
    const zones = new Map<string, { ready: number; notReady: number }>();
    for (const node of Object.values(this.cluster.state.nodes)) {
      const observed = this.tryUpdateNodeHealth(node);
      const current = this.cluster.node(node.name)!;
      if (this.params.taintManager) this.processTaintBasedEviction(current, observed);
      else this.processLegacyEviction(current, observed);
      const z = zones.get(zoneOf(current)) ?? { ready: 0, notReady: 0 };
      if (current.ready === 'True') z.ready++;
      else z.notReady++;
      zones.set(zoneOf(current), z);
    }
    this.handleDisruption(zones);
  }

  /** Returns the Ready status the pass observed *before* its own update (the code's observedReadyCondition). */
  private tryUpdateNodeHealth(node: NodeState): ConditionStatus {
    const heartbeat = this.cluster.lastHeartbeat(node.name);
    let h = this.health.get(node.name);
    if (!h) {
      h = { lastHeartbeat: heartbeat, probeTimestamp: this.now, readyTransitionTimestamp: this.now, status: node.ready };
      this.health.set(node.name, h);
    }
    if (heartbeat > h.lastHeartbeat) {
      h.lastHeartbeat = heartbeat;
      h.probeTimestamp = this.now;
    }
    if (node.ready !== h.status) {
      h.status = node.ready;
      h.readyTransitionTimestamp = this.now;
    }
    const observed = node.ready;
    if (this.now > h.probeTimestamp + this.params.gracePeriod && node.ready !== 'Unknown') {
      this.cluster.setReady(node.name, 'Unknown', 'NodeStatusUnknown: Kubelet stopped posting node status');
      h.status = 'Unknown';
      h.readyTransitionTimestamp = this.now;
    }
    return observed;
  }

  private processTaintBasedEviction(node: NodeState, observed: ConditionStatus): void {
    const has = (key: string) => node.taints.some((t) => t.key === key && t.effect === 'NoExecute');
    if (observed === 'True') {
      this.markReachable(node.name);
      return;
    }
    const [want, other] = observed === 'False' ? [NOT_READY_NOEXECUTE, UNREACHABLE_NOEXECUTE] : [UNREACHABLE_NOEXECUTE, NOT_READY_NOEXECUTE];
    if (has(want.key)) return;
    if (has(other.key)) {
      // Swapped straight away, not rate limited (SwapNodeControllerTaint).
      this.cluster.setTaint(node.name, want, true);
      this.cluster.setTaint(node.name, other, false);
      return;
    }
    this.enqueue(node);
  }

  private processLegacyEviction(node: NodeState, observed: ConditionStatus): void {
    const h = this.health.get(node.name)!;
    if (observed === 'True') {
      this.dequeue(node.name);
      return;
    }
    const since = observed === 'False' ? h.readyTransitionTimestamp : h.probeTimestamp;
    if (this.now > since + this.params.podEvictionTimeout) this.enqueue(node);
  }

  private enqueue(node: NodeState): void {
    const zone = zoneOf(node);
    const q = this.queues.get(zone) ?? [];
    if (!q.includes(node.name)) q.push(node.name);
    this.queues.set(zone, q);
    this.schedulePass();
    if (!this.limiters.has(zone)) this.limiters.set(zone, new TokenBucket(this.params.evictionQps, this.now));
  }

  private dequeue(name: string): void {
    for (const q of this.queues.values()) {
      const i = q.indexOf(name);
      if (i >= 0) q.splice(i, 1);
    }
  }

  /** markNodeAsReachable: both NoExecute taints off, out of the queue. */
  private markReachable(name: string): void {
    this.dequeue(name);
    this.cluster.setTaint(name, NOT_READY_NOEXECUTE, false);
    this.cluster.setTaint(name, UNREACHABLE_NOEXECUTE, false);
  }

  /** doNoExecuteTaintingPass / doEvictionPass: each zone's queue, as far as its bucket allows. */
  private queuePass(): void {
    for (const [zone, q] of this.queues) {
      const limiter = this.limiters.get(zone)!;
      while (q.length > 0 && limiter.tryAccept(this.now)) {
        const name = q.shift()!;
        const node = this.cluster.node(name);
        if (!node || node.ready === 'True') continue;
        if (this.params.taintManager) {
          const [want, other] = node.ready === 'False' ? [NOT_READY_NOEXECUTE, UNREACHABLE_NOEXECUTE] : [UNREACHABLE_NOEXECUTE, NOT_READY_NOEXECUTE];
          this.cluster.setTaint(name, other, false);
          this.cluster.setTaint(name, want, true);
        } else {
          for (const p of this.cluster.podsOn(name)) {
            if (p.deletionTimestamp !== undefined) continue;
            this.cluster.ctx.trace.emit(this.now, 'pod-evicted', { cluster: this.cluster.name, pod: p.key, node: name, by: 'pod-eviction-timeout' });
            this.cluster.delete(p.key, 'evicted: node not ready for pod-eviction-timeout');
          }
        }
      }
    }
  }

  /** handleDisruption: zone states set each zone's rate; when every zone is fully disrupted nothing is evicted at all. */
  private handleDisruption(zones: Map<string, { ready: number; notReady: number }>): void {
    const states = new Map<string, ZoneState>();
    for (const [zone, c] of zones) states.set(zone, this.zoneState(c.ready, c.notReady));
    const allFully = states.size > 0 && [...states.values()].every((s) => s === 'FullDisruption');
    if (allFully) {
      if (!this.allFullyDisrupted) {
        // "Controller detected that all Nodes are not-Ready. Entering master disruption mode."
        for (const name of Object.keys(this.cluster.state.nodes)) this.markReachable(name);
        for (const zone of states.keys()) this.limiters.set(zone, (this.limiters.get(zone) ?? new TokenBucket(0, this.now)).swap(0, this.now));
      }
    }
    const leaving = !allFully && this.allFullyDisrupted;
    if (leaving) {
      // Leaving disruption mode: every node gets a fresh grace period, every zone its rate back.
      for (const h of this.health.values()) {
        h.probeTimestamp = this.now;
        h.readyTransitionTimestamp = this.now;
      }
    }
    this.allFullyDisrupted = allFully;
    for (const [zone, state] of states) {
      if (!allFully && (leaving || this.zoneStates.get(zone) !== state || !this.limiters.has(zone))) {
        const size = zones.get(zone)!;
        const limiter = this.limiters.get(zone) ?? new TokenBucket(this.params.evictionQps, this.now);
        this.limiters.set(zone, limiter.swap(this.zoneQps(state, size.ready + size.notReady), this.now));
      }
      this.zoneStates.set(zone, state);
    }
  }

  private zoneState(ready: number, notReady: number): ZoneState {
    if (ready === 0 && notReady > 0) return 'FullDisruption';
    if (notReady > 2 && notReady / (ready + notReady) >= this.params.unhealthyZoneThreshold) return 'PartialDisruption';
    return 'Normal';
  }

  private zoneQps(state: ZoneState, size: number): number {
    if (state === 'PartialDisruption') return size > this.params.largeClusterSize ? this.params.secondaryEvictionQps : 0;
    return this.params.evictionQps; // Normal and (a single) FullDisruption: HealthyQPSFunc
  }
}
