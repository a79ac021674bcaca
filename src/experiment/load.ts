import type { z } from 'zod';
import { Metrics } from '../engine/index.js';
import { findScenario, scenarioKinds, type ScenarioDef } from '../scenarios/index.js';
import { InputError } from './errors.js';
import { experimentSchema } from './schema.js';
import { sweepValues, withParameter } from './sweep.js';
import { formatPath, locate, readYamlFile, toData, type SourceFile } from './yaml.js';

/** A validated experiment, ready to run. Times are integer µs. */
export interface Experiment {
  readonly file: string;
  readonly name: string;
  readonly description: string;
  readonly seed: number | string;
  readonly runs: number;
  readonly duration: number;
  readonly scenario: ScenarioDef;
  readonly params: unknown;
  /** Non-fatal findings of loading (manifest fields not modelled, …), to show the user. */
  readonly warnings: readonly string[];
  /** For a sweep: one experiment per value of the swept parameter, in sweep order. */
  readonly points?: readonly SweepPoint[];
}

export interface SweepPoint {
  /** The swept parameter's path under spec and its value at this point. */
  readonly parameters: Record<string, unknown>;
  readonly experiment: Experiment;
}

function issuesToError(src: SourceFile, issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = [], note = ''): InputError {
  const lines = issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    return `${locate(src, path)}: ${formatPath(path) || '(document)'}: ${issue.message}${note}`;
  });
  const head = lines.length > 1 ? `${src.path}: ${lines.length} problems\n` : '';
  return new InputError(head + lines.join('\n'));
}

/** Keeps only the listed metrics: a scenario records everything, the experiment chooses. */
function measuring(def: ScenarioDef, names: readonly string[] | undefined): ScenarioDef {
  if (!names) return def;
  const keep = new Set(names);
  return {
    ...def,
    build(ctx, params, horizon) {
      const metrics = new Metrics();
      metrics.record = (name, unit, value) => {
        if (keep.has(name)) ctx.metrics.record(name, unit, value);
      };
      def.build({ ...ctx, metrics }, params, horizon);
    },
  };
}

/** Validates one experiment document (already converted to data); `note` is added to every error. */
function fromData(src: SourceFile, data: unknown, note = ''): Omit<Experiment, 'points'> {
  const parsed = experimentSchema.safeParse(data);
  if (!parsed.success) throw issuesToError(src, parsed.error.issues, [], note);
  const { metadata, spec } = parsed.data;
  const scenario = findScenario(spec.scenario.kind);
  if (!scenario) {
    throw new InputError(`${locate(src, ['spec', 'scenario', 'kind'])}: spec.scenario.kind: expected one of ${scenarioKinds().join(', ')}, got ${JSON.stringify(spec.scenario.kind)}${note}`);
  }
  const checked = scenario.params.safeParse((data as { spec: { scenario: unknown } }).spec.scenario);
  if (!checked.success) throw issuesToError(src, checked.error.issues, ['spec', 'scenario'], note);
  if (spec.measurements && scenario.metrics) {
    spec.measurements.forEach((m, i) => {
      if (!scenario.metrics!.includes(m)) throw new InputError(`${locate(src, ['spec', 'measurements', i])}: spec.measurements[${i}]: scenario ${scenario.kind} records no metric ${JSON.stringify(m)}; it records ${scenario.metrics!.join(', ')}`);
    });
  }
  const warnings: string[] = [];
  let params: unknown = checked.data;
  if (scenario.resolve) {
    try {
      params = scenario.resolve(params, { file: src.path, locate: (p) => locate(src, ['spec', 'scenario', ...p]), warn: (w) => warnings.push(w) });
    } catch (err) {
      if (err instanceof InputError && note) throw new InputError(err.message + note);
      throw err;
    }
  }
  return {
    file: src.path,
    name: metadata.name,
    description: metadata.description ?? '',
    seed: spec.seed,
    runs: spec.runs,
    duration: spec.duration,
    scenario: measuring(scenario, spec.measurements),
    params,
    warnings,
  };
}

export function loadExperiment(path: string): Experiment {
  const src = readYamlFile(path);
  const data = toData(src);
  const base = fromData(src, data);
  const sweep = (data as { spec: { sweep?: unknown } }).spec.sweep;
  if (sweep === undefined) return base;
  // Each point is the whole document with the parameter replaced, validated like the original.
  const { parameter, values } = sweepValues(src, data);
  const points = values.map((value, i) => {
    const at = withParameter(src, data, parameter, value);
    const experiment = fromData(src, at, ` (sweep point ${i}: ${parameter} = ${JSON.stringify(value)})`);
    return { parameters: { [parameter]: value }, experiment };
  });
  return { ...base, warnings: [...new Set(points.flatMap((p) => p.experiment.warnings))], points };
}
