import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/experiment/errors.js';
import { loadExperiment } from '../../src/experiment/load.js';
import { tempDir } from '../helpers.js';

const write = (sweep: string): string => {
  const path = join(tempDir(), 'sweep.yaml');
  writeFileSync(
    path,
    `apiVersion: gridtwin/v1alpha1
kind: Experiment
metadata: {name: s}
spec:
  duration: 10m
  sweep: ${sweep}
  scenario:
    kind: world
    topology:
      generator: {kind: partial-mesh-star, leaves: 6, dbMembers: 3}
`,
  );
  return path;
};

describe('sweeps', () => {
  it('a range gives one point per step, ends included, each point parsed with its own value', () => {
    const exp = loadExperiment(write('{parameter: scenario.topology.generator.dbMembers, range: {from: 2, to: 6, step: 2}}'));
    expect(exp.points!.map((p) => p.parameters)).toEqual([2, 4, 6].map((v) => ({ 'scenario.topology.generator.dbMembers': v })));
    const dbMembers = exp.points!.map((p) => (p.experiment.params as { design: { dbDomains: { members: string[] }[] } }).design.dbDomains[0]!.members.length);
    expect(dbMembers).toEqual([2, 4, 6]);
  });

  it('a sweep value the schema refuses is reported at the swept field, naming the point', () => {
    let message = '';
    try {
      loadExperiment(write('{parameter: scenario.topology.generator.leaves, values: [3, -1]}'));
    } catch (err) {
      message = (err as InputError).message;
    }
    expect(message).toMatch(/sweep\.yaml:10:\d+: spec\.scenario\.topology\.generator\.leaves: .*\(sweep point 1: scenario\.topology\.generator\.leaves = -1\)/);
  });

  it('a sweep path through a missing object is refused', () => {
    expect(() => loadExperiment(write('{parameter: scenario.nothing.here, values: [1]}'))).toThrow(/spec\.sweep\.parameter: spec\.scenario\.nothing is not an object/);
  });

  it('values and range together are refused', () => {
    expect(() => loadExperiment(write('{parameter: seed, values: [1], range: {from: 1, to: 2, step: 1}}'))).toThrow(/give either values or range/);
  });
});
