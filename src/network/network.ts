import type { Bus, Rng } from '../engine/index.js';
import { sampleDelay, type DelayModel } from './netem.js';

/** A site is where machines sit on the network: one k3s cluster (its nodes share a LAN). */
export type SiteId = string;

/** One-way behaviour of a path between two sites, in the spirit of a netem profile. */
export interface LinkProfile {
  /** One-way delay, µs: a distribution or a netem rule. */
  readonly delay: DelayModel;
  /** Probability that a packet is lost, 0..1. */
  readonly loss: number;
}

export const NETWORK_CHANGED = 'network.changed';
export interface NetworkChanged {
  readonly reason: string;
}

const pairKey = (a: SiteId, b: SiteId): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/**
 * Reachability and delay between sites. Faults change reachability: a site's NIC going
 * down (`isolate`), a partition into groups, or one link dropped both ways (firewall DROP).
 * Within a site everything stays reachable (a cut-off cluster keeps working: island mode).
 * Every change is announced on the bus so that health checks and quorum can react.
 */
export class Network {
  private readonly isolated = new Set<SiteId>();
  private readonly droppedLinks = new Set<string>();
  private readonly profiles = new Map<string, LinkProfile>();
  private group = new Map<SiteId, number>(); // empty = no partition
  private intraSite: LinkProfile | undefined;

  constructor(
    private readonly bus: Bus,
    private readonly defaultProfile: LinkProfile,
  ) {}

  setLink(a: SiteId, b: SiteId, profile: LinkProfile): void {
    this.profiles.set(pairKey(a, b), profile);
  }

  /** Profile between two machines of one site (pod to pod on the cluster LAN); default: the default profile. */
  setIntraSite(profile: LinkProfile): void {
    this.intraSite = profile;
  }

  profile(a: SiteId, b: SiteId): LinkProfile {
    if (a === b) return this.intraSite ?? this.defaultProfile;
    return this.profiles.get(pairKey(a, b)) ?? this.defaultProfile;
  }

  reachable(a: SiteId, b: SiteId): boolean {
    if (a === b) return true;
    if (this.isolated.has(a) || this.isolated.has(b)) return false;
    if (this.droppedLinks.size > 0 && this.droppedLinks.has(pairKey(a, b))) return false; // no key string on the hot path
    if (this.group.size > 0 && (this.group.get(a) ?? -1) !== (this.group.get(b) ?? -1)) return false;
    return true;
  }

  /** One-way delay of a packet from a to b (µs, integer), or undefined if it is lost or unreachable. */
  delay(a: SiteId, b: SiteId, rng: Rng): number | undefined {
    if (!this.reachable(a, b)) return undefined;
    const p = this.profile(a, b);
    if (p.loss > 0 && rng.next() < p.loss) return undefined;
    return sampleDelay(p.delay, rng);
  }

  /** The site's network interface goes down: it reaches nobody else. */
  isolate(site: SiteId): void {
    this.isolated.add(site);
    this.changed(`isolate ${site}`);
  }

  restore(site: SiteId): void {
    if (this.isolated.delete(site)) this.changed(`restore ${site}`);
  }

  dropLink(a: SiteId, b: SiteId): void {
    this.droppedLinks.add(pairKey(a, b));
    this.changed(`drop ${a}<->${b}`);
  }

  healLink(a: SiteId, b: SiteId): void {
    if (this.droppedLinks.delete(pairKey(a, b))) this.changed(`heal ${a}<->${b}`);
  }

  /** Splits the network into groups; sites not listed form one more group together. */
  partition(groups: readonly (readonly SiteId[])[]): void {
    this.group = new Map();
    groups.forEach((g, i) => g.forEach((s) => this.group.set(s, i)));
    this.changed(`partition ${groups.map((g) => `[${g.join(',')}]`).join(' ')}`);
  }

  healPartition(): void {
    if (this.group.size === 0) return;
    this.group = new Map();
    this.changed('heal partition');
  }

  private changed(reason: string): void {
    this.bus.emit<NetworkChanged>(NETWORK_CHANGED, { reason });
  }
}
