import type { Rng, SimContext, Time } from '../engine/index.js';
import type { Network } from '../network/index.js';

/**
 * Liqo's two health paths for a peering (Liqo v0.10 source, defaults untouched by the chart;
 * MODEL.md §3). Each is a small timer-driven observer that reports a boolean; the virtual kubelet
 * combines them.
 */

export interface TunnelCheckParams {
  /** Gateway → peer gateway ping over WireGuard (conncheck PingInterval, 2 s). */
  readonly pingInterval: Time;
  /** How often the observer looks at the last pong (1 s). */
  readonly observerInterval: Time;
  /** Pings lost before the peer is declared down (PingLossThreshold 5 ⇒ > 10 s without pong). */
  readonly lossThreshold: number;
}

/**
 * Tunnel check: the consumer gateway pings the provider every `pingInterval`; a pong is what the
 * network delivers both ways. The observer declares the peer down at its first look with no pong
 * for more than `pingInterval × lossThreshold`, and up again at the first look after a pong.
 */
export class TunnelCheck {
  private lastPong: Time;
  up = true;

  constructor(
    ctx: SimContext,
    network: Network,
    consumer: string,
    provider: string,
    p: TunnelCheckParams,
    rng: Rng,
    onChange: (up: boolean) => void,
  ) {
    const { sim } = ctx;
    this.lastPong = sim.now;
    const downAfter = p.pingInterval * p.lossThreshold;
    sim.every(p.pingInterval, `liqo gateway ${consumer}→${provider}: ping`, () => {
      const there = network.delay(consumer, provider, rng);
      const back = there === undefined ? undefined : network.delay(provider, consumer, rng);
      if (there === undefined || back === undefined) return;
      const sentAt = sim.now;
      sim.after(there + back, `liqo gateway ${consumer}←${provider}: pong`, () => void (this.lastPong = Math.max(this.lastPong, sentAt + there + back)));
    }, sim.now + Math.floor(rng.next() * p.pingInterval));
    sim.every(p.observerInterval, `liqo gateway ${consumer}→${provider}: observer`, () => {
      const up = sim.now - this.lastPong <= downAfter;
      if (up === this.up) return;
      this.up = up;
      onChange(up);
    }, sim.now + Math.floor(rng.next() * p.observerInterval));
  }
}

export interface ApiServerCheckParams {
  /** Controller manager GETs the provider's /livez every 15 s (fixed ticker). */
  readonly livezInterval: Time;
  /** A GET that gets no answer fails after this timeout (5 s); one failure flips the result. */
  readonly livezTimeout: Time;
  /** The virtual kubelet reads that result every 10 s (sliding: after the previous ping ends). */
  readonly vkPingInterval: Time;
}

/**
 * API-server check: the consumer's controller manager probes the provider API server's /livez
 * on a fixed ticker; the virtual kubelet's own ping only reads the latest result on its own
 * cadence. `onChange(ok)` fires when the virtual kubelet's view flips.
 */
export class ApiServerCheck {
  private livezOk = true;
  vkOk = true;

  constructor(
    ctx: SimContext,
    network: Network,
    consumer: string,
    provider: string,
    p: ApiServerCheckParams,
    rng: Rng,
    onChange: (ok: boolean) => void,
  ) {
    const { sim } = ctx;
    sim.every(p.livezInterval, `liqo ${consumer}: GET ${provider}/livez`, () => {
      const there = network.delay(consumer, provider, rng);
      const back = there === undefined ? undefined : network.delay(provider, consumer, rng);
      const ok = there !== undefined && back !== undefined && there + back < p.livezTimeout;
      sim.after(ok ? there! + back! : p.livezTimeout, `liqo ${consumer}: /livez of ${provider} ${ok ? 'ok' : 'timed out'}`, () => void (this.livezOk = ok));
    }, sim.now + Math.floor(rng.next() * p.livezInterval));
    sim.every(p.vkPingInterval, `liqo virtual kubelet ${provider}: ping`, () => {
      if (this.livezOk === this.vkOk) return;
      this.vkOk = this.livezOk;
      onChange(this.vkOk);
    }, sim.now + Math.floor(rng.next() * p.vkPingInterval));
  }
}
