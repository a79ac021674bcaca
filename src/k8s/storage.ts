import { matchesTerm } from './selectors.js';
import type { NodeState, SelectorTerm } from './types.js';

/**
 * Persistent volumes reduced to where they can be used. A bound claim carries the node-label
 * term its PV requires (the PV's nodeAffinity); the scheduler's VolumeBinding filter checks it,
 * which is what pulls a pod back to its data ("data gravity").
 */
export type Provisioner =
  /** rancher local-path: a directory on the node where the pod first lands. */
  | 'local-path'
  /** Longhorn-like replicated block storage: usable from any physical node of the cluster. */
  | 'replicated'
  /** Liqo virtual storage class: the real PV is created in the cluster where the pod lands. */
  | 'liqo';

export interface StorageClass {
  readonly name: string;
  readonly provisioner: Provisioner;
  /** Liqo: the class used for the real PV on the cluster where the pod lands. */
  readonly realStorageClass?: string;
  /** Replicated: number of replicas (recorded; any physical node can attach). */
  readonly replicas?: number;
}

export interface Claim {
  readonly namespace: string;
  readonly name: string;
  readonly storageClass: string;
  /** PV node affinity once bound (WaitForFirstConsumer binds on the first scheduling). */
  boundTo?: SelectorTerm;
  /** Where the PV physically lives (a node, or "cluster:<id>" for a Liqo PV on a provider). */
  location?: string;
}

export const VIRTUAL_NODE_LABEL = 'liqo.io/type';
export const REMOTE_CLUSTER_LABEL = 'liqo.io/remote-cluster-id';
const HOSTNAME = 'kubernetes.io/hostname';

/** The claims and storage classes of one cluster. */
export class Volumes {
  private readonly classes = new Map<string, StorageClass>();
  private readonly claims = new Map<string, Claim>();

  addClass(c: StorageClass): void {
    this.classes.set(c.name, c);
  }

  /** Creates the claim if absent (StatefulSet volumeClaimTemplates keep claims across pod replacements). */
  ensureClaim(namespace: string, name: string, storageClass: string): Claim {
    const key = `${namespace}/${name}`;
    let c = this.claims.get(key);
    if (!c) {
      if (!this.classes.has(storageClass)) throw new Error(`storage class ${storageClass} is not defined`);
      c = { namespace, name, storageClass };
      this.claims.set(key, c);
    }
    return c;
  }

  claim(namespace: string, name: string): Claim | undefined {
    return this.claims.get(`${namespace}/${name}`);
  }

  /** Why `node` cannot use the claim, or undefined if it can. */
  unusableReason(c: Claim, node: NodeState): string | undefined {
    if (c.boundTo) return matchesTerm(node.labels, c.boundTo) ? undefined : `volume node affinity conflict (${c.name} on ${c.location})`;
    const cls = this.classes.get(c.storageClass)!;
    if (cls.provisioner !== 'liqo' && node.virtual) return `${cls.name} cannot provision on a virtual node`;
    return undefined;
  }

  /** Binds an unbound claim to where the pod landed (WaitForFirstConsumer). */
  bindFirstConsumer(c: Claim, node: NodeState): void {
    if (c.boundTo) return;
    const cls = this.classes.get(c.storageClass)!;
    let provisioner = cls.provisioner;
    if (provisioner === 'liqo') {
      if (node.virtual) {
        // The real PVC goes to the provider behind this virtual node: only that virtual node can use it.
        c.boundTo = [{ key: HOSTNAME, operator: 'In', values: [node.name] }];
        c.location = `cluster:${node.labels[REMOTE_CLUSTER_LABEL] ?? node.name}`;
        return;
      }
      provisioner = (cls.realStorageClass && this.classes.get(cls.realStorageClass)?.provisioner) || 'local-path';
    }
    if (provisioner === 'replicated') {
      c.boundTo = [{ key: VIRTUAL_NODE_LABEL, operator: 'DoesNotExist' }];
      c.location = 'cluster';
    } else {
      c.boundTo = [{ key: HOSTNAME, operator: 'In', values: [node.name] }];
      c.location = node.name;
    }
  }
}
