import { z } from 'zod';
import { findScenario, scenarioKinds } from '../scenarios/index.js';
import { experimentSchema } from './schema.js';

/**
 * JSON Schema of an experiment file, for editor completion (e.g. the YAML language server's
 * `# yaml-language-server: $schema=…`). It describes what a user writes (the input side of
 * the transforms: durations as "33ms" strings), with `spec.scenario` as one of the registered
 * scenario kinds.
 */
export function experimentJsonSchema(): unknown {
  const scenarios = scenarioKinds().map((k) => findScenario(k)!.params);
  const spec = experimentSchema.shape.spec.extend({
    scenario: scenarios.length === 1 ? scenarios[0]! : z.union(scenarios as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]),
  });
  const doc = experimentSchema.extend({ spec });
  const schema = z.toJSONSchema(doc, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { $id: 'https://gridtwin.dev/schema/experiment-v1alpha1.json', title: 'gridtwin Experiment (gridtwin/v1alpha1)', ...schema };
}
