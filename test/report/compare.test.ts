import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/experiment/errors.js';
import { compare, matchMetric, readResultsDir } from '../../src/report/compare.js';
import { readMeasured, type MeasuredOptions } from '../../src/report/measured.js';
import { ksPValue, ksTwoSample } from '../../src/report/stats.js';
import { cli } from '../helpers.js';
import { fakeResults, file } from './fixtures.js';

const THESIS = 'test/fixtures/thesis-testbed.yaml'; // copy of shared/reference/thesis-testbed.yaml
/** The CLI (`gridtwin compare … --json`), spawned: for exit codes and the must-show commands. */
const json = (args: string[]) => {
  const r = cli(['compare', ...args, '--json']);
  return { ...r, out: r.code === 0 || r.code === 1 ? JSON.parse(r.stdout) : undefined };
};
/** The same comparison in-process (no process start: keeps the suite fast). */
const rowsOf = (results: string, measured: string, opts: MeasuredOptions = {}) => compare(readResultsDir(results), readMeasured(measured, opts), measured).rows;

describe('two-sample Kolmogorov–Smirnov', () => {
  it('D is the largest gap between the two ECDFs (hand-computed)', () => {
    // pooled: 1a 2a 2.5b 3a 4a 5b 6b → gaps .25 .5 .167 .417 .667 .333 0 → D = 2/3
    expect(ksTwoSample([1, 2, 3, 4], [2.5, 5, 6]).d).toBeCloseTo(2 / 3, 10);
    // ties move both ECDFs together: after 1 → 2/3 vs 1/3, after 2 → 1 vs 1
    expect(ksTwoSample([1, 1, 2], [1, 2, 2]).d).toBeCloseTo(1 / 3, 10);
  });

  it('p is 1 for identical samples and tiny for separated ones', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    expect(ksTwoSample(a, a)).toMatchObject({ d: 0, p: 1 });
    expect(ksTwoSample(a, a.map((x) => x + 100)).p).toBeLessThan(1e-6);
    // Numerical Recipes: Q_KS(1.36) ≈ 0.049 — the classic 5 % critical value
    const en = Math.sqrt(2500 / 100);
    expect(ksPValue(1.36 / (en + 0.12 + 0.11 / en), 50, 50)).toBeCloseTo(0.049, 2);
  });
});

describe('metric matching', () => {
  it('same name first, then case/punctuation-insensitive, a cross-leaf .mean, or an explicit map', () => {
    const predicted = ['podFailureStreamDowntime', 'latency_rtt_ms.across_liqo', 'dbReadsFailingFor'];
    expect(matchMetric('podFailureStreamDowntime', predicted)).toBe('podFailureStreamDowntime');
    expect(matchMetric('latencyRttMs.acrossLiqo.mean', predicted)).toBe('latency_rtt_ms.across_liqo');
    expect(matchMetric('latencyRttMs.acrossLiqo.leaf1', predicted)).toBeUndefined();
    expect(matchMetric('downtime', predicted, { downtime: 'podFailureStreamDowntime' })).toBe('podFailureStreamDowntime');
    expect(matchMetric('downtime', predicted, { downtime: 'nope' })).toBeUndefined();
  });
});

describe('gridtwin compare', () => {
  it('on a CSV of samples reports the KS distance and the statistics of both sides', () => {
    const results = fakeResults({ podFailureStreamDowntime: [2.5, 5, 6] });
    const measured = file('trials.csv', 'trial,podFailureStreamDowntime (s),note\n1,1,a\n2,2,b\n3,3,c\n4,4,"d, late"\n');
    const row = rowsOf(results, measured)[0]!;
    expect(row).toMatchObject({ metric: 'podFailureStreamDowntime', predictedMetric: 'podFailureStreamDowntime', unit: 's' });
    expect(row.ks!.d).toBeCloseTo(2 / 3, 10);
    expect(row.ks).toMatchObject({ n: 4, m: 3 });
    expect(row.measured).toMatchObject({ median: 2.5, mean: 2.5, p25: 1.75, p75: 3.25 });
    expect(row.relativeError.median).toBeCloseTo((5 - 2.5) / 2.5, 10);
    // …and the CLI prints it in its table
    expect(cli(['compare', results, measured]).stdout).toMatch(/podFailureStreamDowntime .* 0\.6667 \(/);
  });

  it('converts measured units into the predicted unit (long CSV in ms)', () => {
    const results = fakeResults({ podFailureStreamDowntime: [16, 17, 18] });
    const measured = file('long.csv', 'metric,unit,value\npodFailureStreamDowntime,ms,16000\npodFailureStreamDowntime,ms,17000\npodFailureStreamDowntime,ms,18000\n');
    const row = rowsOf(results, measured)[0]!;
    expect(row.measured.median).toBe(17);
    expect(row.ks!.d).toBe(0);
  });

  it('on the thesis YAML finds every metric that file holds', () => {
    const r = json([fakeResults({ podFailureStreamDowntime: [16, 17, 18] }), THESIS]);
    expect(r.code, r.stderr).toBe(0);
    const names = r.out.rows.map((x: { metric: string }) => x.metric);
    const latency = ['network', 'sameCluster', 'acrossLiqo'].flatMap((g) => ['leaf1', 'leaf2', 'leaf3', 'mean'].map((k) => `latencyRttMs.${g}.${k}`));
    expect(names.sort()).toEqual([...latency, 'latencyRttMs.liqoOverhead.mean', 'podFailureStreamDowntime', 'virtualNodeNotReadyAfterDisconnect'].sort());
    const byName = Object.fromEntries(r.out.rows.map((x: { metric: string }) => [x.metric, x]));
    expect(byName.podFailureStreamDowntime.measured).toEqual({ median: 16.41 });
    expect(byName.podFailureStreamDowntime.predicted.median).toBe(17);
    expect(byName.virtualNodeNotReadyAfterDisconnect.measured).toEqual({ mean: 9.75 });
    expect(byName['latencyRttMs.acrossLiqo.leaf2']).toMatchObject({ unit: 'ms', measured: { mean: 1.4, sd: 0.829 } });
    expect(byName.virtualNodeNotReadyAfterDisconnect.predicted).toBeUndefined();
  });

  it('--fail-over exits 1 when a median or mean is off by more than the bound, 0 within it', () => {
    const results = fakeResults({ podFailureStreamDowntime: [17, 18, 19] }); // median 18 vs 16.41: +9.7 %
    const over = cli(['compare', results, THESIS, '--fail-over', '5']);
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/FAIL podFailureStreamDowntime: median off by \+9\.7%/);
    const within = json([results, THESIS, '--fail-over', '10']);
    expect(within.code).toBe(0);
    expect(within.out.failures).toEqual([]);
  });

  it('--point compares one point of a sweep', () => {
    const dir = fakeResults({ podFailureStreamDowntime: [1] });
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    summary.points = [20, 30].map((median, i) => ({ parameters: { clusters: i }, metrics: { podFailureStreamDowntime: { ...summary.metrics.podFailureStreamDowntime, median } } }));
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
    const rows = compare(readResultsDir(dir, 1), readMeasured(THESIS), THESIS).rows;
    expect(rows.find((r) => r.metric === 'podFailureStreamDowntime')!.predicted!.median).toBe(30);
    expect(() => readResultsDir(dir, 2)).toThrow(/no sweep point 2/);
  });

  it('turns a timestamped kubectl get nodes log into NotReady delays after each disconnect', () => {
    const log = file('nodes.log', [
      '# two trials; consumer polls every 0.4 s',
      '1700000000.0 NAME STATUS ROLES AGE VERSION',
      '1700000000.0 liqo-leaf1 Ready agent 5d v1.24.17+k3s1',
      '1700000000.4 disconnect leaf1 NIC down',
      '1700000009.6 liqo-leaf1 Ready agent 5d v1.24.17+k3s1',
      '1700000010.0 liqo-leaf1 NotReady agent 5d v1.24.17+k3s1',
      '1700000010.4 liqo-leaf1 NotReady agent 5d v1.24.17+k3s1',
      '2023-11-14T22:15:00,000000000+00:00 liqo-leaf1 Ready agent 5d v1.24.17+k3s1',
      '2023-11-14T22:15:01Z disconnect',
      '2023-11-14T22:15:10.5Z liqo-leaf1 NotReady agent 5d v1.24.17+k3s1',
    ].join('\n'));
    const results = fakeResults({ virtualNodeNotReadyAfterDisconnect: [9.5, 9.8, 10.1] });
    const row = rowsOf(results, log)[0]!;
    expect(row.metric).toBe('virtualNodeNotReadyAfterDisconnect');
    expect(row.measured).toMatchObject({ n: 2, mean: 9.55, median: 9.55 });
    expect(row.ks!.n).toBe(2);
    // only the node asked for; --disconnect instants instead of marker lines
    const other = file('other.log', '1700000000 a Ready\n1700000000 b Ready\n1700000003 a NotReady\n1700000005 b NotReady\n');
    expect(readMeasured(other, { node: 'b', disconnects: [1700000001] })[0]!.samples).toEqual([4]);
    expect(readMeasured(other, { disconnects: [1700000001] })[0]!.samples).toEqual([2, 4]);
  });

  it('bad input exits 2 naming the file, the line and what was expected', () => {
    const results = fakeResults({ podFailureStreamDowntime: [1, 2] });
    const csv = cli(['compare', results, file('bad.csv', 'trial,downtime\n1,2.5\n2,oops\n')]);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/bad\.csv:3: column "downtime": expected a number, got "oops"/);
    const bad = (name: string, text: string) => () => readMeasured(file(name, text));
    expect(bad('bad.yaml', 'measurements:\n  podFailureStreamDowntime:\n    medianSeconds: soon\n')).toThrow(/bad\.yaml:3:\d+: measurements\.podFailureStreamDowntime\.medianSeconds: expected a number/);
    expect(bad('pair.yaml', 'measurements:\n  rttMs: [1, 2, 3]\n')).toThrow(/pair\.yaml:2:\d+: measurements\.rttMs: expected \[mean, sd\]/);
    expect(bad('nodes.log', 'yesterday node1 Ready\n')).toThrow(/nodes\.log:1: expected a timestamp/);
    expect(bad('nodes.log', '1700000000 node1 Ready\n')).toThrow(/no disconnect instant/);
    expect(bad('nodes.log', '1700000000 node1 Sleepy\n')).toThrow(InputError);
    expect(() => readResultsDir('/nonexistent')).toThrow(/not a results directory/);
    expect(cli(['compare', results, THESIS, '--fail-over', 'x']).code).toBe(2);
  });
});
