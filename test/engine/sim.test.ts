import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../src/engine/sim.js';
import { EventQueue } from '../../src/engine/queue.js';
import { parseDuration, SECOND } from '../../src/engine/time.js';

describe('Simulator', () => {
  it('fires equal-time events in scheduling order', () => {
    const sim = new Simulator();
    const order: string[] = [];
    sim.at(10, 'b', () => order.push('b'));
    sim.at(5, 'a', () => order.push('a'));
    sim.at(10, 'c', () => order.push('c'));
    sim.run();
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('cancelled events never fire', () => {
    const sim = new Simulator();
    const fired: number[] = [];
    const h = sim.at(3, 'x', () => fired.push(3));
    sim.at(4, 'y', () => fired.push(4));
    sim.cancel(h);
    sim.run();
    expect(fired).toEqual([4]);
  });

  it('run(until) stops at the horizon and leaves later events pending', () => {
    const sim = new Simulator();
    let n = 0;
    sim.every(SECOND, 'tick', () => n++);
    sim.run(10 * SECOND);
    expect(n).toBe(10);
    expect(sim.now).toBe(10 * SECOND);
    expect(sim.pending).toBe(1);
  });

  it('refuses to schedule in the past or at non-integer times', () => {
    const sim = new Simulator();
    sim.at(100, 'x', () => expect(() => sim.at(50, 'past', () => {})).toThrow(RangeError));
    sim.run();
    expect(() => sim.at(200.5, 'frac', () => {})).toThrow(RangeError);
  });

  it('property: events are processed in non-decreasing time, ties in insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean()), { maxLength: 300 }), (spec) => {
        const sim = new Simulator();
        const seen: [number, number][] = [];
        const handles = spec.map(([t], i) => sim.at(t, `e${i}`, () => seen.push([sim.now, i])));
        spec.forEach(([, cancel], i) => cancel && sim.cancel(handles[i]));
        sim.run();
        const expected = spec
          .map(([t, cancel], i) => ({ t, i, cancel }))
          .filter((e) => !e.cancel)
          .sort((a, b) => a.t - b.t || a.i - b.i)
          .map((e) => [e.t, e.i]);
        expect(seen).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});

describe('EventQueue', () => {
  it('property: pops in (time, seq) order after random pushes and cancels', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 500 }), (times) => {
        const q = new EventQueue<number>();
        const entries = times.map((t, i) => q.push(t, i));
        entries.forEach((e, i) => i % 3 === 0 && q.cancel(e));
        const out: number[] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e);
        const expected = times.map((t, i) => ({ t, i })).filter((e) => e.i % 3 !== 0).sort((a, b) => a.t - b.t || a.i - b.i).map((e) => e.i);
        expect(out).toEqual(expected);
        expect(q.size).toBe(0);
      }),
    );
  });
});

describe('parseDuration', () => {
  it('parses units into integer µs', () => {
    expect(parseDuration('33ms')).toBe(33_000);
    expect(parseDuration('1.5s')).toBe(1_500_000);
    expect(parseDuration('24h')).toBe(86_400_000_000);
    expect(parseDuration(2)).toBe(2_000_000);
    expect(parseDuration('-1s')).toBeUndefined();
    expect(parseDuration('5 parsecs')).toBeUndefined();
  });
});
