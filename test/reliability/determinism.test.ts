import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/load.js';
import { shardSlice } from '../../src/experiment/parallel.js';
import { runExperiment, type RunOptions } from '../../src/experiment/run.js';
import { runsCsv, summarize } from '../../src/report/summary.js';
import { tempDir } from '../helpers.js';

/** The bytes a run writes (summary.json and runs.csv), computed in-process. */
async function resultBytes(file: string, opts: RunOptions): Promise<string> {
  const exp = loadExperiment(file);
  const { results, complete } = await runExperiment(exp, opts);
  expect(complete).toBe(true);
  return JSON.stringify(summarize(exp.name, opts.seed ?? exp.seed, results, complete)) + '\n' + runsCsv(results);
}

const ms = (lo: number, hi: number) => fc.integer({ min: lo, max: hi }).map((v) => `${v}ms`);

/** A random but valid thesis-pod-failure experiment (the real k8s, Liqo and grid models). */
const podFailureYaml = fc
  .record({
    seed: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.string({ minLength: 1, maxLength: 8 }).map((s) => JSON.stringify(s))),
    leaves: fc.integer({ min: 1, max: 4 }),
    failMin: ms(10_000, 40_000),
    failSpread: ms(0, 10_000),
    period: ms(1_000, 10_000),
    threshold: fc.integer({ min: 1, max: 5 }),
  })
  .map(
    (p) => `apiVersion: gridtwin/v1alpha1
kind: Experiment
metadata: {name: fuzz-determinism}
spec:
  seed: ${p.seed}
  runs: 4
  duration: 2m
  scenario:
    kind: thesis-pod-failure
    leaves: ${p.leaves}
    k3s: {name: k3s-1.24-thesis}
    liqo: {name: liqo-0.10}
    failAfterStart: {kind: uniform, min: ${p.failMin}, max: ${Number.parseInt(p.failMin) + Number.parseInt(p.failSpread)}ms}
    liveness: {initialDelay: 5s, period: ${p.period}, failureThreshold: ${p.threshold}}
`,
  );

describe('determinism', () => {
  it('property: a random experiment gives byte-identical results on repeat, with 1 or 2 workers, trace on or off, and merged from shards', async () => {
    const dir = tempDir();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(podFailureYaml, async (yaml) => {
        const file = join(dir, `e${n++}.yaml`);
        writeFileSync(file, yaml);
        const once = await resultBytes(file, {});
        expect(await resultBytes(file, {})).toBe(once);
        expect(await resultBytes(file, { trace: true })).toBe(once);
        expect(await resultBytes(file, { workers: 2 })).toBe(once);
        // Shards 0/2 and 1/2, put back in replication order, are the same replications.
        const exp = loadExperiment(file);
        const parts = await Promise.all([0, 1].map((index) => runExperiment(exp, { only: shardSlice(exp.runs, { index, count: 2 }) })));
        const merged = parts.flatMap((p) => p.results).sort((a, b) => a.run - b.run);
        expect(JSON.stringify(summarize(exp.name, exp.seed, merged)) + '\n' + runsCsv(merged)).toBe(once);
      }),
      { numRuns: 8 },
    );
  });

  it('every bundled experiment: repeat and 2 workers agree (2 replications each)', async () => {
    const { readdirSync } = await import('node:fs');
    for (const f of readdirSync('experiments').filter((f) => f.endsWith('.yaml'))) {
      const file = join('experiments', f);
      const a = await resultBytes(file, { runs: 2 });
      expect(await resultBytes(file, { runs: 2, workers: 2 }), f).toBe(a);
    }
  });
});
