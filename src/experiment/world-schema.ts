import { z } from 'zod';
import { duration, durationDist, period } from './schema.js';

/**
 * The file format of a world: a topology (explicit, generated, or generated plus explicit
 * additions), workloads (inline or from Kubernetes manifests), streams, faults and the
 * component profiles to use. Models never see this file: `design.ts` turns it into the plain
 * data of `src/topology`.
 */

// RFC 1123 label: what Kubernetes accepts as a cluster, node or namespace name.
const dnsName = () => z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a DNS label: lowercase letters, digits and dashes, at most 63 characters');
const labels = () => z.record(z.string().min(1).max(317), z.string().max(63));
const count = (max: number) => z.number().int().min(0).max(max);

const nodeShape = z.strictObject({
  perCluster: z.number().int().min(1).max(5000).default(1),
  /** Allocatable CPU per node, millicores. */
  cpu: z.number().int().min(1).default(4000),
  /** Allocatable memory per node, MiB. */
  memory: z.number().int().min(1).default(8192),
});

const domainParams = {
  primaries: count(100_000).min(1),
  secondariesPerPrimary: count(10_000),
  backupsPerPrimary: count(100).default(0),
  dbMembers: count(100).min(1).default(3),
  /** PMUs per secondary station, one stream each (e.g. one per monitored feeder). */
  pmusPerSecondary: count(100).min(1).default(1),
};

export const generatorSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('star'), leaves: count(100_000), nodes: nodeShape.optional() }),
  z.strictObject({ kind: z.literal('partial-mesh-star'), leaves: count(100_000), dbMembers: count(1000), nodes: nodeShape.optional() }),
  z.strictObject({ kind: z.literal('full-mesh'), clusters: count(2000).min(1), nodes: nodeShape.optional() }),
  z.strictObject({
    kind: z.literal('groups'),
    leaves: count(100_000),
    groups: z.array(z.strictObject({ name: dnsName(), members: z.array(z.number().int().min(1)).min(1), dependsOn: dnsName().optional() })).min(1),
    nodes: nodeShape.optional(),
  }),
  z.strictObject({ kind: z.literal('logical-domains'), ...domainParams, nodes: nodeShape.optional() }),
  z.strictObject({ kind: z.literal('multi-level-domains'), ...domainParams, nodes: nodeShape.optional() }),
]);
export type GeneratorSpec = z.infer<typeof generatorSchema>;

const nodeSchema = z.strictObject({ name: dnsName(), cpu: z.number().int().min(1).default(4000), memory: z.number().int().min(1).default(8192), labels: labels().optional() });

export const clusterSchema = z.strictObject({
  name: dnsName(),
  labels: labels().default({}),
  role: z.enum(['centre', 'primary', 'secondary', 'backup', 'leaf']).optional(),
  /** A node count (4 vCPU / 8 GB each, as the thesis VMs) or the nodes themselves. */
  nodes: z.union([z.number().int().min(1).max(5000), z.array(nodeSchema).min(1)]).default(1),
  podCidr: z.string(),
});

const peeringSchema = z.strictObject({ consumer: dnsName(), provider: dnsName(), bidirectional: z.boolean().optional() });

const offloadingSchema = z.strictObject({
  namespace: dnsName(),
  owner: dnsName(),
  clusterSelector: labels().default({}),
  clusters: z.array(dnsName()).optional(),
  mappingStrategy: z.enum(['DefaultName', 'EnforceSameName']).default('DefaultName'),
  podOffloadingStrategy: z.enum(['Local', 'Remote', 'LocalAndRemote']).default('LocalAndRemote'),
});

export const topologySchema = z.strictObject({
  generator: generatorSchema.optional(),
  clusters: z.array(clusterSchema).default([]),
  peerings: z.array(peeringSchema).default([]),
  offloading: z.array(offloadingSchema).default([]),
  dbDomains: z.array(z.strictObject({ name: dnsName(), members: z.array(dnsName()).min(1) })).default([]),
  /** Nodes (physical + virtual) a cluster may have: Kubernetes supports ~5,000. */
  nodeLimit: z.number().int().min(1).default(5000),
});

export const workloadSchema = z.strictObject({
  name: dnsName(),
  kind: z.enum(['Deployment', 'StatefulSet']).default('Deployment'),
  app: z.enum(['pmu', 'pdc-lower', 'pdc-higher', 'application', 'db', 'other']).default('other'),
  owner: dnsName(),
  namespace: dnsName(),
  replicas: z.number().int().min(0).max(10_000).default(1),
  placement: z.strictObject({ cluster: dnsName().optional(), clusters: z.array(dnsName()).min(1).optional() }).default({}),
  db: dnsName().optional(),
});

const streamSchema = z.strictObject({ name: dnsName(), pmu: dnsName(), lower: dnsName(), higher: dnsName() });

/** Kubernetes manifests (what a user would `kubectl apply`) created by `owner`. */
const manifestRefSchema = z.strictObject({ file: z.string().min(1), owner: dnsName(), namespace: dnsName().optional() });

export const faultSchema = z.discriminatedUnion('kind', [
  /** The cluster's machines stop (power, crash): nothing runs there until the repair. */
  z.strictObject({ kind: z.literal('cluster-down'), target: dnsName(), at: durationDist(), for: durationDist().optional() }),
  /** The cluster's network interface goes down: it keeps running alone (island mode). */
  z.strictObject({ kind: z.literal('isolate'), target: dnsName(), at: durationDist(), for: durationDist().optional() }),
  /** These clusters stay together, cut off from all others. */
  z.strictObject({ kind: z.literal('partition'), island: z.array(dnsName()).min(1), at: durationDist(), for: durationDist().optional() }),
  /** One workload's pods fail (the process dies) on whatever cluster they run. */
  z.strictObject({ kind: z.literal('pod-failure'), workload: dnsName(), at: durationDist() }),
  /**
   * Every selected cluster fails again and again, independently: up for a draw of timeToFailure
   * (its MTBF), then down (cluster-down) or cut off (isolate) for a draw of timeToRepair (MTTR).
   */
  z.strictObject({
    kind: z.literal('random-failures'),
    fault: z.enum(['cluster-down', 'isolate']).default('cluster-down'),
    /** The clusters named, plus those whose labels match (e.g. gridtwin.io/role: secondary). */
    clusters: z.strictObject({ names: z.array(dnsName()).default([]), matchLabels: labels().optional() }),
    timeToFailure: durationDist(),
    timeToRepair: durationDist(),
  }),
]);
export type FaultSpec = z.infer<typeof faultSchema>;

/** A profile from models/ by name, with per-experiment overrides of its values. */
const profileRef = z.union([z.string(), z.strictObject({ profile: z.string(), overrides: z.record(z.string(), z.unknown()).optional() })]);

export const worldSchema = z.strictObject({
  kind: z.literal('world'),
  topology: topologySchema,
  workloads: z.array(workloadSchema).default([]),
  manifests: z.array(manifestRefSchema).default([]),
  streams: z.array(streamSchema).default([]),
  /** PMU reporting period (the thesis: 33 ms; C37.118 rates, MODEL.md §5). */
  framePeriod: period().default(33_000),
  faults: z.array(faultSchema).default([]),
  /** Which profile each component uses (default: the profile of the same name). */
  profiles: z.strictObject({ 'liqo-setup': profileRef.optional(), failover: profileRef.optional(), k3s: profileRef.optional(), liqo: profileRef.optional(), openpdc: profileRef.optional(), pmu: profileRef.optional(), percona: profileRef.optional() }).default({}),
  /**
   * coarse: the world's own failover arithmetic (fast, 10,000+ clusters); detailed: every cluster
   * runs the k8s models (node lifecycle, taint manager, controllers, kubelets) joined by the Liqo
   * models (virtual kubelets, health checks, ShadowPods) — for designs of tens of clusters.
   */
  fidelity: z.enum(['coarse', 'detailed']).default('coarse'),
  /**
   * coarse: after a change, re-evaluate only the streams of the workloads it touched and forget
   * dead pods (changed), or re-evaluate every stream and keep every pod (all: the reference that
   * `changed` is tested against; cost grows with streams × changes).
   */
  streamUpdates: z.enum(['changed', 'all']).default('changed'),
  /** One-way delay between sites (detailed): half the thesis VM-to-VM ping, 0.721 ± 0.581 ms RTT (thesis-testbed.yaml). */
  oneWayDelay: durationDist().default({ kind: 'normal', mean: 361, sd: 290, min: 50 }),
});
export type WorldFile = z.infer<typeof worldSchema>;
