import type { SimContext, Time } from '../engine/index.js';
import { Cluster, type ApiServerParams, type NewNode } from './cluster.js';
import { Kubelet, type KubeletParams } from './kubelet.js';
import { NodeLifecycleController, type NodeLifecycleParams } from './node-lifecycle.js';
import { Scheduler, type SchedulerParams } from './scheduler.js';
import { TaintManager } from './taint-manager.js';
import { DeploymentController, ReplicaSetController, StatefulSetController } from './workloads.js';

/** Everything a k3s cluster's control plane and kubelets are configured with (a `models/k3s-*.yaml` profile). */
export interface K8sParams {
  readonly apiServer: ApiServerParams;
  readonly nodeLifecycle: NodeLifecycleParams;
  readonly kubelet: KubeletParams;
  readonly scheduler: SchedulerParams;
}

/**
 * One k3s cluster assembled: API server, node lifecycle controller (+ taint manager), scheduler,
 * workload controllers and one kubelet per physical node. Random streams are named after the
 * cluster and node so that adding a cluster never shifts another's draws.
 */
export class KubeCluster {
  readonly cluster: Cluster;
  readonly nodeLifecycle: NodeLifecycleController;
  readonly taintManager?: TaintManager;
  readonly scheduler: Scheduler;
  readonly replicaSets: ReplicaSetController;
  readonly deployments: DeploymentController;
  readonly statefulSets: StatefulSetController;
  readonly kubelets = new Map<string, Kubelet>();

  constructor(
    readonly ctx: SimContext,
    readonly name: string,
    readonly params: K8sParams,
    labels: Readonly<Record<string, string>> = {},
  ) {
    const rng = (what: string) => ctx.random.stream(`k8s/${name}/${what}`);
    this.cluster = new Cluster(ctx, name, params.apiServer, labels);
    // The controller manager started at some instant unrelated to the faults: its pass phase is uniform.
    const firstPass = Math.floor(rng('node-lifecycle').next() * params.nodeLifecycle.monitorPeriod) as Time;
    this.nodeLifecycle = new NodeLifecycleController(this.cluster, params.nodeLifecycle, firstPass);
    if (params.nodeLifecycle.taintManager) this.taintManager = new TaintManager(this.cluster);
    this.scheduler = new Scheduler(this.cluster, params.scheduler, rng('scheduler'));
    this.replicaSets = new ReplicaSetController(this.cluster);
    this.deployments = new DeploymentController(this.cluster, this.replicaSets);
    this.statefulSets = new StatefulSetController(this.cluster);
  }

  /** A physical node with its kubelet. */
  addNode(node: NewNode): Kubelet {
    this.cluster.addNode(node);
    const kubelet = new Kubelet(this.cluster, node.name, this.params.kubelet, this.ctx.random.stream(`k8s/${this.name}/kubelet/${node.name}`));
    this.kubelets.set(node.name, kubelet);
    return kubelet;
  }
}
