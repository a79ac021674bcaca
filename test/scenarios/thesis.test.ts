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
