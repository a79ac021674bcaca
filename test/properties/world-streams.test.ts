import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/load.js';
import { runReplication } from '../../src/experiment/run.js';
import { tempDir } from '../helpers.js';

/**
 * The coarse world re-evaluates only the streams of the workloads a change touched, and forgets
 * dead pods. The reference (`streamUpdates: all`) re-evaluates every stream at every change and
 * keeps every pod: both must give the same samples and the same trace, record for record,
 * whatever the design and the faults.
 */
const dir = tempDir();
let n = 0;

const design = fc.record({
  kind: fc.constantFrom('logical-domains', 'multi-level-domains'),
  primaries: fc.integer({ min: 1, max: 3 }),
  secondariesPerPrimary: fc.integer({ min: 1, max: 4 }),
  backupsPerPrimary: fc.integer({ min: 0, max: 1 }),
  pmusPerSecondary: fc.integer({ min: 1, max: 2 }),
});
type Design = typeof design extends fc.Arbitrary<infer T> ? T : never;

/** Fault targets by role; `primary-1`, `secondary-1-1` and `centre` exist in every design above. */
const fault = (d: Design) => {
  const cluster = fc.oneof(
    fc.constant('centre'),
    fc.integer({ min: 1, max: d.primaries }).map((i) => `primary-${i}`),
    fc.tuple(fc.integer({ min: 1, max: d.primaries }), fc.integer({ min: 1, max: d.secondariesPerPrimary })).map(([i, k]) => `secondary-${i}-${k}`),
  );
  const at = fc.integer({ min: 0, max: 3600 }).map((s) => `${s}s`);
  const span = fc.integer({ min: 1, max: 1800 }).map((s) => `${s}s`);
  return fc.oneof(
    fc.tuple(fc.constantFrom('cluster-down', 'isolate'), cluster, at, span).map(([kind, target, a, f]) => `{kind: ${kind}, target: ${target}, at: ${a}, for: ${f}}`),
    fc.tuple(fc.uniqueArray(cluster, { minLength: 1, maxLength: 3 }), at, span).map(([island, a, f]) => `{kind: partition, island: [${island.join(', ')}], at: ${a}, for: ${f}}`),
    fc.tuple(fc.integer({ min: 1, max: d.primaries }), at).map(([i, a]) => `{kind: pod-failure, workload: domain-${i}-pdc-lower, at: ${a}}`),
    // Frequent failures replace many pods: enough for the dead-pod sweeps of `changed` to run.
    fc.tuple(fc.constantFrom('cluster-down', 'isolate'), cluster, fc.integer({ min: 2, max: 20 })).map(
      ([kind, target, mttf]) => `{kind: random-failures, fault: ${kind}, clusters: {names: [${target}]}, timeToFailure: {kind: exponential, mean: ${mttf}m}, timeToRepair: {kind: uniform, min: 1m, max: 10m}}`,
    ),
  );
};
const scenario = design.chain((d) => fc.tuple(fc.constant(d), fc.array(fault(d), { maxLength: 6 }), fc.integer({ min: 0, max: 1000 })));

function run(d: Design, faults: string[], seed: number, streamUpdates: 'changed' | 'all') {
  const file = join(dir, `w-${n++}.yaml`);
  const { kind, ...g } = d;
  writeFileSync(
    file,
    `apiVersion: gridtwin/v1alpha1
kind: Experiment
metadata: {name: streams}
spec:
  duration: 2h
  scenario:
    kind: world
    streamUpdates: ${streamUpdates}
    topology:
      generator: {kind: ${kind}, primaries: ${g.primaries}, secondariesPerPrimary: ${g.secondariesPerPrimary}, backupsPerPrimary: ${g.backupsPerPrimary}, pmusPerSecondary: ${g.pmusPerSecondary}, dbMembers: 2}
    faults: [${faults.join(', ')}]
`,
  );
  return runReplication(loadExperiment(file), seed, 0, { trace: true });
}

describe('coarse world streams', () => {
  it('re-evaluating only the streams a change touched gives the same samples and trace as re-evaluating every stream', () => {
    let outages = 0;
    fc.assert(
      fc.property(scenario, ([d, faults, seed]) => {
        const changed = run(d, faults, seed, 'changed');
        const all = run(d, faults, seed, 'all');
        expect(changed.samples).toEqual(all.samples);
        expect(changed.trace).toEqual(all.trace);
        outages += changed.samples.filter((s) => s.name === 'streamDowntimeHigher').length;
      }),
      { numRuns: 60 },
    );
    expect(outages).toBeGreaterThan(20); // the faults did cut streams
  });
});
