import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clockFromPeriod, clockFromRate, firstFrameAtOrAfter, frameTime, framesIn } from '../../src/grid/index.js';
import { SECOND } from '../../src/engine/index.js';

describe('FrameClock', () => {
  it('30 fps frames fall on integer µs and frame 30·n is exactly n seconds (no drift)', () => {
    const c = clockFromRate(30);
    expect([0, 1, 2, 3].map((k) => frameTime(c, k))).toEqual([0, 33333, 66666, 100000]);
    expect(frameTime(c, 30 * 86_400 * 365)).toBe(365 * 86_400 * SECOND);
  });

  it('a 33 ms period is exact', () => {
    const c = clockFromPeriod(33_000, 1_000);
    expect(frameTime(c, 1000)).toBe(1_000 + 33_000_000);
  });

  it('firstFrameAtOrAfter is the least k with frameTime(k) ≥ t, for any rate and instant', () => {
    fc.assert(
      fc.property(fc.constantFrom(10, 12, 15, 20, 25, 30, 50, 60), fc.integer({ min: 0, max: 10 ** 12 }), (fps, t) => {
        const c = clockFromRate(fps, 7);
        const k = firstFrameAtOrAfter(c, t);
        expect(frameTime(c, k)).toBeGreaterThanOrEqual(t);
        if (k > 0) expect(frameTime(c, k - 1)).toBeLessThan(t);
      }),
    );
  });

  it('framesIn counts one second of 25 fps as 25 frames wherever the second starts', () => {
    const c = clockFromRate(25);
    for (const s of [0, 1, 39_999, 40_000, 123_456_789]) expect(framesIn(c, s, s + SECOND)).toBe(25);
  });
});
