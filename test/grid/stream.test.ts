import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext, MS, SECOND, type Time } from '../../src/engine/index.js';
import { clockFromPeriod, clockFromRate, FrameStream, type FrameClock, type HopSpec, type StreamLevel } from '../../src/grid/index.js';

const LEVELS: StreamLevel[] = ['pmu', 'pdc-lower', 'pdc-higher', 'application'];

/** Runs one stream under a schedule of hop flips [time, hop, up] and reports every level. */
function simulate(mode: 'interval' | 'frames', clock: FrameClock, hops: HopSpec[], flips: [Time, number, boolean][], horizon: Time) {
  const ctx = createContext('s', { trace: true });
  const s = new FrameStream(ctx, { id: 'pmu-1', clock, hops, mode });
  for (const [t, h, up] of flips) ctx.sim.at(t, 'flip', () => s.setHop(hops[h]!.to, up));
  ctx.sim.run(horizon);
  const until = horizon - hops[hops.length - 1]!.offset;
  return { reports: hops.map((h) => s.report(h.to, until)), events: ctx.sim.processed };
}

const chain = (offsets: number[]): HopSpec[] => offsets.map((offset, i) => ({ to: LEVELS[i]!, offset, initiallyUp: true }));

describe('FrameStream', () => {
  it('a 10 s cut of the middle hop: downtime is first frame after − last frame before (thesis definition)', () => {
    const hops = chain([0, 400, 900]);
    const { reports } = simulate('interval', clockFromPeriod(33 * MS), hops, [[20 * SECOND, 1, false], [30 * SECOND, 1, true]], 60 * SECOND);
    const high = reports[2]!;
    expect(high.outages).toHaveLength(1);
    const o = high.outages[0]!;
    // Frames cross hop 1 at t + 400 µs: the last one through before 20 s is stamped ≤ 19.9996 s.
    expect(o.lastBefore).toBe(606 * 33 * MS); // 19.998 s
    expect(o.firstAfter).toBe(910 * 33 * MS); // 30.030 s: first with t + 400 µs ≥ 30 s
    expect(o.downtimeUs).toBe(304 * 33 * MS);
    expect(o.framesLost).toBe(303);
    expect(reports[0]!.lost).toBe(0); // the PMU level never saw the cut
  });

  it('an open outage at the end has frames lost but no downtime', () => {
    const hops = chain([0]);
    const { reports } = simulate('interval', clockFromRate(25), hops, [[SECOND, 0, false]], 2 * SECOND);
    expect(reports[0]!.outages).toEqual([{ lastBefore: 960_000, framesLost: 25 }]);
    expect(reports[0]!.availability).toBe(0.5);
  });

  it('interval and frame-by-frame modes agree frame for frame on random outage schedules (property)', () => {
    const flip = fc.tuple(fc.integer({ min: 0, max: 3 * SECOND }), fc.integer({ min: 0, max: 2 }), fc.boolean());
    fc.assert(
      fc.property(
        fc.constantFrom(clockFromPeriod(33 * MS), clockFromRate(30), clockFromRate(50, 7)),
        fc.array(fc.integer({ min: 0, max: 40 * MS }), { minLength: 3, maxLength: 3 }).map((o) => o.sort((a, b) => a - b)),
        fc.array(flip, { maxLength: 12 }),
        // Flips on frame instants and hop crossings exercise the tie rule.
        fc.array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 2 }), fc.boolean()), { maxLength: 6 }),
        // Blips: down for a few µs, usually between two frames (no frame lost, no outage).
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * SECOND }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 50 })), { maxLength: 4 }),
        (clock, offsets, random, aligned, blips) => {
          const hops = chain(offsets);
          const onFrames = aligned.map(([k, h, up]): [Time, number, boolean] => [k * 33 * MS + offsets[h]!, h, up]);
          const blipFlips = blips.flatMap(([t, h, w]): [Time, number, boolean][] => [[t, h, false], [t + w, h, true]]);
          const flips = [...random, ...onFrames, ...blipFlips];
          const a = simulate('interval', clock, hops, flips, 4 * SECOND);
          const b = simulate('frames', clock, hops, flips, 4 * SECOND);
          expect(a.reports).toEqual(b.reports);
          expect(a.events).toBeLessThan(40); // the interval mode pays per flip, not per frame
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('FrameStream latency', () => {
  it('end-to-end latency is the sum of the hop delays up to the level', () => {
    const ctx = createContext('l');
    const s = new FrameStream(ctx, {
      id: 'x',
      clock: clockFromRate(25),
      hops: [
        { to: 'pmu', offset: 0, initiallyUp: true },
        { to: 'pdc-lower', offset: 500, initiallyUp: true, delay: { kind: 'constant', value: 500 } },
        { to: 'pdc-higher', offset: 1_000, initiallyUp: true, delay: { kind: 'uniform', min: 400, max: 600 } },
      ],
    });
    const rng = ctx.random.stream('lat');
    expect(s.latencySamples('pdc-lower', 3, rng)).toEqual([500, 500, 500]);
    const high = s.latencySamples('pdc-higher', 1000, rng);
    expect(Math.min(...high)).toBeGreaterThanOrEqual(900);
    expect(Math.max(...high)).toBeLessThanOrEqual(1100);
    expect(ctx.sim.processed).toBe(0);
  });
});
