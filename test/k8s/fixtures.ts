import { createContext, MS, SECOND, type SimContext } from '../../src/engine/index.js';
import { GenericApp, KubeCluster, type K8sParams, type PodSpec } from '../../src/k8s/index.js';

/** Upstream Kubernetes defaults (the same values as models/k3s-1.24-defaults.yaml), with fixed short start-up parts. */
export const DEFAULTS: K8sParams = {
  apiServer: { defaultNotReadyToleration: 300 * SECOND, defaultUnreachableToleration: 300 * SECOND },
  nodeLifecycle: {
    monitorPeriod: 5 * SECOND, monitorPassDuration: 1 * MS, gracePeriod: 40 * SECOND, evictionPassPeriod: 100 * MS,
    evictionQps: 0.1, secondaryEvictionQps: 0.01, largeClusterSize: 50, unhealthyZoneThreshold: 0.55,
    taintManager: true, podEvictionTimeout: 300 * SECOND,
  },
  kubelet: {
    leaseRenewInterval: 10 * SECOND, statusUpdateInterval: 10 * SECOND, statusReportInterval: 300 * SECOND,
    plegRelistPeriod: 1 * SECOND, backoffInitial: 10 * SECOND, backoffMax: 300 * SECOND,
    startup: { imagePull: { kind: 'constant', value: 0 }, containerStart: { kind: 'constant', value: 500 * MS }, containerStop: { kind: 'constant', value: 100 * MS } },
  },
  scheduler: { latency: { kind: 'constant', value: 10 * MS } },
};

export const with_ = (over: { apiServer?: Partial<K8sParams['apiServer']>; nodeLifecycle?: Partial<K8sParams['nodeLifecycle']>; kubelet?: Partial<K8sParams['kubelet']> }): K8sParams => ({
  ...DEFAULTS,
  apiServer: { ...DEFAULTS.apiServer, ...over.apiServer },
  nodeLifecycle: { ...DEFAULTS.nodeLifecycle, ...over.nodeLifecycle },
  kubelet: { ...DEFAULTS.kubelet, ...over.kubelet },
});

/** A cluster of `nodes` physical nodes n0, n1, … */
export function makeCluster(nodes: number, params: K8sParams = DEFAULTS, seed = 's', ctx: SimContext = createContext(seed, { trace: true })) {
  const kc = new KubeCluster(ctx, 'c1', params);
  for (let i = 0; i < nodes; i++) kc.addNode({ name: `n${i}` });
  return { ctx, kc, cluster: kc.cluster };
}

export const appSpec = (over: Partial<PodSpec> = {}): PodSpec => ({
  image: 'app:1',
  app: new GenericApp({ startLatency: { kind: 'constant', value: 1 * SECOND } }),
  ...over,
});
