import { dirname, resolve } from 'node:path';
import {
  checkDesign,
  fullMesh,
  groups,
  logicalDomains,
  multiLevelDomains,
  partialMeshStar,
  star,
  type ClusterSpec,
  type Design,
  type NodeShape,
} from '../topology/index.js';
import { InputError } from './errors.js';
import { readManifests } from './manifests.js';
import type { GeneratorSpec, WorldFile } from './world-schema.js';

/** Where a field of the scenario section sits in the experiment file ("file:line:col"). */
export type Locate = (path: readonly (string | number)[]) => string;

export function generate(g: GeneratorSpec): Design {
  const nodes: NodeShape | undefined = g.nodes && { nodesPerCluster: g.nodes.perCluster, cpu: g.nodes.cpu, memory: g.nodes.memory };
  switch (g.kind) {
    case 'star':
      return star(g.leaves, nodes);
    case 'partial-mesh-star':
      return partialMeshStar(g.leaves, g.dbMembers, nodes);
    case 'full-mesh':
      return fullMesh(g.clusters, nodes);
    case 'groups':
      return groups(g.leaves, g.groups, nodes);
    case 'logical-domains':
      return logicalDomains({ ...g, nodes });
    case 'multi-level-domains':
      return multiLevelDomains({ ...g, nodes });
  }
}

function explicitClusters(w: WorldFile): ClusterSpec[] {
  return w.topology.clusters.map((c) => ({
    name: c.name,
    labels: c.labels,
    role: c.role,
    podCidr: c.podCidr,
    nodes: typeof c.nodes === 'number' ? Array.from({ length: c.nodes }, (_, i) => ({ name: `${c.name}-n${i}`, cpu: 4000, memory: 8192 })) : c.nodes,
  }));
}

export interface ResolvedWorld {
  readonly design: Design;
  readonly warnings: readonly string[];
}

/**
 * The design an experiment describes: the generator's output (if any) followed by the explicit
 * clusters, peerings, offloadings, DB domains, workloads (inline, then from manifests) and
 * streams. Rejects a design the checks refuse, each problem located in the file: explicit
 * entries at their own line, generated ones at the generator.
 */
export function resolveWorld(w: WorldFile, experimentFile: string, locate: Locate): ResolvedWorld {
  const gen = w.topology.generator ? generate(w.topology.generator) : undefined;
  const warnings: string[] = [];
  const fromManifests = w.manifests.map((m, i) => {
    try {
      return readManifests(resolve(dirname(experimentFile), m.file), m.owner, m.namespace);
    } catch (err) {
      if (err instanceof InputError) throw new InputError(`${locate(['manifests', i, 'file'])}: manifests[${i}]: ${err.message}`);
      throw err;
    }
  });
  for (const r of fromManifests) warnings.push(...r.warnings);
  // Offsets of the explicit part inside each merged list, so a problem maps back to its line.
  const parts = {
    clusters: [gen?.clusters ?? [], explicitClusters(w)],
    peerings: [gen?.peerings ?? [], w.topology.peerings],
    offloading: [gen?.offloading ?? [], w.topology.offloading],
    dbDomains: [gen?.dbDomains ?? [], w.topology.dbDomains, ...fromManifests.map((r) => r.dbDomains)],
    workloads: [gen?.workloads ?? [], w.workloads, ...fromManifests.map((r) => r.workloads)],
    streams: [gen?.streams ?? [], w.streams],
  } as const;
  const design = Object.fromEntries(Object.entries(parts).map(([k, lists]) => [k, (lists as readonly (readonly unknown[])[]).flat()])) as unknown as Design;

  const problems = checkDesign(design, { nodeLimit: w.topology.nodeLimit });
  if (problems.length === 0) return { design, warnings };
  const lines = problems.slice(0, 50).map((p) => {
    const [list, index, ...rest] = p.path as [keyof typeof parts, number, ...(string | number)[]];
    const lists = parts[list] as readonly (readonly unknown[])[];
    let i = index;
    let part = 0;
    while (part < lists.length - 1 && i >= lists[part]!.length) i -= lists[part++]!.length;
    const inTopology = list !== 'workloads' && list !== 'streams';
    let where: string;
    let field: string;
    if (part === 0 && gen) {
      where = locate(['topology', 'generator']);
      field = `topology.generator (generated ${list}[${index}]${rest.length ? '.' + rest.join('.') : ''})`;
    } else if (part >= 2) {
      where = locate(['manifests', part - 2, 'file']);
      field = `manifests[${part - 2}] (${list} ${(lists[part]![i] as { name?: string }).name ?? i})`;
    } else {
      const path = [...(inTopology ? ['topology'] : []), list, i, ...rest];
      where = locate(path);
      field = path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1).replace(/\.\[/g, '[');
    }
    return `${where}: spec.scenario.${field}: ${p.message}`;
  });
  const more = problems.length > 50 ? `\n… and ${problems.length - 50} more` : '';
  throw new InputError(`invalid design (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${lines.join('\n')}${more}`);
}
