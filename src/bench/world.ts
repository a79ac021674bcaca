import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * National scale: a generated logical-domains grid (`primaries` primary stations, each with
 * `secondariesPerPrimary` secondary stations with `pmus` PMU streams each, and a backup) over
 * `hours` of operation, every secondary station failing at random (`random-failures`: exponential
 * up-time with the MTBF that gives `faults` failures in `hours` on average, 1–31 min down).
 */
export function nationalExperiment(primaries: number, secondariesPerPrimary: number, pmus: number, hours: number, faults: number, setupSeconds = 0): string {
  const mtbfSeconds = Math.round((primaries * secondariesPerPrimary * hours * 3600) / Math.max(1, faults));
  const lines = [
    'apiVersion: gridtwin/v1alpha1',
    'kind: Experiment',
    `metadata: {name: bench-national-${primaries}x${secondariesPerPrimary}x${pmus}}`,
    'spec:',
    '  seed: 1',
    '  runs: 1',
    // Faults count from the steady state: the horizon covers the set-up, then `hours` of operation.
    `  duration: ${setupSeconds + hours * 3600}s`,
    '  scenario:',
    '    kind: world',
    '    topology:',
    `      generator: {kind: logical-domains, primaries: ${primaries}, secondariesPerPrimary: ${secondariesPerPrimary}, pmusPerSecondary: ${pmus}, backupsPerPrimary: 1, dbMembers: 3}`,
    // Past ~5,000 clusters the centre's virtual nodes exceed Kubernetes' 5,000-node limit and the
    // design check refuses the design; the bench measures the simulator, so it lifts the limit.
    '      nodeLimit: 1000000',
    faults > 0
      ? `    faults: [{kind: random-failures, clusters: {matchLabels: {gridtwin.io/role: secondary}}, timeToFailure: {kind: exponential, mean: ${mtbfSeconds}s}, timeToRepair: {kind: uniform, min: 60s, max: 1860s}}]`
      : '    faults: []',
  ];
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
  /** Simulated set-up before the measured hours (drawn set-up time + 1 h for the first pods). */
  setupSeconds: number;
  /** Stream outages measured at the higher PDC (each failed secondary station cuts its PMU streams). */
  outages: number;
}

type OneRun = Omit<WorldRun, 'clusters' | 'streams' | 'faults' | 'hours' | 'setupSeconds' | 'wallSeconds'> & { setupSeconds: number };

/** Loads and runs replication 0 of an experiment in a fresh process (dist/bench/one-run.js), so its peak memory is its own. */
function oneRun(yaml: string): OneRun {
  const file = join(mkdtempSync(join(tmpdir(), 'gridtwin-bench-')), 'national.yaml');
  writeFileSync(file, yaml);
  const script = join(dirname(fileURLToPath(import.meta.url)), 'one-run.js');
  return JSON.parse(execFileSync(process.execPath, [script, file], { encoding: 'utf8', maxBuffer: 1 << 20 })) as OneRun;
}

/**
 * Runs `hours` of operation after the set-up (peering 10,000 clusters one after another takes
 * simulated days): a first, one-second run reads the drawn set-up time (recorded at build), then
 * the measured run lasts set-up + 1 h (first pods) + `hours`, with the faults in those hours.
 */
export function benchWorld(primaries: number, secondariesPerPrimary: number, pmus: number, hours: number, faults: number): WorldRun {
  const pilot = oneRun(nationalExperiment(primaries, secondariesPerPrimary, pmus, 0, 0).replace(/duration: \d+s/, 'duration: 1s'));
  const setupSeconds = Math.ceil(pilot.setupSeconds) + 3600;
  const r = oneRun(nationalExperiment(primaries, secondariesPerPrimary, pmus, hours, faults, setupSeconds));
  return {
    clusters: 1 + primaries * (secondariesPerPrimary + 2), // centre + per primary: itself, its secondaries, its backup
    streams: primaries * secondariesPerPrimary * pmus, // pmusPerSecondary streams per secondary station
    faults,
    hours,
    ...r,
    setupSeconds,
    wallSeconds: Number((r.loadSeconds + r.runSeconds).toFixed(3)),
  };
}
