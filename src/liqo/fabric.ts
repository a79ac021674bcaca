import { sample, type Dist, type Rng, type SimContext } from '../engine/index.js';
import { REMOTE_CLUSTER_LABEL, VIRTUAL_NODE_LABEL, type KubeCluster, type Toleration } from '../k8s/index.js';
import type { Network } from '../network/index.js';
import { ShadowPods } from './shadow-pods.js';
import { VIRTUAL_NODE_TAINT_KEY, VirtualKubelet, type VirtualKubeletParams } from './virtual-kubelet.js';

/** A Liqo profile (`models/liqo-*.yaml`). */
export interface LiqoParams {
  readonly virtualKubelet: VirtualKubeletParams;
  /** Extra one-way latency of pod-to-pod traffic crossing the fabric (gateway + WireGuard + VXLAN), µs. */
  readonly crossClusterOverhead: Dist;
}

/** Liqo's permanent taint on every virtual node; offloaded pods tolerate it forever. */
export const VIRTUAL_NODE_TAINT = { key: VIRTUAL_NODE_TAINT_KEY, value: 'true', effect: 'NoExecute' } as const;
export const VIRTUAL_NODE_TOLERATION: Toleration = { key: VIRTUAL_NODE_TAINT.key, operator: 'Exists', effect: 'NoExecute' };

export interface Peering {
  readonly consumer: string;
  readonly provider: string;
  /** The virtual node in the consumer representing the provider. */
  readonly virtualNode: string;
  readonly virtualKubelet: VirtualKubelet;
}

/**
 * The Liqo fabric over a set of k3s clusters: unidirectional peerings (consumer → provider, one
 * virtual node each), the ShadowPod controller of every provider, which namespaces each cluster
 * hosts for others (offloading cannot re-offload them), and the cross-cluster latency overhead.
 */
export class LiqoFabric {
  private readonly clusters = new Map<string, KubeCluster>();
  private readonly shadowPods = new Map<string, ShadowPods>();
  readonly peerings: Peering[] = [];
  /** cluster → namespaces created in it by another cluster's offloading (remote namespaces). */
  readonly remoteNamespaces = new Map<string, Map<string, string>>();
  private readonly rng: Rng;

  constructor(
    readonly ctx: SimContext,
    readonly network: Network,
    readonly params: LiqoParams,
  ) {
    this.rng = ctx.random.stream('liqo/fabric');
  }

  addCluster(kc: KubeCluster): void {
    this.clusters.set(kc.name, kc);
    this.shadowPods.set(kc.name, new ShadowPods(kc.cluster));
  }

  cluster(name: string): KubeCluster {
    const kc = this.clusters.get(name);
    if (!kc) throw new Error(`cluster ${name} is not part of the Liqo fabric`);
    return kc;
  }

  /** Outgoing peering: `consumer` gets a virtual node `liqo-<provider>` offering the provider's resources. */
  peer(consumer: string, provider: string, shared: { cpu?: number; memory?: number } = {}): Peering {
    if (this.peerings.some((p) => p.consumer === consumer && p.provider === provider)) throw new Error(`${consumer} already peers with ${provider}`);
    const c = this.cluster(consumer).cluster;
    const p = this.cluster(provider).cluster;
    const virtualNode = `liqo-${provider}`;
    const physical = Object.values(p.state.nodes).filter((n) => !n.virtual);
    c.addNode({
      name: virtualNode,
      virtual: true,
      labels: { ...p.labels, [VIRTUAL_NODE_LABEL]: 'virtual-node', [REMOTE_CLUSTER_LABEL]: provider },
      taints: [VIRTUAL_NODE_TAINT],
      cpu: shared.cpu ?? physical.reduce((a, n) => a + n.cpu, 0),
      memory: shared.memory ?? physical.reduce((a, n) => a + n.memory, 0),
    });
    const vk = new VirtualKubelet(this.ctx, this.network, c, p, this.shadowPods.get(provider)!, virtualNode, this.params.virtualKubelet,
      this.ctx.random.stream(`liqo/${consumer}/vk/${provider}`), (ns) => this.remoteNamespaces.get(provider)?.get(`${consumer}/${ns}`) ?? ns);
    const peering = { consumer, provider, virtualNode, virtualKubelet: vk };
    this.peerings.push(peering);
    this.ctx.trace.emit(this.ctx.sim.now, 'peering', { consumer, provider, state: 'established' });
    return peering;
  }

  /** One-way pod-to-pod delay from cluster a to b (µs), or undefined if lost/unreachable; crossing adds Liqo's overhead. */
  podDelay(a: string, b: string, rng: Rng = this.rng): number | undefined {
    const d = this.network.delay(a, b, rng);
    if (d === undefined || a === b) return d;
    return d + Math.max(0, Math.round(sample(this.params.crossClusterOverhead, rng)));
  }
}
