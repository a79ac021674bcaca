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
