import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Comparison } from './compare.js';
import { reportHtml, type HtmlPlot, type SummaryWithPoints, type SweepPoint } from './html.js';
import { boxPlot, curves, humanise, predictedVsMeasured, sharePlot, timeline, type BoxRow, type CurvePoint, type ShareRow, type VegaLiteSpec } from './plot-specs.js';
import { renderPng, renderSvg } from './render.js';
import type { MetricSummary, Summary } from './summary.js';
import { nodeTimeline, readFirstReplication, streamTimeline, type Rec, type Timeline } from './trace-timelines.js';
import { atomicWriter } from './write.js';

export interface PlotOptions {
  warn: (message: string) => void;
  /** Replication 0's trace records, when the caller has them in memory (else read from trace.jsonl). */
  trace?: readonly Rec[];
  /** Other results directories whose metrics join the box plot as further scenarios. */
  others?: readonly string[];
  /** Also write PNGs (default true). */
  png?: boolean;
}

interface Planned {
  name: string;
  title: string;
  spec: VegaLiteSpec;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';

function byUnit<T extends { unit: string }>(items: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) m.set(it.unit, [...(m.get(it.unit) ?? []), it]);
  return m;
}

/**
 * A 0/1 indicator (e.g. "NotReady came from lease expiry"): a fraction whose every value is 0 or 1.
 * Quantiles alone cannot tell (p95 interpolates to 0.55 between a 0 and a 1), but for values in
 * [0, 1] Σx² = Σx exactly when all are 0 or 1, and Σx² = (n−1)·sd² + n·mean².
 */
export function isIndicator(m: MetricSummary): boolean {
  if (m.unit !== 'fraction' || !(m.n > 0) || m.min < 0 || m.max > 1 || m.mean < 0 || m.mean > 1) return false;
  const sumSq = (m.n - 1) * m.sd ** 2 + m.n * m.mean ** 2;
  return Math.abs(sumSq - m.n * m.mean) <= 1e-9 * Math.max(1, m.n * m.mean); // summaries keep 12 digits
}

/** Box plots per unit, and indicator metrics apart as shares of replications. */
function distributionPlots(summaries: readonly { scenario: string; summary: Summary }[]): Planned[] {
  const all = summaries.flatMap(({ scenario, summary }) => Object.entries(summary.metrics ?? {}).map(([metric, m]) => ({ scenario, metric, m })));
  const rows = all
    .filter(({ m }) => !isIndicator(m))
    .map(({ scenario, metric, m }) => ({ unit: m.unit, row: { scenario, metric, p05: m.p05, p25: m.p25, median: m.median, p75: m.p75, p95: m.p95, mean: m.mean, n: m.n } satisfies BoxRow }));
  const plans = [...byUnit(rows)].map(([unit, rs]) => ({ name: `box-${slug(unit)}`, title: `Distribution per metric (${unit})`, spec: boxPlot(rs.map((r) => r.row), unit) }));
  const shares = all.filter(({ m }) => isIndicator(m)).map(({ scenario, metric, m }): ShareRow => ({ scenario, metric, share: m.mean, n: m.n }));
  if (shares.length) plans.push({ name: 'share', title: 'Share of replications (0/1 indicator metrics)', spec: sharePlot(shares) });
  return plans;
}

/** The swept parameter: the first one whose values are numbers that differ between points. */
function sweptParameter(points: readonly SweepPoint[]): string | undefined {
  const keys = [...new Set(points.flatMap((p) => Object.keys(p.parameters ?? {})))];
  return keys.find((k) => points.every((p) => typeof p.parameters[k] === 'number') && new Set(points.map((p) => p.parameters[k])).size > 1);
}

function scalabilityPlots(summary: SummaryWithPoints): Planned[] {
  const points = summary.points ?? [];
  const param = sweptParameter(points);
  if (!param) return [];
  const others = (p: SweepPoint) =>
    Object.entries(p.parameters)
      .filter(([k, v]) => k !== param && new Set(points.map((q) => JSON.stringify(q.parameters[k]))).size > 1 && v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
  const rows = points.flatMap((p) =>
    Object.entries(p.metrics ?? {}).map(([metric, m]): CurvePoint => ({ x: p.parameters[param] as number, metric: `${metric}|(${m.unit})`, series: others(p), median: m.median, p25: m.p25, p75: m.p75 })),
  );
  return rows.length ? [{ name: 'scalability', title: `Scalability against ${humanise(param)} (${param})`, spec: curves(rows, param) }] : [];
}

function timelinePlots(recs: readonly Rec[], horizon: number | undefined): Planned[] {
  const out: Planned[] = [];
  const note = (t: Timeline) => (t.omitted ? `; ${t.omitted} more rows not shown` : '');
  const streams = streamTimeline(recs, horizon);
  if (streams) out.push({ name: 'stream-timeline', title: 'Streams around the fault (replication 0)', spec: timeline('Stream availability per level (replication 0)', `red: no frames received (last frame before → first after)${note(streams)}`, streams.spans, streams.markers, streams.rows, { up: '#a1d99b', down: '#de2d26' }) });
  const nodes = nodeTimeline(recs, horizon);
  if (nodes) out.push({ name: 'node-readiness', title: 'Node readiness (replication 0)', spec: timeline('Node readiness (replication 0)', `node Ready condition as the control plane sees it${note(nodes)}`, nodes.spans, nodes.markers, nodes.rows, { Ready: '#a1d99b', NotReady: '#de2d26' }) });
  return out;
}

/**
 * Draws the standard plots of a results directory into `<dir>/plots/` (each as .svg, .png and its
 * Vega-Lite .vl.json) and writes `<dir>/report.html`. A plot that fails is reported through
 * `warn` and left out; the others are still written. Returns the files written.
 */
export async function writePlots(dir: string, opts: PlotOptions): Promise<string[]> {
  const summary = readJson<SummaryWithPoints>(join(dir, 'summary.json'));
  const comparison = existsSync(join(dir, 'compare.json')) ? readJson<Comparison>(join(dir, 'compare.json')) : undefined;
  const scenarios = [{ scenario: summary.experiment, summary }];
  for (const other of opts.others ?? []) {
    const s = readJson<Summary>(join(other, 'summary.json'));
    scenarios.push({ scenario: scenarios.some((x) => x.scenario === s.experiment) ? basename(other) : s.experiment, summary: s });
  }
  const planned: Planned[] = [...distributionPlots(scenarios), ...scalabilityPlots(summary)];
  let recs = opts.trace;
  if (!recs && existsSync(join(dir, 'trace.jsonl'))) {
    try {
      recs = readFirstReplication(join(dir, 'trace.jsonl'));
    } catch (err) {
      opts.warn(`trace.jsonl unreadable, no timelines: ${(err as Error).message}`);
    }
  }
  // Timelines end where the simulation stopped (summary.json's horizon, an integer µs count), not
  // 10 s past the last record. Rounded: µs → s → µs may be off in the last bit.
  const horizon = summary.horizonSeconds === undefined ? undefined : Math.round(summary.horizonSeconds * 1_000_000);
  if (recs) planned.push(...timelinePlots(recs, horizon));
  const pvm = comparison ? predictedVsMeasured(comparison.rows) : undefined;
  if (pvm) planned.push({ name: 'predicted-vs-measured', title: `Predicted vs measured (${comparison!.measured})`, spec: pvm });

  const { put: write, files } = atomicWriter(dir);
  const put = (name: string, content: string | Uint8Array) => write(join('plots', name), content);
  const plots: HtmlPlot[] = [];
  for (const p of planned) {
    try {
      const svg = await renderSvg(p.spec);
      put(`${p.name}.vl.json`, JSON.stringify(p.spec, null, 2) + '\n');
      put(`${p.name}.svg`, svg);
      plots.push({ title: p.title, file: `${p.name}.svg`, svg });
      if (opts.png !== false) {
        try {
          put(`${p.name}.png`, await renderPng(svg));
        } catch (err) {
          opts.warn(`plot ${p.name}: PNG not written: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      opts.warn(`plot ${p.name} failed: ${(err as Error).message}`);
    }
  }
  removeStale(join(dir, 'plots'), new Set(files.map((f) => basename(f))));
  write('report.html', reportHtml(summary, plots, comparison));
  return files;
}

/** Plots left from an earlier run into the same directory (e.g. timelines of a traced run) would mislead. */
function removeStale(plotsDir: string, keep: ReadonlySet<string>): void {
  if (!existsSync(plotsDir)) return;
  for (const f of readdirSync(plotsDir, { withFileTypes: true })) {
    if (f.isFile() && /\.(svg|png|vl\.json)$/.test(f.name) && !keep.has(f.name)) rmSync(join(plotsDir, f.name), { force: true });
  }
}
