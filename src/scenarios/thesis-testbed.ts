import { z } from 'zod';
import type { SimContext } from '../engine/index.js';
import { loadProfile } from '../experiment/profiles.js';
import { KubeCluster, type K8sParams } from '../k8s/index.js';
import { LiqoFabric, type LiqoParams } from '../liqo/index.js';
import { Network } from '../network/index.js';
import { loadK3s, loadLiqo, profileRef } from './profiles/k8s.js';
import { networkProfileSchema, podLinks } from './profiles/network.js';

/**
 * The thesis testbed (shared/reference/thesis-testbed.yaml): single-node k3s clusters on one LAN,
 * a root consumer peered with every leaf (and, "fully meshed", the leaves with each other).
 * Shared by the thesis-* scenarios; the mechanisms live in src/k8s and src/liqo.
 */
export const testbedParams = {
  leaves: z.number().int().min(1).max(50).default(4),
  /** Leaves peer with each other too (the thesis's fully meshed star). */
  leafMesh: z.boolean().default(true),
  /** Measured round trips of the testbed (models/network-thesis-lan.yaml): control-plane traffic goes VM to VM. */
  network: z.strictObject({ profile: z.string().default('network-thesis-lan') }).default({ profile: 'network-thesis-lan' })
    .transform((n) => podLinks(loadProfile(n.profile, networkProfileSchema))),
  k3s: profileRef('k3s-1.24-thesis').transform(loadK3s),
  liqo: profileRef('liqo-0.10').transform(loadLiqo),
};

export interface TestbedParams {
  readonly leaves: number;
  readonly leafMesh: boolean;
  readonly network: ReturnType<typeof podLinks>;
  readonly k3s: K8sParams;
  readonly liqo: LiqoParams;
}

export interface Testbed {
  readonly network: Network;
  readonly fabric: LiqoFabric;
  readonly root: KubeCluster;
  readonly leaves: readonly KubeCluster[];
}

export function buildTestbed(ctx: SimContext, p: TestbedParams): Testbed {
  const network = new Network(ctx.bus, p.network.host);
  network.setIntraSite(p.network.intraSite);
  const fabric = new LiqoFabric(ctx, network, p.liqo);
  const cluster = (name: string) => {
    const kc = new KubeCluster(ctx, name, p.k3s, { 'liqo.io/cluster-name': name });
    kc.addNode({ name: `${name}-vm` });
    fabric.addCluster(kc);
    return kc;
  };
  const root = cluster('root');
  const leaves = Array.from({ length: p.leaves }, (_, i) => cluster(`leaf-${i + 1}`));
  for (const leaf of leaves) fabric.peer(root.name, leaf.name);
  if (p.leafMesh) for (const a of leaves) for (const b of leaves) if (a !== b) fabric.peer(a.name, b.name);
  return { network, fabric, root, leaves };
}
