import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDesign, logicalDomains, multiLevelDomains, overlaps, parseCidr, partialMeshStar, star, subnet, type Design } from '../../src/topology/index.js';

const messages = (d: Design, nodeLimit?: number) => checkDesign(d, { nodeLimit }).map((p) => `${p.path.join('.')}: ${p.message}`);

describe('design checks reject invalid designs with a reason', () => {
  it('re-offloading an offloaded namespace (multi-hop) is rejected', () => {
    const d = star(2);
    const bad: Design = {
      ...d,
      peerings: [...d.peerings, { consumer: 'leaf-1', provider: 'leaf-2' }],
      offloading: [...d.offloading, { namespace: 'grid-centre', owner: 'leaf-1', clusterSelector: {}, mappingStrategy: 'DefaultName', podOffloadingStrategy: 'Remote' }],
    };
    expect(messages(bad)).toEqual([expect.stringMatching(/^offloading\.1: namespace grid-centre in leaf-1 is itself the offloaded copy of grid from centre .*no multi-hop/)]);
  });

  it('an offloading cycle is rejected', () => {
    const d = star(1);
    const bad: Design = {
      ...d,
      peerings: [{ consumer: 'centre', provider: 'leaf-1', bidirectional: true }],
      offloading: [
        { namespace: 'x', owner: 'centre', clusterSelector: {}, mappingStrategy: 'EnforceSameName', podOffloadingStrategy: 'Remote' },
        { namespace: 'x', owner: 'leaf-1', clusterSelector: {}, mappingStrategy: 'EnforceSameName', podOffloadingStrategy: 'Remote' },
      ],
    };
    expect(messages(bad).filter((m) => m.includes('cannot offload it again'))).toHaveLength(2);
  });

  it('a namespace offloaded twice is rejected', () => {
    const d = star(2);
    expect(messages({ ...d, offloading: [d.offloading[0]!, d.offloading[0]!] })).toEqual([expect.stringContaining('offloaded twice')]);
  });

  it('a DB domain without the full peering mesh is rejected, whichever pair is missing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 12 }), fc.nat(), (n, pick) => {
        const d = partialMeshStar(n, n);
        const meshIdx = d.peerings.map((p, i) => (p.bidirectional ? i : -1)).filter((i) => i >= 0);
        const drop = meshIdx[pick % meshIdx.length]!;
        const bad = { ...d, peerings: d.peerings.filter((_, i) => i !== drop) };
        const m = messages(bad);
        expect(m).toHaveLength(1);
        expect(m[0]).toMatch(/^dbDomains\.0\.members: DB domain pdc-db needs a full peering mesh.*1 of \d+ pairs are not peered/);
      }),
    );
  });

  it('overlapping CIDRs inside a DB domain are rejected; outside one they are allowed', () => {
    const d = partialMeshStar(3, 2);
    const same = (names: string[]) => ({ ...d, clusters: d.clusters.map((c) => (names.includes(c.name) ? { ...c, podCidr: '10.42.0.0/16' } : c)) });
    expect(messages(same(['leaf-1', 'leaf-2']))).toEqual([expect.stringMatching(/DB domain pdc-db crosses clusters leaf-1 and leaf-2 whose pod CIDRs overlap/)]);
    expect(messages(same(['leaf-2', 'leaf-3']))).toEqual([]);
  });

  it('more virtual nodes than the node limit is rejected', () => {
    expect(messages(star(10), 10)).toEqual([expect.stringMatching(/^clusters\.0: cluster centre would have 11 nodes \(1 physical \+ 10 virtual/)]);
    expect(messages(star(9), 10)).toEqual([]);
  });

  it('dangling names, self-peering, malformed CIDRs and pods outside the offloaded clusters are rejected', () => {
    const d = logicalDomains({ primaries: 1, secondariesPerPrimary: 1, backupsPerPrimary: 0, dbMembers: 2 });
    const bad: Design = {
      ...d,
      clusters: d.clusters.map((c, i) => (i === 1 ? { ...c, podCidr: '10.1.2.3/24' } : c)),
      peerings: [...d.peerings, { consumer: 'centre', provider: 'nowhere' }, { consumer: 'centre', provider: 'centre' }],
      workloads: [...d.workloads, { name: 'x', kind: 'Deployment', app: 'other', owner: 'primary-1', namespace: 'local', replicas: 1, placement: { cluster: 'centre' } }],
    };
    const m = messages(bad);
    expect(m).toContainEqual(expect.stringMatching(/^clusters\.1\.podCidr: "10\.1\.2\.3\/24" is not an IPv4 CIDR/));
    expect(m).toContainEqual('peerings.' + d.peerings.length + '.provider: unknown cluster nowhere');
    expect(m).toContainEqual(expect.stringContaining('cannot peer with itself'));
    expect(m).toContainEqual(expect.stringMatching(/placement\.cluster: pods of primary-1\/local cannot run on centre: the namespace is not offloaded/));
  });

  it('multi-level designs pass where logical ones share the same parameters', () => {
    const p = { primaries: 3, secondariesPerPrimary: 3, backupsPerPrimary: 1, dbMembers: 3 };
    expect(messages(logicalDomains(p))).toEqual([]);
    expect(messages(multiLevelDomains(p))).toEqual([]);
  });
});

describe('CIDRs', () => {
  it('two blocks are reported as overlapping exactly when their address intervals intersect', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 24 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 24 }), (a, ab, b, bb) => {
        const ra = parseCidr(subnet('0.0.0.0/0', ab, a % 2 ** ab))!;
        const rb = parseCidr(subnet('0.0.0.0/0', bb, b % 2 ** bb))!;
        const intersect = ra.start < rb.end && rb.start < ra.end;
        expect(overlaps([{ range: ra }, { range: rb }]).length === 1).toBe(intersect);
      }),
    );
  });
});
