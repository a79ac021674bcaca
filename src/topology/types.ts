/**
 * A multi-cluster design as plain data: k3s clusters (sites) peered with Liqo, namespaces
 * offloaded from a consumer to providers, and distributed databases (DB domains) spread over
 * clusters. No behaviour here — the models read it, the checks judge it (MODEL.md §3, §6).
 */

export type Labels = Readonly<Record<string, string>>;

/** What a site is in the grid hierarchy (thesis ch. 5–6). */
export type StationRole = 'centre' | 'primary' | 'secondary' | 'backup' | 'leaf';

export interface NodeSpec {
  readonly name: string;
  /** Allocatable CPU, millicores. */
  readonly cpu: number;
  /** Allocatable memory, MiB. */
  readonly memory: number;
  readonly labels?: Labels;
}

export interface ClusterSpec {
  readonly name: string;
  readonly labels: Labels;
  readonly role?: StationRole;
  readonly nodes: readonly NodeSpec[];
  /** Pod CIDR, e.g. "10.42.0.0/16" (k3s default). Galera needs real pod IPs across clusters. */
  readonly podCidr: string;
}

/**
 * A Liqo peering: the consumer gets one virtual node standing for the provider's shared
 * resources. `bidirectional` is two peerings on one ForeignCluster (each side gets a virtual
 * node), which is how a DB mesh pair is counted once.
 */
export interface PeeringSpec {
  readonly consumer: string;
  readonly provider: string;
  readonly bidirectional?: boolean;
}

export type MappingStrategy = 'DefaultName' | 'EnforceSameName';
export type PodOffloadingStrategy = 'Local' | 'Remote' | 'LocalAndRemote';

/**
 * A NamespaceOffloading: `namespace` of cluster `owner` is extended to the peered providers
 * whose labels match `clusterSelector` (all peered providers when empty) or, if given, to the
 * listed `clusters`.
 */
export interface OffloadingSpec {
  readonly namespace: string;
  readonly owner: string;
  readonly clusterSelector: Labels;
  readonly clusters?: readonly string[];
  readonly mappingStrategy: MappingStrategy;
  readonly podOffloadingStrategy: PodOffloadingStrategy;
}

/** A Percona XtraDB (Galera) cluster whose members sit on these clusters, one member each. */
export interface DbDomainSpec {
  readonly name: string;
  readonly members: readonly string[];
}

export interface Topology {
  readonly clusters: readonly ClusterSpec[];
  readonly peerings: readonly PeeringSpec[];
  readonly offloading: readonly OffloadingSpec[];
  readonly dbDomains: readonly DbDomainSpec[];
}

/** Which app a workload runs: the monitoring chain of MODEL.md §5 plus the PDC database. */
export type AppRole = 'pmu' | 'pdc-lower' | 'pdc-higher' | 'application' | 'db' | 'other';

/**
 * A workload created in cluster `owner`'s namespace `namespace` (local or offloaded). Placement
 * limits where its pods may run: `cluster` pins it (required node affinity on the virtual
 * node's cluster label, or `liqo.io/type DoesNotExist` for the owner itself).
 */
export interface WorkloadSpec {
  readonly name: string;
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly app: AppRole;
  readonly owner: string;
  readonly namespace: string;
  readonly replicas: number;
  readonly placement: { readonly cluster?: string; readonly clusters?: readonly string[] };
  /** DB domain this workload belongs to (app 'db') or reads its configuration from (PDCs). */
  readonly db?: string;
}

/**
 * A PMU stream through the chain pmu → pdc-lower → pdc-higher, named by the workloads that
 * carry each level (MODEL.md §5).
 */
export interface StreamSpec {
  readonly name: string;
  readonly pmu: string;
  readonly lower: string;
  readonly higher: string;
}

/** Topology plus what runs on it. */
export interface Design extends Topology {
  readonly workloads: readonly WorkloadSpec[];
  readonly streams: readonly StreamSpec[];
}
