import { InputError } from '../experiment/errors.js';
import { compare, gatedErrors, readResultsDir, type Comparison, type ComparedStats } from '../report/compare.js';
import { readMeasured, type MeasuredFormat } from '../report/measured.js';
import { within, writeAtomic } from '../report/write.js';

export interface CompareCliOptions {
  json?: boolean;
  failOver?: number;
  format?: MeasuredFormat;
  unit?: string;
  metric?: string;
  node?: string;
  disconnect?: number[];
  map?: string[];
  save?: boolean;
  point?: number;
}

export function parseMap(pairs: readonly string[] = []): Record<string, string> {
  const map: Record<string, string> = {};
  for (const p of pairs) {
    const m = /^([^=]+)=(.+)$/.exec(p);
    if (!m) throw new InputError(`--map ${JSON.stringify(p)}: expected measuredName=predictedName`);
    map[m[1]!.trim()] = m[2]!.trim();
  }
  return map;
}

export async function compareCommand(resultsDir: string, measuredPath: string, opts: CompareCliOptions): Promise<number> {
  const predicted = readResultsDir(resultsDir, opts.point);
  const measured = readMeasured(measuredPath, { format: opts.format, unit: opts.unit, metric: opts.metric, node: opts.node, disconnects: opts.disconnect });
  const result = compare(predicted, measured, measuredPath, parseMap(opts.map));
  if (opts.save) {
    // Kept beside the results so that `gridtwin plot` can draw predicted-vs-measured bars.
    writeAtomic(within(resultsDir, 'compare.json'), JSON.stringify(result, null, 2) + '\n');
    const { writePlots } = await import('../report/plots.js');
    await writePlots(resultsDir, { warn: (msg) => process.stderr.write(`warning: ${msg}\n`) });
  }
  const failures = opts.failOver === undefined ? [] : overBound(result, opts.failOver / 100);
  if (opts.json) process.stdout.write(JSON.stringify({ ...result, ...(opts.failOver !== undefined ? { failOverPct: opts.failOver, failures } : {}) }, null, 2) + '\n');
  else process.stdout.write(formatTable(result));
  if (!opts.json) for (const f of failures) process.stdout.write(`FAIL ${f.metric}: ${f.stat} off by ${pct(f.error)} (bound ±${opts.failOver}%)\n`);
  return failures.length ? 1 : 0;
}

function overBound(c: Comparison, bound: number) {
  return c.rows.flatMap((r) => gatedErrors(r).filter((e) => Math.abs(e.error) > bound).map((e) => ({ metric: r.metric, ...e })));
}

const num = (v: number | undefined): string => (v === undefined ? '–' : Number(v.toPrecision(4)).toString());
const pct = (v: number | undefined): string => (v === undefined ? '–' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}%`);

function cells(s: ComparedStats | undefined): [string, string] {
  if (!s) return ['not predicted', ''];
  const median = s.median === undefined ? '–' : `${num(s.median)}${s.p25 !== undefined && s.p75 !== undefined ? ` [${num(s.p25)}, ${num(s.p75)}]` : ''}`;
  const mean = s.mean === undefined ? '–' : `${num(s.mean)}${s.sd !== undefined ? ` ± ${num(s.sd)}` : ''}`;
  return [median, mean];
}

/** A plain-text table: one row per measured metric. */
export function formatTable(c: Comparison): string {
  const head = ['metric', 'unit', 'measured median [IQR]', 'predicted median [IQR]', 'measured mean ± sd', 'predicted mean ± sd', 'err median', 'err mean', 'KS D (p)'];
  const rows = c.rows.map((r) => {
    const [mm, ms] = cells(r.measured);
    const [pm, ps] = cells(r.predicted);
    const ks = r.ks ? `${num(r.ks.d)} (${num(r.ks.p)})` : '–';
    return [r.metric, r.unit, mm, pm, ms, r.predicted ? ps : '', pct(r.relativeError.median), pct(r.relativeError.mean), ks];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const matched = c.rows.filter((r) => r.predicted).length;
  const out = [`predicted: ${c.results}   measured: ${c.measured}`, line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  out.push(`${c.rows.length} measured metrics, ${matched} with a prediction; err = (predicted − measured) / measured; KS: two-sample Kolmogorov–Smirnov distance (asymptotic p)`);
  return out.join('\n') + '\n';
}
