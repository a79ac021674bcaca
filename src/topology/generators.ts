import { subnet } from './cidr.js';
import type { ClusterSpec, Design, DbDomainSpec, Labels, NodeSpec, OffloadingSpec, PeeringSpec, StationRole, StreamSpec, WorkloadSpec } from './types.js';

/**
 * Topology generators of thesis ch. 5–6 (MODEL.md §6). Each returns a Design in time linear in
 * its output: the only quadratic part is the peering mesh inside a DB domain, which is the
 * design's own cost (N(N−1)/2 peerings).
 */

/** Node shape of every generated cluster (the thesis testbed: one 4 vCPU / 8 GB VM per cluster). */
export interface NodeShape {
  readonly nodesPerCluster: number;
  readonly cpu: number;
  readonly memory: number;
}
export const TESTBED_NODES: NodeShape = { nodesPerCluster: 1, cpu: 4000, memory: 8192 };

// Pod CIDRs: unique /24s from 10.0.0.0/8 (65,536 clusters); sub-stars of the multi-level design
// reuse 10.0.0.0/9 per sub-star and give the top level 10.128.0.0/9.
const UNIQUE_POOL = '10.0.0.0/8';
const REUSED_POOL = '10.0.0.0/9';
const TOP_POOL = '10.128.0.0/9';
const CIDR_BITS = 24;

export const ROLE_LABEL = 'gridtwin.io/role';
export const GROUP_LABEL = 'gridtwin.io/group';
export const DOMAIN_LABEL = 'gridtwin.io/domain';

class DesignBuilder {
  readonly clusters: ClusterSpec[] = [];
  readonly peerings: PeeringSpec[] = [];
  readonly offloading: OffloadingSpec[] = [];
  readonly dbDomains: DbDomainSpec[] = [];
  readonly workloads: WorkloadSpec[] = [];
  readonly streams: StreamSpec[] = [];
  private readonly pairIndex = new Map<string, number>();

  constructor(private readonly shape: NodeShape) {}

  cluster(name: string, role: StationRole, podCidr: string, labels: Labels = {}): string {
    const nodes: NodeSpec[] = [];
    for (let i = 0; i < this.shape.nodesPerCluster; i++) nodes.push({ name: `${name}-n${i}`, cpu: this.shape.cpu, memory: this.shape.memory });
    this.clusters.push({ name, role, labels: { [ROLE_LABEL]: role, ...labels }, nodes, podCidr });
    return name;
  }

  peer(consumer: string, provider: string, bidirectional = false): void {
    const key = consumer < provider ? `${consumer}\u0000${provider}` : `${provider}\u0000${consumer}`;
    const existing = this.pairIndex.get(key);
    if (existing !== undefined) {
      // A star link between two DB members becomes the mesh pair's peering (made bidirectional).
      if (bidirectional) this.peerings[existing] = { ...this.peerings[existing]!, bidirectional };
      return;
    }
    this.pairIndex.set(key, this.peerings.length);
    this.peerings.push(bidirectional ? { consumer, provider, bidirectional } : { consumer, provider });
  }

  /** One bidirectional peering per pair: the full mesh a Galera domain needs (MODEL.md §3). */
  mesh(members: readonly string[]): void {
    for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) this.peer(members[i]!, members[j]!, true);
  }

  offload(namespace: string, owner: string, selector: Labels, strategy: OffloadingSpec['podOffloadingStrategy'] = 'Remote'): void {
    this.offloading.push({ namespace, owner, clusterSelector: selector, mappingStrategy: 'DefaultName', podOffloadingStrategy: strategy });
  }

  db(name: string, owner: string, namespace: string, members: readonly string[]): void {
    this.dbDomains.push({ name, members });
    this.workloads.push({ name: `${name}-pxc`, kind: 'StatefulSet', app: 'db', owner, namespace, replicas: members.length, placement: { clusters: members }, db: name });
  }

  build(): Design {
    return { clusters: this.clusters, peerings: this.peerings, offloading: this.offloading, dbDomains: this.dbDomains, workloads: this.workloads, streams: this.streams };
  }
}

/** A centre consuming every leaf: the plain star (one namespace offloaded to all leaves). */
export function star(leaves: number, shape: NodeShape = TESTBED_NODES): Design {
  const b = new DesignBuilder(shape);
  starInto(b, leaves);
  return b.build();
}

function starInto(b: DesignBuilder, leaves: number): string[] {
  const centre = b.cluster('centre', 'centre', subnet(UNIQUE_POOL, CIDR_BITS, 0));
  const names: string[] = [];
  for (let i = 1; i <= leaves; i++) {
    names.push(b.cluster(`leaf-${i}`, 'leaf', subnet(UNIQUE_POOL, CIDR_BITS, i)));
    b.peer(centre, names[i - 1]!);
  }
  b.offload('grid', centre, { [ROLE_LABEL]: 'leaf' });
  return names;
}

/**
 * Partial-mesh star: a star whose leaves share one DB, so the DB members (the first
 * `dbMembers` leaves) are fully meshed among themselves. dbMembers = leaves gives the
 * thesis testbed's fully meshed star.
 */
export function partialMeshStar(leaves: number, dbMembers: number, shape: NodeShape = TESTBED_NODES): Design {
  const b = new DesignBuilder(shape);
  const members = starInto(b, leaves).slice(0, dbMembers);
  b.mesh(members);
  if (members.length > 0) b.db('pdc-db', 'centre', 'grid', members);
  return b.build();
}

/** Every cluster peered with every other (one bidirectional peering per pair). */
export function fullMesh(clusters: number, shape: NodeShape = TESTBED_NODES): Design {
  const b = new DesignBuilder(shape);
  const names: string[] = [];
  for (let i = 0; i < clusters; i++) names.push(b.cluster(`site-${i + 1}`, 'leaf', subnet(UNIQUE_POOL, CIDR_BITS, i)));
  b.mesh(names);
  return b.build();
}

export interface GroupSpec {
  readonly name: string;
  /** Leaves (1-based) that are members; a leaf may sit in several independent groups. */
  readonly members: readonly number[];
  /** A dependent group's workloads must run with those of this other group (pod affinity). */
  readonly dependsOn?: string;
}

/**
 * Independent / dependent groups by labels: every leaf carries `gridtwin.io/group.<g>=true` for
 * each group it is in, and the centre offloads one namespace per group selecting that label.
 * A dependent group's namespace selects only the leaves it shares with the group it depends
 * on (the effect of required pod affinity to that group's workloads).
 */
export function groups(leaves: number, specs: readonly GroupSpec[], shape: NodeShape = TESTBED_NODES): Design {
  const b = new DesignBuilder(shape);
  const centre = b.cluster('centre', 'centre', subnet(UNIQUE_POOL, CIDR_BITS, 0));
  const labelsOf = new Map<number, Record<string, string>>();
  for (const g of specs) for (const m of g.members) labelsOf.set(m, { ...labelsOf.get(m), [`${GROUP_LABEL}.${g.name}`]: 'true' });
  for (let i = 1; i <= leaves; i++) b.peer(centre, b.cluster(`leaf-${i}`, 'leaf', subnet(UNIQUE_POOL, CIDR_BITS, i), labelsOf.get(i)));
  for (const g of specs) {
    const selector: Record<string, string> = { [`${GROUP_LABEL}.${g.name}`]: 'true' };
    if (g.dependsOn) selector[`${GROUP_LABEL}.${g.dependsOn}`] = 'true';
    b.offload(`group-${g.name}`, centre, selector);
  }
  return b.build();
}

export interface DomainParams {
  readonly primaries: number;
  readonly secondariesPerPrimary: number;
  /** Backup primary stations per main primary station. */
  readonly backupsPerPrimary: number;
  /** Galera members per domain (the first clusters of the group: primary, backups, secondaries). */
  readonly dbMembers: number;
  /** PMUs (one stream each) per secondary station, e.g. one per monitored feeder; default 1. */
  readonly pmusPerSecondary?: number;
  readonly nodes?: NodeShape;
}

interface Group {
  readonly primary: string;
  readonly backups: string[];
  readonly secondaries: string[];
}

/** Clusters of one domain in DB-member order: primary, its backups, then its secondaries. */
const groupOrder = (g: Group): string[] => [g.primary, ...g.backups, ...g.secondaries];

/**
 * The monitoring chain on a grid: `pmus` PMUs per secondary station, a low-level PDC per domain
 * and the high-level PDC pinned to the centre (MODEL.md §7: `liqo.io/type DoesNotExist`).
 * `lowOwner` is the cluster whose namespace holds the domain's low-level deployments.
 */
function gridWorkloads(b: DesignBuilder, g: Group, index: number, lowOwner: string, lowNs: string, pmus: number): void {
  const domain = `domain-${index}`;
  const lower = `${domain}-pdc-lower`;
  b.workloads.push({ name: lower, kind: 'Deployment', app: 'pdc-lower', owner: lowOwner, namespace: lowNs, replicas: 1, placement: { clusters: [g.primary, ...g.backups] }, db: `${domain}-db` });
  for (const s of g.secondaries) {
    for (let k = 1; k <= pmus; k++) {
      const suffix = k === 1 ? '' : `-${k}`; // the first PMU keeps its one-PMU name
      const pmu = `${s}-pmu${suffix}`;
      b.workloads.push({ name: pmu, kind: 'Deployment', app: 'pmu', owner: lowOwner, namespace: lowNs, replicas: 1, placement: { cluster: s } });
      b.streams.push({ name: `${s}-stream${suffix}`, pmu, lower, higher: 'pdc-higher' });
    }
  }
}

function domainClusters(b: DesignBuilder, p: DomainParams, cidr: (i: number, local: number) => string): Group[] {
  const out: Group[] = [];
  for (let i = 1; i <= p.primaries; i++) {
    const domain = { [DOMAIN_LABEL]: `domain-${i}` };
    let local = 0;
    const primary = b.cluster(`primary-${i}`, 'primary', cidr(i, local++), domain);
    const backups: string[] = [];
    for (let k = 1; k <= p.backupsPerPrimary; k++) backups.push(b.cluster(`primary-${i}-backup-${k}`, 'backup', cidr(i, local++), domain));
    const secondaries: string[] = [];
    for (let k = 1; k <= p.secondariesPerPrimary; k++) secondaries.push(b.cluster(`secondary-${i}-${k}`, 'secondary', cidr(i, local++), domain));
    out.push({ primary, backups, secondaries });
  }
  return out;
}

/**
 * Logical domains (implementation 1): the centre peers with every station and offloads one
 * namespace per domain (a primary station, its backups and secondaries); each domain has its
 * own DB, fully meshed, and no link to other domains. Every cluster gets a distinct CIDR.
 */
export function logicalDomains(p: DomainParams): Design {
  const b = new DesignBuilder(p.nodes ?? TESTBED_NODES);
  let next = 0;
  const centre = b.cluster('centre', 'centre', subnet(UNIQUE_POOL, CIDR_BITS, next++));
  const gs = domainClusters(b, p, () => subnet(UNIQUE_POOL, CIDR_BITS, next++));
  gs.forEach((g, idx) => {
    const i = idx + 1;
    for (const c of groupOrder(g)) b.peer(centre, c);
    const ns = `domain-${i}`;
    b.offload(ns, centre, { [DOMAIN_LABEL]: ns });
    const members = groupOrder(g).slice(0, p.dbMembers);
    b.mesh(members);
    b.db(`${ns}-db`, centre, ns, members);
    gridWorkloads(b, g, i, centre, ns, p.pmusPerSecondary ?? 1);
  });
  b.workloads.push({ name: 'pdc-higher', kind: 'Deployment', app: 'pdc-higher', owner: centre, namespace: 'grid-high', replicas: 1, placement: { cluster: centre } });
  return b.build();
}

/**
 * Multi-level logical domains (implementation 2): the centre peers with the main primary
 * stations only; each main primary station is the centre of a second star over its backups
 * and secondaries and owns the namespace of its domain's low-level deployments (an offloaded
 * namespace cannot be offloaded again, so the second level needs its own). CIDRs are reused
 * in every sub-star; the top level uses its own pool.
 */
export function multiLevelDomains(p: DomainParams): Design {
  const b = new DesignBuilder(p.nodes ?? TESTBED_NODES);
  const centre = b.cluster('centre', 'centre', subnet(TOP_POOL, CIDR_BITS, 0));
  const gs = domainClusters(b, p, (i, local) => (local === 0 ? subnet(TOP_POOL, CIDR_BITS, i) : subnet(REUSED_POOL, CIDR_BITS, local)));
  for (const g of gs) b.peer(centre, g.primary);
  b.offload('grid-primary', centre, { [ROLE_LABEL]: 'primary' });
  gs.forEach((g, idx) => {
    const i = idx + 1;
    const ns = `domain-${i}`;
    for (const c of [...g.backups, ...g.secondaries]) b.peer(g.primary, c);
    b.offload(ns, g.primary, { [DOMAIN_LABEL]: ns }, 'LocalAndRemote');
    const members = groupOrder(g).slice(0, p.dbMembers);
    b.mesh(members);
    b.db(`${ns}-db`, g.primary, ns, members);
    gridWorkloads(b, g, i, g.primary, ns, p.pmusPerSecondary ?? 1);
  });
  b.workloads.push({ name: 'pdc-higher', kind: 'Deployment', app: 'pdc-higher', owner: centre, namespace: 'grid-high', replicas: 1, placement: { cluster: centre } });
  return b.build();
}
