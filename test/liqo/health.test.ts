import { describe, expect, it } from 'vitest';
import { createContext, SECOND } from '../../src/engine/index.js';
import { TunnelCheck } from '../../src/liqo/index.js';
import { Network } from '../../src/network/index.js';

const P = { pingInterval: 2 * SECOND, observerInterval: SECOND, lossThreshold: 5 };

/** Flips of a tunnel check for cuts [from, to) of the provider; `loss` > 0 selects ping-by-ping simulation. */
function flips(seed: string, cuts: [number, number][], loss = 0) {
  const ctx = createContext(seed);
  const net = new Network(ctx.bus, { delay: { kind: 'constant', value: 400 }, loss });
  const out: [number, boolean][] = [];
  new TunnelCheck(ctx, net, 'root', 'leaf', P, ctx.random.stream('t'), (up) => out.push([ctx.sim.now, up]));
  for (const [a, b] of cuts) {
    ctx.sim.at(a, 'cut', () => net.isolate('leaf'));
    ctx.sim.at(b, 'heal', () => net.restore('leaf'));
  }
  ctx.sim.run(200 * SECOND);
  return out;
}

describe('tunnel check', () => {
  for (const [mode, loss] of [['computed on the ping grid', 0], ['ping by ping', 1e-12]] as const) {
    it(`${mode}: down 8–11 s after a cut, up within 3 s of the heal; a cut shorter than 8 s is not seen`, () => {
      for (let i = 0; i < 40; i++) {
        const cut = 50 * SECOND + i * 12_345;
        const f = flips(`h${i}`, [[cut, cut + 30 * SECOND], [cut + 80 * SECOND, cut + 87 * SECOND]], loss);
        expect(f.map(([, up]) => up)).toEqual([false, true]);
        expect(f[0]![0] - cut).toBeGreaterThan(8 * SECOND);
        expect(f[0]![0] - cut).toBeLessThanOrEqual(11 * SECOND + 1000);
        expect(f[1]![0] - (cut + 30 * SECOND)).toBeGreaterThan(0);
        expect(f[1]![0] - (cut + 30 * SECOND)).toBeLessThanOrEqual(3 * SECOND + 1000);
      }
    });
  }

  it('a heal just before the verdict still lets an old look declare the peer down, then up again', () => {
    // Cut at 50 s, heal at 59.5 s: the last pong is ≤ 50 s old + at most 2 s until the next ping.
    const all = Array.from({ length: 40 }, (_, i) => flips(`e${i}`, [[50 * SECOND, 59.5 * SECOND]]));
    for (const f of all) expect(f.length === 0 || (f.length === 2 && !f[0]![1] && f[1]![1])).toBe(true);
    expect(all.some((f) => f.length === 2)).toBe(true);
  });
});
