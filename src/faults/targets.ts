import type { GaleraCluster } from '../galera/index.js';
import type { Cluster, Kubelet, PodState } from '../k8s/index.js';
import type { FaultAction } from './scheduler.js';

/**
 * Fault actions on the Kubernetes and Galera models (the network ones are in network.ts).
 * Recovery from pod faults is the controllers' business, so those have no repair.
 */

/** Pod failure: the pods matching `which` are deleted (`kubectl delete pod`); their ReplicaSet replaces them. */
export const podDeleted = (cluster: Cluster, which: (p: PodState) => boolean): FaultAction => ({
  inject: () => {
    for (const p of cluster.pods((x) => x.deletionTimestamp === undefined && which(x))) cluster.delete(p.key, 'fault: pod deleted');
  },
});

/** Container failure as in the thesis: an app's liveness probe starts failing; the kubelet restarts the container. */
export const livenessFails = (app: { failLiveness(pod: string): void }, pod: string): FaultAction => ({
  inject: () => app.failLiveness(pod),
});

/** Node crash: power lost (every container stops, heartbeats stop) until it boots again. */
export const nodeCrash = (kubelet: Kubelet): FaultAction => ({
  inject: () => kubelet.powerOff(),
  repair: () => kubelet.powerOn(),
});

/** Loss of a database member's process (its peers notice after the EVS timeouts); repair restarts it. */
export const dbMemberLoss = (db: GaleraCluster, member: string): FaultAction => ({
  inject: () => db.crash(member, 'fault: member lost'),
  repair: () => db.start(member),
});
