import { isMap, parseAllDocuments, LineCounter } from 'yaml';
import { readFileSync, statSync } from 'node:fs';
import type { AppRole, DbDomainSpec, WorkloadSpec } from '../topology/index.js';
import { InputError } from './errors.js';
import { MAX_FILE_BYTES } from './yaml.js';

/**
 * Plain Kubernetes manifests — what a user would `kubectl apply` — read as workloads.
 * Deployment, StatefulSet and PerconaXtraDBCluster become workloads; Service,
 * PersistentVolumeClaim and StorageClass are accepted. Everything the simulator does not
 * model (other kinds, fields it does not read) is returned as a warning with its position,
 * never dropped silently.
 */

export interface ManifestResult {
  readonly workloads: WorkloadSpec[];
  readonly dbDomains: DbDomainSpec[];
  readonly warnings: string[];
}

/** Fields read (true = the whole subtree is understood). Anything else gets a warning. */
type Known = { readonly [field: string]: true | Known };
const META: Known = { name: true, namespace: true, labels: true, annotations: true };
const POD_SPEC: Known = { containers: true, initContainers: true, affinity: true, tolerations: true, nodeSelector: true, volumes: true, restartPolicy: true, terminationGracePeriodSeconds: true };
const WORKLOAD: Known = {
  apiVersion: true,
  kind: true,
  metadata: META,
  spec: { replicas: true, selector: true, strategy: true, serviceName: true, podManagementPolicy: true, volumeClaimTemplates: true, template: { metadata: META, spec: POD_SPEC } },
};
const KNOWN: Record<string, Known> = {
  Deployment: WORKLOAD,
  StatefulSet: WORKLOAD,
  Service: { apiVersion: true, kind: true, metadata: META, spec: { selector: true, ports: true, clusterIP: true, type: true } },
  PersistentVolumeClaim: { apiVersion: true, kind: true, metadata: META, spec: { accessModes: true, resources: true, storageClassName: true } },
  StorageClass: { apiVersion: true, kind: true, metadata: META, provisioner: true, parameters: true, volumeBindingMode: true, reclaimPolicy: true },
  PerconaXtraDBCluster: { apiVersion: true, kind: true, metadata: META, spec: { crVersion: true, allowUnsafeConfigurations: true, unsafeFlags: true, secretsName: true, pxc: { size: true, image: true, affinity: true, volumeSpec: true, resources: true, configuration: true }, haproxy: true, proxysql: true, logcollector: true, pmm: true, backup: true } },
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((acc, k) => (isObj(acc) ? acc[k] : undefined), o);

function unknownFields(doc: unknown, known: Known, prefix: string, out: string[]): void {
  if (!isObj(doc)) return;
  for (const key of Object.keys(doc)) {
    const k = known[key];
    if (k === undefined) out.push(`${prefix}${key}`);
    else if (k !== true) unknownFields(doc[key], k, `${prefix}${key}.`, out);
  }
}

/** Clusters named by required node affinity on Liqo's cluster-id label, or "the owner" for `liqo.io/type DoesNotExist`. */
function pinnedClusters(podSpec: unknown, owner: string): string[] | undefined {
  const terms = get(podSpec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms');
  if (!Array.isArray(terms)) return undefined;
  const out: string[] = [];
  for (const t of terms) {
    for (const e of (get(t, 'matchExpressions') as unknown[] | undefined) ?? []) {
      const key = get(e, 'key');
      const op = get(e, 'operator');
      if (key === 'liqo.io/type' && op === 'DoesNotExist') out.push(owner);
      if (key === 'liqo.io/remote-cluster-id' && op === 'In') out.push(...((get(e, 'values') as string[] | undefined) ?? []));
    }
  }
  return out.length ? out : undefined;
}

const APPS: readonly AppRole[] = ['pmu', 'pdc-lower', 'pdc-higher', 'application', 'db'];
function appOf(meta: unknown): AppRole {
  const l = get(meta, 'labels');
  const v = get(l, 'gridtwin.io/app') ?? get(l, 'app.kubernetes.io/component') ?? get(l, 'app');
  return APPS.includes(v as AppRole) ? (v as AppRole) : 'other';
}

export function readManifests(path: string, owner: string, defaultNamespace = 'default'): ManifestResult {
  let text: string;
  try {
    if (statSync(path).size > MAX_FILE_BYTES) throw new InputError(`${path}: larger than ${MAX_FILE_BYTES} bytes`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${path}: cannot read manifest file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, strict: true });
  if (!Array.isArray(docs)) throw new InputError(`${path}: not a YAML stream`);
  const result: ManifestResult = { workloads: [], dbDomains: [], warnings: [] };
  for (const doc of docs) {
    // Point at the document's first field, not at its `---` separator.
    const pos = lines.linePos(doc.contents?.range?.[0] ?? doc.range[0]);
    const where = `${path}:${pos.line}:${pos.col}`;
    const err = doc.errors[0];
    if (err) {
      const p = lines.linePos(err.pos[0]);
      throw new InputError(`${path}:${p.line}:${p.col}: invalid YAML: ${err.message.split('\n')[0]}`);
    }
    if (!isMap(doc.contents)) continue; // an empty document between separators
    const m = doc.toJS({ maxAliasCount: 1000 }) as Obj;
    const kind = String(m.kind ?? '');
    const name = String(get(m, 'metadata', 'name') ?? '');
    const known = KNOWN[kind];
    if (!known) {
      result.warnings.push(`${where}: ${kind || '(no kind)'} ${name}: kind not modelled, ignored`);
      continue;
    }
    const extra: string[] = [];
    unknownFields(m, known, '', extra);
    if (extra.length) result.warnings.push(`${where}: ${kind} ${name}: fields not modelled, ignored: ${extra.join(', ')}`);
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) throw new InputError(`${where}: ${kind}: metadata.name must be a DNS label, got ${JSON.stringify(name)}`);
    const namespace = String(get(m, 'metadata', 'namespace') ?? defaultNamespace);
    if (kind === 'Deployment' || kind === 'StatefulSet') {
      const replicas = get(m, 'spec', 'replicas') ?? 1;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) throw new InputError(`${where}: ${kind} ${name}: spec.replicas must be a non-negative integer`);
      const clusters = pinnedClusters(get(m, 'spec', 'template', 'spec'), owner);
      result.workloads.push({ name, kind, app: appOf(get(m, 'spec', 'template', 'metadata') ?? m.metadata), owner, namespace, replicas, placement: clusters ? { clusters } : {} });
    } else if (kind === 'PerconaXtraDBCluster') {
      const size = get(m, 'spec', 'pxc', 'size') ?? 3;
      if (typeof size !== 'number' || !Number.isInteger(size) || size < 1) throw new InputError(`${where}: PerconaXtraDBCluster ${name}: spec.pxc.size must be a positive integer`);
      const clusters = pinnedClusters({ affinity: get(m, 'spec', 'pxc', 'affinity', 'advanced') }, owner);
      if (clusters) result.dbDomains.push({ name, members: clusters });
      else result.warnings.push(`${where}: PerconaXtraDBCluster ${name}: no required node affinity on liqo.io/remote-cluster-id, so its DB domain (the member clusters) is unknown and not checked`);
      result.workloads.push({ name: `${name}-pxc`, kind: 'StatefulSet', app: 'db', owner, namespace, replicas: size, placement: clusters ? { clusters } : {}, db: clusters ? name : undefined });
    }
  }
  return result;
}
