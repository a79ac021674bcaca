/**
 * Simulated time is an integer number of microseconds. Floats would drift over a
 * year-long run (33 ms frames are not representable in binary), integers never do.
 */
export type Time = number;

export const US = 1;
export const MS = 1_000;
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const UNITS: Record<string, number> = {
  us: US, µs: US, ms: MS, s: SECOND, m: MINUTE, min: MINUTE, h: HOUR, d: DAY,
};

const DURATION = /^(\d+(?:\.\d+)?)(us|µs|ms|s|min|m|h|d)$/;

/** Parses "33ms", "1.5s", "24h" (or a number of seconds) into integer µs; undefined if malformed. */
export function parseDuration(text: string | number): Time | undefined {
  if (typeof text === 'number') {
    const value = Math.round(text * SECOND);
    return text >= 0 && Number.isSafeInteger(value) ? value : undefined; // 1e308 s is not a duration
  }
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  const value = Math.round(Number(m[1]) * UNITS[m[2]!]!);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Seconds as a float, for reporting only (never fed back into the clock). */
export const toSeconds = (t: Time): number => t / SECOND;

export function formatDuration(t: Time): string {
  if (t % SECOND === 0) return `${t / SECOND}s`;
  if (t % MS === 0) return `${t / MS}ms`;
  return `${t}us`;
}
