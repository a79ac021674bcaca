import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/load.js';
import { runReplication } from '../../src/experiment/run.js';
import { tempDir } from '../helpers.js';

/** A centre offloading `grid` to two leaves; `kind` is the workload's controller. */
function world(kind: 'Deployment' | 'StatefulSet', faults: string): ReturnType<typeof loadExperiment> {
  const path = join(tempDir(), 'w.yaml');
  writeFileSync(
    path,
    `apiVersion: gridtwin/v1alpha1
kind: Experiment
metadata: {name: w}
spec:
  duration: 30m
  scenario:
    kind: world
    topology:
      generator: {kind: star, leaves: 2}
    workloads:
      - {name: app, kind: ${kind}, owner: centre, namespace: grid, placement: {clusters: [leaf-1, leaf-2]}}
    faults:
${faults}
`,
  );
  return loadExperiment(path);
}

const records = (exp: ReturnType<typeof loadExperiment>) =>
  runReplication(exp, 1, 0, { trace: true })
    .trace!.trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown> & { t: number; kind: string });

describe('world failover', () => {
  it('a Deployment pod on a cut-off provider is replaced after NotReady + toleration, and deleted remotely on the heal', () => {
    const r = records(world('Deployment', '      - {kind: isolate, target: leaf-1, at: 60s, for: 10m}'));
    const cut = r.find((x) => x.kind === 'fault' && x.what === 'isolate')!;
    const notReady = r.find((x) => x.kind === 'node-ready' && x.ready === false)!;
    const evicted = r.find((x) => x.kind === 'pod-evicted')!;
    // Liqo tunnel check 10 − U[0,2) + U(0,1] s, or (API-server check first) lease expiry after the
    // 20 s grace; then the taint within one 5 s monitor pass and the 20 s toleration (k3s-1.24-thesis).
    const byTunnel = notReady.t - cut.t <= 11e6;
    expect(notReady.t - cut.t).toBeGreaterThanOrEqual(8e6);
    expect(notReady.t - cut.t).toBeLessThanOrEqual(byTunnel ? 11e6 : 45e6);
    expect(evicted.t - notReady.t).toBeGreaterThanOrEqual(20e6);
    expect(evicted.t - notReady.t).toBeLessThanOrEqual(25e6);
    // The island heals: the virtual node goes Ready again.
    expect(r.filter((x) => x.kind === 'node-ready' && x.ready === true && x.virtual === true && x.t > cut.t).length).toBeGreaterThan(0);
    const replacement = r.find((x) => x.kind === 'pod-phase' && x.phase === 'Running' && x.cluster === 'leaf-2' && x.t > evicted.t);
    expect(replacement).toBeDefined();
    const heal = r.find((x) => x.kind === 'repair')!;
    expect(r).toContainEqual(expect.objectContaining({ kind: 'pod-phase', cluster: 'leaf-1', phase: 'Deleted', t: heal.t }));
  });

  it('a StatefulSet pod on a cut-off provider is not replaced while cut off (at-most-one)', () => {
    const r = records(world('StatefulSet', '      - {kind: isolate, target: leaf-1, at: 60s, for: 10m}'));
    const evicted = r.find((x) => x.kind === 'pod-evicted')!;
    const heal = r.find((x) => x.kind === 'repair')!;
    expect(evicted).toBeDefined();
    expect(r.filter((x) => x.kind === 'pod-phase' && x.phase === 'Running' && x.t > evicted.t && x.t < heal.t)).toEqual([]);
  });

  it('deployments are lost only while their owner is down, and reset when it returns', () => {
    const exp = world('Deployment', '      - {kind: cluster-down, target: centre, at: 60s, for: 2m}');
    const samples = runReplication(exp, 1, 0).samples;
    const value = (name: string) => samples.find((s) => s.name === name)!.value;
    expect(value('deploymentsLost')).toBe(1);
    expect(value('recoveryActions')).toBe(1); // the reset
    expect(value('podsReplaced')).toBe(0);
  });
});

describe('world on the detailed k8s/Liqo/grid models', () => {
  it('losing a main primary station loses low-level deployments only in the multi-level design (detailed fidelity)', () => {
    // Three DB members per domain (a full peering mesh): the provider's reflected DB pods stay on
    // its own nodes (12fac60), and the operator's anti-affinity spreads the members.
    const path = join(tempDir(), 'lvm.yaml');
    const text = readFileSync('experiments/logical-vs-multilevel.yaml', 'utf8');
    writeFileSync(path, text.replace('duration: 30m', 'duration: 15m'));
    const exp = loadExperiment(path);
    const [logical, multi] = exp.points!.map((p) => runReplication(p.experiment, 1, 0, { trace: true }));
    const values = (r: typeof logical, name: string) => r!.samples.filter((x) => x.name === name).map((x) => x.value);
    expect(values(logical, 'deploymentsLost')).toEqual([0]);
    expect(values(multi, 'deploymentsLost')[0]).toBeGreaterThan(0);
    // While the primary station is down, only the centre (logical domains) creates a new low-level
    // PDC pod, on the backup primary; in the multi-level design its owner is the station that is down.
    const replacementsDuringFault = (r: typeof logical) => {
      const recs = r!.trace!.trim().split('\n').map((l) => JSON.parse(l));
      const down = recs.find((x) => x.kind === 'fault' && x.what === 'cluster-down').t;
      const up = recs.find((x) => x.kind === 'repair' && x.what === 'cluster-down').t;
      return recs.filter((x) => x.kind === 'pod-phase' && x.phase === 'Pending' && /pdc-lower/.test(x.pod) && x.cluster === 'primary-1-backup-1' && x.t > down && x.t < up);
    };
    expect(replacementsDuringFault(logical).length).toBeGreaterThan(0);
    expect(replacementsDuringFault(multi)).toEqual([]);
    // Both streams of domain 1 are cut at both levels for about the fault's length or more.
    expect(Math.min(...values(multi, 'streamDowntimeLower'))).toBeGreaterThan(290);
  });
});

describe('both fidelities agree on a small design', () => {
  /** Per sweep point: each metric's values over `runs` replications at one fidelity. */
  function metrics(fidelity: 'coarse' | 'detailed', runs: number): Record<string, number[]>[] {
    const path = join(tempDir(), `${fidelity}.yaml`);
    const text = readFileSync('experiments/logical-vs-multilevel.yaml', 'utf8')
      .replace('fidelity: detailed', `fidelity: ${fidelity}`)
      .replace('duration: 30m', 'duration: 15m')
      .replace('primaries: 3', 'primaries: 2')
      .replace('secondariesPerPrimary: 3', 'secondariesPerPrimary: 2');
    writeFileSync(path, text);
    return loadExperiment(path).points!.map((p) => {
      const out: Record<string, number[]> = {};
      for (let r = 0; r < runs; r++) for (const s of runReplication(p.experiment, 1, r).samples) (out[s.name] ??= []).push(s.value);
      return out;
    });
  }
  const mean = (xs: number[] | undefined) => xs!.reduce((a, b) => a + b, 0) / xs!.length;

  it('same deployments lost and streams down at the end; mean stream downtime within 15 s at both levels', () => {
    const coarse = metrics('coarse', 4);
    const detailed = metrics('detailed', 4);
    // Sweep points: logical domains (nothing lost, ~45 s of failover), multi-level (lost, ~fault length).
    for (const i of [0, 1]) {
      expect(detailed[i]!.deploymentsLost).toEqual(coarse[i]!.deploymentsLost);
      expect(detailed[i]!.streamsDownAtEnd).toEqual(coarse[i]!.streamsDownAtEnd);
      for (const m of ['streamDowntimeLower', 'streamDowntimeHigher']) {
        expect(detailed[i]![m]!.length).toBe(coarse[i]![m]!.length);
        expect(Math.abs(mean(detailed[i]![m]) - mean(coarse[i]![m]))).toBeLessThan(15);
      }
    }
    expect(mean(coarse[0]!.deploymentsLost)).toBe(0);
    expect(mean(coarse[1]!.deploymentsLost)).toBeGreaterThan(0);
    // The multi-level outage lasts the fault (5 min); the logical-domain failover takes well under a minute and a half.
    expect(mean(detailed[0]!.streamDowntimeLower)).toBeLessThan(90);
    expect(mean(detailed[1]!.streamDowntimeLower)).toBeGreaterThan(290);
  });
});

// The coarse world runs the same Galera clusters (lazily) and the kubelet's part in closed form.
describe.each(['detailed', 'coarse'] as const)('%s world: PDC configuration from a Galera cluster (MODEL.md §4)', (fidelity) => {
  /** Domain 1's DB on its first `members` clusters; the backup station is cut off, then the low-level PDC's process hangs. */
  const split = (members: number) => {
    const path = join(tempDir(), 'q.yaml');
    writeFileSync(
      path,
      `apiVersion: gridtwin/v1alpha1
kind: Experiment
metadata: {name: q}
spec:
  duration: 40m
  scenario:
    kind: world
    fidelity: ${fidelity}
    topology:
      generator: {kind: logical-domains, primaries: 1, secondariesPerPrimary: 2, backupsPerPrimary: 1, dbMembers: ${members}}
    faults:
      - {kind: partition, island: [primary-1-backup-1], at: 5m, for: 20m}
      - {kind: pod-failure, workload: domain-1-pdc-lower, at: 7m}
`,
    );
    const r = runReplication(loadExperiment(path), 1, 0, { trace: true });
    const trace = r.trace!.trim().split('\n').map((l) => JSON.parse(l) as { t: number; kind: string; state?: string; what?: string; member?: string });
    const down = r.samples.filter((s) => s.name === 'streamDowntimeLower').map((s) => s.value);
    return { trace, down };
  };

  it('two members split: neither side is primary, so the restarted PDC cannot read its configuration until the heal', () => {
    const { trace, down } = split(2);
    const cut = trace.find((x) => x.kind === 'fault' && x.what === 'partition')!;
    const heal = trace.find((x) => x.kind === 'repair' && x.what === 'partition')!;
    // Even split → non-primary on both sides (no operator bootstrap while it cannot reach the island's member).
    const during = trace.filter((x) => x.kind === 'db-member' && x.t > cut.t && x.t < heal.t);
    expect(during.some((x) => x.state === 'non-primary')).toBe(true);
    expect(during.some((x) => x.state === 'primary')).toBe(false);
    expect(trace.some((x) => x.kind === 'db-member' && x.state === 'primary' && x.t > heal.t)).toBe(true);
    // The stream at the low-level PDC is out from the hang (7 min) until after the heal (25 min).
    expect(Math.min(...down)).toBeGreaterThan(18 * 60);
  });

  it('three members, one cut off: the other two stay primary and the PDC restarts at once', () => {
    const { trace, down } = split(3);
    // Only the cut-off backup's member leaves the primary component (non-primary, restarted by its
    // liveness probe, until the heal); the two others never do.
    const left = new Set(trace.filter((x) => x.kind === 'db-member' && x.state !== 'primary').map((x) => x.member));
    expect(left.size).toBe(1);
    expect(Math.max(...down)).toBeLessThan(60);
  });
});

// Found by review (stop 13): overlapping faults around a DB domain where the coarse fidelity's
// closed forms differed from the detailed models — an operator acting while its cluster was down,
// a reset that moved or dropped Galera members (a DB and its streams down for good).
describe('coarse and detailed agree after overlapping faults around a DB domain', () => {
  const cases: Record<string, { generator: string; duration: string; faults: string[] }> = {
    'the owner powered off just as a partition of a member heals': {
      generator: 'logical-domains, primaries: 1, secondariesPerPrimary: 2, backupsPerPrimary: 1, dbMembers: 2',
      duration: '60m',
      faults: ['{kind: partition, island: [primary-1-backup-1], at: 5m, for: 10m}', '{kind: cluster-down, target: centre, at: 14m, for: 10m}'],
    },
    'a lost StatefulSet reset while one member is powered off': {
      generator: 'multi-level-domains, primaries: 1, secondariesPerPrimary: 2, backupsPerPrimary: 1, dbMembers: 3',
      duration: '60m',
      faults: ['{kind: cluster-down, target: primary-1, at: 12m, for: 7m}', '{kind: cluster-down, target: primary-1-backup-1, at: 18m, for: 15m}'],
    },
    'the owner back while still partitioned, a member powered off': {
      generator: 'logical-domains, primaries: 1, secondariesPerPrimary: 2, backupsPerPrimary: 1, dbMembers: 2',
      duration: '90m',
      faults: ['{kind: cluster-down, target: centre, at: 5m, for: 10m}', '{kind: cluster-down, target: primary-1-backup-1, at: 8m, for: 20m}', '{kind: partition, island: [centre], at: 14m, for: 5m}'],
    },
  };
  const run = (c: (typeof cases)[string], fidelity: string) => {
    const path = join(tempDir(), `${fidelity}.yaml`);
    writeFileSync(
      path,
      `apiVersion: gridtwin/v1alpha1
kind: Experiment
metadata: {name: r}
spec:
  duration: ${c.duration}
  scenario:
    kind: world
    fidelity: ${fidelity}
    topology:
      generator: {kind: ${c.generator}}
    faults:
${c.faults.map((f) => `      - ${f}`).join('\n')}
`,
    );
    const exp = loadExperiment(path);
    const samples = [1, 2, 3].flatMap((seed) => runReplication(exp, seed, 0).samples);
    const values = (name: string) => samples.filter((s) => s.name === name).map((s) => s.value);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    return { higher: mean(values('streamDowntimeHigher')), lower: values('streamDowntimeLower'), downAtEnd: values('streamsDownAtEnd') };
  };
  it.each(Object.keys(cases))('%s', (name) => {
    const coarse = run(cases[name]!, 'coarse');
    const detailed = run(cases[name]!, 'detailed');
    expect(coarse.downAtEnd).toEqual([0, 0, 0]);
    expect(detailed.downAtEnd).toEqual([0, 0, 0]);
    expect(Math.abs(coarse.higher - detailed.higher)).toBeLessThan(0.1 * detailed.higher + 15);
    expect(coarse.lower.length > 0).toBe(detailed.lower.length > 0); // an outage at the low-level PDC in both or in neither
  });
});
