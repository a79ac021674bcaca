import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/experiment/errors.js';
import { loadExperiment, type Experiment } from '../../src/experiment/load.js';
import { runReplication } from '../../src/experiment/run.js';
import { cli, tempDir } from '../helpers.js';

/** Writes an experiment file; `scenario` is YAML indented under `spec.scenario`. */
function file(scenario: string, spec = ''): string {
  const path = join(tempDir(), 'exp.yaml');
  writeFileSync(path, `apiVersion: gridtwin/v1alpha1\nkind: Experiment\nmetadata: {name: t}\nspec:\n  duration: 30m\n${spec}  scenario:\n    kind: world\n${scenario.replace(/^/gm, '    ')}\n`);
  return path;
}

const loadError = (path: string): string => {
  try {
    loadExperiment(path);
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('expected an InputError');
};

/** Metric values of one replication, by name. */
function run(exp: Experiment, r = 0): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of runReplication(exp, exp.seed, r).samples) (out[s.name] ??= []).push(s.value);
  return out;
}

const explicit = (extraPeering = '') => `topology:
  clusters:
    - {name: centre, podCidr: 10.0.0.0/24}
    - {name: a, podCidr: 10.0.1.0/24}
    - {name: b, podCidr: 10.0.2.0/24}
    - {name: c, podCidr: 10.0.3.0/24}
  peerings:
    - {consumer: centre, provider: a}
    - {consumer: centre, provider: b}
    - {consumer: centre, provider: c}
    - {consumer: a, provider: b, bidirectional: true}
    - {consumer: a, provider: c, bidirectional: true}${extraPeering}
  offloading:
    - {namespace: grid, owner: centre}
  dbDomains:
    - {name: pdc-db, members: [a, b, c]}`;

describe('world experiments: design checks at load time (exit 2 material)', () => {
  it('a DB domain without the full mesh is rejected at its line, naming the missing pair', () => {
    const path = file(explicit());
    const msg = loadError(path);
    expect(msg).toMatch(new RegExp(`${path}:\\d+:\\d+: spec\\.scenario\\.topology\\.dbDomains\\[0\\]\\.members: DB domain pdc-db needs a full peering mesh.*1 of 3 pairs.*b and c`));
  });

  it('the CLI exits 2 on an invalid design, before running anything', () => {
    const path = file(explicit());
    const out = join(tempDir(), 'out');
    for (const args of [['validate', path], ['run', path, '--out', out]]) {
      const r = cli(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/DB domain pdc-db needs a full peering mesh/);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('overlapping CIDRs where DB traffic crosses clusters are rejected', () => {
    const path = file(explicit('\n    - {consumer: b, provider: c, bidirectional: true}').replace('{name: c, podCidr: 10.0.3.0/24}', '{name: c, podCidr: 10.0.2.0/23}'));
    expect(loadError(path)).toMatch(/dbDomains\[0\]\.members: DB domain pdc-db crosses clusters b and c whose pod CIDRs overlap/);
  });

  it('re-offloading an offloaded namespace is rejected at its line', () => {
    const path = file(explicit('\n    - {consumer: b, provider: c, bidirectional: true}').replace('- {namespace: grid, owner: centre}', '- {namespace: grid, owner: centre, mappingStrategy: EnforceSameName}\n    - {namespace: grid, owner: a}'));
    const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('{namespace: grid, owner: a}')) + 1;
    expect(loadError(path)).toMatch(new RegExp(`exp\\.yaml:${line}:\\d+: spec\\.scenario\\.topology\\.offloading\\[1\\]: namespace grid in a is itself the offloaded copy`));
  });

  it('more virtual nodes than the node limit is rejected, located at the generator', () => {
    const path = file('topology:\n  generator: {kind: star, leaves: 20}\n  nodeLimit: 10');
    expect(loadError(path)).toMatch(/exp\.yaml:9:\d+: spec\.scenario\.topology\.generator \(generated clusters\[0\]\): cluster centre would have 21 nodes/);
  });

  it('schema errors inside the world carry file:line:column and the field path', () => {
    const path = file('topology:\n  generator: {kind: logical-domains, primaries: many, secondariesPerPrimary: 2}');
    expect(loadError(path)).toMatch(/exp\.yaml:9:\d+: spec\.scenario\.topology\.generator\.primaries: /);
    const bad = file('topology: {generator: {kind: star, leaves: 2}}\nfaults:\n  - {kind: meteor, target: centre, at: 5s}');
    expect(loadError(bad)).toMatch(/exp\.yaml:10:\d+: spec\.scenario\.faults\[0\]\.kind/);
  });

  it('a measurement the scenario never records is rejected', () => {
    const path = file('topology: {generator: {kind: star, leaves: 2}}', '  measurements: [peerings, bogus]\n');
    expect(loadError(path)).toMatch(/spec\.measurements\[1\]: scenario world records no metric "bogus"/);
  });
});

describe('world experiments: what the bundled experiments must show', () => {
  it('a scalability sweep reports peerings = star links + N(N−1)/2 per DB domain, at every point', () => {
    const exp = loadExperiment('experiments/scalability.yaml');
    expect(exp.points).toHaveLength(5);
    for (const point of exp.points!) {
      const s = point.parameters['scenario.topology.generator.secondariesPerPrimary'] as number;
      const n = 1 + 1 + s; // primary + backup + secondaries, all DB members
      const m = run(point.experiment);
      expect(m.peerings).toEqual([4 * n + (4 * n * (n - 1)) / 2]);
      expect(m.virtualNodesMax).toEqual([4 * n]); // the centre: one per station
      expect(Object.keys(m).sort()).toEqual(['clusters', 'controlPlaneEvents', 'peerings', 'setupTime', 'virtualNodesMax', 'virtualNodesMean']);
    }
  });

  it('losing a main primary station loses low-level deployments only in the multi-level design', () => {
    const exp = loadExperiment('experiments/logical-vs-multilevel.yaml');
    const [logical, multi] = exp.points!.map((p) => run(p.experiment));
    expect(logical!.deploymentsLost).toEqual([0]);
    // The low-level PDC on the backup primary during the fault, the DB member re-created after it.
    expect(logical!.podsReplaced).toEqual([2]);
    expect(multi!.deploymentsLost![0]).toBeGreaterThan(0);
    // Without its owner nobody replaces the PDC: its outage lasts about as long as the fault (5 min).
    expect(Math.min(...multi!.streamDowntimeLower!)).toBeGreaterThan(300);
    expect(Math.max(...logical!.streamDowntimeLower!)).toBeLessThan(120);
  });

  it('island mode: the low level keeps its PMUs, the centre loses the stream, pods start in the island, the centre reconciles', () => {
    const exp = loadExperiment('experiments/island-mode.yaml');
    const r = runReplication(exp, exp.seed, 0, { trace: true });
    const records = r.trace!.trim().split('\n').map((l) => JSON.parse(l));
    const outages = records.filter((x) => x.kind === 'stream-outage' && x.stream === 'secondary-1-1-stream');
    expect(outages.map((o) => o.level)).toEqual(['pdc-higher']); // lower level never interrupted
    expect(outages[0].downtimeUs).toBeGreaterThanOrEqual(240e6);
    const islandStart = records.find((x) => x.kind === 'pod-phase' && x.phase === 'Running' && /local-historian/.test(x.pod) && x.cluster === 'secondary-1-2' && x.t > 100e6);
    const heal = records.find((x) => x.kind === 'repair' && x.what === 'partition');
    expect(islandStart.t).toBeLessThan(heal.t);
    // The centre's evicted pod, still running on primary 1 (ShadowPod), is deleted there right after the heal.
    const reconciled = records.find((x) => x.kind === 'pod-phase' && /state-cache/.test(x.pod) && x.cluster === 'primary-1' && x.phase === 'Deleted');
    expect(reconciled.t - heal.t).toBeGreaterThanOrEqual(0);
    expect(reconciled.t - heal.t).toBeLessThan(5e6);
    // Virtual nodes cut off by the partition go Ready again after the heal.
    expect(records).toContainEqual(expect.objectContaining({ kind: 'node-ready', cluster: 'centre', node: 'liqo-primary-1', ready: true, virtual: true }));
  });

  it('same seed, same samples; trace on or off does not change them', () => {
    const exp = loadExperiment('experiments/island-mode.yaml');
    expect(runReplication(exp, 5, 3).samples).toEqual(runReplication(exp, 5, 3, { trace: true }).samples);
  });
});

describe('world faults', () => {
  const grid = `topology:
  generator: {kind: logical-domains, primaries: 2, secondariesPerPrimary: 3, backupsPerPrimary: 1, dbMembers: 3}`;

  it('a fault naming a cluster or workload the design lacks is refused with its line and field path', () => {
    expect(loadError(file(`${grid}\nfaults:\n  - {kind: isolate, target: primary-9, at: 1m}`))).toMatch(/exp\.yaml:\d+:\d+: spec\.scenario\.faults\[0\]\.target: no cluster named "primary-9"/);
    expect(loadError(file(`${grid}\nfaults:\n  - {kind: partition, island: [centre, leaf-x], at: 1m}`))).toMatch(/spec\.scenario\.faults\[0\]\.island\[1\]: no cluster named "leaf-x"/);
    expect(loadError(file(`${grid}\nfaults:\n  - {kind: pod-failure, workload: nope, at: 1m}`))).toMatch(/spec\.scenario\.faults\[0\]\.workload: no workload named "nope"/);
    expect(loadError(file(`${grid}\nfaults:\n  - {kind: random-failures, clusters: {matchLabels: {gridtwin.io/role: leaf}}, timeToFailure: 1d, timeToRepair: 1h}`))).toMatch(/faults\[0\]\.clusters: selects no cluster/);
  });

  const nested = '{kind: cluster-down, target: secondary-1-1, at: 60s, for: 1h}, {kind: cluster-down, target: secondary-1-1, at: 10m, for: 5m}';
  const longerIsolation = '{kind: cluster-down, target: secondary-1-1, at: 60s, for: 10m}, {kind: isolate, target: secondary-1-1, at: 5m, for: 1h}';
  it.each([
    ['coarse', nested],
    ['coarse', longerIsolation],
    ['detailed', nested],
    ['detailed', longerIsolation],
  ])('overlapping faults on one cluster (%s, %s): it comes back with the last repair, not the first', (fidelity, faults) => {
    const exp = loadExperiment(file(`${grid}\nfidelity: ${fidelity}\nfaults: [${faults}]`));
    const samples = runReplication({ ...exp, duration: 2 * 3600e6 }, 1, 0).samples;
    const down = samples.filter((s) => s.name === 'streamDowntimeLower').map((s) => s.value);
    // The secondary's stream is out until the last repair (~65 min), not until the first one ends
    // (~11–15 min). (The detailed model may add a short outage when the island pod is reconciled.)
    expect(Math.max(...down)).toBeGreaterThanOrEqual(3600);
    expect(down.filter((d) => d > 600 && d < 3600)).toEqual([]);
  });

  it('random failures: each selected cluster fails and is repaired again and again, on a stream of its own', () => {
    const faults = (names: string) => `${grid}\nfaults:\n  - {kind: random-failures, clusters: {names: [${names}]}, timeToFailure: {kind: exponential, mean: 2h}, timeToRepair: {kind: uniform, min: 5m, max: 20m}}`;
    const trace = (path: string) => {
      const exp = loadExperiment(path);
      return runReplication({ ...exp, duration: 48 * 3600e6 }, 1, 0, { trace: true }).trace!.trim().split('\n').map((l) => JSON.parse(l) as { t: number; kind: string; what?: string; target?: string });
    };
    const one = trace(file(faults('secondary-1-1')));
    const cuts = one.filter((r) => r.kind === 'fault' && r.what === 'cluster-down');
    const repairs = one.filter((r) => r.kind === 'repair' && r.what === 'cluster-down');
    expect(cuts.length).toBeGreaterThan(5); // ~22 in 48 h at a 2 h MTBF
    expect(cuts.every((r) => r.target === 'secondary-1-1')).toBe(true);
    // Alternating: down, up, down, up … each repair 5–20 min after its fault.
    repairs.forEach((r, k) => {
      expect(r.t - cuts[k]!.t).toBeGreaterThanOrEqual(5 * 60e6);
      expect(r.t - cuts[k]!.t).toBeLessThanOrEqual(20 * 60e6);
      if (cuts[k + 1]) expect(cuts[k + 1]!.t).toBeGreaterThanOrEqual(r.t);
    });
    // Selecting one more cluster leaves the first one's failures where they were.
    const two = trace(file(faults('secondary-1-1, secondary-2-2')));
    expect(two.filter((r) => r.kind === 'fault' && r.target === 'secondary-1-1').map((r) => r.t)).toEqual(cuts.map((r) => r.t));
    expect(two.some((r) => r.kind === 'fault' && r.target === 'secondary-2-2')).toBe(true);
  });
});
