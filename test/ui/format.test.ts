import { describe, expect, it } from 'vitest';
import { bar, num, rate, simTime, wallTime } from '../../src/ui/format.js';

describe('screen formatting', () => {
  it('simulated time picks the unit a reader expects', () => {
    expect(simTime(12_345_678)).toBe('12.35 s');
    expect(simTime(245 * 1e6)).toBe('4m05s');
    expect(simTime((3 * 3600 + 5 * 60 + 59) * 1e6)).toBe('3h05m');
    expect(simTime((2 * 86400 + 3 * 3600) * 1e6)).toBe('2d03h');
    expect(wallTime(850.4)).toBe('850 ms');
    expect(wallTime(8862)).toBe('8.9 s');
    expect(wallTime(125_000)).toBe('2m05s');
  });

  it('rates and numbers stay short', () => {
    expect(rate(950)).toBe('950');
    expect(rate(12_345)).toBe('12.35k');
    expect(rate(4_560_000)).toBe('4.56M');
    expect(num(0.00123456)).toBe('0.001235');
    expect(num(15234)).toBe('15230');
  });

  it('the bar is exactly as wide as asked, full at 100 %, clamped outside [0, 1]', () => {
    for (const f of [-1, 0, 0.33, 0.5, 1, 2]) expect([...bar(f, 17)]).toHaveLength(17);
    expect(bar(1, 4)).toBe('████');
    expect(bar(0.5, 4)).toBe('██░░');
    expect(bar(-3, 3)).toBe('░░░');
  });
});
