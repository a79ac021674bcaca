import type { EventHandle, Rng, SimContext, Time } from '../engine/index.js';
import { NETWORK_CHANGED, sampleDelay, type Network } from '../network/index.js';

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
 *
 * On a lossless path the pings and looks are not simulated one by one (they would be most of a
 * run's events): the last pong before a cut and the first after a heal are computed on the ping
 * grid, and only the looks that flip the verdict are scheduled. A lossy path is simulated ping by ping.
 */
export class TunnelCheck {
  private lastPong: Time;
  up = true;
  private readonly pingPhase: Time;
  private readonly obsPhase: Time;
  private readonly downAfter: Time;
  /** Lazy mode: whether the path is up, and the first ping of the current up period. */
  private pathUp: boolean;
  private epochStart: Time;
  private pending: EventHandle | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly network: Network,
    private readonly consumer: string,
    private readonly provider: string,
    private readonly p: TunnelCheckParams,
    private readonly rng: Rng,
    private readonly onChange: (up: boolean) => void,
  ) {
    const { sim } = ctx;
    this.lastPong = sim.now;
    this.downAfter = p.pingInterval * p.lossThreshold;
    this.pingPhase = sim.now + Math.floor(rng.next() * p.pingInterval);
    this.obsPhase = sim.now + Math.floor(rng.next() * p.observerInterval);
    this.pathUp = network.reachable(consumer, provider);
    this.epochStart = sim.now;
    const lossy = network.profile(consumer, provider).loss > 0 || network.profile(provider, consumer).loss > 0;
    if (lossy) this.simulatePings();
    else {
      ctx.bus.on(NETWORK_CHANGED, () => this.pathChanged());
      if (!this.pathUp) this.scheduleDown();
    }
  }

  /** Ping by ping (lossy paths). */
  private simulatePings(): void {
    const { sim } = this.ctx;
    const { consumer, provider, network, rng } = this;
    sim.every(this.p.pingInterval, `liqo gateway ${consumer}→${provider}: ping`, () => {
      const there = network.delay(consumer, provider, rng);
      const back = there === undefined ? undefined : network.delay(provider, consumer, rng);
      if (there === undefined || back === undefined) return;
      const sentAt = sim.now;
      sim.after(there + back, `liqo gateway ${consumer}←${provider}: pong`, () => void (this.lastPong = Math.max(this.lastPong, sentAt + there + back)));
    }, this.pingPhase);
    sim.every(this.p.observerInterval, `liqo gateway ${consumer}→${provider}: observer`, () => this.look(), this.obsPhase);
  }

  private look(): void {
    const up = this.ctx.sim.now - this.lastPong <= this.downAfter;
    if (up === this.up) return;
    this.up = up;
    this.onChange(up);
  }

  /** Round trip of one ping on this path's delay model (drawn from the tunnel's own stream). */
  private rtt(): Time {
    const d = (a: string, b: string) => sampleDelay(this.network.profile(a, b).delay, this.rng);
    return d(this.consumer, this.provider) + d(this.provider, this.consumer);
  }

  private pingAtOrAfter(t: Time): Time {
    const P = this.p.pingInterval;
    return this.pingPhase + Math.max(0, Math.ceil((t - this.pingPhase) / P)) * P;
  }

  /** First observer look strictly after `t`. */
  private lookAfter(t: Time): Time {
    const O = this.p.observerInterval;
    return this.obsPhase + Math.max(0, Math.floor((t - this.obsPhase) / O) + 1) * O;
  }

  private pathChanged(): void {
    const { sim } = this.ctx;
    const now = sim.now;
    const reachable = this.network.reachable(this.consumer, this.provider);
    if (reachable === this.pathUp) return;
    this.pathUp = reachable;
    if (!reachable) {
      // The last ping sent while the path was up answers; later ones are lost.
      const first = this.pingAtOrAfter(this.epochStart);
      if (first <= now) {
        const last = first + Math.floor((now - first) / this.p.pingInterval) * this.p.pingInterval;
        this.lastPong = Math.max(this.lastPong, last + this.rtt());
      }
      this.scheduleDown();
      return;
    }
    this.epochStart = now;
    const firstPong = this.pingAtOrAfter(now) + this.rtt();
    // A look before the first new pong may still find the old one too old.
    const downAt = this.lookAfter(this.lastPong + this.downAfter);
    sim.cancel(this.pending);
    this.pending = undefined;
    if (this.up && downAt < firstPong) this.pending = sim.at(downAt, `liqo gateway ${this.consumer}→${this.provider}: observer (peer down)`, () => this.flip(false));
    if (!this.up || downAt < firstPong) {
      sim.at(firstPong, `liqo gateway ${this.consumer}←${this.provider}: pong`, () => {
        if (!this.pathUp) return;
        this.lastPong = Math.max(this.lastPong, firstPong);
        if (!this.up || this.pending) {
          sim.cancel(this.pending);
          this.pending = sim.at(this.lookAfter(firstPong - 1), `liqo gateway ${this.consumer}→${this.provider}: observer (peer up)`, () => this.flip(true));
        }
      });
    }
  }

  private scheduleDown(): void {
    const { sim } = this.ctx;
    sim.cancel(this.pending);
    this.pending = undefined;
    if (!this.up) return;
    const at = Math.max(sim.now, this.lookAfter(this.lastPong + this.downAfter));
    this.pending = sim.at(at, `liqo gateway ${this.consumer}→${this.provider}: observer (peer down)`, () => this.flip(false));
  }

  private flip(up: boolean): void {
    this.pending = undefined;
    if (up === this.up) return;
    if (up && !this.pathUp) return;
    this.up = up;
    this.onChange(up);
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
