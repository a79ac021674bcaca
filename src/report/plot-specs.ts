import type { ComparisonRow } from './compare.js';
import type { MetricSummary } from './summary.js';

/**
 * Vega-Lite specs of the standard plots, built from plain data (no file access here). Values are
 * precomputed statistics, never raw frames, so a spec stays small however long the run was.
 */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const base = (title: string, subtitle?: string): VegaLiteSpec => ({
  $schema: SCHEMA,
  // Centred explicitly: faceted and layered compositions otherwise anchor the title at the start.
  title: { text: title, ...(subtitle ? { subtitle } : {}), anchor: 'middle' },
  background: 'white',
  config: { font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif', view: { stroke: '#ddd' } },
});

export interface BoxRow extends Pick<MetricSummary, 'p05' | 'p25' | 'median' | 'p75' | 'p95' | 'mean' | 'n'> {
  scenario: string;
  metric: string;
}

/** Box plot from summary statistics (box p25–p75, median line, whiskers p05–p95, mean dot), one box per scenario and metric. */
export function boxPlot(rows: readonly BoxRow[], unit: string): VegaLiteSpec {
  const several = new Set(rows.map((r) => r.scenario)).size > 1;
  // One box per (metric, scenario); with several scenarios the label has two lines (see labelExpr).
  const values = rows
    .map((r) => ({ ...r, group: several ? `${r.metric}|${r.scenario}` : r.metric }))
    .sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0)); // scenarios of a metric side by side
  const widest = Math.max(...rows.map((r) => Math.max(r.metric.length, r.scenario.length)));
  const x = { field: 'group', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0, labelLimit: 0, labelExpr: "split(datum.value, '|')" } };
  const color = several ? { color: { field: 'scenario', type: 'nominal', title: 'scenario' } } : {};
  const y = (field: string) => ({ field, type: 'quantitative', title: `value (${unit})`, scale: { zero: false } });
  return {
    ...base(`Distribution per metric (${unit})`, 'box p25–p75, line median, whiskers p05–p95, dot mean'),
    // Wide enough for the labels under the boxes (≈ 7 px a character at the axis font).
    width: { step: Math.max(60, Math.min(240, 7 * widest)) },
    height: 260,
    data: { values },
    encoding: { x },
    layer: [
      { mark: { type: 'rule' }, encoding: { y: y('p05'), y2: { field: 'p95' } } },
      { mark: { type: 'bar', size: 24, stroke: '#333', strokeWidth: 0.8, ...(several ? {} : { color: '#9ecae1' }) }, encoding: { y: y('p25'), y2: { field: 'p75' }, ...color } },
      { mark: { type: 'tick', color: '#111', size: 24, thickness: 2 }, encoding: { y: y('median') } },
      { mark: { type: 'point', filled: true, color: '#d62728', size: 20 }, encoding: { y: y('mean') } },
    ],
  };
}

export interface Span {
  row: string;
  start: number;
  end: number;
  state: string;
}

export interface Marker {
  t: number;
  label: string;
}

/** A timeline: one row per component, coloured spans of state, vertical rules at faults and repairs. */
export function timeline(title: string, subtitle: string, spans: readonly Span[], markers: readonly Marker[], rows: readonly string[], colors: Record<string, string>): VegaLiteSpec {
  const x = { type: 'quantitative', title: 'simulated time (s)', scale: { zero: false, nice: false } };
  const states = Object.keys(colors);
  return {
    ...base(title, subtitle),
    width: 640,
    height: { step: 22 },
    layer: [
      {
        data: { values: spans },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y: { field: 'row', type: 'nominal', sort: rows, title: null, axis: { labelLimit: 260 } },
          x: { field: 'start', ...x },
          x2: { field: 'end' },
          color: { field: 'state', type: 'nominal', scale: { domain: states, range: states.map((s) => colors[s]) }, title: null },
        },
      },
      {
        // Labels alternate between two lines above the plot, so a fault and its repair seconds later do not overprint.
        data: { values: markers.map((m, i) => ({ ...m, lift: -11 * (i % 2) })) },
        layer: [
          { mark: { type: 'rule', color: '#444', strokeDash: [4, 3] }, encoding: { x: { field: 't', ...x } } },
          { mark: { type: 'text', align: 'left', dx: 3, dy: { expr: 'datum.lift - 4' }, baseline: 'bottom', fontSize: 9, color: '#444', angle: 0 }, encoding: { x: { field: 't', ...x }, y: { value: 0 }, text: { field: 'label' } } },
        ],
      },
    ],
  };
}

export interface CurvePoint {
  x: number;
  /** Facet header: "name|unit" (two lines). */
  metric: string;
  /** The other parameters that vary between points, '' when none. */
  series: string;
  median: number;
  p25: number;
  p75: number;
}

/** A parameter path in words: its last segment, camelCase split ("a.b.secondariesPerPrimary" → "secondaries per primary"). */
export const humanise = (path: string): string =>
  path.split('.').at(-1)!.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();

/**
 * Scalability curves: median (line) and p25–p75 band of each metric against a swept parameter,
 * one small facet per metric with its own y scale (counts in the thousands would flatten the rest).
 */
export function curves(points: readonly CurvePoint[], parameter: string): VegaLiteSpec {
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  // Swept values usually double or grow by decades: a log axis spaces them evenly.
  const log = xs[0]! > 0 && xs.at(-1)! / xs[0]! >= 8;
  const scale = log ? { type: 'log', base: xs.at(-1)! / xs[0]! >= 100 ? 10 : 2 } : { zero: false };
  const axis = { format: '~g', ...(xs.length <= 12 ? { values: xs } : {}) }; // ticks at the swept values
  const x = { field: 'x', type: 'quantitative', title: humanise(parameter), scale, axis };
  const color = points.some((p) => p.series) ? { color: { field: 'series', type: 'nominal', title: null } } : {};
  const head = base(`Scalability against ${humanise(parameter)}`, `${parameter}; line median, band p25–p75`);
  return {
    ...head,
    config: { ...(head.config as object), legend: { symbolOpacity: 1 } }, // the legend shows the lines, not the pale bands
    data: { values: points },
    facet: { field: 'metric', type: 'nominal', title: null, header: { labelLimit: 0, labelExpr: "split(datum.value, '|')", labelFontSize: 11 } },
    columns: 3,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 220,
      height: 140,
      layer: [
        { mark: { type: 'area', opacity: 0.2 }, encoding: { x, y: { field: 'p25', type: 'quantitative', title: null, scale: { zero: false } }, y2: { field: 'p75' }, ...color } },
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'median', type: 'quantitative' }, ...color } },
      ],
    },
  };
}

export interface ShareRow {
  scenario: string;
  metric: string;
  /** Mean of the 0/1 values: the share of replications where the indicator is 1. */
  share: number;
  n: number;
}

/** 95 % Wilson score interval of a proportion p out of n: stays in [0, 1] and is not empty at p = 0 or 1. */
export function wilson(p: number, n: number, z = 1.96): [number, number] {
  if (!(n > 0)) return [0, 1];
  const k = (z * z) / n;
  const centre = (p + k / 2) / (1 + k);
  const half = (z / (1 + k)) * Math.sqrt((p * (1 - p)) / n + k / (4 * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** 0/1 indicator metrics: a bar of the share of replications with whiskers at its 95 % Wilson interval (a box plot of 0s and 1s says nothing). */
export function sharePlot(rows: readonly ShareRow[]): VegaLiteSpec {
  const several = new Set(rows.map((r) => r.scenario)).size > 1;
  const values = rows
    .map((r) => {
      const [lo, hi] = wilson(r.share, r.n);
      return { ...r, lo, hi, group: several ? `${r.metric}|${r.scenario}` : r.metric, label: `${Number((100 * r.share).toFixed(1))} % of ${r.n}` };
    })
    .sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  const widest = Math.max(...rows.map((r) => Math.max(r.metric.length, r.scenario.length)));
  const x = { field: 'group', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0, labelLimit: 0, labelExpr: "split(datum.value, '|')" } };
  const y = { field: 'share', type: 'quantitative', title: 'share of replications', scale: { domain: [0, 1] }, axis: { format: '.0%' } };
  return {
    ...base('Share of replications (0/1 indicator metrics)', 'bar: share where the indicator is 1; whiskers: 95 % Wilson score interval'),
    width: { step: Math.max(60, Math.min(240, 7 * widest)) },
    height: 200,
    data: { values },
    encoding: { x },
    layer: [
      { mark: { type: 'bar', size: 24, stroke: '#333', strokeWidth: 0.8, ...(several ? {} : { color: '#9ecae1' }) }, encoding: { y, ...(several ? { color: { field: 'scenario', type: 'nominal', title: 'scenario' } } : {}) } },
      { mark: { type: 'rule', color: '#000' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      { mark: { type: 'text', dy: -4, baseline: 'bottom', fontSize: 10 }, encoding: { y: { field: 'hi', type: 'quantitative' }, text: { field: 'label' } } },
    ],
  };
}

interface BarRow {
  metric: string;
  side: 'measured' | 'predicted';
  value: number;
  lo?: number;
  hi?: number;
}

/** Predicted vs measured: per metric (own y scale, own unit), a bar each for the headline statistic, whiskers at the IQR. */
export function predictedVsMeasured(rows: readonly ComparisonRow[]): VegaLiteSpec | undefined {
  const values: BarRow[] = [];
  for (const r of rows) {
    if (!r.predicted) continue;
    const stat = r.measured.median !== undefined && r.predicted.median !== undefined ? 'median' : 'mean';
    const label = `${r.metric}|${stat}, ${r.unit}`; // two header lines (see labelExpr)
    for (const [side, s] of [['measured', r.measured], ['predicted', r.predicted]] as const) {
      const v = s[stat];
      if (v === undefined) continue;
      const band = stat === 'median' ? [s.p25, s.p75] : s.sd !== undefined ? [v - s.sd, v + s.sd] : [undefined, undefined];
      values.push({ metric: label, side, value: v, ...(band[0] !== undefined && band[1] !== undefined ? { lo: band[0], hi: band[1] } : {}) });
    }
  }
  if (values.length === 0) return undefined;
  const color = { field: 'side', type: 'nominal', scale: { domain: ['measured', 'predicted'], range: ['#636363', '#3182bd'] }, title: null };
  return {
    ...base('Predicted vs measured', 'bar: median (or mean); whiskers: IQR (or ± sd) where known'),
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, header: { labelLimit: 0, labelExpr: "split(datum.value, '|')", labelFontSize: 11 } } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 130,
      height: 220,
      layer: [
        { mark: 'bar', encoding: { x: { field: 'side', type: 'nominal', title: null, axis: { labelAngle: 0 } }, y: { field: 'value', type: 'quantitative', title: null }, color } },
        { mark: { type: 'rule', color: '#000' }, encoding: { x: { field: 'side', type: 'nominal' }, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      ],
    },
  };
}
