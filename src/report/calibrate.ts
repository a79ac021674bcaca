import { existsSync, readFileSync } from 'node:fs';
import { Document, isMap, parseDocument, type Node, type YAMLMap } from 'yaml';
import { MS, SECOND } from '../engine/time.js';
import { InputError } from '../experiment/errors.js';
import { fit, fitAll, type Family, type Fit, type Fitted } from './fit.js';
import type { MeasuredMetric } from './measured.js';
import { isTimeUnit, unitFactor } from './units.js';

export interface CalibrateOptions {
  /** Dotted path of the parameter inside the profile, e.g. `kubelet.startup.containerStart`. */
  parameter: string;
  family: Family | 'auto';
  /** Date the measurement was taken (given by the user; never the wall clock). */
  measuredOn: string;
  source: string;
  /** Base profile file to copy (comments kept) with the parameter replaced; absent → an override fragment. */
  baseProfile?: string;
}

export interface Calibration {
  metric: string;
  unit: string;
  n: number;
  chosen: Fit;
  /** Every parametric family tried, best AIC first (for the record). */
  candidates: Fit[];
  yaml: string;
}

/** A number without exponent notation, at µs resolution for seconds. */
const plain = (x: number, digits = 6): string => String(Number(x.toFixed(digits)));

/** µs as a readable duration the experiment format parses back exactly: "9.620531s", "330.837ms". */
const duration = (us: number): string => (us >= SECOND ? `${us / SECOND}s` : `${us / MS}ms`);

/** Fitted values as the experiment format writes them: durations at µs resolution, other units as numbers. */
export function distToYaml(d: Fitted, unit: string): Record<string, unknown> {
  const toS = isTimeUnit(unit) ? unitFactor(unit, 's')! : undefined;
  const v = (x: number) => (toS === undefined ? Number(plain(x)) : duration(Math.round(x * toS * SECOND)));
  switch (d.kind) {
    case 'normal':
      return { kind: 'normal', mean: v(d.mean), sd: v(d.sd) };
    case 'lognormal':
      return { kind: 'lognormal', median: v(d.median), sigma: Number(plain(d.sigma)) };
    case 'exponential':
      return { kind: 'exponential', mean: v(d.mean) };
    case 'uniform':
      return { kind: 'uniform', min: v(d.min), max: v(d.max) };
    case 'empirical':
      return { kind: 'empirical', samples: d.samples.map(v) };
  }
}

const short = (x: number): string => String(Number(x.toPrecision(4)));

/** A flat mapping as one line of flow YAML: `{kind: lognormal, median: 9620ms, sigma: 0.3}`. */
const flow = (value: Record<string, unknown>): string =>
  `{${Object.entries(value).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`).join(', ')}}`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const PARAM = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

/**
 * Fits the measured samples of one metric and writes the result as a `models/` profile: either the
 * base profile with that one parameter replaced (every other value and its source comment kept), or
 * a fragment holding only the parameter (for an experiment's per-profile overrides). Provenance
 * (source file, measurement date, method, n, goodness of fit) goes in comments beside the value.
 */
export function calibrate(m: MeasuredMetric, opts: CalibrateOptions): Calibration {
  if (!DATE.test(opts.measuredOn)) throw new InputError(`--measured-on ${JSON.stringify(opts.measuredOn)}: expected the measurement date as YYYY-MM-DD`);
  if (!PARAM.test(opts.parameter)) throw new InputError(`--parameter ${JSON.stringify(opts.parameter)}: expected a dotted path such as kubelet.startup.containerStart`);
  const samples = m.samples ?? [];
  if (samples.length < 2) throw new InputError(`${m.where}: ${m.name} has ${samples.length ? 'one sample' : 'no samples (only summary figures)'}; calibration needs measured samples (a CSV or a kubectl log)`);
  const candidates = fitAll(samples);
  let chosen: Fit;
  try {
    chosen = opts.family === 'auto' ? candidates[0] ?? fit('empirical', samples) : fit(opts.family, samples);
  } catch (err) {
    throw new InputError(`${m.where}: ${m.name}: ${(err as Error).message}`);
  }
  const value = distToYaml(chosen.dist, m.unit);
  const provenance = [
    ` calibrated by gridtwin calibrate from ${opts.source} (metric ${m.name}, n = ${samples.length}, measured ${opts.measuredOn})`,
    ` method: ${chosen.method}${opts.family === 'auto' ? ', family chosen by lowest AIC' : ''}; KS D = ${short(chosen.ks.d)}, p = ${short(chosen.ks.p)}`,
    ...(candidates.length ? [` AIC: ${candidates.map((c) => `${c.dist.kind} ${short(c.aic!)}`).join(', ')}`] : []),
  ];
  const yaml = opts.baseProfile ? replaceInProfile(opts.baseProfile, opts.parameter, value, provenance) : fragment(opts.parameter, value, provenance);
  return { metric: m.name, unit: m.unit, n: samples.length, chosen, candidates, yaml };
}

/**
 * The base profile's text with only the parameter's line changed: every other value, its source
 * comment and the alignment stay byte for byte; the provenance goes in comment lines above it.
 */
function replaceInProfile(file: string, parameter: string, value: Record<string, unknown>, provenance: string[]): string {
  if (!existsSync(file)) throw new InputError(`${file}: base profile does not exist`);
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length) throw new InputError(`${file}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const path = parameter.split('.');
  if (!isMap(doc.contents) || !doc.hasIn(path)) throw new InputError(`${file}: has no parameter ${parameter} to replace`);
  const node = doc.getIn(path, true) as Node;
  const [start, end] = node.range!;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const keyPart = text.slice(lineStart, start);
  let lineEnd = text.indexOf('\n', end);
  if (lineEnd < 0) lineEnd = text.length;
  // Only a value written on its key's line is spliced; a block value below its key is rewritten whole.
  if (!/^\s*[^#\s][^#]*:\s*$/.test(keyPart) || text.slice(start, end).includes('\n')) return rewritten(doc, file, parameter, value, provenance);
  const indent = /^\s*/.exec(keyPart)![0];
  const header = `# Calibrated copy of ${file}: ${parameter} fitted to measurements (see the comment above it).\n`;
  return header + text.slice(0, lineStart) + provenance.map((l) => `${indent}#${l}\n`).join('') + keyPart + flow(value) + text.slice(lineEnd);
}

function rewritten(doc: Document, file: string, parameter: string, value: Record<string, unknown>, provenance: string[]): string {
  doc.commentBefore = [` Calibrated copy of ${file}: ${parameter} fitted to measurements.`, doc.commentBefore ?? ''].filter(Boolean).join('\n');
  return withValue(doc, parameter.split('.'), value, provenance);
}

/** An override fragment: only the parameter, nested under its path. */
function fragment(parameter: string, value: Record<string, unknown>, provenance: string[]): string {
  const path = parameter.split('.');
  const doc = new Document(path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), null));
  doc.commentBefore = ` Profile override: ${parameter} fitted to measurements. Use as an experiment's overrides of the profile.`;
  return withValue(doc, path, value, provenance);
}

function withValue(doc: Document, path: string[], value: Record<string, unknown>, provenance: string[]): string {
  doc.setIn(path, doc.createNode(value, { flow: true }));
  // Provenance sits on the key, so it travels with the value when the file is edited.
  const parent = path.length > 1 ? (doc.getIn(path.slice(0, -1), true) as YAMLMap) : (doc.contents as YAMLMap);
  const pair = parent.items.find((p) => String((p.key as { value?: unknown }).value ?? p.key) === path.at(-1));
  const key = pair?.key as Node | undefined;
  if (key && typeof key === 'object') key.commentBefore = provenance.join('\n');
  return doc.toString({ lineWidth: 0 });
}
