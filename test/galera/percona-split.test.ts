import { describe, expect, it } from 'vitest';
import { loadExperiment } from '../../src/experiment/load.js';
import { runReplication } from '../../src/experiment/run.js';

const byName = (samples: readonly { name: string; value: number }[]) => Object.fromEntries(samples.map((s) => [s.name, s.value]));

describe('experiments/percona-split.yaml', () => {
  it('the survivor goes non-primary within the EVS window and configuration reads fail until after the heal', () => {
    const exp = loadExperiment('experiments/percona-split.yaml');
    for (let run = 0; run < 5; run++) {
      const r = runReplication(exp, 1, run, { trace: true });
      const m = byName(r.samples);
      expect(m.survivorNonPrimaryAfterSplit).toBeGreaterThanOrEqual(4); // suspect 5 s − keepalive ≤ 1 s
      expect(m.survivorNonPrimaryAfterSplit).toBeLessThanOrEqual(5.5); // + one inactive check (0.5 s)
      // non-primary from detection until the merge after the 120 s split
      expect(m.survivorNonPrimaryFor).toBeGreaterThan(120 - 5.5);
      expect(m.survivorNonPrimaryFor).toBeLessThan(120 - 4 + 1.01);
      // back only after the heal, by HAProxy's next check at most 10 s later (+ the merge ≤ 1 s)
      expect(m.dbReadsBackAfterHeal).toBeGreaterThan(0);
      expect(m.dbReadsBackAfterHeal).toBeLessThanOrEqual(11);
      // the PDC pod deleted 30 s into the split cannot start before the heal
      expect(m.pdcStartedAfterHeal).toBeGreaterThan(0);
      expect(m.pdcStartBlockedSeconds).toBeGreaterThan(120 - 30);
      const initErrors = r.trace!.split('\n').filter((l) => l.includes('Init:Error'));
      expect(initErrors.length).toBeGreaterThan(1);
      const states = r.trace!.split('\n').filter((l) => l.includes('"db-member"') && !l.includes('"bootstrapped"')).map((l) => JSON.parse(l).state);
      expect(states.slice(0, 2)).toEqual(['non-primary', 'non-primary']);
    }
  });

  it('is deterministic: same seed, same samples', () => {
    const exp = loadExperiment('experiments/percona-split.yaml');
    expect(runReplication(exp, 9, 3).samples).toEqual(runReplication(exp, 9, 3).samples);
  });
});
