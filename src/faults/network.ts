import type { Network, SiteId } from '../network/index.js';
import type { FaultAction } from './scheduler.js';

/**
 * Fault actions on the network model. Faults on pods, nodes and database members are wired
 * by the experiment layer to the Kubernetes and Galera models the same way (an inject and a repair).
 */

/** A cluster's network interface goes down (`ip link set … down`): it reaches no other site. */
export const clusterNicDown = (net: Network, site: SiteId): FaultAction => ({
  inject: () => net.isolate(site),
  repair: () => net.restore(site),
});

/** Firewall DROP both ways between two sites. */
export const linkCut = (net: Network, a: SiteId, b: SiteId): FaultAction => ({
  inject: () => net.dropLink(a, b),
  repair: () => net.healLink(a, b),
});

/** The network splits into groups until healed. */
export const partition = (net: Network, groups: readonly (readonly SiteId[])[]): FaultAction => ({
  inject: () => net.partition(groups),
  repair: () => net.healPartition(),
});

/** Loss of the central cluster (Area Control Center): as seen from the others, its site disappears. */
export const centralClusterLoss = clusterNicDown;
