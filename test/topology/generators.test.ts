import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDesign,
  fullMesh,
  groups,
  logicalDomains,
  multiLevelDomains,
  partialMeshStar,
  remoteNamespace,
  star,
  TopologyIndex,
  type Design,
} from '../../src/topology/index.js';

const domainParams = fc.record({
  primaries: fc.integer({ min: 1, max: 6 }),
  secondariesPerPrimary: fc.integer({ min: 0, max: 6 }),
  backupsPerPrimary: fc.integer({ min: 0, max: 2 }),
  dbMembers: fc.integer({ min: 1, max: 5 }),
  pmusPerSecondary: fc.integer({ min: 1, max: 4 }),
});

/** Pairs of a DB domain's members that are directly peered. */
const meshPairs = (d: Design, members: readonly string[]): number => {
  const idx = new TopologyIndex(d);
  let n = 0;
  for (let a = 0; a < members.length; a++) for (let b = a + 1; b < members.length; b++) if (idx.peered(members[a]!, members[b]!)) n++;
  return n;
};

describe('topology generators', () => {
  it('domains give pmusPerSecondary PMU streams per secondary station, each on its station, all distinct', () => {
    fc.assert(
      fc.property(domainParams, (p) => {
        for (const d of [logicalDomains(p), multiLevelDomains(p)]) {
          expect(d.streams).toHaveLength(p.primaries * p.secondariesPerPrimary * p.pmusPerSecondary);
          expect(new Set(d.streams.map((s) => s.name)).size).toBe(d.streams.length);
          const pmus = new Map(d.workloads.filter((w) => w.app === 'pmu').map((w) => [w.name, w]));
          expect(pmus.size).toBe(d.streams.length);
          for (const s of d.streams) expect(pmus.get(s.pmu)?.placement).toEqual({ cluster: s.name.replace(/-stream(-\d+)?$/, '') });
        }
      }),
      { numRuns: 50 },
    );
  });

  it('generators produce valid designs', () => {
    fc.assert(
      fc.property(domainParams, (p) => {
        expect(checkDesign(logicalDomains(p))).toEqual([]);
        expect(checkDesign(multiLevelDomains(p))).toEqual([]);
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (leaves, db) => {
        expect(checkDesign(star(leaves))).toEqual([]);
        expect(checkDesign(partialMeshStar(leaves, db))).toEqual([]);
        expect(checkDesign(fullMesh(Math.min(leaves, 12)))).toEqual([]);
      }),
    );
  });

  it('peerings of a DB domain form a full mesh: N(N−1)/2 pairs, plus the star links', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), (leaves, db) => {
        const d = partialMeshStar(leaves, db);
        const n = Math.min(leaves, db);
        expect(meshPairs(d, d.dbDomains[0]!.members)).toBe((n * (n - 1)) / 2);
        expect(d.peerings.length).toBe(leaves + (n * (n - 1)) / 2);
      }),
    );
    fc.assert(
      fc.property(domainParams, (p) => {
        for (const d of [logicalDomains(p), multiLevelDomains(p)]) {
          for (const db of d.dbDomains) expect(meshPairs(d, db.members)).toBe((db.members.length * (db.members.length - 1)) / 2);
        }
      }),
    );
  });

  it('no namespace is offloaded twice and offloading has no cycle', () => {
    fc.assert(
      fc.property(domainParams, (p) => {
        for (const d of [logicalDomains(p), multiLevelDomains(p)]) {
          const idx = new TopologyIndex(d);
          const owned = new Set(d.offloading.map((o) => `${o.owner}/${o.namespace}`));
          expect(owned.size).toBe(d.offloading.length);
          // No remote copy is itself offloaded (that is what a multi-hop chain or a cycle needs).
          for (const o of d.offloading) for (const t of idx.offloadTargets(o)) expect(owned.has(`${t}/${remoteNamespace(o)}`)).toBe(false);
        }
      }),
    );
  });

  it('the centre has a virtual node per station in logical domains, per main primary in multi-level ones', () => {
    const p = { primaries: 4, secondariesPerPrimary: 5, backupsPerPrimary: 1, dbMembers: 3 };
    const logical = new TopologyIndex(logicalDomains(p));
    const multi = new TopologyIndex(multiLevelDomains(p));
    expect(logical.virtualNodes('centre')).toBe(4 * (1 + 5 + 1));
    expect(multi.virtualNodes('centre')).toBe(4);
    expect(multi.virtualNodes('primary-2')).toBe(5 + 1);
  });

  it('low-level deployments are owned by the centre in logical domains and by the main primary in multi-level ones', () => {
    const p = { primaries: 2, secondariesPerPrimary: 2, backupsPerPrimary: 1, dbMembers: 3 };
    const lowOwners = (d: Design) => new Set(d.workloads.filter((w) => w.app === 'pdc-lower' || w.app === 'pmu').map((w) => w.owner));
    expect([...lowOwners(logicalDomains(p))]).toEqual(['centre']);
    expect([...lowOwners(multiLevelDomains(p))].sort()).toEqual(['primary-1', 'primary-2']);
  });

  it('multi-level designs reuse CIDRs across sub-stars but never inside a DB domain', () => {
    const d = multiLevelDomains({ primaries: 3, secondariesPerPrimary: 4, backupsPerPrimary: 0, dbMembers: 5 });
    const cidrs = d.clusters.map((c) => c.podCidr);
    expect(new Set(cidrs).size).toBeLessThan(cidrs.length);
    expect(checkDesign(d)).toEqual([]);
  });

  it('independent groups may share a leaf; a dependent group selects only leaves shared with its group', () => {
    const d = groups(4, [
      { name: 'a', members: [1, 2, 3] },
      { name: 'b', members: [3, 4] },
      { name: 'c', members: [2, 3, 4], dependsOn: 'a' },
    ]);
    const idx = new TopologyIndex(d);
    const targets = Object.fromEntries(d.offloading.map((o) => [o.namespace, idx.offloadTargets(o)]));
    expect(targets).toEqual({ 'group-a': ['leaf-1', 'leaf-2', 'leaf-3'], 'group-b': ['leaf-3', 'leaf-4'], 'group-c': ['leaf-2', 'leaf-3'] });
    expect(checkDesign(d)).toEqual([]);
  });

  it("an 11,001-cluster logical-domains design exceeds the centre's 5,000-node limit; the multi-level design of the same grid passes", () => {
    const d = logicalDomains({ primaries: 1000, secondariesPerPrimary: 9, backupsPerPrimary: 1, dbMembers: 3 });
    expect(d.clusters.length).toBe(11_001);
    // 11,000 clusters behind one centre is beyond the node limit; the check says so.
    const problems = checkDesign(d);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/centre would have 11001 nodes .*5000-node limit/);
    const m = multiLevelDomains({ primaries: 1000, secondariesPerPrimary: 9, backupsPerPrimary: 1, dbMembers: 3 });
    expect(checkDesign(m)).toEqual([]);
  });
});
