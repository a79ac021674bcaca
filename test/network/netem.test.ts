import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../src/engine/index.js';
import { loadProfile } from '../../src/experiment/profiles.js';
import { oneWayFromRtt, sampleDelay, type DelayModel } from '../../src/network/index.js';
import { networkProfileSchema, podLinks } from '../../src/scenarios/profiles/network.js';

const stats = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  const sorted = [...xs].sort((a, b) => a - b);
  return { m, sd, q: (p: number) => sorted[Math.floor(p * (sorted.length - 1))]! };
};

const draws = (model: DelayModel, n: number, seed = 'n') => {
  const rng = new RandomStreams(seed).stream('d');
  return Array.from({ length: n }, () => sampleDelay(model, rng));
};

describe('netem delays', () => {
  it('normal: delay ± jitter as mean and sd, in µs', () => {
    const s = stats(draws({ kind: 'netem', delay: 10_000, jitter: 2_000, distribution: 'normal' }, 20_000));
    expect(s.m).toBeCloseTo(10_000, -2);
    expect(s.sd).toBeGreaterThan(1_900);
    expect(s.sd).toBeLessThan(2_100);
  });

  it('pareto and paretonormal keep the mean but pareto has the long right tail', () => {
    const p = stats(draws({ kind: 'netem', delay: 50_000, jitter: 10_000, distribution: 'pareto' }, 40_000));
    const pn = stats(draws({ kind: 'netem', delay: 50_000, jitter: 10_000, distribution: 'paretonormal' }, 40_000));
    expect(Math.abs(p.m - 50_000)).toBeLessThan(500);
    expect(Math.abs(pn.m - 50_000)).toBeLessThan(500);
    // right-skewed: the 99th percentile is further from the median than the 1st
    expect(p.q(0.99) - p.q(0.5)).toBeGreaterThan(2 * (p.q(0.5) - p.q(0.01)));
    expect(p.q(0.999)).toBeGreaterThan(pn.q(0.999));
  });

  it('uniform stays within delay ± jitter and never goes below zero', () => {
    const xs = draws({ kind: 'netem', delay: 1_000, jitter: 3_000, distribution: 'uniform' }, 5_000);
    expect(Math.min(...xs)).toBe(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(4_000);
  });
});

describe('calibration from the thesis ping tables', () => {
  it('two one-way draws reproduce the measured round trip (mean and sd) of every row', () => {
    const profile = loadProfile('network-thesis-lan', networkProfileSchema);
    for (const row of Object.values(profile.rtt)) {
      const oneWay = oneWayFromRtt(row);
      const a = draws(oneWay, 40_000, 'a');
      const b = draws(oneWay, 40_000, 'b');
      const rtt = stats(a.map((x, i) => (x + b[i]!) / 1000));
      expect(Math.abs(rtt.m - row.meanMs) / row.meanMs).toBeLessThan(0.03);
      expect(Math.abs(rtt.sd - row.sdMs) / row.sdMs).toBeLessThan(0.08);
    }
  });

  it('the Liqo path is slower than the same-cluster path by the measured overhead', () => {
    const links = podLinks(loadProfile('network-thesis-lan', networkProfileSchema));
    const liqo = stats(draws(links.acrossLiqo.delay, 20_000)).m;
    const local = stats(draws(links.intraSite.delay, 20_000)).m;
    // thesis: 1.346 − 0.888 = 0.458 ms round trip overhead → 229 µs one way
    expect(liqo - local).toBeGreaterThan(200);
    expect(liqo - local).toBeLessThan(260);
  });
});
