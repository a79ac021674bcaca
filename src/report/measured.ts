import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { InputError } from '../experiment/errors.js';
import { formatPath, locate, readYamlFile, type SourceFile } from '../experiment/yaml.js';
import { readKubectlLog } from './kubectl-log.js';
import { readMeasuredCsv } from './measured-csv.js';
import { describe } from './stats.js';
import { stripUnitSuffix, unitFromSuffix } from './units.js';

/** Summary statistics a measurement may give; any subset. */
export const STAT_KEYS = ['n', 'mean', 'sd', 'median', 'p05', 'p25', 'p75', 'p95', 'min', 'max'] as const;
export type StatKey = (typeof STAT_KEYS)[number];
export type PartialStats = Partial<Record<StatKey, number>>;

/** One measured metric: summary figures, and the samples themselves when the source has them. */
export interface MeasuredMetric {
  name: string;
  unit: string;
  stats: PartialStats;
  samples?: number[];
  /** file:line where the measurement is written (for messages). */
  where: string;
}

export type MeasuredFormat = 'yaml' | 'csv' | 'kubectl-log';

export interface MeasuredOptions {
  format?: MeasuredFormat;
  /** Unit of values that carry none (CSV columns, bare [mean, sd] pairs). Default s. */
  unit?: string;
  /** kubectl log: metric name for the NotReady delays. */
  metric?: string;
  /** kubectl log: disconnect instants (epoch seconds) in addition to `disconnect` lines. */
  disconnects?: number[];
  /** kubectl log: only this node. */
  node?: string;
}

const MAX_BYTES = 64 * 1024 * 1024;

/** Reads measurements from a summary YAML, a CSV of samples or a timestamped `kubectl get nodes` log. */
export function readMeasured(path: string, opts: MeasuredOptions = {}): MeasuredMetric[] {
  const format = opts.format ?? detectFormat(path);
  if (format === 'yaml') return readMeasuredYaml(path, opts);
  const text = readText(path);
  return format === 'csv' ? readMeasuredCsv(path, text, opts.unit ?? 's') : readKubectlLog(path, text, opts);
}

function readText(path: string): string {
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`${path}: not a regular file`);
    if (st.size > MAX_BYTES) throw new InputError(`${path}: ${st.size} bytes, more than the ${MAX_BYTES}-byte limit for a measurement file`);
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

function detectFormat(path: string): MeasuredFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.csv') return 'csv';
  if (ext === '.log' || ext === '.txt') return 'kubectl-log';
  const first = readText(path).split('\n').find((l) => l.trim() !== '' && !l.trim().startsWith('#')) ?? '';
  if (first.includes(',')) return 'csv';
  if (/^\s*[A-Za-z_][\w-]*:(\s|$)/.test(first)) return 'yaml';
  return 'kubectl-log';
}

// ---------------------------------------------------------------- YAML of summary figures

/** Stat keys as written in the file: `medianSeconds` → median; `samples…` → the samples. */
const statKey = (key: string): StatKey | 'samples' | undefined => {
  const bare = stripUnitSuffix(key);
  if (bare === 'samples') return 'samples';
  return (STAT_KEYS as readonly string[]).includes(bare) ? (bare as StatKey) : undefined;
};

/**
 * A YAML whose `measurements:` (or root) mapping holds one entry per metric, e.g.
 *   podFailureStreamDowntime: {medianSeconds: 16.41}
 *   latencyRttMs: {network: {leaf1: [0.689, 0.447]}}   # [mean, sd], unit from the `Ms` suffix
 * Nested mappings that are not stat mappings name sub-metrics (`latencyRttMs.network.leaf1`).
 */
export function readMeasuredYaml(path: string, opts: MeasuredOptions = {}): MeasuredMetric[] {
  const src = readYamlFile(path);
  const root = src.doc.contents as Node | null;
  if (!isMap(root)) throw new InputError(`${locate(src, [])}: expected a mapping with a measurements: section`);
  const measurements = root.items.find((p) => keyOf(p) === 'measurements');
  const top = measurements ? (measurements.value as Node | null) : root;
  const base = measurements ? ['measurements'] : [];
  if (!isMap(top)) throw new InputError(`${locate(src, base)}: measurements: expected a mapping of metric name → figures`);
  const out: MeasuredMetric[] = [];
  for (const pair of top.items) walk(src, pair, [...base], [], opts.unit, out);
  if (out.length === 0) throw new InputError(`${locate(src, base)}: no measurements found (expected e.g. podFailureStreamDowntime: {medianSeconds: 16.41})`);
  return out;
}

const keyOf = (p: Pair): string => String((p.key as { value?: unknown } | null)?.value ?? '');

function walk(src: SourceFile, pair: Pair, path: string[], names: string[], unit: string | undefined, out: MeasuredMetric[]): void {
  const key = keyOf(pair);
  const here = [...path, key];
  const name = [...names, key];
  const node = pair.value as Node | null;
  const unitHere = unitFromSuffix(key) ?? unit;
  const where = locate(src, here);
  if (isSeq(node)) {
    const values = numbers(src, node, here);
    if (values.length !== 2) throw new InputError(`${where}: ${formatPath(here)}: expected [mean, sd] (two numbers), got ${values.length} values`);
    out.push({ name: name.join('.'), unit: unitHere ?? 's', stats: { mean: values[0]!, sd: values[1]! }, where });
    return;
  }
  if (!isMap(node)) throw new InputError(`${where}: ${formatPath(here)}: expected a mapping of figures (e.g. {medianSeconds: 16.41}) or [mean, sd]`);
  // A stat mapping has scalar figures ({medianSeconds: 16.41}); `mean: [m, sd]` is a sub-metric.
  const isFigure = (item: Pair) => {
    const stat = statKey(keyOf(item));
    return stat === 'samples' ? isSeq(item.value) : stat !== undefined && isScalar(item.value);
  };
  if (node.items.some(isFigure)) {
    const stats: PartialStats = {};
    let samples: number[] | undefined;
    let metricUnit = unitHere;
    let suffixUnit: string | undefined;
    for (const item of node.items) {
      const k = keyOf(item);
      const stat = statKey(k);
      if (stat === undefined) throw new InputError(`${locate(src, [...here, k])}: ${formatPath(here)}.${k}: unknown figure; expected one of ${STAT_KEYS.join(', ')}, samples (with a unit suffix such as Seconds or Ms)`);
      const u = stat === 'n' ? undefined : unitFromSuffix(k);
      if (u && suffixUnit && u !== suffixUnit) throw new InputError(`${locate(src, [...here, k])}: ${formatPath(here)}: figures in different units (${suffixUnit} and ${u})`);
      if (u) suffixUnit = metricUnit = u;
      const v = item.value as Node | null;
      if (stat === 'samples') {
        if (!isSeq(v)) throw new InputError(`${locate(src, [...here, k])}: ${formatPath(here)}.${k}: expected a list of numbers`);
        samples = numbers(src, v, [...here, k]);
      } else stats[stat] = number(src, v, [...here, k]);
    }
    if (samples?.length) for (const [k, x] of Object.entries(describe(samples))) stats[k as StatKey] ??= x;
    out.push({ name: name.join('.'), unit: metricUnit ?? 's', stats, ...(samples ? { samples } : {}), where });
    return;
  }
  for (const item of node.items) walk(src, item, here, name, unitHere, out);
}

type YamlPath = (string | number)[];

function number(src: SourceFile, node: Node | null, path: YamlPath): number {
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${locate(src, path)}: ${formatPath(path)}: expected a number, got ${JSON.stringify(v ?? null)}`);
  return v;
}

const numbers = (src: SourceFile, node: Node, path: YamlPath): number[] =>
  (isSeq(node) ? node.items : []).map((item, i) => number(src, item as Node, [...path, i]));
