import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { durationDist } from '../../src/experiment/schema.js';
import { calibrate } from '../../src/report/calibrate.js';
import { fit, fitAll } from '../../src/report/fit.js';
import { readMeasured } from '../../src/report/measured.js';
import { cli, tempDir } from '../helpers.js';
import { file } from './fixtures.js';

describe('fits', () => {
  it('lognormal MLE is exp(mean ln x) and the population sd of ln x', () => {
    const f = fit('lognormal', [1, Math.E, Math.E ** 2]);
    expect(f.dist).toEqual({ kind: 'lognormal', median: expect.closeTo(Math.E, 9), sigma: expect.closeTo(Math.sqrt(2 / 3), 9) });
  });

  it('normal MLE and its AIC match the closed form', () => {
    const f = fit('normal', [1, 2, 3, 4]);
    const sd = Math.sqrt(1.25);
    expect(f.dist).toEqual({ kind: 'normal', mean: 2.5, sd: expect.closeTo(sd, 9) });
    expect(f.aic).toBeCloseTo(4 + 4 * (Math.log(2 * Math.PI) + 2 * Math.log(sd) + 1), 6);
  });

  it('AIC prefers the family the samples came from', () => {
    const wide = Array.from({ length: 200 }, (_, i) => Math.exp(((i + 0.5) / 200 - 0.5) * 6)); // heavy right tail
    expect(fitAll(wide)[0]!.dist.kind).not.toBe('normal');
    const flat = Array.from({ length: 200 }, (_, i) => 8 + (2 * (i + 0.5)) / 200);
    expect(fitAll(flat)[0]!.dist.kind).toBe('uniform');
  });
});

describe('gridtwin calibrate', () => {
  const samples = 'trial,notReady (s)\n' + [9.1, 9.4, 9.6, 9.75, 9.8, 10.1, 10.3, 9.9].map((v, i) => `${i},${v}`).join('\n') + '\n';

  it('writes a fragment the experiment format accepts, with its provenance', () => {
    const out = join(tempDir(), 'override.yaml');
    const r = cli(['calibrate', file('nr.csv', samples), '--parameter', 'virtualNode.notReadyDelay', '--fit', 'normal', '--measured-on', '2024-03-01', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/measured 2024-03-01/);
    expect(text).toMatch(/n = 8/);
    expect(text).toMatch(/nr\.csv/);
    const dist = durationDist().parse(parse(text).virtualNode.notReadyDelay);
    expect(dist).toMatchObject({ kind: 'normal' });
    expect((dist as { mean: number }).mean).toBe(9_743_750); // the sample mean 77.95 s / 8, in µs
  });

  it('with --profile copies the base profile, keeps its source comments and replaces only the parameter', () => {
    const models = tempDir();
    mkdirSync(models, { recursive: true });
    const base = 'virtualNode:\n  lease: 40s        # lease duration (liqo chart)\n  notReadyDelay: 10s # placeholder\n  other: 1s # kept\n';
    writeFileSync(join(models, 'liqo-x.yaml'), base);
    const r = cli(['calibrate', file('nr.csv', samples), '--parameter', 'virtualNode.notReadyDelay', '--fit', 'empirical', '--measured-on', '2024-03-01', '--profile', 'liqo-x'], { GRIDTWIN_MODELS: models });
    expect(r.code, r.stderr).toBe(0);
    const text = readFileSync(join(models, 'liqo-x-calibrated.yaml'), 'utf8');
    // Every other line of the base profile is kept byte for byte, in order.
    const kept = base.split('\n').filter((l) => !l.includes('notReadyDelay'));
    expect(text.split('\n').filter((l) => l !== '' && kept.includes(l))).toEqual(kept.filter((l) => l !== ''));
    expect(text).not.toContain('placeholder');
    const doc = parse(text);
    expect(durationDist().parse(doc.virtualNode.notReadyDelay)).toMatchObject({ kind: 'empirical', samples: expect.arrayContaining([9_100_000, 10_300_000]) });
  });

  it('refuses summary-only measurements and a missing parameter in the base profile', () => {
    const summaryOnly = readMeasured('test/fixtures/thesis-testbed.yaml').find((m) => m.name === 'podFailureStreamDowntime')!;
    const opts = { parameter: 'a.b', family: 'auto' as const, measuredOn: '2024-03-01', source: 'x' };
    expect(() => calibrate(summaryOnly, opts)).toThrow(/no samples/);
    const m = readMeasured(file('nr.csv', samples))[0]!;
    const base = join(tempDir(), 'p.yaml');
    writeFileSync(base, 'a: 1 # source\n');
    expect(() => calibrate(m, { ...opts, parameter: 'b.c', baseProfile: base })).toThrow(/no parameter b\.c/);
    expect(() => calibrate(m, { ...opts, measuredOn: 'last week' })).toThrow(/YYYY-MM-DD/);
  });
});
