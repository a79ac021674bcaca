import type { Comparison } from './compare.js';
import { humanise } from './plot-specs.js';
import type { MetricSummary, Summary } from './summary.js';

/** A sweep point as summary.json holds it (`points: [{parameters, metrics}]`). */
export interface SweepPoint {
  parameters: Record<string, unknown>;
  metrics: Record<string, MetricSummary>;
}
/** summary.json of a run, or of a sweep (`metrics` empty, the figures per point). */
export type SummaryWithPoints = Summary & { points?: SweepPoint[] };

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const num = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '–' : String(Number(v.toPrecision(5))));
const pct = (v: number | undefined): string => (v === undefined ? '–' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`);

export interface HtmlPlot {
  title: string;
  file: string;
  svg: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border-bottom:1px solid #ddd;padding:4px 10px;text-align:right}
th:first-child,td:first-child{text-align:left}figure{margin:2em 0}figcaption{color:#555;font-size:13px}
.warn{color:#a33}.l{text-align:left}`;

const STATS = ['n', 'mean', 'sd', 'median', 'p05', 'p25', 'p75', 'p95', 'min', 'max'] as const;
const cells = (name: string, m: MetricSummary, left = '') => `<td${left}>${escapeHtml(name)}</td><td>${escapeHtml(m.unit)}</td>${STATS.map((k) => `<td>${num(m[k])}</td>`).join('')}`;
const value = (v: unknown) => escapeHtml(typeof v === 'number' ? num(v) : typeof v === 'string' ? v : JSON.stringify(v) ?? '–');

/** The summary table; for a sweep, one row per point and metric, led by the point's parameter values. */
function summaryTable(summary: SummaryWithPoints): string {
  const points = summary.points ?? [];
  const params = [...new Set(points.flatMap((p) => Object.keys(p.parameters)))];
  const left = params.length ? ' class="l"' : ''; // metric names stay left-aligned behind the parameter columns
  const head = [...params.map((k) => `<th title="${escapeHtml(k)}">${escapeHtml(humanise(k))}</th>`), `<th${left}>metric</th><th>unit</th>`, ...STATS.map((k) => `<th>${k}</th>`)].join('');
  const rows = points.length
    ? points.flatMap((p) => Object.entries(p.metrics).map(([name, m]) => `<tr>${params.map((k) => `<td>${value(p.parameters[k])}</td>`).join('')}${cells(name, m, left)}</tr>`))
    : Object.entries(summary.metrics).map(([name, m]) => `<tr>${cells(name, m)}</tr>`);
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** A self-contained report page: the summary table, the comparison if any, and every plot inline (no network). */
export function reportHtml(summary: SummaryWithPoints, plots: readonly HtmlPlot[], comparison?: Comparison): string {
  const points = summary.points?.length;
  const count = points ? `${points} points × ${summary.runs} replications` : `${summary.runs} replications`;
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>gridtwin: ${escapeHtml(summary.experiment)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(summary.experiment)}</h1>`,
    `<p>seed ${escapeHtml(String(summary.seed))}, ${count}${summary.complete ? '' : ' <span class="warn">(interrupted: partial results)</span>'}</p>`,
    '<h2>Summary</h2>',
    summaryTable(summary),
  ];
  if (comparison) {
    // As the CLI table does: a metric the model does not predict says so instead of a row of dashes.
    const predicted = (v: number | undefined, there: boolean) => (there ? num(v) : 'not predicted');
    const crow = comparison.rows
      .map((r) => `<tr><td>${escapeHtml(r.metric)}</td><td>${escapeHtml(r.unit)}</td><td>${num(r.measured.median)}</td><td>${predicted(r.predicted?.median, !!r.predicted)}</td><td>${num(r.measured.mean)}</td><td>${predicted(r.predicted?.mean, !!r.predicted)}</td><td>${pct(r.relativeError.median)}</td><td>${pct(r.relativeError.mean)}</td><td>${r.ks ? `${num(r.ks.d)} (p ${num(r.ks.p)})` : '–'}</td></tr>`)
      .join('\n');
    parts.push(
      '<h2>Predicted vs measured</h2>',
      `<p>measured: ${escapeHtml(comparison.measured)}; error = (predicted − measured) / measured</p>`,
      `<table><thead><tr><th>metric</th><th>unit</th><th>measured median</th><th>predicted median</th><th>measured mean</th><th>predicted mean</th><th>err median</th><th>err mean</th><th>KS D</th></tr></thead><tbody>\n${crow}\n</tbody></table>`,
    );
  }
  parts.push('<h2>Plots</h2>');
  if (plots.length === 0) parts.push('<p>No plots (run with --trace for timelines).</p>');
  // The SVGs come from our own renderer; inlined as markup so the page needs no other file.
  for (const p of plots) parts.push(`<figure>${p.svg}<figcaption>${escapeHtml(p.title)} — <a href="plots/${escapeHtml(p.file)}">${escapeHtml(p.file)}</a></figcaption></figure>`);
  parts.push('</body></html>', '');
  return parts.join('\n');
}
