import { sampleDuration, type Dist, type Rng, type Time } from '../../engine/index.js';
import type { K8sParams, ProbeSpec } from '../../k8s/index.js';
import type { LiqoParams } from '../../liqo/index.js';
import type { OpenPdcParams } from '../../grid/index.js';
import type { WorkloadSpec } from '../../topology/index.js';
import type { PerconaProfile } from '../profiles/galera.js';

/**
 * The coarse world's failover timing, drawn in closed form from the SAME profiles the detailed
 * models read (k3s, Liqo, openPDC) plus the two values both fidelities share (`appStart`,
 * `liveness` in models/failover.yaml). Each function is the sum of the mechanisms MODEL.md names;
 * what the closed form leaves out is said where it is left out.
 */
export interface TimingProfiles {
  readonly k3s: K8sParams;
  readonly liqo: LiqoParams;
  readonly openPdc: OpenPdcParams;
  readonly pmuStart: Dist;
  readonly appStart: Dist;
  readonly liveness: ProbeSpec;
  readonly percona: PerconaProfile;
}

/** A container's CrashLoopBackOff state (the kubelet's flowcontrol.Backoff entry). */
export interface Backoff {
  readonly delay: Time;
  readonly lastUpdate: Time;
}

/** When, after its provider is cut off, a virtual node goes NotReady and its pods are deleted. */
export interface EvictionDraw {
  readonly notReady: Time;
  readonly evicted: Time;
  /** When the virtual kubelet's own ping sees the failed /livez (it must see a good one before Ready again). */
  readonly apiServerDown: Time;
  readonly reason: string;
}

const uniform = (rng: Rng, span: Time): Time => Math.floor(rng.next() * span);

export class FailoverTiming {
  readonly reconnectInterval: Time;

  constructor(readonly p: TimingProfiles) {
    this.reconnectInterval = p.openPdc.input.reconnectInterval;
  }

  /**
   * Provider cut off at 0 (MODEL.md §2, §3; src/liqo/health.ts, src/k8s/node-lifecycle.ts):
   * - tunnel check: last pong U[0,ping) before the cut, the observer's first look after
   *   ping × lossThreshold without pong (+U(0,observer]); the virtual kubelet posts Ready=False,
   *   `not-ready:NoExecute` at the controller's next pass (U[0,monitor)).
   * - API-server check: the first /livez tick U[0,livez) after the cut times out (+timeout), the
   *   virtual kubelet reads it at its next ping (U[0,vkPing)). If that comes first (the race),
   *   it stops posting and renewing its lease: Unknown a grace period after the last renewal
   *   was seen, `unreachable:NoExecute` one pass later.
   * Pods go when the matching default toleration of the k3s profile expires. The per-zone
   * token bucket is left out: every virtual node is its own zone, the first of a zone goes at once.
   */
  eviction(rng: Rng): EvictionDraw {
    const { tunnel, apiServer, leaseRenewInterval } = this.p.liqo.virtualKubelet;
    const { monitorPeriod, gracePeriod } = this.p.k3s.nodeLifecycle;
    const tolerations = this.p.k3s.apiServer;
    const byTunnel = tunnel.pingInterval * tunnel.lossThreshold - uniform(rng, tunnel.pingInterval) + 1 + uniform(rng, tunnel.observerInterval);
    const byApiServer = uniform(rng, apiServer.livezInterval) + apiServer.livezTimeout + uniform(rng, apiServer.vkPingInterval);
    if (byTunnel <= byApiServer) {
      const notReady = byTunnel;
      return { notReady, evicted: notReady + uniform(rng, monitorPeriod) + tolerations.defaultNotReadyToleration, apiServerDown: byApiServer, reason: 'tunnel check: no pong' };
    }
    const lastRenewalSeen = byApiServer - uniform(rng, leaseRenewInterval) + uniform(rng, monitorPeriod);
    const notReady = Math.max(byApiServer, lastRenewalSeen + gracePeriod);
    return { notReady, evicted: notReady + monitorPeriod + tolerations.defaultUnreachableToleration, apiServerDown: byApiServer, reason: 'API-server check failed first: lease expired' };
  }

  /**
   * Link healed at 0, virtual node Ready again: the tunnel observer's first look after the next
   * pong and, when the API-server check had failed too, the virtual kubelet's first ping after
   * the next good /livez (Ready is posted only when both agree, src/liqo/virtual-kubelet.ts).
   */
  readyAgain(rng: Rng, apiServerFailed: boolean): Time {
    const { tunnel, apiServer } = this.p.liqo.virtualKubelet;
    const byTunnel = uniform(rng, tunnel.pingInterval) + 1 + uniform(rng, tunnel.observerInterval);
    if (!apiServerFailed) return byTunnel;
    return Math.max(byTunnel, uniform(rng, apiServer.livezInterval) + uniform(rng, apiServer.vkPingInterval));
  }

  /** Application start after its container starts: openPDC (start + configuration read), a PMU, or generic. */
  private appStart(w: WorkloadSpec, rng: Rng): Time {
    if (w.app === 'pdc-lower' || w.app === 'pdc-higher') {
      const pdc = this.p.openPdc;
      const init = w.db !== undefined ? sampleDuration(pdc.initDuration, rng) : 0;
      return init + sampleDuration(pdc.startLatency, rng) + sampleDuration(pdc.configLoad, rng);
    }
    if (w.app === 'pmu') return sampleDuration(this.p.pmuStart, rng);
    return sampleDuration(this.p.appStart, rng);
  }

  /** A new pod until it serves: scheduling, image pull (a new cluster lacks the image), container and app start. */
  podStart(w: WorkloadSpec, rng: Rng): Time {
    const { k3s } = this.p;
    return sampleDuration(k3s.scheduler.latency, rng) + sampleDuration(k3s.kubelet.startup.imagePull, rng) + sampleDuration(k3s.kubelet.startup.containerStart, rng) + this.appStart(w, rng);
  }

  /** The kubelet restarts a pod of a returning node in place: image present. */
  restartOnPowerOn(w: WorkloadSpec, rng: Rng): Time {
    return sampleDuration(this.p.k3s.kubelet.startup.containerStart, rng) + this.appStart(w, rng);
  }

  /**
   * CrashLoopBackOff (src/k8s/kubelet.ts restartAfterBackoff, kuberuntime doBackOff): a container
   * that exited at `finishedAt` restarts at once the first time, then after 10 s, 20 s, … up to
   * the cap; an entry idle for twice the cap is forgotten. Returns the restart instant and the new entry.
   */
  restartAfterBackoff(b: Backoff | undefined, finishedAt: Time): { at: Time; backoff: Backoff } {
    const { backoffInitial, backoffMax } = this.p.k3s.kubelet;
    const expired = !b || finishedAt - b.lastUpdate > 2 * backoffMax;
    const at = finishedAt + (expired ? 0 : b.delay);
    return { at, backoff: { delay: expired ? backoffInitial : Math.min(2 * b.delay, backoffMax), lastUpdate: at } };
  }

  /** A PDC's init container (openPDC's create-db through the configuration database) runs again. */
  pdcInit(rng: Rng): Time {
    return sampleDuration(this.p.openPdc.initDuration, rng);
  }

  /** After a successful init container: main container start, openPDC start and configuration read. */
  pdcAfterInit(rng: Rng): Time {
    const pdc = this.p.openPdc;
    return sampleDuration(this.p.k3s.kubelet.startup.containerStart, rng) + sampleDuration(pdc.startLatency, rng) + sampleDuration(pdc.configLoad, rng);
  }

  /**
   * A PXC member left out of the primary component at `since` (its container started at
   * `startedAt`): the liveness check (it needs Primary) fails at each probe after the initial
   * delay, the first U(0,period] after both; the container is killed after `failureThreshold`.
   */
  pxcLivenessKill(since: Time, startedAt: Time, rng: Rng): Time {
    const { initialDelay, period, failureThreshold } = this.p.percona.liveness;
    return Math.max(since, startedAt + initialDelay) + 1 + uniform(rng, period) + (failureThreshold - 1) * period;
  }

  /** A killed container stops. */
  containerStop(rng: Rng): Time {
    return sampleDuration(this.p.k3s.kubelet.startup.containerStop, rng);
  }

  /** A PXC container starts again in place (generic app start: mysqld's rejoin is Galera's). */
  pxcStart(rng: Rng): Time {
    return sampleDuration(this.p.k3s.kubelet.startup.containerStart, rng) + sampleDuration(this.p.appStart, rng);
  }

  /**
   * The process hangs: the liveness probe fails `failureThreshold` times (the first failing probe
   * U(0,period] after the hang), the container is stopped and restarted at once (the first
   * restart has no back-off, kuberuntime doBackOff), then the app starts again.
   */
  containerRestart(w: WorkloadSpec, rng: Rng): Time {
    const { period, failureThreshold } = this.p.liveness;
    const startup = this.p.k3s.kubelet.startup;
    const detect = (failureThreshold - 1) * period + 1 + uniform(rng, period);
    return detect + sampleDuration(startup.containerStop, rng) + sampleDuration(startup.containerStart, rng) + this.appStart(w, rng);
  }
}
