import type { SimContext, Time } from '../engine/index.js';
import { NETWORK_CHANGED, type Network, type SiteId } from '../network/index.js';

/**
 * Something a PDC input connects to over TCP (a PMU on port 4712, a lower PDC's output).
 * Several instances may serve at once (a replacement pod while the old one still runs on a
 * cut-off cluster); a consumer reaches one that serves and is reachable (the Service's endpoints).
 */
export class Publisher {
  /** Serving instances: pod → site, in start order. */
  private readonly instances = new Map<string, SiteId>();
  private readonly listeners: ((how: 'serving' | 'closed' | 'vanished', site: SiteId) => void)[] = [];

  constructor(readonly id: string) {}

  /** A serving instance reachable from `site` (the newest first), or undefined. */
  reachableFrom(site: SiteId, network: Network): SiteId | undefined {
    const sites = [...this.instances.values()].reverse();
    return sites.find((s) => network.reachable(site, s));
  }

  isServingAt(site: SiteId): boolean {
    return [...this.instances.values()].includes(site);
  }

  get serving(): boolean {
    return this.instances.size > 0;
  }

  serve(pod: string, site: SiteId): void {
    this.instances.set(pod, site);
    for (const l of this.listeners) l('serving', site);
  }

  /**
   * Instance `pod` stops. `closed`: its process ended on a live host, so peers see the TCP
   * connection close at once. `vanished`: its node died or was cut off: peers only notice the silence.
   */
  stop(pod: string, how: 'closed' | 'vanished'): void {
    const site = this.instances.get(pod);
    if (site === undefined) return;
    this.instances.delete(pod);
    for (const l of this.listeners) l(how, site);
  }

  onChange(listener: (how: 'serving' | 'closed' | 'vanished', site: SiteId) => void): void {
    this.listeners.push(listener);
  }
}

export interface InputParams {
  /** openPDC DelayedConnectionInterval: wait between connection attempts (5 s). */
  readonly reconnectInterval: Time;
  /** openPDC DataLossInterval: no data this long ⇒ the connection is restarted (5 s). */
  readonly dataLossInterval: Time;
}

/**
 * One input of a PDC instance: a TCP client to a publisher, as openPDC's input adapters behave.
 * It connects at once when the PDC starts, and after losing the connection retries every
 * `reconnectInterval`. A closed peer is noticed at once; a silent one (cut cable, dead node) only
 * after `dataLossInterval` without data. Data flows while connected, the peer serves at the
 * connected site and the network carries it; `onFlow` reports every change of that.
 */
export class InputConnection {
  private connectedTo: SiteId | undefined;
  private flowing = false;
  private open = false;
  private retry: ReturnType<SimContext['sim']['at']> | undefined;
  private dataLoss: ReturnType<SimContext['sim']['at']> | undefined;

  constructor(
    private readonly ctx: SimContext,
    private readonly network: Network,
    private readonly upstream: Publisher,
    /** Where the consuming PDC instance runs. */
    private readonly site: SiteId,
    private readonly params: InputParams,
    private readonly onFlow: (up: boolean) => void,
  ) {
    upstream.onChange((how, site) => {
      if (!this.open || site !== this.connectedTo) return this.update();
      if (how === 'closed') this.disconnect();
      else this.update();
    });
    ctx.bus.on(NETWORK_CHANGED, () => this.update());
  }

  get connected(): boolean {
    return this.connectedTo !== undefined;
  }

  /** The PDC instance starts its input adapters. */
  start(): void {
    if (this.open) return;
    this.open = true;
    this.attempt();
  }

  /** The PDC instance stops: connections go with it. */
  stop(): void {
    this.open = false;
    this.connectedTo = undefined;
    this.ctx.sim.cancel(this.retry);
    this.ctx.sim.cancel(this.dataLoss);
    this.update();
  }

  private attempt(): void {
    this.retry = undefined;
    if (!this.open) return;
    const site = this.upstream.reachableFrom(this.site, this.network);
    if (site !== undefined) {
      this.connectedTo = site;
      this.update();
    } else {
      this.retry = this.ctx.sim.after(this.params.reconnectInterval, `input ${this.upstream.id}@${this.site}: reconnect`, () => this.attempt());
    }
  }

  private disconnect(): void {
    this.connectedTo = undefined;
    this.update();
    this.ctx.sim.cancel(this.retry);
    this.retry = this.ctx.sim.after(this.params.reconnectInterval, `input ${this.upstream.id}@${this.site}: reconnect`, () => this.attempt());
  }

  private update(): void {
    const c = this.connectedTo;
    const flowing = this.open && c !== undefined && this.upstream.isServingAt(c) && this.network.reachable(this.site, c);
    if (flowing === this.flowing) return;
    this.flowing = flowing;
    this.onFlow(flowing);
    this.ctx.sim.cancel(this.dataLoss);
    this.dataLoss = undefined;
    if (!flowing && c !== undefined && this.open) {
      this.dataLoss = this.ctx.sim.after(this.params.dataLossInterval, `input ${this.upstream.id}@${this.site}: data loss`, () => {
        this.dataLoss = undefined;
        // Restart the connection: one attempt now, then the usual cadence.
        this.connectedTo = undefined;
        this.ctx.sim.cancel(this.retry);
        this.attempt();
      });
    }
  }
}
