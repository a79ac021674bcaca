import { experimentSchema } from './schema.js';
import { InputError } from './errors.js';
import { locate, type SourceFile } from './yaml.js';

/** The swept parameter and its values, in order (a range includes `to` when it lands on it). */
export function sweepValues(src: SourceFile, data: unknown): { parameter: string; values: unknown[] } {
  const sweep = experimentSchema.shape.spec.shape.sweep.parse((data as { spec: { sweep: unknown } }).spec.sweep)!;
  if (sweep.values) return { parameter: sweep.parameter, values: sweep.values };
  const { from, to, step } = sweep.range!;
  const values: number[] = [];
  // Integer steps from `from`, so a long range does not accumulate rounding error.
  for (let k = 0; from + k * step <= to + 1e-9 * step; k++) values.push(Number((from + k * step).toPrecision(12)));
  if (values.length === 0) throw new InputError(`${locate(src, ['spec', 'sweep', 'range'])}: spec.sweep.range: empty (from > to)`);
  return { parameter: sweep.parameter, values };
}

/** A copy of the document with `spec.<parameter>` set to `value`; the path must exist up to its parent. */
export function withParameter(src: SourceFile, data: unknown, parameter: string, value: unknown): unknown {
  const copy = structuredClone(data) as { spec: Record<string, unknown> };
  delete copy.spec.sweep;
  const keys = parameter.split('.');
  let node: unknown = copy.spec;
  for (const [i, key] of keys.entries()) {
    const k = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    if (typeof node !== 'object' || node === null) {
      throw new InputError(`${locate(src, ['spec', 'sweep', 'parameter'])}: spec.sweep.parameter: spec.${keys.slice(0, i).join('.')} is not an object or list, cannot set ${key}`);
    }
    if (i === keys.length - 1) (node as Record<string | number, unknown>)[k] = value;
    else node = (node as Record<string | number, unknown>)[k];
  }
  return copy;
}
