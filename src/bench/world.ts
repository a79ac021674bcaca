import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * National scale: a generated logical-domains grid (`primaries` primary stations, each with
 * `secondariesPerPrimary` secondary stations with `pmus` PMU streams each, and a backup) over a simulated day, with
 * `faults` cluster-down faults at random stations and instants (a fixed bench seed, so the
 * same experiment every time).
 */
export function nationalExperiment(primaries: number, secondariesPerPrimary: number, pmus: number, hours: number, faults: number): string {
  let x = 0x9e3779b9 | 0; // xorshift32: the bench's own deterministic choice of fault targets
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
  const lines = [
    'apiVersion: gridtwin/v1alpha1',
    'kind: Experiment',
    `metadata: {name: bench-national-${primaries}x${secondariesPerPrimary}x${pmus}}`,
    'spec:',
    '  seed: 1',
    '  runs: 1',
    `  duration: ${hours}h`,
    '  scenario:',
    '    kind: world',
    '    topology:',
    `      generator: {kind: logical-domains, primaries: ${primaries}, secondariesPerPrimary: ${secondariesPerPrimary}, pmusPerSecondary: ${pmus}, backupsPerPrimary: 1, dbMembers: 3}`,
    // Past ~5,000 clusters the centre's virtual nodes exceed Kubernetes' 5,000-node limit and the
    // design check refuses the design; the bench measures the simulator, so it lifts the limit.
    '      nodeLimit: 1000000',
    faults > 0 ? '    faults:' : '    faults: []',
  ];
  for (let i = 0; i < faults; i++) {
    const target = `secondary-${1 + Math.floor(rnd() * primaries)}-${1 + Math.floor(rnd() * secondariesPerPrimary)}`;
    lines.push(`      - {kind: cluster-down, target: ${target}, at: ${Math.floor(rnd() * hours * 3600)}s, for: ${60 + Math.floor(rnd() * 1800)}s}`);
  }
  return lines.join('\n') + '\n';
}

export interface WorldRun {
  clusters: number;
  streams: number;
  faults: number;
  hours: number;
  loadSeconds: number;
  runSeconds: number;
  wallSeconds: number;
  events: number;
  peakRssMB: number;
}

/** Runs one replication in a fresh process (dist/bench/one-run.js) and reports its cost. */
export function benchWorld(primaries: number, secondariesPerPrimary: number, pmus: number, hours: number, faults: number): WorldRun {
  const file = join(mkdtempSync(join(tmpdir(), 'gridtwin-bench-')), 'national.yaml');
  writeFileSync(file, nationalExperiment(primaries, secondariesPerPrimary, pmus, hours, faults));
  const oneRun = join(dirname(fileURLToPath(import.meta.url)), 'one-run.js');
  const r = JSON.parse(execFileSync(process.execPath, [oneRun, file], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Omit<WorldRun, 'clusters' | 'streams' | 'faults' | 'hours' | 'wallSeconds'>;
  return {
    clusters: 1 + primaries * (secondariesPerPrimary + 2), // centre + per primary: itself, its secondaries, its backup
    streams: primaries * secondariesPerPrimary * pmus, // pmusPerSecondary streams per secondary station
    faults,
    hours,
    ...r,
    wallSeconds: Number((r.loadSeconds + r.runSeconds).toFixed(3)),
  };
}
