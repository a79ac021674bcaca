/** Time units that measurements and metrics are written in, as seconds per unit. */
const SECONDS_PER: Record<string, number> = { us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600 };

/** Key suffixes that name a unit, as in the thesis YAML (`medianSeconds`, `latencyRttMs`). */
const SUFFIX_UNITS: ReadonlyArray<[RegExp, string]> = [
  [/Seconds$/, 's'],
  [/Ms$/, 'ms'],
  [/Us$/, 'us'],
  [/Minutes$/, 'min'],
];

export function unitFromSuffix(key: string): string | undefined {
  for (const [re, unit] of SUFFIX_UNITS) if (re.test(key)) return unit;
  return undefined;
}

/** Strips a unit suffix from a key: `medianSeconds` → `median`. */
export function stripUnitSuffix(key: string): string {
  for (const [re] of SUFFIX_UNITS) if (re.test(key)) return key.replace(re, '');
  return key;
}

export const isTimeUnit = (unit: string): boolean => unit in SECONDS_PER;

/** Factor that converts a value in `from` into `to`; 1 when equal, undefined when not convertible. */
export function unitFactor(from: string, to: string): number | undefined {
  if (from === to) return 1;
  const a = SECONDS_PER[from];
  const b = SECONDS_PER[to];
  return a !== undefined && b !== undefined ? a / b : undefined;
}
