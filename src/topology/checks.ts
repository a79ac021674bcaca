import { overlaps, parseCidr, type CidrRange } from './cidr.js';
import { remoteNamespace, TopologyIndex } from './index-of.js';
import type { Design, OffloadingSpec } from './types.js';

/** Kubernetes' supported cluster size ("Considerations for large clusters": ≤ 5,000 nodes). */
export const DEFAULT_NODE_LIMIT = 5000;

/** Why a design cannot work, and where: `path` is a field path inside the design. */
export interface DesignProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export interface CheckOptions {
  readonly nodeLimit?: number;
}

/**
 * Rejects designs that cannot be built or cannot work, each with its reason (MODEL.md §3, §6):
 * dangling names, malformed CIDRs, a namespace offloaded twice or re-offloaded (Liqo has no
 * multi-hop, hence no cycles), offloading without a peering, DB domains without the full
 * peering mesh or with overlapping pod CIDRs (Galera needs real pod IPs), more nodes in a
 * cluster than Kubernetes supports. Linear except inside DB domains (pairs of members).
 */
export function checkDesign(design: Design, opts: CheckOptions = {}): DesignProblem[] {
  const problems: DesignProblem[] = [];
  const add = (path: (string | number)[], message: string) => problems.push({ path, message });
  const idx = new TopologyIndex(design);
  const known = (name: string) => idx.clusters.has(name);

  const seen = new Set<string>();
  const ranges = new Map<string, CidrRange>();
  design.clusters.forEach((c, i) => {
    if (seen.has(c.name)) add(['clusters', i, 'name'], `cluster ${c.name} is declared twice`);
    seen.add(c.name);
    const range = parseCidr(c.podCidr);
    if (range) ranges.set(c.name, range);
    else add(['clusters', i, 'podCidr'], `${JSON.stringify(c.podCidr)} is not an IPv4 CIDR like "10.42.0.0/16"`);
  });

  design.peerings.forEach((p, i) => {
    for (const end of ['consumer', 'provider'] as const) if (!known(p[end])) add(['peerings', i, end], `unknown cluster ${p[end]}`);
    if (p.consumer === p.provider) add(['peerings', i], `cluster ${p.consumer} cannot peer with itself`);
  });

  checkOffloading(design.offloading, idx, add);

  design.dbDomains.forEach((d, i) => {
    const members = d.members.filter((m, j) => known(m) || (add(['dbDomains', i, 'members', j], `unknown cluster ${m}`), false));
    let missing = 0;
    let first = '';
    for (let a = 0; a < members.length; a++) {
      for (let b = a + 1; b < members.length; b++) {
        if (idx.peered(members[a]!, members[b]!)) continue;
        if (missing++ === 0) first = `${members[a]} and ${members[b]}`;
      }
    }
    if (missing > 0) {
      add(['dbDomains', i, 'members'], `DB domain ${d.name} needs a full peering mesh between its member clusters (Galera members on two providers cannot reach each other through a hub): ${missing} of ${(members.length * (members.length - 1)) / 2} pairs are not peered, e.g. ${first}`);
    }
    const withRange = members.flatMap((m) => (ranges.has(m) ? [{ name: m, range: ranges.get(m)! }] : []));
    const clash = overlaps(withRange)[0];
    if (clash) add(['dbDomains', i, 'members'], `DB domain ${d.name} crosses clusters ${clash[0].name} and ${clash[1].name} whose pod CIDRs overlap (${idx.clusters.get(clash[0].name)!.podCidr}, ${idx.clusters.get(clash[1].name)!.podCidr}): Galera needs real pod IPs, Liqo would remap them`);
  });

  const limit = opts.nodeLimit ?? DEFAULT_NODE_LIMIT;
  design.clusters.forEach((c, i) => {
    const total = c.nodes.length + idx.virtualNodes(c.name);
    if (total > limit) add(['clusters', i], `cluster ${c.name} would have ${total} nodes (${c.nodes.length} physical + ${idx.virtualNodes(c.name)} virtual, one per peering), more than the ${limit}-node limit`);
  });

  checkWorkloads(design, idx, add);
  return problems;
}

function checkOffloading(list: readonly OffloadingSpec[], idx: TopologyIndex, add: (path: (string | number)[], message: string) => void): void {
  const key = (cluster: string, ns: string) => `${cluster}\u0000${ns}`;
  // Where each offloaded namespace has a remote copy, and which offloading made it.
  const copies = new Map<string, number>();
  const declared = new Map<string, number>();
  list.forEach((o, i) => {
    if (!idx.clusters.has(o.owner)) add(['offloading', i, 'owner'], `unknown cluster ${o.owner}`);
    const k = key(o.owner, o.namespace);
    const prev = declared.get(k);
    if (prev !== undefined) add(['offloading', i], `namespace ${o.namespace} of ${o.owner} is offloaded twice (also offloading[${prev}])`);
    else declared.set(k, i);
    o.clusters?.forEach((c, j) => {
      if (!idx.clusters.has(c)) add(['offloading', i, 'clusters', j], `unknown cluster ${c}`);
      else if (!idx.peeredTo(o.owner, c)) add(['offloading', i, 'clusters', j], `${o.owner} has no peering to ${c} (offloading needs an outgoing peering: a virtual node)`);
      else if (c === o.owner) add(['offloading', i, 'clusters', j], `a namespace is not offloaded to its own cluster`);
    });
    for (const t of idx.offloadTargets(o)) copies.set(key(t, remoteNamespace(o)), i);
  });
  list.forEach((o, i) => {
    const origin = copies.get(key(o.owner, o.namespace));
    if (origin === undefined) return;
    const src = list[origin]!;
    add(['offloading', i], `namespace ${o.namespace} in ${o.owner} is itself the offloaded copy of ${src.namespace} from ${src.owner} (offloading[${origin}]): Liqo cannot offload it again (no multi-hop, no cycles); give the second level its own namespace`);
  });
}

function checkWorkloads(design: Design, idx: TopologyIndex, add: (path: (string | number)[], message: string) => void): void {
  const offloadingOf = new Map<string, OffloadingSpec>();
  for (const o of design.offloading) offloadingOf.set(`${o.owner}\u0000${o.namespace}`, o);
  const targetCache = new Map<OffloadingSpec, Set<string>>();
  const targets = (o: OffloadingSpec) => {
    let s = targetCache.get(o);
    if (!s) targetCache.set(o, (s = new Set(idx.offloadTargets(o))));
    return s;
  };
  const names = new Set<string>();
  const dbNames = new Set(design.dbDomains.map((d) => d.name));
  design.workloads.forEach((w, i) => {
    if (names.has(w.name)) add(['workloads', i, 'name'], `workload ${w.name} is declared twice`);
    names.add(w.name);
    if (!idx.clusters.has(w.owner)) return add(['workloads', i, 'owner'], `unknown cluster ${w.owner}`);
    const o = offloadingOf.get(`${w.owner}\u0000${w.namespace}`);
    const where = w.placement.cluster !== undefined ? [w.placement.cluster] : (w.placement.clusters ?? []);
    where.forEach((c, j) => {
      const path = w.placement.cluster !== undefined ? ['workloads', i, 'placement', 'cluster'] : ['workloads', i, 'placement', 'clusters', j];
      if (!idx.clusters.has(c)) return add(path, `unknown cluster ${c}`);
      const local = c === w.owner && (!o || o.podOffloadingStrategy !== 'Remote');
      if (!local && !(o && o.podOffloadingStrategy !== 'Local' && targets(o).has(c))) {
        add(path, `pods of ${w.owner}/${w.namespace} cannot run on ${c}: ${o ? `the namespace is not offloaded there (strategy ${o.podOffloadingStrategy})` : 'the namespace is not offloaded'}`);
      }
    });
    if (w.db !== undefined && !dbNames.has(w.db)) add(['workloads', i, 'db'], `unknown DB domain ${w.db}`);
  });
  const byName = new Set(design.workloads.map((w) => w.name));
  design.streams.forEach((s, i) => {
    for (const level of ['pmu', 'lower', 'higher'] as const) if (!byName.has(s[level])) add(['streams', i, level], `unknown workload ${s[level]}`);
  });
}
