import type { SimContext, Time } from '../engine/index.js';
import type { Network, SiteId } from '../network/index.js';
import type { GaleraCluster, QueryResult } from './galera.js';

export interface HaProxyParams {
  /** `inter`: time between two health checks of a backend (operator 1.11: 10 s). */
  readonly checkInterval: Time;
  /** `fall`: consecutive failed checks before a backend is marked down (2). */
  readonly fall: number;
  /** `rise`: consecutive good checks before it is marked up again (1). */
  readonly rise: number;
}

/** Bus topic: HAProxy marked a backend up or down. */
export const HAPROXY_BACKEND_CHANGED = 'haproxy.backend';

interface Backend {
  readonly member: string;
  up: boolean;
  fails: number;
  oks: number;
}

/**
 * HAProxy in front of a PXC cluster, as the Percona operator configures it: writes go to the
 * first backend (pxc-0), the others are backups used in order when it is marked down. A backend is
 * marked by periodic health checks (the clustercheck script: Synced and Primary), so routing lags
 * the database by up to `fall` checks: a query can be sent to a member that already refuses it.
 */
export class HaProxy {
  private readonly backends: Backend[];

  constructor(
    private readonly ctx: SimContext,
    private readonly network: Network,
    private readonly db: GaleraCluster,
    readonly name: string,
    /** Where the HAProxy pod runs. */
    readonly site: SiteId,
    private readonly params: HaProxyParams,
  ) {
    this.backends = db.memberNames().map((member) => ({ member, up: true, fails: 0, oks: 0 }));
    // Checks start at a random phase of the interval (the pod started at some earlier instant).
    const phase = Math.floor(ctx.random.stream(`haproxy/${name}`).next() * params.checkInterval);
    ctx.sim.every(params.checkInterval, `haproxy ${name}: health checks`, () => this.check(), ctx.sim.now + phase);
  }

  /** Backend a new connection goes to now, or undefined when every backend is marked down. */
  route(): string | undefined {
    return this.backends.find((b) => b.up)?.member;
  }

  isUp(member: string): boolean {
    return this.backends.find((b) => b.member === member)?.up ?? false;
  }

  /** A query from a client at `from` through this HAProxy (the `cluster1-haproxy:3306` service). */
  query(from: SiteId): QueryResult {
    if (!this.network.reachable(from, this.site)) return { ok: false, error: `${this.name} unreachable` };
    const member = this.route();
    if (member === undefined) return { ok: false, error: `${this.name}: no backend available` };
    return this.db.query(this.site, member);
  }

  private check(): void {
    for (const b of this.backends) {
      const ok = this.db.query(this.site, b.member).ok;
      if (ok) {
        b.fails = 0;
        b.oks++;
        if (!b.up && b.oks >= this.params.rise) this.mark(b, true);
      } else {
        b.oks = 0;
        b.fails++;
        if (b.up && b.fails >= this.params.fall) this.mark(b, false);
      }
    }
  }

  private mark(b: Backend, up: boolean): void {
    b.up = up;
    this.ctx.trace.emit(this.ctx.sim.now, 'haproxy-backend', { haproxy: this.name, member: b.member, up });
    this.ctx.bus.emit(HAPROXY_BACKEND_CHANGED, { haproxy: this.name, member: b.member, up });
  }
}
