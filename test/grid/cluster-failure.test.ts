import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/load.js';
import { runReplication } from '../../src/experiment/run.js';

describe('experiments/thesis-cluster-failure.yaml', () => {
  it('the high-level PDC sees one outage made of NotReady detection + toleration + replacement start + reconnect cadence', () => {
    const exp = loadExperiment('experiments/thesis-cluster-failure.yaml');
    for (let run = 0; run < 3; run++) {
      const r = runReplication(exp, 1, run, { trace: true });
      const downtime = r.samples.find((s) => s.name === 'clusterFailureStreamDowntime')!.value;
      // at least: virtual node NotReady (> 8 s by the tunnel check) + 20 s toleration + a PDC start
      expect(downtime).toBeGreaterThan(8 + 20 + 2);
      // at most: lease-expiry NotReady (≤ 40 s) + next pass 5 s + toleration + start (~10 s) + 5 s cadence
      expect(downtime).toBeLessThan(85);
      const records = r.trace!.trim().split('\n').map((l) => JSON.parse(l));
      const replacementReady = records.find((x) => x.kind === 'pod-phase' && x.cluster === 'root' && x.pod === 'grid/pdc-lower-1-00001' && x.phase === 'Ready');
      const outage = records.find((x) => x.kind === 'stream-outage' && x.level === 'pdc-higher');
      expect(replacementReady).toBeDefined();
      expect(outage.firstAfter).toBeGreaterThan(replacementReady.t);
      expect(outage.firstAfter - replacementReady.t).toBeLessThan(10_000_000); // one reconnect period + PDC start
    }
  });
});
