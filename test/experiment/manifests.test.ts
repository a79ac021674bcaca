import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifests } from '../../src/experiment/manifests.js';
import { loadExperiment } from '../../src/experiment/load.js';
import { cli, tempDir } from '../helpers.js';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: pdc-lower, namespace: grid, labels: {app: pdc-lower}}
spec:
  replicas: 1
  strategy: {type: Recreate}
  template:
    metadata: {labels: {app: pdc-lower}}
    spec:
      containers: [{name: openpdc, image: openpdc:2.4}]
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions: [{key: liqo.io/remote-cluster-id, operator: In, values: [a, b]}]
      hostNetwork: true
---
apiVersion: v1
kind: Service
metadata: {name: pdc-lower}
spec: {selector: {app: pdc-lower}, ports: [{port: 4712}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
---
apiVersion: pxc.percona.com/v1
kind: PerconaXtraDBCluster
metadata: {name: cluster1, namespace: grid}
spec:
  allowUnsafeConfigurations: true
  pxc:
    size: 2
    affinity:
      advanced:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions: [{key: liqo.io/remote-cluster-id, operator: In, values: [a, b]}]
`;

describe('Kubernetes manifests as workloads', () => {
  it('reads Deployments and PXC clusters; unsupported kinds and fields are warnings with their line', () => {
    const dir = tempDir();
    const path = join(dir, 'm.yaml');
    writeFileSync(path, MANIFESTS);
    const r = readManifests(path, 'centre');
    expect(r.workloads).toEqual([
      { name: 'pdc-lower', kind: 'Deployment', app: 'pdc-lower', owner: 'centre', namespace: 'grid', replicas: 1, placement: { clusters: ['a', 'b'] } },
      { name: 'cluster1-pxc', kind: 'StatefulSet', app: 'db', owner: 'centre', namespace: 'grid', replicas: 2, placement: { clusters: ['a', 'b'] }, db: 'cluster1' },
    ]);
    expect(r.dbDomains).toEqual([{ name: 'cluster1', members: ['a', 'b'] }]);
    expect(r.warnings).toEqual([`${path}:1:1: Deployment pdc-lower: fields not modelled, ignored: spec.template.spec.hostNetwork`, `${path}:23:1: Ingress web: kind not modelled, ignored`]);
  });

  it('a PXC cluster referenced from an experiment is checked like any DB domain (full mesh needed)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'm.yaml'), MANIFESTS);
    const exp = join(dir, 'exp.yaml');
    const text = `apiVersion: gridtwin/v1alpha1
kind: Experiment
metadata: {name: m}
spec:
  duration: 10m
  scenario:
    kind: world
    topology:
      clusters:
        - {name: centre, podCidr: 10.0.0.0/24}
        - {name: a, podCidr: 10.0.1.0/24}
        - {name: b, podCidr: 10.0.2.0/24}
      peerings: [{consumer: centre, provider: a}, {consumer: centre, provider: b}]
      offloading: [{namespace: grid, owner: centre}]
    manifests:
      - {file: m.yaml, owner: centre}
`;
    writeFileSync(exp, text);
    const r = cli(['validate', exp]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${exp}:16:`);
    expect(r.stderr).toMatch(/manifests\[0\] \(dbDomains cluster1\): DB domain cluster1 needs a full peering mesh/);
    writeFileSync(exp, text.replace('{consumer: centre, provider: b}]', '{consumer: centre, provider: b}, {consumer: a, provider: b, bidirectional: true}]'));
    const ok = cli(['validate', exp]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('warning: ');
    expect(ok.stdout).toContain('Ingress web: kind not modelled');
    expect(loadExperiment(exp).warnings).toHaveLength(2);
  });
});

describe('gridtwin schema and sweeps from the command line', () => {
  it('schema prints a JSON Schema that lists the scenario kinds and generator kinds', () => {
    const r = cli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema.$schema).toContain('json-schema.org');
    expect(r.stdout).toContain('"multi-level-domains"');
    expect(r.stdout).toContain('"thesis-pod-failure"');
  });

  it('a sweep writes one point per value with its parameters, and keeps metrics for non-sweep runs', () => {
    const out = tempDir();
    const r = cli(['run', 'experiments/scalability.yaml', '--runs', '1', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.metrics).toEqual({});
    expect(summary.points.map((p: { parameters: Record<string, number> }) => p.parameters['scenario.topology.generator.secondariesPerPrimary'])).toEqual([2, 4, 8, 16, 32]);
    expect(summary.points[0].metrics.peerings.median).toBe(40);
    const csv = readFileSync(join(out, 'runs.csv'), 'utf8').split('\n');
    expect(csv[0]).toBe('point,scenario.topology.generator.secondariesPerPrimary,run,seed,metric,unit,value');
  });
});
