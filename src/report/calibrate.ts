import { existsSync, readFileSync } from 'node:fs';
import { Document, isMap, parseDocument, type Node, type YAMLMap } from 'yaml';
import { InputError } from '../experiment/errors.js';
import { fit, fitAll, type Family, type Fit, type Fitted } from './fit.js';
import type { MeasuredMetric } from './measured.js';
import { isTimeUnit, unitFactor } from './units.js';

export interface CalibrateOptions {
  /** Dotted path of the parameter inside the profile, e.g. `virtualNode.tunnelCheck.detectionDelay`. */
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

/** Fitted values as the experiment format writes them: durations as "9.62s", other units as numbers. */
export function distToYaml(d: Fitted, unit: string): Record<string, unknown> {
  const toS = isTimeUnit(unit) ? unitFactor(unit, 's')! : undefined;
  const v = (x: number) => (toS === undefined ? Number(plain(x)) : `${plain(x * toS)}s`);
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
  if (!PARAM.test(opts.parameter)) throw new InputError(`--parameter ${JSON.stringify(opts.parameter)}: expected a dotted path such as virtualNode.notReadyDelay`);
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
    ` method: ${chosen.method}${opts.family === 'auto' ? ', family chosen by lowest AIC' : ''}; KS D = ${chosen.ks.d}, p = ${chosen.ks.p}`,
    ...(candidates.length ? [` AIC: ${candidates.map((c) => `${c.dist.kind} ${c.aic}`).join(', ')}`] : []),
  ];
  const path = opts.parameter.split('.');
  let doc: Document;
  if (opts.baseProfile) {
    if (!existsSync(opts.baseProfile)) throw new InputError(`${opts.baseProfile}: base profile does not exist`);
    doc = parseDocument(readFileSync(opts.baseProfile, 'utf8'));
    if (doc.errors.length) throw new InputError(`${opts.baseProfile}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    if (!isMap(doc.contents)) throw new InputError(`${opts.baseProfile}: expected a mapping`);
    if (!doc.hasIn(path)) throw new InputError(`${opts.baseProfile}: has no parameter ${opts.parameter} to replace`);
    doc.commentBefore = [` Calibrated copy of ${opts.baseProfile}: ${opts.parameter} fitted to measurements (see its comment).`, doc.commentBefore ?? '']
      .filter(Boolean)
      .join('\n');
  } else {
    doc = new Document(path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), null));
    doc.commentBefore = ` Profile override: ${opts.parameter} fitted to measurements. Use as an experiment's overrides of the profile.`;
  }
  doc.setIn(path, doc.createNode(value, { flow: true }));
  // Provenance sits on the key, so it travels with the value when the file is edited.
  const parent = path.length > 1 ? (doc.getIn(path.slice(0, -1), true) as YAMLMap) : (doc.contents as YAMLMap);
  const pair = parent.items.find((p) => String((p.key as { value?: unknown }).value ?? p.key) === path.at(-1));
  const key = pair?.key as Node | undefined;
  if (key && typeof key === 'object') key.commentBefore = provenance.join('\n');
  return { metric: m.name, unit: m.unit, n: samples.length, chosen, candidates, yaml: doc.toString({ lineWidth: 0 }) };
}
