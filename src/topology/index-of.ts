import type { ClusterSpec, Labels, OffloadingSpec, Topology } from './types.js';

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);
const dirKey = (consumer: string, provider: string): string => `${consumer}\u0000${provider}`;

/**
 * Lookup tables over a topology, built once in linear time so that checks and builders never
 * scan every cluster per question (10,000+ clusters).
 */
export class TopologyIndex {
  readonly clusters = new Map<string, ClusterSpec>();
  /** "key=value" → clusters carrying that label, in declaration order. */
  private readonly byLabel = new Map<string, ClusterSpec[]>();
  /** consumer → providers it has an outgoing peering to (a virtual node each). */
  readonly providersOf = new Map<string, string[]>();
  private readonly directed = new Set<string>();
  private readonly pairs = new Set<string>();

  constructor(readonly topology: Topology) {
    for (const c of topology.clusters) {
      this.clusters.set(c.name, c);
      for (const [k, v] of Object.entries(c.labels)) {
        const key = `${k}=${v}`;
        const list = this.byLabel.get(key);
        if (list) list.push(c);
        else this.byLabel.set(key, [c]);
      }
    }
    for (const p of topology.peerings) {
      this.addDirected(p.consumer, p.provider);
      if (p.bidirectional) this.addDirected(p.provider, p.consumer);
      this.pairs.add(pairKey(p.consumer, p.provider));
    }
  }

  private addDirected(consumer: string, provider: string): void {
    const key = dirKey(consumer, provider);
    if (this.directed.has(key)) return;
    this.directed.add(key);
    const list = this.providersOf.get(consumer);
    if (list) list.push(provider);
    else this.providersOf.set(consumer, [provider]);
  }

  /** Whether `consumer` has a virtual node for `provider`. */
  peeredTo(consumer: string, provider: string): boolean {
    return this.directed.has(dirKey(consumer, provider));
  }

  /** Whether the two clusters are directly peered in either direction. */
  peered(a: string, b: string): boolean {
    return this.pairs.has(pairKey(a, b));
  }

  /** Virtual nodes in `cluster`: one per outgoing peering. */
  virtualNodes(cluster: string): number {
    return this.providersOf.get(cluster)?.length ?? 0;
  }

  /** Clusters matching every label of the selector (all clusters for an empty selector). */
  matching(selector: Labels): readonly ClusterSpec[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return this.topology.clusters;
    // Start from the rarest label so the work is bounded by the smallest candidate set.
    const lists = entries.map(([k, v]) => this.byLabel.get(`${k}=${v}`) ?? []);
    lists.sort((a, b) => a.length - b.length);
    return lists[0]!.filter((c) => entries.every(([k, v]) => c.labels[k] === v));
  }

  /**
   * Remote clusters a namespace is offloaded to: the listed clusters, or the owner's peered
   * providers matching the selector (Liqo only offloads over outgoing peerings).
   */
  offloadTargets(o: OffloadingSpec): readonly string[] {
    if (o.clusters) return o.clusters;
    if (Object.keys(o.clusterSelector).length === 0) return this.providersOf.get(o.owner) ?? [];
    // From the label index, not the owner's providers: a centre with 10,000 virtual nodes and
    // one namespace per domain must not scan all of them for each namespace.
    return this.matching(o.clusterSelector)
      .map((c) => c.name)
      .filter((c) => this.peeredTo(o.owner, c));
  }
}

/** Name of the remote copy of `namespace` from `owner` (Liqo's NamespaceMappingStrategy). */
export const remoteNamespace = (o: OffloadingSpec): string =>
  o.mappingStrategy === 'EnforceSameName' ? o.namespace : `${o.namespace}-${o.owner}`;
