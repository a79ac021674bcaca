import type { EventHandle, Time } from '../engine/index.js';
import type { Cluster } from './cluster.js';
import { minTolerationTime } from './taints.js';

/**
 * The NoExecute taint manager (pkg/controller/nodelifecycle/scheduler/taint_manager.go): when a
 * node carries NoExecute taints, each pod bound to it is deleted exactly when its shortest matching
 * toleration runs out (at once if a taint is not tolerated, never if the tolerations have no
 * seconds). No rate limit. A taint removed in time cancels the deletion.
 */
export class TaintManager {
  private readonly scheduled = new Map<string, { at: Time; startedAt: Time; handle: EventHandle }>();

  constructor(private readonly cluster: Cluster) {
    cluster.onNode((e) => {
      for (const p of cluster.podsOn(e.node)) this.processPod(p.key);
    });
    cluster.onPod((e) => {
      if (e.gone) this.cancel(e.key);
      else this.processPod(e.key);
    });
  }

  private processPod(key: string): void {
    const pod = this.cluster.pod(key);
    const node = pod?.node !== undefined ? this.cluster.node(pod.node) : undefined;
    if (!pod || !node || pod.deletionTimestamp !== undefined) return this.cancel(key);
    const noExecute = node.taints.filter((t) => t.effect === 'NoExecute');
    if (noExecute.length === 0) return this.cancel(key);
    const toleration = minTolerationTime(noExecute, pod.tolerations);
    if (toleration === Infinity) return this.cancel(key);
    const { sim } = this.cluster.ctx;
    const prev = this.scheduled.get(key);
    // A pending eviction keeps its start; it is only brought forward, never pushed back.
    const startedAt = prev?.startedAt ?? sim.now;
    const at = Math.max(sim.now, startedAt + toleration);
    if (prev && prev.at <= at) return;
    this.cancel(key);
    const handle = sim.at(at, `taint-manager ${this.cluster.name}: evict ${key}`, () => {
      this.scheduled.delete(key);
      const p = this.cluster.pod(key);
      if (!p || p.deletionTimestamp !== undefined) return;
      this.cluster.ctx.trace.emit(sim.now, 'pod-evicted', { cluster: this.cluster.name, pod: key, node: p.node, by: 'taint-manager' });
      this.cluster.delete(key, 'evicted: NoExecute taint not tolerated any longer');
    });
    this.scheduled.set(key, { at, startedAt, handle });
  }

  private cancel(key: string): void {
    const s = this.scheduled.get(key);
    if (!s) return;
    this.cluster.ctx.sim.cancel(s.handle);
    this.scheduled.delete(key);
  }
}
