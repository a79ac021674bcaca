import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/report/compare.js';
import { reportHtml, type SummaryWithPoints } from '../../src/report/html.js';
import { boxPlot, curves, humanise, predictedVsMeasured, wilson, type CurvePoint } from '../../src/report/plot-specs.js';
import { isIndicator } from '../../src/report/plots.js';
import type { MetricSummary } from '../../src/report/summary.js';
import { nodeTimeline, streamTimeline, type Rec, type Timeline } from '../../src/report/trace-timelines.js';

const us = (s: number) => Math.round(s * 1e6);
const downSpans = (t: Timeline | undefined) => t!.spans.filter((s) => s.state === 'down').map((s) => [s.row, s.start, s.end]);
const upEnd = (t: Timeline | undefined) => Math.max(...t!.spans.map((s) => s.end));
/** A spec as its .vl.json file holds it. */
const json = (spec: unknown) => JSON.parse(JSON.stringify(spec));

/** As thesis-pod-failure traces it: pdc-higher reports an outage, pdc-lower only its up/down state. */
const podFailure: Rec[] = [
  { t: us(8.8), kind: 'stream-state', stream: 'pmu-1', level: 'pdc-lower', up: true },
  { t: us(65.98), kind: 'stream-state', stream: 'pmu-1', level: 'pdc-higher', up: false },
  { t: us(66), kind: 'fault', what: 'liveness-forced-fail', target: 'pdc-lower' },
  { t: us(81.03), kind: 'stream-state', stream: 'pmu-1', level: 'pdc-lower', up: false },
  { t: us(84.49), kind: 'stream-state', stream: 'pmu-1', level: 'pdc-lower', up: true },
  { t: us(86.03), kind: 'stream-state', stream: 'pmu-1', level: 'pdc-higher', up: true },
  { t: us(180), kind: 'stream-outage', stream: 'pmu-1', level: 'pdc-higher', lastBefore: us(65.967), firstAfter: us(86.031) },
];

describe('stream timeline', () => {
  it('uses a row’s outage records where it has some, else that row’s up/down transitions', () => {
    expect(downSpans(streamTimeline(podFailure))).toEqual([
      ['pdc-lower · pmu-1', 81.03, 84.49],
      ['pdc-higher · pmu-1', 65.967, 86.031],
    ]);
  });

  it('ends at the horizon (µs) when given, 10 s after the last record otherwise', () => {
    expect(upEnd(streamTimeline(podFailure))).toBe(190);
    expect(upEnd(streamTimeline(podFailure, us(180)))).toBe(180);
    // A stream still down when the run stops is down up to the horizon, not beyond.
    const stillDown = streamTimeline([...podFailure, { t: us(170), kind: 'stream-state', stream: 'pmu-2', level: 'pmu', up: false }], us(175));
    expect(downSpans(stillDown)).toContainEqual(['pmu · pmu-2', 170, 175]);
    expect(upEnd(stillDown)).toBe(175);
    const nodes = nodeTimeline([{ t: 0, kind: 'node-ready', cluster: 'c', node: 'n', ready: true }, { t: us(50), kind: 'node-ready', cluster: 'c', node: 'n', ready: false }], us(55));
    expect(nodes!.spans.map((s) => [s.state, s.start, s.end])).toEqual([['Ready', 40, 55], ['NotReady', 50, 55]]);
  });
});

const stats = (median: number, extra: Partial<MetricSummary> = {}): MetricSummary => ({ unit: 's', n: 10, mean: median, sd: 1, median, p05: median - 2, p25: median - 1, p75: median + 1, p95: median + 2, min: median - 3, max: median + 3, ...extra });

describe('indicator metrics', () => {
  // virtualNodeNotReadyByLeaseExpiry of thesis-virtual-node-reaction: 12 ones in 200.
  const lease = stats(0, { unit: 'fraction', n: 200, mean: 0.06, sd: 0.238082794602, p05: 0, p25: 0, p75: 0, p95: 1, min: 0, max: 1 });

  it('a fraction whose every value is 0 or 1 is an indicator, whatever its quantiles; other fractions are not', () => {
    expect(isIndicator(lease)).toBe(true);
    expect(isIndicator({ ...lease, n: 50, sd: 0.239897937482, p95: 0.55 })).toBe(true); // 3 ones in 50: p95 interpolated
    expect(isIndicator({ ...lease, unit: 's' })).toBe(false);
    expect(isIndicator({ ...lease, sd: 0.1 })).toBe(false); // values between 0 and 1
    expect(isIndicator({ ...lease, n: 10, mean: 0, sd: 0, p95: 0, max: 0 })).toBe(true); // never happened
  });

  it('the 95 % Wilson score interval of 12 out of 200 is [3.47 %, 10.19 %]; it stays in [0, 1] at 0 and 1', () => {
    const [lo, hi] = wilson(0.06, 200);
    expect(lo).toBeCloseTo(0.0347, 4);
    expect(hi).toBeCloseTo(0.1019, 4);
    expect(wilson(0, 10)[0]).toBe(0);
    expect(wilson(0, 10)[1]).toBeGreaterThan(0);
    expect(wilson(1, 10)[1]).toBe(1);
  });
});

describe('specs', () => {
  it('box plot: y axis titled "value (unit)", x untitled', () => {
    const spec = json(boxPlot([{ scenario: 'a', metric: 'm', ...stats(5) }], 's'));
    expect(spec.encoding.x.title).toBeNull();
    expect(spec.layer[0].encoding.y.title).toBe('value (s)');
  });

  it('scalability: one facet per metric with its own y scale, log x over a wide range, the parameter in words', () => {
    expect(humanise('scenario.topology.generator.secondariesPerPrimary')).toBe('secondaries per primary');
    const pts = (xs: number[]): CurvePoint[] => xs.flatMap((x) => [{ x, metric: 'controlPlaneEvents|(count)', series: '', median: 100 * x, p25: 90 * x, p75: 110 * x }, { x, metric: 'virtualNodesMax|(count)', series: '', median: x, p25: x, p75: x }]);
    const spec = json(curves(pts([2, 4, 8, 16, 32]), 'scenario.topology.generator.secondariesPerPrimary'));
    expect(spec.facet.field).toBe('metric');
    expect(spec.resolve).toEqual({ scale: { y: 'independent' } });
    const x = spec.spec.layer[1].encoding.x;
    expect(x.scale.type).toBe('log');
    expect(x.title).toBe('secondaries per primary');
    expect(spec.title.subtitle).toContain('scenario.topology.generator.secondariesPerPrimary');
    expect(spec.spec.layer[1].encoding.color).toBeUndefined(); // one series per facet: no legend
    expect(json(curves(pts([2, 4, 6]), 'p')).spec.layer[1].encoding.x.scale.type).toBeUndefined();
  });

  it('predicted vs measured: centred title, whiskers only where known', () => {
    const spec = json(predictedVsMeasured([{ metric: 'm', unit: 's', measured: { median: 1 }, predicted: { median: 2, p25: 1.5, p75: 2.5 }, relativeError: {}, where: '' }]));
    expect(spec.title).toMatchObject({ anchor: 'middle', subtitle: 'bar: median (or mean); whiskers: IQR (or ± sd) where known' });
  });
});

describe('report.html', () => {
  const base = { experiment: 'scal', seed: 3, runs: 10, complete: true };

  it('a sweep: one summary row per point and metric, led by the swept value; header counts points × replications', () => {
    const summary: SummaryWithPoints = { ...base, metrics: {}, points: [2, 4, 8].map((v) => ({ parameters: { 'a.b.secondariesPerPrimary': v }, metrics: { peerings: stats(v * 10), setupTime: stats(v) } })) };
    const html = reportHtml(summary, []);
    expect(html).toContain('<p>seed 3, 3 points × 10 replications</p>');
    expect(html).toContain('<th title="a.b.secondariesPerPrimary">secondaries per primary</th>');
    const rows = [...html.matchAll(/<tr><td>([^<]*)<\/td><td class="l">([^<]*)<\/td>/g)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([['2', 'peerings'], ['2', 'setupTime'], ['4', 'peerings'], ['4', 'setupTime'], ['8', 'peerings'], ['8', 'setupTime']]);
  });

  it('a single run keeps its table; a metric the results do not predict says "not predicted"', () => {
    const comparison: Comparison = { results: 'r', measured: 'm.yaml', rows: [{ metric: 'rtt', unit: 'ms', measured: { mean: 0.7, sd: 0.4 }, relativeError: {}, where: '' }] };
    const html = reportHtml({ ...base, metrics: { setupTime: stats(5) } }, [], comparison);
    expect(html).toContain('<p>seed 3, 10 replications</p>');
    expect(html).toContain('<tr><td>setupTime</td><td>s</td><td>10</td>');
    expect(html).toContain('<tr><td>rtt</td><td>ms</td><td>–</td><td>not predicted</td><td>0.7</td><td>not predicted</td>');
  });
});
