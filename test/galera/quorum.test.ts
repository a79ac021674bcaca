import { describe, expect, it } from 'vitest';
import { componentIsPrimary } from '../../src/galera/index.js';

const w = (entries: [string, number][]) => new Map(entries);
const P3 = { id: 1, members: ['a', 'b', 'c'] };
const P2 = { id: 2, members: ['a', 'b'] };
const ten = w([['a', 10], ['b', 10], ['c', 10]]);

describe('primary component rule 2·W(M∩P) + W(L∩P) > W(P)', () => {
  it('3 → 2 stays primary, then 2 → 1 loses it', () => {
    expect(componentIsPrimary(['a', 'b'], [], P3, ten)).toBe(true);
    expect(componentIsPrimary(['c'], [], P3, ten)).toBe(false);
    expect(componentIsPrimary(['a'], [], P2, ten)).toBe(false);
  });

  it('an even split is a split brain: non-primary on both sides', () => {
    expect(componentIsPrimary(['a'], [], P2, ten)).toBe(false);
    expect(componentIsPrimary(['b'], [], P2, ten)).toBe(false);
  });

  it('a graceful leave counts for the survivor: 2 → 1 stays primary', () => {
    expect(componentIsPrimary(['a'], ['b'], P2, ten)).toBe(true);
  });

  it('weights decide: a heavier member alone keeps the primary component', () => {
    expect(componentIsPrimary(['a'], [], P2, w([['a', 3], ['b', 1]]))).toBe(true);
    expect(componentIsPrimary(['b'], [], P2, w([['a', 3], ['b', 1]]))).toBe(false);
  });

  it('members outside P do not count', () => {
    expect(componentIsPrimary(['a', 'x', 'y'], [], P2, w([['a', 1], ['b', 1], ['x', 5], ['y', 5]]))).toBe(false);
  });
});
