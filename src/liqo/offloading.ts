import { matchesAnyTerm, REMOTE_CLUSTER_LABEL, VIRTUAL_NODE_LABEL, type SelectorTerm } from '../k8s/index.js';
import { VIRTUAL_NODE_TOLERATION, type LiqoFabric } from './fabric.js';

export type PodOffloadingStrategy = 'Local' | 'Remote' | 'LocalAndRemote';
export type NamespaceMappingStrategy = 'DefaultName' | 'EnforceSameName';

export interface NamespaceOffloadingSpec {
  readonly namespace: string;
  /** Terms (ORed) over the *cluster* labels of the consumer's providers; absent = every provider. */
  readonly clusterSelector?: readonly SelectorTerm[];
  readonly podOffloadingStrategy: PodOffloadingStrategy;
  readonly namespaceMappingStrategy: NamespaceMappingStrategy;
}

export interface OffloadingResult {
  readonly providers: readonly string[];
  readonly remoteNamespace: string;
}

export class OffloadingRefused extends Error {}

/** AND of two ORed term lists: every pair of terms joined. */
function andTerms(a: readonly SelectorTerm[] | undefined, b: readonly SelectorTerm[]): SelectorTerm[] {
  if (!a || a.length === 0) return [...b];
  return a.flatMap((x) => b.map((y) => [...x, ...y]));
}

/**
 * NamespaceOffloading: extends `namespace` of `consumer` to the providers its cluster selector
 * picks, creating the remote namespace there (DefaultName: `<ns>-<consumer>`; EnforceSameName:
 * `<ns>`), and from then on constrains the namespace's pods by the pod offloading strategy
 * (Liqo's mutating webhook: node affinity + the virtual-node toleration). A namespace that is
 * itself an offloaded (remote) namespace cannot be offloaded again — no multi-hop, no cycles.
 */
export function offloadNamespace(fabric: LiqoFabric, consumer: string, spec: NamespaceOffloadingSpec): OffloadingResult {
  const hosted = fabric.remoteNamespaces.get(consumer);
  if (hosted && [...hosted.values()].includes(spec.namespace)) {
    throw new OffloadingRefused(`namespace ${spec.namespace} of ${consumer} is itself offloaded from another cluster and cannot be offloaded again`);
  }
  const providers = fabric.peerings
    .filter((p) => p.consumer === consumer)
    .map((p) => p.provider)
    .filter((name) => !spec.clusterSelector || matchesAnyTerm(fabric.cluster(name).cluster.labels, spec.clusterSelector));
  const remoteNamespace = spec.namespaceMappingStrategy === 'DefaultName' ? `${spec.namespace}-${consumer}` : spec.namespace;
  for (const provider of providers) {
    const ns = fabric.remoteNamespaces.get(provider) ?? new Map<string, string>();
    if (spec.namespaceMappingStrategy === 'EnforceSameName' && [...ns.values()].includes(remoteNamespace)) {
      throw new OffloadingRefused(`namespace ${remoteNamespace} already exists in ${provider} (EnforceSameName)`);
    }
    ns.set(`${consumer}/${spec.namespace}`, remoteNamespace);
    fabric.remoteNamespaces.set(provider, ns);
  }
  const remote: SelectorTerm = [{ key: REMOTE_CLUSTER_LABEL, operator: 'In', values: providers }];
  const local: SelectorTerm = [{ key: VIRTUAL_NODE_LABEL, operator: 'DoesNotExist' }];
  const terms = { Local: [local], Remote: [remote], LocalAndRemote: [local, remote] }[spec.podOffloadingStrategy];
  fabric.cluster(consumer).cluster.addAdmission((pod) => {
    if (pod.namespace !== spec.namespace) return pod;
    const affinity = { ...pod.spec.affinity, nodeRequired: andTerms(pod.spec.affinity?.nodeRequired, terms) };
    return { ...pod, spec: { ...pod.spec, affinity, tolerations: [...(pod.spec.tolerations ?? []), VIRTUAL_NODE_TOLERATION] } };
  });
  return { providers, remoteNamespace };
}
