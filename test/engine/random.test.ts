import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/random.js';
import { sample, mean } from '../../src/engine/dist.js';

describe('RandomStreams', () => {
  it('a stream does not depend on which other streams were drawn from', () => {
    const a = new RandomStreams('s1');
    const b = new RandomStreams('s1');
    b.stream('other').next();
    b.stream('other').next();
    const x = Array.from({ length: 5 }, () => a.stream('pdc').next());
    const y = Array.from({ length: 5 }, () => b.stream('pdc').next());
    expect(y).toEqual(x);
  });

  it('different seeds give different draws', () => {
    expect(new RandomStreams('1').stream('x').next()).not.toBe(new RandomStreams('2').stream('x').next());
  });

  it('sample means approach the distribution means', () => {
    const rng = new RandomStreams('m').stream('d');
    for (const d of [
      { kind: 'uniform', min: 2, max: 4 },
      { kind: 'normal', mean: 10, sd: 2 },
      { kind: 'exponential', mean: 3 },
      { kind: 'lognormal', median: 1, sigma: 0.5 },
    ] as const) {
      let s = 0;
      const n = 20000;
      for (let i = 0; i < n; i++) s += sample(d, rng);
      expect(Math.abs(s / n - mean(d)) / mean(d)).toBeLessThan(0.03);
    }
  });
});
