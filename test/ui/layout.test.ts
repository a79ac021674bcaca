import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/engine/index.js';
import { headerLines, liveLines, type RunInfo } from '../../src/ui/layout.js';
import { applyRecords, emptyView } from '../../src/ui/view-model.js';

const info: RunInfo = { experiment: 'national', scenario: 'world', seed: 1, runs: 1, horizon: 86_400_000_000 };

describe('live layout at national scale', () => {
  const records: TraceRecord[] = [];
  for (let c = 0; c < 5000; c++) {
    records.push({ t: 0, kind: 'node-ready', cluster: `c${c}`, node: 'n0', ready: true, virtual: false, reason: '' });
    records.push({ t: 0, kind: 'stream-state', stream: `pmu-${c}`, level: 'pmu', up: true });
  }
  for (let c = 0; c < 40; c++) records.push({ t: 5, kind: 'stream-state', stream: `pmu-${c * 7}`, level: 'pmu', up: false });
  records.push({ t: 6, kind: 'node-ready', cluster: 'c4321', node: 'n0', ready: false, virtual: false, reason: 'lease expired' });
  const view = applyRecords(emptyView(), records);

  it('every panel gets rows, the rest is counted, and the screen never grows past its rows', () => {
    const lines = liveLines(view, info, 20).map((l) => l.text);
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines).toContain('clusters 5000 · nodes 5000 + 0 virtual · NotReady 1');
    expect(lines).toContain('  ✗ c4321/n0 NotReady: lease expired');
    expect(lines).toContain('streams 5000 · flowing 4960 · down 40');
    // what is not shown is counted: 5001 cluster items and 40 stream items minus those on screen
    const more = lines.filter((l) => l.startsWith('  … ')).map((l) => Number(/… (\d+) more/.exec(l)![1]));
    const shownClusters = lines.filter((l) => /^c\d+ · /.test(l) || l.startsWith('  ✗ c')).length;
    const shownStreams = lines.filter((l) => l.startsWith('  ✗ pmu')).length;
    expect(more).toEqual([5001 - shownClusters, 40 - shownStreams]);
    expect(lines.at(-1)).toContain('node c4321/n0 NotReady (lease expired)'); // newest events last
    expect(lines.at(-2)).toContain('stream pmu-273 (pmu) down');
  });

  it('the status line splits rather than being cut when it is too long', () => {
    const p = { done: 0, current: 0, currentSim: 3_600_000_000, simTime: 3_600_000_000, events: 12_345_678, wallMs: 2500, stopping: false };
    const wide = headerLines(info, p, 200).map((l) => l.text);
    expect(wide[1]).toBe('replication 1/1 · sim 1h00m in 2.5 s wall (1.44k×) · 4.938M events/s');
    expect(headerLines(info, p, 66).map((l) => l.text).slice(1, 3)).toEqual(['replication 1/1', 'sim 1h00m in 2.5 s wall (1.44k×) · 4.938M events/s']);
    const narrow = headerLines(info, p, 40).map((l) => l.text);
    expect(narrow.slice(0, 4)).toEqual(['gridtwin · national (world)', 'seed 1 · 1 runs × 1d00h', 'replication 1/1 · 4.938M events/s', 'sim 1h00m in 2.5 s wall (1.44k×)']);
    for (const l of narrow) expect([...l].length).toBeLessThanOrEqual(40);
  });

  it('no ETA from the start-up alone: it waits for a finished replication or 2 s of wall time', () => {
    // Half-way through the running replication: 5 % of 10 (+ the finished ones).
    const bar = (done: number, wallMs: number) => headerLines({ ...info, runs: 10 }, { done, current: done, currentSim: info.horizon / 2, simTime: 0, events: 0, wallMs, stopping: false }, 120).at(-1)!.text;
    expect(bar(0, 300)).toMatch(/5% · ETA …$/);
    expect(bar(1, 300)).toMatch(/15% · ETA 1\.7 s$/);
    expect(bar(0, 2500)).not.toContain('…');
  });
});
