import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../src/engine/index.js';
import { loadExperiment } from '../../src/experiment/load.js';
import { runExperiment } from '../../src/experiment/run.js';
import { writeResults } from '../../src/report/results.js';
import type { FinalInfo, RunInfo, RunProgress } from '../../src/ui/layout.js';
import { LiveUi } from '../../src/ui/live.js';
import { RunScreen, type ScreenState } from '../../src/ui/RunScreen.js';
import { applyRecords, emptyView } from '../../src/ui/view-model.js';
import { cli, tempDir } from '../helpers.js';

const S = 1_000_000;
const exp = loadExperiment('experiments/default.yaml');
// eslint-disable-next-line no-control-regex
const ESC = /\x1b\[/;
const width = (line: string) => [...line].length;

/** A fake wall clock: 40 ms pass on every reading, so frames do not depend on the machine. */
/**
 * The last frame painted. Under CI=… ink writes one extra frame at unmount from state that
 * ink-testing-library's debug mode never fills (a bare "\n"), so that one is skipped.
 */
const finalFrame = (frames: string[]) => frames.filter((f) => f.trim() !== '').at(-1) ?? '';

const fakeClock = () => {
  let ms = 0;
  return () => (ms += 40);
};

async function uiRun(runs: number, size = { columns: 80, rows: 24 }, color = false) {
  let ink: ReturnType<typeof render> | undefined;
  const info: RunInfo = { experiment: exp.name, scenario: exp.scenario.kind, seed: 9, runs, horizon: exp.duration };
  const ui = new LiveUi(info, { mount: (node) => (ink = render(node)), clock: fakeClock(), size: () => size, color, repaintMs: 0 });
  const { results, complete } = await runExperiment(exp, { seed: 9, runs, observer: ui.observer, onProgress: ui.onProgress });
  const out = tempDir();
  const { summary, files } = writeResults(out, exp, 9, results, { complete });
  ui.finish({ complete, runs: results.length, metrics: summary.metrics, out, written: files.map((f) => f.slice(out.length + 1)), next: [`gridtwin compare ${out} <measured>`] });
  return { frames: ink!.frames, last: finalFrame(ink!.frames), out };
}

describe('live screen of a short run (ink-testing-library)', () => {
  it('shows header, progress and the running replication, then the summary; results are those of a plain run', async () => {
    const { frames, last, out } = await uiRun(3);
    const live = frames.find((f) => f.includes('fault injected: liveness-forced-fail pdc-lower'));
    expect(live, frames.join('\n---\n')).toBeDefined();
    expect(live).toContain('gridtwin · default (thesis-pod-failure) · seed 9 · 3 runs × 3m00s');
    expect(live).toMatch(/replication [123]\/3 · sim .* events\/s/);
    expect(live).toMatch(/█*░+ \d+% · ETA/);
    // The fault ends when the liveness probe kills the container: listed as active until then, repaired after.
    expect(frames.some((f) => f.includes('repaired: liveness-forced-fail pdc-lower'))).toBe(true);
    expect(frames.some((f) => /container killed \S+pdc-lower\S*: liveness probe/.test(f))).toBe(true);

    expect(last).toContain('done: 3/3 replications');
    expect(last).toMatch(/podFailureStreamDowntime\s+s\s+[\d.]+\s+[\d.]+–[\d.]+\s+3/);
    expect(last).toContain(`results in ${out}/`);
    expect(last).toContain('summary.json');
    expect(last).toContain('gridtwin compare');
    expect(last).not.toContain('fault injected'); // the live panels are gone from the final screen
    expect(last).not.toMatch(ESC);

    const plain = tempDir();
    expect(cli(['run', 'experiments/default.yaml', '--runs', '3', '--seed', '9', '--out', plain]).code).toBe(0);
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(readFileSync(join(plain, 'summary.json'), 'utf8'));
    expect(readFileSync(join(out, 'runs.csv'), 'utf8')).toBe(readFileSync(join(plain, 'runs.csv'), 'utf8'));
  });

  it('fits a 40×12 terminal: no line wider than 40, no live frame taller than 12', async () => {
    const { frames, last } = await uiRun(2, { columns: 40, rows: 12 });
    for (const f of frames) {
      // the final screen may scroll (it stays behind); the live one must not, or ink redraws it all
      if (!f.includes('done:')) expect(f.split('\n').length).toBeLessThanOrEqual(12);
      for (const l of f.split('\n')) expect(width(l), l).toBeLessThanOrEqual(40);
    }
    // narrow: the metrics table turns into three lines a metric, none of them cut
    expect(last).toMatch(/podFailureStreamDowntime\n  median [\d.]+ s · n 2\n  p05–p95 [\d.]+–[\d.]+\n/);
    expect(last.split('\n').slice(0, 3).join('\n')).toMatch(/^gridtwin · default \(thesis-pod-failure\)\nseed 9 · 2 runs × 3m00s\ndone: 2\/2 replications$/);
    expect(last.slice(0, last.indexOf('results in'))).not.toContain('…'); // only a long path may be cut
  });
});

const info: RunInfo = { experiment: 'thesis', scenario: 'cluster-failure', seed: 1, runs: 10, horizon: 600 * S };
const progress: RunProgress = { done: 4, current: 4, currentSim: 300 * S, simTime: 4 * 600 * S + 300 * S, events: 90_000, wallMs: 1500, stopping: false };
const rec = (t: number, kind: string, data: Record<string, unknown>): TraceRecord => ({ t, kind, ...data });

function screen(state: Partial<ScreenState>) {
  return render(<RunScreen state={{ info, progress, view: emptyView(4), columns: 80, rows: 24, color: false, ...state }} />).lastFrame()!;
}

describe('live panels from hand-written records', () => {
  const records = [
    ...Array.from({ length: 30 }, (_, i) => rec(0, 'node-ready', { cluster: `edge-${i}`, node: 'w1', ready: true, virtual: false, reason: '' })),
    rec(0, 'node-ready', { cluster: 'edge-0', node: 'liqo-cloud', ready: true, virtual: true, reason: '' }),
    rec(0, 'db-member', { db: 'pxc', member: 'pxc-0', state: 'primary' }),
    rec(0, 'db-member', { db: 'pxc', member: 'pxc-1', state: 'primary' }),
    rec(0, 'stream-state', { stream: 'pmu-1', level: 'pmu', up: true }),
    rec(0, 'stream-state', { stream: 'pdc-a', level: 'pdc-lower', up: true }),
    rec(120 * S, 'fault', { what: 'network partition', target: 'cloud' }),
    rec(120 * S, 'stream-state', { stream: 'pdc-a', level: 'pdc-lower', up: false }),
    rec(150 * S, 'db-member', { db: 'pxc', member: 'pxc-1', state: 'non-primary' }),
    rec(160 * S, 'node-ready', { cluster: 'edge-0', node: 'liqo-cloud', ready: false, virtual: true, reason: 'lease expired' }),
    rec(200 * S, 'pod-evicted', { cluster: 'edge-0', pod: 'pdc-a-0', node: 'liqo-cloud' }),
  ];
  const view = { ...applyRecords(emptyView(4), records), now: 300 * S };

  it('shows NotReady virtual nodes first, database members, down streams with their gap, and the event log', () => {
    const f = screen({ view });
    expect(f).toContain('replication 5/10');
    expect(f).toContain('faults active: network partition cloud');
    expect(f).toContain('clusters 30 · nodes 30 + 1 virtual · NotReady 1');
    expect(f).toContain('✗ edge-0/liqo-cloud (virtual) NotReady: lease expired');
    expect(f).toContain('pxc: pxc-0 primary · pxc-1 non-primary');
    expect(f).toContain('✗ pdc-a (pdc-lower) down for 180 s');
    expect(f).toMatch(/… \d+ more/); // 30 clusters do not fit in 24 rows
    expect(f).toContain('200.000s  pod pdc-a-0 evicted from edge-0/liqo-cloud');
    expect(f.split('\n').length).toBeLessThanOrEqual(24);
  });

  it('without colour (NO_COLOR) the frame is plain text', () => {
    expect(screen({ view, color: false })).not.toMatch(ESC);
  });

  it('says when Ctrl-C is stopping the run, and an interrupted run says its summary is partial', () => {
    expect(screen({ view, progress: { ...progress, stopping: true } })).toContain('stopping (Ctrl-C)');
    const final: FinalInfo = { complete: false, runs: 4, metrics: {}, out: '/tmp/r', written: ['runs.csv', 'summary.json'], next: [] };
    const f = screen({ view, final });
    expect(f).toContain('INTERRUPTED: 4/10 replications kept, summary marked complete: false');
    expect(f).toContain('results in /tmp/r/');
  });
});

describe('sweeps', () => {
  it('progress runs over points × replications; the summary lists each point', async () => {
    let ink: ReturnType<typeof render> | undefined;
    const sweepInfo: RunInfo = { experiment: exp.name, scenario: exp.scenario.kind, seed: 9, runs: 2, horizon: exp.duration, points: 2 };
    const ui = new LiveUi(sweepInfo, { mount: (node) => (ink = render(node)), clock: fakeClock(), size: () => ({ columns: 80, rows: 24 }), color: false, repaintMs: 0 });
    const points: { label: string; metrics: FinalInfo['metrics'] }[] = [];
    for (const [index, label] of ['clusters = 10', 'clusters = 100'].entries()) {
      ui.startPoint(index, label);
      if (index === 1) expect(ink!.lastFrame()).toMatch(/point 2\/2 clusters = 100 · replication 1\/2.*\n(?:sim .*\n)?█{25,}░{25,} 50%/);
      const { results } = await runExperiment(exp, { seed: 9, runs: 2, observer: ui.observer, onProgress: ui.onProgress });
      const out = tempDir();
      points.push({ label, metrics: writeResults(out, exp, 9, results, { complete: true }).summary.metrics });
    }
    ui.finish({ complete: true, runs: 4, metrics: {}, points, out: '/tmp/sweep', written: ['summary.json'], next: [] });
    const last = finalFrame(ink!.frames);
    expect(last).toContain('done: 2/2 points × 2 replications');
    expect(last).toMatch(/clusters = 10\n\s+metric .*\n(?:\s+\w+\s+s\s+.*\n)*\s+podFailureStreamDowntime\s+s\s+[\d.]+ .* 2\nclusters = 100\n/);
  });
});

