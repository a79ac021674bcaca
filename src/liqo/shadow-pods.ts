import type { Cluster, PodSpec } from '../k8s/index.js';

export interface ShadowPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: PodSpec;
  /** Consumer cluster and its pod key: who owns this shadow. */
  readonly consumer: string;
  readonly consumerPod: string;
}

/**
 * The ShadowPod controller of a provider cluster: each ShadowPod owns one real pod in the
 * provider and recreates it if it disappears. Only the consumer deletes a ShadowPod, so a remote
 * pod keeps running while its consumer is cut off (island mode).
 */
export class ShadowPods {
  private readonly shadows = new Map<string, ShadowPod>();

  constructor(private readonly provider: Cluster) {
    provider.onPod((e) => {
      if (e.gone && this.shadows.has(e.key)) this.ensurePod(e.key);
    });
  }

  has(key: string): boolean {
    return this.shadows.has(key);
  }

  get(key: string): ShadowPod | undefined {
    return this.shadows.get(key);
  }

  /** Keys of the shadows a consumer owns, in creation order. */
  ownedBy(consumer: string): string[] {
    return [...this.shadows].filter(([, s]) => s.consumer === consumer).map(([k]) => k);
  }

  create(s: ShadowPod): string {
    const key = `${s.namespace}/${s.name}`;
    if (!this.shadows.has(key)) {
      this.shadows.set(key, s);
      this.ensurePod(key);
    }
    return key;
  }

  /** The consumer deleted it: the real pod is deleted gracefully. */
  delete(key: string): void {
    if (!this.shadows.delete(key)) return;
    this.provider.delete(key, 'ShadowPod deleted by the consumer');
  }

  private ensurePod(key: string): void {
    const s = this.shadows.get(key)!;
    if (this.provider.pod(key)) return;
    this.provider.createPod({ name: s.name, namespace: s.namespace, labels: s.labels, spec: s.spec });
  }
}
