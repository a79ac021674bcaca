import { createContext, MS, SECOND } from '../../src/engine/index.js';
import { KubeCluster, type K8sParams } from '../../src/k8s/index.js';
import { LiqoFabric, type LiqoParams } from '../../src/liqo/index.js';
import { Network } from '../../src/network/index.js';
import { DEFAULTS, with_ } from '../k8s/fixtures.js';

/** Liqo 0.10 defaults (as models/liqo-0.10.yaml). */
export const LIQO: LiqoParams = {
  virtualKubelet: {
    tunnel: { pingInterval: 2 * SECOND, observerInterval: 1 * SECOND, lossThreshold: 5 },
    apiServer: { livezInterval: 15 * SECOND, livezTimeout: 5 * SECOND, vkPingInterval: 10 * SECOND },
    leaseRenewInterval: 10 * SECOND,
    statusPropagation: { kind: 'constant', value: 20 * MS },
    remoteApiLatency: { kind: 'constant', value: 5 * MS },
  },
  crossClusterOverhead: { kind: 'constant', value: 229 },
};

/** Thesis-like k3s settings: grace 20 s, tolerations 20 s. */
export const THESIS_K3S: K8sParams = with_({
  apiServer: { defaultNotReadyToleration: 20 * SECOND, defaultUnreachableToleration: 20 * SECOND },
  nodeLifecycle: { gracePeriod: 20 * SECOND },
  kubelet: { statusUpdateInterval: 5 * SECOND },
});

/** root consumer + `leaves` single-node providers leaf-1…, each peered from root. */
export function makeStar(leaves: number, seed = 's', k3s: K8sParams = THESIS_K3S) {
  const ctx = createContext(seed, { trace: true });
  const network = new Network(ctx.bus, { delay: { kind: 'constant', value: 350 }, loss: 0 });
  const fabric = new LiqoFabric(ctx, network, LIQO);
  const make = (name: string, labels: Record<string, string> = {}) => {
    const kc = new KubeCluster(ctx, name, k3s, labels);
    kc.addNode({ name: `${name}-node` });
    fabric.addCluster(kc);
    return kc;
  };
  const root = make('root');
  const leafs = Array.from({ length: leaves }, (_, i) => make(`leaf-${i + 1}`, { 'topology.liqo.io/region': i % 2 === 0 ? 'north' : 'south' }));
  for (const l of leafs) fabric.peer('root', l.name);
  return { ctx, network, fabric, root, leafs };
}

export { DEFAULTS };
