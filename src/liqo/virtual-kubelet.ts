import { sampleDuration, type Dist, type Rng, type SimContext, type Time } from '../engine/index.js';
import { VIRTUAL_NODE_LABEL, type Cluster, type PodState } from '../k8s/index.js';
import { NETWORK_CHANGED, type Network } from '../network/index.js';
import { ApiServerCheck, TunnelCheck, type ApiServerCheckParams, type TunnelCheckParams } from './health.js';
import type { ShadowPods } from './shadow-pods.js';

/** Liqo's taint on virtual nodes (virtual-node.liqo.io/not-allowed:NoExecute). */
export const VIRTUAL_NODE_TAINT_KEY = 'virtual-node.liqo.io/not-allowed';

export interface VirtualKubeletParams {
  readonly tunnel: TunnelCheckParams;
  readonly apiServer: ApiServerCheckParams;
  /** Virtual node Lease renewal (40 s lease renewed every 10 s). */
  readonly leaseRenewInterval: Time;
  /** From the gateway's verdict to the virtual kubelet's node status post (watch + update). */
  readonly statusPropagation: Dist;
  /** One call to the remote API server (create/delete a ShadowPod, reflect a status), on top of the network delay. */
  readonly remoteApiLatency: Dist;
}

/** How a consumer's pod is named in the provider (namespace mapping). */
export type NamespaceMapper = (namespace: string) => string;

/**
 * The virtual kubelet of one peering, living in the consumer: it keeps the virtual node's Lease
 * and Ready condition (from the tunnel and API-server checks and their race), and reflects the
 * pods bound to the virtual node into the provider as ShadowPods, their status back, and their
 * deletion forward — deferred while the provider cannot be reached, reconciled on reconnection.
 */
export class VirtualKubelet {
  readonly tunnel: TunnelCheck;
  readonly api: ApiServerCheck;
  /** consumer pod key → provider pod key */
  private readonly reflected = new Map<string, string>();
  /** Consumer pods whose ShadowPod creation is on its way to the provider. */
  private readonly creating = new Set<string>();

  constructor(
    private readonly ctx: SimContext,
    private readonly network: Network,
    private readonly consumer: Cluster,
    private readonly provider: Cluster,
    private readonly shadows: ShadowPods,
    readonly node: string,
    private readonly params: VirtualKubeletParams,
    private readonly rng: Rng,
    private readonly mapNamespace: NamespaceMapper,
  ) {
    const { sim, bus } = ctx;
    this.tunnel = new TunnelCheck(ctx, network, consumer.name, provider.name, params.tunnel, rng, () => this.postStatus());
    this.api = new ApiServerCheck(ctx, network, consumer.name, provider.name, params.apiServer, rng, () => this.postStatus());
    sim.every(params.leaseRenewInterval, `virtual kubelet ${node}: renew lease`, () => {
      // Once its ping has failed the virtual kubelet stops status updates *and* lease renewals.
      if (this.api.vkOk) consumer.heartbeat(node, 'lease');
    }, sim.now + Math.floor(rng.next() * params.leaseRenewInterval));
    consumer.onPod((e) => !e.gone && this.reflectPod(e.key));
    provider.onPod((e) => this.reflectStatusOf(e.key));
    bus.on(NETWORK_CHANGED, () => {
      if (this.reachable()) this.resync();
    });
  }

  private reachable(): boolean {
    return this.network.reachable(this.consumer.name, this.provider.name);
  }

  /** A call to the provider's API server: runs `fn` after the call's latency if the provider can be reached now. */
  private callRemote(label: string, fn: () => void): boolean {
    const there = this.network.delay(this.consumer.name, this.provider.name, this.rng);
    if (there === undefined) return false;
    this.ctx.sim.after(2 * there + sampleDuration(this.params.remoteApiLatency, this.rng), `virtual kubelet ${this.node}: ${label}`, fn);
    return true;
  }

  /**
   * Node status from the two health paths: Ready=False (KubeletNotReady, NetworkUnavailable:
   * LiqoNetworkingDown) when the tunnel is down — posted only while the virtual kubelet's own
   * ping succeeds; when it fails nothing is posted and the lease lapses (Unknown by grace).
   */
  private postStatus(): void {
    if (!this.api.vkOk) return;
    const ready = this.tunnel.up;
    this.ctx.sim.after(sampleDuration(this.params.statusPropagation, this.rng), `virtual kubelet ${this.node}: post status`, () => {
      if (!this.api.vkOk || this.tunnel.up !== ready) return;
      this.consumer.heartbeat(this.node, 'status');
      this.consumer.setReady(this.node, ready ? 'True' : 'False', ready ? 'KubeletReady' : 'KubeletNotReady: LiqoNetworkingDown');
      // Liqo marks local offloaded pods on a NotReady virtual node not ready (out of the endpoints).
      for (const p of this.consumer.podsOn(this.node)) this.syncConsumerStatus(p);
    });
  }

  /** Consumer side of a pod bound to our virtual node: create its ShadowPod, or delete it if the pod is being deleted. */
  private reflectPod(key: string): void {
    const pod = this.consumer.pod(key);
    if (!pod || pod.node !== this.node) return;
    const remote = this.reflected.get(key);
    if (pod.deletionTimestamp !== undefined) {
      if (remote === undefined) return this.consumer.remove(key, 'never reflected');
      this.callRemote(`delete ShadowPod ${remote}`, () => this.shadows.delete(remote));
      return;
    }
    if (remote !== undefined) return;
    const spec = this.consumer.spec(key)!;
    const namespace = this.mapNamespace(pod.namespace);
    const remoteKey = `${namespace}/${pod.name}`;
    const sent = this.callRemote(`create ShadowPod ${remoteKey}`, () => {
      this.creating.delete(key);
      const volumes = (spec.volumes ?? []).filter((v) => this.provider.volumes.claim(namespace, v) !== undefined);
      // Node constraints name the consumer's nodes: the remote pod keeps its pod (anti-)affinity, and runs
      // on the provider's own nodes only (no virtual-node toleration: a reflected pod is never re-offloaded).
      const affinity = { ...spec.affinity, nodeRequired: [[{ key: VIRTUAL_NODE_LABEL, operator: 'DoesNotExist' as const }]], nodePreferred: undefined };
      const tolerations = (spec.tolerations ?? []).filter((t) => t.key !== VIRTUAL_NODE_TAINT_KEY);
      const remoteSpec = { ...spec, volumes, affinity, tolerations, nodeSelector: undefined };
      this.shadows.create({ namespace, name: pod.name, labels: pod.labels, spec: remoteSpec, consumer: this.consumer.name, consumerPod: key });
    });
    if (sent) {
      this.reflected.set(key, remoteKey);
      this.creating.add(key);
    }
  }

  /** Provider pod changed: reflect its status (or its disappearance) back to the consumer pod. */
  private reflectStatusOf(remoteKey: string): void {
    const shadow = this.shadows.get(remoteKey);
    const consumerKey = shadow?.consumer === this.consumer.name ? shadow.consumerPod : [...this.reflected].find(([, r]) => r === remoteKey)?.[0];
    if (consumerKey === undefined || this.reflected.get(consumerKey) !== remoteKey) return;
    this.callRemote(`reflect status of ${remoteKey}`, () => {
      const pod = this.consumer.pod(consumerKey);
      if (!pod) return;
      if (!this.provider.pod(remoteKey) && !this.shadows.has(remoteKey) && pod.deletionTimestamp !== undefined) {
        this.reflected.delete(consumerKey);
        this.consumer.remove(consumerKey, 'remote pod deleted');
        return;
      }
      this.syncConsumerStatus(pod);
    });
  }

  private syncConsumerStatus(pod: PodState): void {
    const remoteKey = this.reflected.get(pod.key);
    const remote = remoteKey !== undefined ? this.provider.pod(remoteKey) : undefined;
    if (!remote) return;
    const nodeReady = this.consumer.node(this.node)?.ready === 'True';
    const ready = remote.ready && nodeReady && pod.deletionTimestamp === undefined;
    if (pod.phase === remote.phase && pod.ready === ready && pod.restarts === remote.restarts) return;
    const becameReady = ready && !pod.ready;
    this.consumer.updatePod(pod.key, `reflect ${pod.key}`, (d) => {
      d.phase = remote.phase;
      d.ready = ready;
      d.restarts = remote.restarts;
    });
    if (becameReady) this.consumer.podPhase(pod.key, 'Ready', 'remote pod ready');
  }

  /** Reconnection: deletions made meanwhile go through, missing shadows are created, statuses re-read. */
  private resync(): void {
    for (const pod of this.consumer.podsOn(this.node)) this.reflectPod(pod.key);
    for (const remoteKey of this.shadows.ownedBy(this.consumer.name)) {
      const s = this.shadows.get(remoteKey)!;
      if (!this.consumer.pod(s.consumerPod)) this.callRemote(`delete orphan ShadowPod ${remoteKey}`, () => this.shadows.delete(remoteKey));
    }
    for (const [consumerKey, remoteKey] of [...this.reflected]) {
      // A creation still in flight is not a remote pod that was deleted (this very resync may have sent it).
      if (this.creating.has(consumerKey)) continue;
      if (!this.provider.pod(remoteKey) && !this.shadows.has(remoteKey)) {
        this.reflected.delete(consumerKey);
        this.consumer.remove(consumerKey, 'remote pod deleted (reconciled on reconnection)');
      } else {
        this.reflectStatusOf(remoteKey);
      }
    }
  }
}
