import type { Comparison } from './compare.js';
import type { Summary } from './summary.js';

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
.warn{color:#a33}`;

/** A self-contained report page: the summary table, the comparison if any, and every plot inline (no network). */
export function reportHtml(summary: Summary, plots: readonly HtmlPlot[], comparison?: Comparison): string {
  const stats = ['n', 'mean', 'sd', 'median', 'p05', 'p25', 'p75', 'p95', 'min', 'max'] as const;
  const rows = Object.entries(summary.metrics)
    .map(([name, m]) => `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(m.unit)}</td>${stats.map((k) => `<td>${num(m[k])}</td>`).join('')}</tr>`)
    .join('\n');
  const parts = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>gridtwin: ${escapeHtml(summary.experiment)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(summary.experiment)}</h1>`,
    `<p>seed ${escapeHtml(String(summary.seed))}, ${summary.runs} replications${summary.complete ? '' : ' <span class="warn">(interrupted: partial results)</span>'}</p>`,
    '<h2>Summary</h2>',
    `<table><thead><tr><th>metric</th><th>unit</th>${stats.map((k) => `<th>${k}</th>`).join('')}</tr></thead><tbody>\n${rows}\n</tbody></table>`,
  ];
  if (comparison) {
    const crow = comparison.rows
      .map((r) => `<tr><td>${escapeHtml(r.metric)}</td><td>${escapeHtml(r.unit)}</td><td>${num(r.measured.median)}</td><td>${num(r.predicted?.median)}</td><td>${num(r.measured.mean)}</td><td>${num(r.predicted?.mean)}</td><td>${pct(r.relativeError.median)}</td><td>${pct(r.relativeError.mean)}</td><td>${r.ks ? `${num(r.ks.d)} (p ${num(r.ks.p)})` : '–'}</td></tr>`)
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
