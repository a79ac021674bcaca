import type { Time } from '../engine/index.js';

/**
 * The GPS timing of a C37.118 stream: frame k carries timestamp `t0 + floor(k · num / den)` µs,
 * where `num/den` is the frame period in µs as a reduced fraction. A 33 ms period is 33000/1;
 * 30 fps is 100000/3 µs, so frames fall at 0, 33333, 66666, 100000, … — every timestamp is an
 * integer µs, never more than 1 µs from the exact instant, and the error never accumulates
 * (frame 30·n is at exactly n seconds). Counting frames in an interval is then arithmetic,
 * which is what lets streams cost nothing per frame.
 */
export interface FrameClock {
  readonly t0: Time;
  /** Period numerator (µs) … */
  readonly num: number;
  /** … and denominator: period = num/den µs, fraction reduced. */
  readonly den: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** A clock from a reporting rate in frames per second (C37.118: 10/25/50 or 10/12/15/20/30/60). */
export function clockFromRate(fps: number, t0: Time = 0): FrameClock {
  if (!Number.isInteger(fps) || fps <= 0 || fps > 1_000_000) throw new RangeError(`frame rate ${fps}: a positive integer fps`);
  const g = gcd(1_000_000, fps);
  return { t0, num: 1_000_000 / g, den: fps / g };
}

/** A clock from an integer period in µs (the thesis stream: 33 ms). */
export function clockFromPeriod(period: Time, t0: Time = 0): FrameClock {
  if (!Number.isSafeInteger(period) || period <= 0) throw new RangeError(`frame period ${period}: a positive integer µs`);
  return { t0, num: period, den: 1 };
}

/** Timestamp of frame k (k ≥ 0). */
export const frameTime = (c: FrameClock, k: number): Time => c.t0 + Math.floor((k * c.num) / c.den);

/** Index of the first frame whose timestamp is ≥ t (0 if t ≤ t0). */
export function firstFrameAtOrAfter(c: FrameClock, t: Time): number {
  if (t <= c.t0) return 0;
  // floor(k·num/den) ≥ d  ⟺  k·num ≥ d·den (d integer)  ⟺  k ≥ ceil(d·den/num)
  const d = t - c.t0;
  return Math.ceil((d * c.den) / c.num);
}

/** Number of frames with timestamp in [from, to). */
export const framesIn = (c: FrameClock, from: Time, to: Time): number =>
  to <= from ? 0 : Math.max(0, firstFrameAtOrAfter(c, to) - firstFrameAtOrAfter(c, from));

/** Mean frame period in µs (for reporting). */
export const meanPeriod = (c: FrameClock): number => c.num / c.den;
