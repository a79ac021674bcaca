import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/load.js';
import { runReplication } from '../../src/experiment/run.js';
import { quantile } from '../../src/report/stats.js';

const values = (file: string, metric: string, runs: number) => {
  const exp = loadExperiment(file);
  return Array.from({ length: runs }, (_, i) => runReplication(exp, 1, i).samples.filter((s) => s.name === metric).map((s) => s.value)).flat();
};

describe('thesis experiments', () => {
  it('virtual node NotReady after a provider NIC goes down: median within 15 % of the measured 9.75 s', () => {
    const v = values('experiments/thesis-virtual-node-reaction.yaml', 'virtualNodeNotReadyAfterDisconnect', 80);
    expect(v).toHaveLength(80);
    const median = quantile([...v].sort((a, b) => a - b), 0.5);
    expect(median).toBeGreaterThan(9.75 * 0.85);
    expect(median).toBeLessThan(9.75 * 1.15);
  });
});

describe('thesis pod failure', () => {
  it('stream downtime at the high-level PDC: median within 15 % of the measured 16.41 s, and its parts add up', () => {
    // The leaf-to-leaf peerings play no part here: leave them out to keep the test fast.
    const loaded = loadExperiment('experiments/thesis-pod-failure.yaml');
    const exp = { ...loaded, params: { ...(loaded.params as object), leafMesh: false } };
    const runs = Array.from({ length: 120 }, (_, i) => Object.fromEntries(runReplication(exp, 1, i).samples.map((s) => [s.name, s.value])));
    const down = runs.map((r) => r.podFailureStreamDowntime as number).sort((a, b) => a - b);
    expect(down).toHaveLength(120);
    const median = quantile(down, 0.5);
    expect(median).toBeGreaterThan(16.41 * 0.85);
    expect(median).toBeLessThan(16.41 * 1.15);
    for (const r of runs) {
      // Detection: 3 failed probes 5 s apart, plus the container's stop time.
      expect(r.podFailureProbeDetection).toBeGreaterThan(10);
      expect(r.podFailureProbeDetection).toBeLessThan(16.1);
      const parts = r.podFailureProbeDetection! + r.podFailureRestart! + r.podFailureReconnectWait!;
      expect(Math.abs(r.podFailureStreamDowntime! - parts)).toBeLessThan(0.07); // two frame roundings of 33 ms
    }
  });
});

describe('thesis latency table', () => {
  it('pings through the models: every row of the measured table is predicted, Liqo rows from the VM path plus the fabric overhead', () => {
    const exp = loadExperiment('experiments/thesis-latency.yaml');
    const samples = runReplication(exp, 1, 0).samples;
    const stats = (name: string) => {
      const v = samples.filter((s) => s.name === name).map((s) => s.value);
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return { n: v.length, mean: m, sd: Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) };
    };
    for (const path of ['network', 'sameCluster', 'acrossLiqo']) for (const row of ['leaf1', 'leaf2', 'leaf3']) expect(stats(`latencyRttMs.${path}.${row}`).n).toBe(1000);
    // Thesis means ± sd (ms): the two input rows, then the two derived ones.
    const measured = { network: [0.721, 0.581], sameCluster: [0.888, 0.267], acrossLiqo: [1.346, 0.821], liqoOverhead: [0.458, 0.864] } as const;
    for (const [path, [mean, sd]] of Object.entries(measured)) {
      const s = stats(`latencyRttMs.${path}.mean`);
      expect(Math.abs(s.mean - mean) / mean, path).toBeLessThan(0.1);
      expect(Math.abs(s.sd - sd) / sd, path).toBeLessThan(0.2);
    }
    // Every round trip is positive; only the overhead (a difference of two pings) may be negative.
    expect(samples.filter((s) => s.name.startsWith('latencyRttMs.') && !s.name.includes('liqoOverhead')).every((s) => s.value > 0)).toBe(true);
  });
});
