import { InputError } from '../experiment/errors.js';
import type { MeasuredMetric } from './measured.js';
import { describe } from './stats.js';

/** Parses CSV text (RFC 4180: quoted fields, doubled quotes); rows keep their 1-based line numbers. */
export function parseCsv(path: string, text: string): { line: number; cells: string[] }[] {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0]!.trim() !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') cells.push(cell), (cell = '');
    else if (c === '\n') endRow(), (rowLine = ++line);
    else if (c !== '\r') cell += c;
  }
  if (quoted) throw new InputError(`${path}:${rowLine}: unterminated quoted field`);
  if (cell !== '' || cells.length) endRow();
  return rows;
}

/** Columns that identify a trial rather than measure it. */
const ID_COLUMN = /^(run|trial|id|index|seed|#|n|no|date|time|timestamp|note|notes|comment)$/i;

/** `name (s)`, `name [ms]` → name and unit. */
function header(cell: string, defaultUnit: string): { name: string; unit: string } {
  const m = /^\s*(.+?)\s*[([]\s*([a-zµ]+)\s*[)\]]\s*$/i.exec(cell);
  return m ? { name: m[1]!, unit: m[2]! } : { name: cell.trim(), unit: defaultUnit };
}

const toNumber = (s: string): number | undefined => {
  const t = s.trim();
  if (t === '') return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : NaN;
};

/**
 * A CSV of measured samples, either
 *  - long: columns `metric,value` (optionally `unit`; runs.csv of a results directory qualifies), or
 *  - wide: one row per trial, one numeric column per metric (`downtime (s)`); label columns
 *    (run, trial, date, …, or any column without a number in it) are ignored.
 */
export function readMeasuredCsv(path: string, text: string, defaultUnit: string): MeasuredMetric[] {
  const rows = parseCsv(path, text.replace(/^\uFEFF/, '')).filter((r) => !r.cells[0]!.trim().startsWith('#'));
  if (rows.length < 2) throw new InputError(`${path}: expected a header row and at least one row of samples`);
  const [head, ...body] = rows;
  const names = head!.cells.map((c) => c.trim().toLowerCase());
  const metricCol = names.indexOf('metric');
  const valueCol = names.indexOf('value');
  const out = new Map<string, MeasuredMetric>();
  const cellOf = (r: { cells: string[] }, i: number) => r.cells[i] ?? '';
  const bad = (line: number, col: string, got: string) =>
    new InputError(`${path}:${line}: column ${col}: expected a number, got ${JSON.stringify(got)}`);

  if (metricCol >= 0 && valueCol >= 0) {
    const unitCol = names.indexOf('unit');
    for (const r of body) {
      const name = cellOf(r, metricCol).trim();
      const v = toNumber(cellOf(r, valueCol));
      if (!name) throw new InputError(`${path}:${r.line}: column metric: expected a metric name`);
      if (v === undefined || Number.isNaN(v)) throw bad(r.line, 'value', cellOf(r, valueCol));
      const unit = unitCol >= 0 ? cellOf(r, unitCol).trim() || defaultUnit : defaultUnit;
      let m = out.get(name);
      if (!m) out.set(name, (m = { name, unit, stats: {}, samples: [], where: `${path}:${r.line}` }));
      else if (m.unit !== unit) throw new InputError(`${path}:${r.line}: metric ${name} in unit ${unit}, earlier rows say ${m.unit}`);
      m.samples!.push(v);
    }
  } else {
    head!.cells.forEach((cell, i) => {
      const { name, unit } = header(cell, defaultUnit);
      if (!name || ID_COLUMN.test(name)) return;
      const values = body.map((r) => toNumber(cellOf(r, i)));
      if (!values.some((v) => v !== undefined && !Number.isNaN(v))) return; // a label column
      const samples: number[] = [];
      values.forEach((v, k) => {
        if (v === undefined) return;
        if (Number.isNaN(v)) throw bad(body[k]!.line, JSON.stringify(name), cellOf(body[k]!, i));
        samples.push(v);
      });
      out.set(name, { name, unit, stats: {}, samples, where: `${path}:${head!.line}` });
    });
  }
  if (out.size === 0) throw new InputError(`${path}: no numeric sample column found (expected a column per metric, or metric,value columns)`);
  for (const m of out.values()) m.stats = describe(m.samples!);
  return [...out.values()];
}
