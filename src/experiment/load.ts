import type { z } from 'zod';
import { findScenario, scenarioKinds, type ScenarioDef } from '../scenarios/index.js';
import { InputError } from './errors.js';
import { experimentSchema } from './schema.js';
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
}

function issuesToError(src: SourceFile, issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): InputError {
  const lines = issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    return `${locate(src, path)}: ${formatPath(path) || '(document)'}: ${issue.message}`;
  });
  const head = lines.length > 1 ? `${src.path}: ${lines.length} problems\n` : '';
  return new InputError(head + lines.join('\n'));
}

export function loadExperiment(path: string): Experiment {
  const src = readYamlFile(path);
  const data = toData(src);
  const parsed = experimentSchema.safeParse(data);
  if (!parsed.success) throw issuesToError(src, parsed.error.issues);
  const { metadata, spec } = parsed.data;
  const scenario = findScenario(spec.scenario.kind);
  if (!scenario) {
    throw new InputError(`${locate(src, ['spec', 'scenario', 'kind'])}: spec.scenario.kind: expected one of ${scenarioKinds().join(', ')}, got ${JSON.stringify(spec.scenario.kind)}`);
  }
  const params = scenario.params.safeParse((data as { spec: { scenario: unknown } }).spec.scenario);
  if (!params.success) throw issuesToError(src, params.error.issues, ['spec', 'scenario']);
  return {
    file: path,
    name: metadata.name,
    description: metadata.description ?? '',
    seed: spec.seed,
    runs: spec.runs,
    duration: spec.duration,
    scenario,
    params: params.data,
  };
}
