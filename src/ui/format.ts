import type { Time } from '../engine/index.js';

/** Four significant digits, no trailing zeros: 12.35, 0.001234, 15230. */
export const num = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Simulated time for the header: "12.3 s", "4m05s", "3h05m", "2d03h". */
export function simTime(us: Time): string {
  const s = us / 1e6;
  if (s < 60) return `${num(s)} s`;
  const totalS = Math.floor(s);
  if (s < 3600) return `${Math.floor(totalS / 60)}m${pad2(totalS % 60)}s`;
  const totalM = Math.floor(totalS / 60);
  if (s < 86400) return `${Math.floor(totalM / 60)}h${pad2(totalM % 60)}m`;
  const totalH = Math.floor(totalM / 60);
  return `${Math.floor(totalH / 24)}d${pad2(totalH % 24)}h`;
}

/** Wall-clock milliseconds for the header and ETA: "850 ms", "12.3 s", "4m05s". */
export function wallTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return simTime(ms * 1000);
}

/** A rate with an SI suffix: 950, 12.3k, 4.56M. */
export function rate(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x >= 1e9) return `${num(x / 1e9)}G`;
  if (x >= 1e6) return `${num(x / 1e6)}M`;
  if (x >= 1e3) return `${num(x / 1e3)}k`;
  return String(Math.round(x));
}

/** A text progress bar `width` cells wide. */
export function bar(fraction: number, width: number): string {
  const f = Math.min(1, Math.max(0, fraction));
  const full = Math.round(f * width);
  return '█'.repeat(full) + '░'.repeat(Math.max(0, width - full));
}

/** Log time column: simulated seconds with ms, right-aligned. */
export const logTime = (us: Time): string => `${(us / 1e6).toFixed(3)}s`.padStart(10);
