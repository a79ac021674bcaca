import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { InputError } from './errors.js';
import { formatPath, locate, readYamlFile, toData } from './yaml.js';

/** The user's own profiles (calibrated copies, site profiles): `models/` of the working directory, or $GRIDTWIN_MODELS. */
export const MODELS_DIR = process.env.GRIDTWIN_MODELS ?? 'models';
/** The profiles shipped with gridtwin (dist/experiment → ../../models; src/experiment in tests alike). */
export const BUNDLED_MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** The file of profile `name`: the user's own first, else the bundled one (so the CLI works from any directory). */
export function profilePath(name: string): string | undefined {
  return [join(MODELS_DIR, `${name}.yaml`), join(BUNDLED_MODELS_DIR, `${name}.yaml`)].find((p) => existsSync(p));
}

const PROFILE_NAME = /^[a-z0-9][a-z0-9.-]{0,80}$/;

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects: `over` wins; arrays and scalars are replaced, not merged. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlain(base) || !isPlain(over)) return over === undefined ? base : over;
  const out: Plain = { ...base };
  for (const key of Object.keys(over)) out[key] = deepMerge(base[key], over[key]);
  return out;
}

/**
 * Loads `models/<name>.yaml` — a component profile whose every value names its source in a
 * comment — applies per-experiment overrides, and validates the result with the model's schema.
 * Errors point into the profile file (or say that the override was wrong).
 */
export function loadProfile<T>(name: string, schema: z.ZodType<T, any>, overrides?: unknown): T {
  if (!PROFILE_NAME.test(name)) throw new InputError(`profile name ${JSON.stringify(name)}: expected a file name under ${MODELS_DIR}/ without extension`);
  const path = profilePath(name);
  if (!path) throw new InputError(`profile ${name}: neither ${join(MODELS_DIR, `${name}.yaml`)} nor the bundled ${join(BUNDLED_MODELS_DIR, `${name}.yaml`)} exists`);
  const src = readYamlFile(path);
  const merged = deepMerge(toData(src), overrides);
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${locate(src, issue.path)}: ${formatPath(issue.path)}: ${issue.message} (profile ${name}${overrides ? ' with overrides' : ''})`);
  }
  return parsed.data;
}
