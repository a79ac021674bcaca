import fc from 'fast-check';
import { SECOND, type SimContext, type Time } from '../../src/engine/index.js';
import type { App, ContainerRef, KubeCluster } from '../../src/k8s/index.js';

/** A node-level fault: its NIC down (containers keep running) or power loss, for `length` µs. */
export interface NodeCut {
  readonly at: number;
  readonly node: number;
  readonly what: 'link' | 'power';
  readonly length: number;
}

export const nodeCut = (nodes: number): fc.Arbitrary<NodeCut> =>
  fc.record({
    at: fc.integer({ min: 0, max: 600 * SECOND }),
    node: fc.integer({ min: 0, max: nodes - 1 }),
    what: fc.constantFrom('link' as const, 'power' as const),
    length: fc.integer({ min: 1 * SECOND, max: 400 * SECOND }),
  });

/** Schedules the cuts on nodes n0, n1, …; at `heal` every node is powered and linked again (overlapping cuts may leave one down). */
export function scheduleCuts(ctx: SimContext, kc: KubeCluster, cuts: readonly NodeCut[], heal: number): void {
  for (const c of cuts) {
    const kubelet = kc.kubelets.get(`n${c.node}`)!;
    const back = Math.min(c.at + c.length, heal);
    if (c.what === 'link') {
      ctx.sim.at(c.at, 'cut link', () => kubelet.setLink(false));
      ctx.sim.at(back, 'heal link', () => kubelet.setLink(true));
    } else {
      ctx.sim.at(c.at, 'power off', () => kubelet.powerOff());
      ctx.sim.at(back, 'power on', () => kubelet.powerOn());
    }
  }
  ctx.sim.at(heal, 'heal all', () => {
    for (const k of kc.kubelets.values()) {
      k.powerOn();
      k.setLink(true);
    }
  });
}

/** An app that records which containers run where (the kubelet tells it on every start and stop). */
export class RunningContainers implements App {
  /** pod name → where (cluster/node) a container of it is running now. */
  readonly where = new Map<string, string[]>();
  readonly maxConcurrent = new Map<string, number>();
  startLatency(): Time {
    return 2 * SECOND;
  }
  started(c: ContainerRef): void {
    const nodes = [...(this.where.get(c.pod) ?? []), `${c.cluster}/${c.node}`];
    this.where.set(c.pod, nodes);
    this.maxConcurrent.set(c.pod, Math.max(this.maxConcurrent.get(c.pod) ?? 0, nodes.length));
  }
  stopped(c: ContainerRef): void {
    const nodes = [...(this.where.get(c.pod) ?? [])];
    nodes.splice(nodes.indexOf(`${c.cluster}/${c.node}`), 1);
    this.where.set(c.pod, nodes);
  }
}
