import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { writePlots } from '../../src/report/plots.js';
import { cli, tempDir } from '../helpers.js';
import { fakeResults, faultTrace } from './fixtures.js';

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

/** Well-formed XML whose root is an <svg> with a size. */
function expectSvg(text: string) {
  expect(XMLValidator.validate(text)).toBe(true);
  expect(text).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*width="\d+(\.\d+)?" height="\d+(\.\d+)?"/);
  expect(text.trimEnd().endsWith('</svg>')).toBe(true);
}

describe('gridtwin plot', () => {
  // Two replications back to back, as trace.jsonl holds them (no run field): the second starts its clock again.
  const dir = fakeResults({ podFailureStreamDowntime: [16, 17, 18, 19], virtualNodeNotReadyAfterDisconnect: [9.1, 9.7, 10.2] });
  writeFileSync(join(dir, 'trace.jsonl'), [...faultTrace(), ...faultTrace(3)].map((r) => JSON.stringify(r)).join('\n') + '\n');
  const r = cli(['plot', dir]);

  it('writes box plot and timelines as well-formed SVG, PNG and their Vega-Lite specs', () => {
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['box-s', 'stream-timeline', 'node-readiness']) {
      expectSvg(read(dir, `plots/${name}.svg`));
      expect(JSON.parse(read(dir, `plots/${name}.vl.json`)).$schema).toMatch(/vega-lite\/v6/);
      expect(readFileSync(join(dir, `plots/${name}.png`)).subarray(1, 4).toString()).toBe('PNG');
    }
  });

  it('timelines show replication 0 only, each outage from last frame before to first frame after', () => {
    const spec = JSON.parse(read(dir, 'plots/stream-timeline.vl.json'));
    const down = spec.layer[0].data.values.filter((s: { state: string }) => s.state === 'down');
    expect(down.map((s: { row: string; start: number; end: number }) => [s.row, s.start, s.end])).toEqual([
      ['pdc-lower · pmu-1', 60, 96],
      ['pdc-higher · pmu-1', 60, 97],
      ['application · pmu-1', 60, 98],
    ]);
    const nodes = JSON.parse(read(dir, 'plots/node-readiness.vl.json'));
    const notReady = nodes.layer[0].data.values.filter((s: { state: string }) => s.state === 'NotReady');
    expect(notReady).toEqual([{ row: 'root/liqo-leaf1 (virtual)', start: 69.75, end: 95, state: 'NotReady' }]);
    expect(nodes.layer[1].data.values.map((m: { t: number }) => m.t)).toEqual([60, 90]);
  });

  it('report.html shows the summary table and every plot inline, with nothing to fetch', () => {
    const html = read(dir, 'report.html');
    expect(html).toContain('<td>virtualNodeNotReadyAfterDisconnect</td>');
    expect((html.match(/<svg /g) ?? []).length).toBe(3);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  });

  it('the same results give byte-identical plots and report', async () => {
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    rmSync(join(copy, 'plots'), { recursive: true });
    await writePlots(copy, { warn: (w) => expect.fail(w) });
    for (const f of readdirSync(join(dir, 'plots'))) expect(readFileSync(join(copy, 'plots', f)).equals(readFileSync(join(dir, 'plots', f))), f).toBe(true);
    expect(read(copy, 'report.html')).toBe(read(dir, 'report.html'));
  });

  it('redrawn later, the timelines end at the horizon recorded in summary.json', async () => {
    const stream = (d: string) => JSON.parse(read(d, 'plots/stream-timeline.vl.json')).layer[0].data.values as { end: number }[];
    const lastEnd = (d: string) => Math.max(...stream(d).map((s) => s.end));
    expect(lastEnd(dir)).toBeGreaterThan(100); // no horizon: 10 s past the last record
    const copy = tempDir();
    cpSync(dir, copy, { recursive: true });
    const summary = JSON.parse(read(copy, 'summary.json'));
    writeFileSync(join(copy, 'summary.json'), JSON.stringify({ ...summary, horizonSeconds: 100 }));
    await writePlots(copy, { png: false, warn: (w) => expect.fail(w) });
    expect(lastEnd(copy)).toBe(100);
  });

  it('draws scalability curves from sweep points', async () => {
    const sweep = fakeResults({ x: [1] });
    const summary = JSON.parse(read(sweep, 'summary.json'));
    const m = (median: number) => ({ unit: 's', n: 10, mean: median, sd: 1, median, p05: median - 2, p25: median - 1, p75: median + 1, p95: median + 2, min: 0, max: 99 });
    summary.points = [10, 100, 1000].map((clusters, i) => ({ parameters: { clusters, topology: 'star' }, metrics: { reconcileTime: m(5 + i) } }));
    writeFileSync(join(sweep, 'summary.json'), JSON.stringify(summary));
    const warnings: string[] = [];
    await writePlots(sweep, { png: false, warn: (w) => warnings.push(w) });
    expect(warnings).toEqual([]);
    expectSvg(read(sweep, 'plots/scalability.svg'));
    const spec = JSON.parse(read(sweep, 'plots/scalability.vl.json'));
    expect(spec.data.values.map((p: { x: number; median: number }) => [p.x, p.median])).toEqual([[10, 5], [100, 6], [1000, 7]]);
    expect(spec.spec.layer[0].encoding.x.scale).toEqual({ type: 'log', base: 10 });
    expect(read(sweep, 'report.html')).toContain('<p>seed 1, 3 points × 1 replications</p>');
  });

  it('0/1 indicator metrics go to the share plot, not into a box plot', async () => {
    const res = fakeResults({ notReadyByLeaseExpiry: [...Array(47).fill(0), 1, 1, 1] }, 'fraction');
    await writePlots(res, { png: false, warn: (w) => expect.fail(w) });
    expect(existsSync(join(res, 'plots/box-fraction.vl.json'))).toBe(false);
    const [bar] = JSON.parse(read(res, 'plots/share.vl.json')).data.values;
    expect(bar).toMatchObject({ metric: 'notReadyByLeaseExpiry', share: 0.06, n: 50 });
    expect(bar.lo).toBeLessThan(0.06);
    expect(bar.hi).toBeGreaterThan(0.06);
    expectSvg(read(res, 'plots/share.svg'));
  });

  it('compare --save adds the predicted-vs-measured plot', () => {
    const res = fakeResults({ podFailureStreamDowntime: [16, 17, 18] });
    expect(cli(['compare', res, 'test/fixtures/thesis-testbed.yaml', '--save']).code).toBe(0);
    expectSvg(read(res, 'plots/predicted-vs-measured.svg'));
    expect(read(res, 'report.html')).toContain('Predicted vs measured');
    expect(read(res, 'report.html')).toMatch(/<td>latencyRttMs[^<]*<\/td><td>ms<\/td><td>–<\/td><td>not predicted<\/td>/);
  });
});

describe('gridtwin run writes plots', () => {
  it('a sweep lists every file it wrote and prints point figures to 4 significant digits', () => {
    const out = tempDir();
    const r = cli(['run', 'experiments/scalability.yaml', '--runs', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`results in ${out}/: runs.csv  summary.json  plots/ (3 files)  report.html`);
    expect(r.stdout).toMatch(/virtualNodesMean 3\.765$/m);
    expect(r.stdout).not.toMatch(/\d\.\d{5}/);
  });

  it('beside the results, and a plot failure is a warning, not a failed run', () => {
    const out = tempDir();
    expect(cli(['run', 'experiments/default.yaml', '--runs', '3', '--out', out]).code).toBe(0);
    expectSvg(read(out, 'plots/box-s.svg'));
    expect(existsSync(join(out, 'report.html'))).toBe(true);

    const blocked = tempDir();
    mkdirSync(join(blocked, 'plots', 'box-s.svg'), { recursive: true }); // a folder where the plot file would go
    const r = cli(['run', 'experiments/default.yaml', '--runs', '3', '--out', blocked]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: plot box-s failed/);
    expect(JSON.parse(read(blocked, 'summary.json')).runs).toBe(3);
  });
});
