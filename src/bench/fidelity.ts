import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RandomStreams, type Rng } from '../engine/index.js';
import { loadExperiment } from '../experiment/load.js';
import { runReplication } from '../experiment/run.js';

export interface FidelityAgreement {
  cases: number;
  /** Cases whose total higher-level stream downtime differs by at most 10 % + 15 s between the fidelities. */
  within: number;
  medianDiffSeconds: number;
  p90DiffSeconds: number;
  /** Cases ending with a stream still down (every fault heals at least 45 min before the end). */
  stuck: { coarse: number; detailed: number };
  wallSeconds: { coarse: number; detailed: number };
}

const CLUSTERS = ['centre', 'primary-1', 'primary-1-backup-1', 'secondary-1-1', 'secondary-1-2'];

/** One to four overlapping faults in the first 33 minutes of a one-domain design, each healed within 15 minutes. */
function schedule(rng: Rng): { generator: string; faults: string[] } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)]!;
  const generator = `{kind: ${pick(['logical-domains', 'multi-level-domains'])}, primaries: 1, secondariesPerPrimary: 2, backupsPerPrimary: 1, dbMembers: ${pick([2, 3])}}`;
  const faults: string[] = [];
  for (let i = 0, n = 1 + Math.floor(rng.next() * 4); i < n; i++) {
    const timing = `at: ${3 + Math.floor(rng.next() * 30)}m`;
    const span = `for: ${1 + Math.floor(rng.next() * 15)}m`;
    const kind = pick(['partition', 'partition', 'isolate', 'cluster-down', 'cluster-down', 'pod-failure']);
    if (kind === 'partition') {
      const island = CLUSTERS.filter(() => rng.next() < 0.35);
      faults.push(`{kind: partition, island: [${(island.length ? island : [pick(CLUSTERS)]).join(', ')}], ${timing}, ${span}}`);
    } else if (kind === 'pod-failure') faults.push(`{kind: pod-failure, workload: ${pick(['domain-1-pdc-lower', 'domain-1-db-pxc'])}, ${timing}}`);
    else faults.push(`{kind: ${kind}, target: ${pick(CLUSTERS)}, ${timing}, ${span}}`);
  }
  return { generator, faults };
}

/**
 * How closely the coarse fidelity's closed forms follow the detailed models (the reference) on
 * random overlapping faults around a DB domain: the same schedules, seeds and profiles at both
 * fidelities, one replication each; compared on the total higher-level stream downtime.
 */
export function benchFidelity(cases: number): FidelityAgreement {
  const rng = new RandomStreams('fidelity-bench').stream('schedules');
  const dir = mkdtempSync(join(tmpdir(), 'gridtwin-fidelity-'));
  const diffs: number[] = [];
  const stuck = { coarse: 0, detailed: 0 };
  const wall = { coarse: 0, detailed: 0 };
  let within = 0;
  try {
    for (let c = 0; c < cases; c++) {
      const { generator, faults } = schedule(rng);
      const downtime: Record<string, number> = {};
      for (const fidelity of ['coarse', 'detailed'] as const) {
        const file = join(dir, `${fidelity}.yaml`);
        writeFileSync(
          file,
          `apiVersion: gridtwin/v1alpha1\nkind: Experiment\nmetadata: {name: fidelity-${c}}\nspec:\n  duration: 80m\n  scenario:\n    kind: world\n    fidelity: ${fidelity}\n` +
            `    topology:\n      generator: ${generator}\n    faults:\n${faults.map((f) => `      - ${f}`).join('\n')}\n`,
        );
        const t0 = process.hrtime.bigint();
        const r = runReplication(loadExperiment(file), c + 1, 0);
        wall[fidelity] += Number(process.hrtime.bigint() - t0) / 1e9;
        const sum = (name: string) => r.samples.filter((s) => s.name === name).reduce((a, s) => a + s.value, 0);
        downtime[fidelity] = sum('streamDowntimeHigher');
        if (sum('streamsDownAtEnd') > 0) stuck[fidelity]++;
      }
      const diff = Math.abs(downtime.coarse! - downtime.detailed!);
      diffs.push(diff);
      if (diff <= 0.1 * downtime.detailed! + 15) within++;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  diffs.sort((a, b) => a - b);
  const at = (q: number) => Number((diffs[Math.min(diffs.length - 1, Math.floor(q * diffs.length))] ?? 0).toFixed(1));
  return {
    cases,
    within,
    medianDiffSeconds: at(0.5),
    p90DiffSeconds: at(0.9),
    stuck,
    wallSeconds: { coarse: Number(wall.coarse.toFixed(2)), detailed: Number(wall.detailed.toFixed(2)) },
  };
}
