import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/engine/index.js';
import { loadExperiment } from '../../src/experiment/load.js';
import { runExperiment, runReplicationObserved } from '../../src/experiment/run.js';
import { summarize } from '../../src/report/summary.js';

const exp = loadExperiment('experiments/default.yaml');
const summaryBytes = (r: Awaited<ReturnType<typeof runExperiment>>) => JSON.stringify(summarize(exp.name, 5, r.results, r.complete));

describe('observing a run (live UI)', () => {
  it('same summary bytes and events with the observer on and off', async () => {
    const plain = await runExperiment(exp, { seed: 5, runs: 8 });
    const slices: number[] = [];
    const observed = await runExperiment(exp, { seed: 5, runs: 8, observer: { onSlice: (_run, now) => slices.push(now) } });
    expect(summaryBytes(observed)).toBe(summaryBytes(plain));
    expect(observed.results.map((r) => r.events)).toEqual(plain.results.map((r) => r.events));
    // the replications really were cut into several slices, clock never going backwards within one
    expect(slices.length).toBeGreaterThan(8 * 2);
    expect(slices.at(-1)).toBe(exp.duration);
  });

  it('the observer sees exactly the notable records the trace keeps, in order, without engine events', async () => {
    const seen: TraceRecord[] = [];
    const r = await runReplicationObserved(exp, 5, 0, { onRecord: (rec) => seen.push(rec) }, { trace: true });
    const kept = r!.trace!.trim().split('\n').map((l) => JSON.parse(l) as TraceRecord);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual(kept);
    expect(seen.map((x) => x.kind)).toContain('fault');
  });

  it('stopping keeps only finished replications, drops the one cut mid-way, and marks the run incomplete', async () => {
    let started = 0;
    const r = await runExperiment(exp, { seed: 5, runs: 8, observer: { onStart: () => started++ }, shouldStop: () => started >= 3 });
    expect(r.complete).toBe(false);
    expect(r.results.map((x) => x.run)).toEqual([0, 1, 2]);
    const plain = await runExperiment(exp, { seed: 5, runs: 3 });
    expect(summarize(exp.name, 5, r.results, true)).toEqual(summarize(exp.name, 5, plain.results, true));

    let slices = 0;
    const cut = await runExperiment(exp, { seed: 5, runs: 8, observer: { onSlice: () => slices++ }, shouldStop: () => slices >= 2 });
    expect(slices).toBe(2); // stopped between slices of the first replication, not at its end
    expect(cut).toEqual({ results: [], complete: false });
  });
});
