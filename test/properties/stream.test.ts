import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext, MS, SECOND, type Time } from '../../src/engine/index.js';
import { clockFromPeriod, clockFromRate, frameTime, FrameStream, type HopSpec, type StreamLevel, type StreamReport } from '../../src/grid/index.js';

// Interval mode = frame-by-frame mode is test/grid/stream.test.ts; these are the report's own invariants.

const LEVELS: StreamLevel[] = ['pmu', 'pdc-lower', 'pdc-higher', 'application'];
const HORIZON = 20 * SECOND;

const world = fc.record({
  clock: fc.oneof(
    fc.integer({ min: 10 * MS, max: 100 * MS }).map((p) => clockFromPeriod(p)),
    fc.tuple(fc.constantFrom(10, 12, 15, 20, 25, 30, 50, 60), fc.integer({ min: 0, max: SECOND })).map(([fps, t0]) => clockFromRate(fps, t0)),
  ),
  hops: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 0, max: 50 * MS }), { minLength: 4, maxLength: 4 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })).map(
    ([n, offsets, up]): HopSpec[] => offsets.sort((a, b) => a - b).slice(0, n).map((offset, i) => ({ to: LEVELS[i]!, offset, initiallyUp: up[i]! })),
  ),
  // Flips at random instants, including some at the same instant and some a few µs apart.
  flips: fc.array(fc.tuple(fc.integer({ min: 0, max: HORIZON }), fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.integer({ min: 0, max: 3 })), { maxLength: 30 }),
});

/** The delivered frame indices, expanded (small horizons only). */
const delivered = (r: StreamReport): number[] => r.deliveredRanges.flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i));

describe('stream properties', () => {
  it("a level's delivered frames are strictly increasing and never duplicated; each outage's downtime is ≥ 0 and equals first frame after − last frame before; delivered + lost frames add up; a level never delivers a frame the level below lost", () => {
    fc.assert(
      fc.property(world, ({ clock, hops, flips }) => {
        const ctx = createContext('p');
        const s = new FrameStream(ctx, { id: 'pmu-1', clock, hops });
        for (const [t, h, up, repeat] of flips) {
          const hop = hops[h % hops.length]!;
          for (let i = 0; i <= repeat; i++) ctx.sim.at(t + i, 'flip', () => s.setHop(hop.to, i % 2 === 0 ? up : !up));
        }
        const until = HORIZON;
        ctx.sim.run(until + hops[hops.length - 1]!.offset + 10);
        let below: Set<number> | undefined;
        for (const hop of hops) {
          const r = s.report(hop.to, until);
          const frames = delivered(r);
          expect(frames.every((k, i) => i === 0 || k > frames[i - 1]!), 'strictly increasing').toBe(true);
          expect(frames.every((k) => k >= 0 && k < r.frames && frameTime(clock, k) < until)).toBe(true);
          expect(r.delivered).toBe(frames.length);
          expect(r.delivered + r.lost).toBe(r.frames);
          expect(r.availability).toBeGreaterThanOrEqual(0);
          expect(r.availability).toBeLessThanOrEqual(1);
          // Ranges are maximal: adjacent ones would be an outage of no frame.
          r.deliveredRanges.forEach(([a, b], i) => {
            expect(a).toBeLessThan(b);
            if (i > 0) expect(a).toBeGreaterThan(r.deliveredRanges[i - 1]![1]);
          });
          // Each closed outage sits between two consecutive delivered frames.
          const closed = r.outages.filter((o) => o.firstAfter !== undefined);
          const gaps = frames.slice(1).flatMap((k, i) => (k > frames[i]! + 1 ? [[frames[i]!, k] as const] : []));
          expect(closed).toHaveLength(gaps.length);
          closed.forEach((o, i) => {
            const [before, after] = gaps[i]!;
            expect(o.lastBefore).toBe(frameTime(clock, before));
            expect(o.firstAfter).toBe(frameTime(clock, after));
            expect(o.downtimeUs).toBe(o.firstAfter! - o.lastBefore);
            expect(o.downtimeUs!).toBeGreaterThan(0);
            expect(o.framesLost).toBe(after - before - 1);
          });
          const lost = r.outages.reduce((a, o) => a + o.framesLost, 0);
          expect(lost).toBe(frames.length === 0 ? 0 : r.lost - frames[0]!);
          if (below) expect(frames.filter((k) => !below!.has(k)), `${hop.to} delivered frames lost below`).toEqual([]);
          below = new Set(frames);
        }
      }),
      { numRuns: 200 },
    );
  });
});
