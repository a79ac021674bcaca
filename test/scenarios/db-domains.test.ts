import { describe, expect, it } from 'vitest';
import { createContext, SECOND } from '../../src/engine/index.js';
import { loadProfile } from '../../src/experiment/profiles.js';
import type { GaleraCluster } from '../../src/galera/index.js';
import type { ContainerRef } from '../../src/k8s/index.js';
import { Network } from '../../src/network/index.js';
import { perconaProfileSchema } from '../../src/scenarios/profiles/galera.js';
import { DbDomains } from '../../src/scenarios/world/db-domains.js';
import type { WorkloadSpec } from '../../src/topology/index.js';

/** Domain `d`: 3 PXC pods owned by cluster A, placeable on A–D. */
function setup() {
  const ctx = createContext('db', { trace: true });
  const net = new Network(ctx.bus, { delay: { kind: 'constant', value: 300 }, loss: 0 });
  const percona = loadProfile('percona-operator-1.11', perconaProfileSchema);
  const w = { name: 'd-pxc', kind: 'StatefulSet', app: 'db', owner: 'A', namespace: 'n', replicas: 3, placement: { clusters: ['A', 'B', 'C', 'D'] }, db: 'd' } as WorkloadSpec;
  // The world only answers before the cluster forms (a serving member reachable from the reader).
  const dbs = new DbDomains(ctx, net, [w], percona, { servingAt: () => ['A'], reachable: (a, b) => net.reachable(a, b) });
  const galera = () => (dbs as unknown as { byDomain: Map<string, { galera?: GaleraCluster }> }).byDomain.get('d')!.galera;
  const app = dbs.pxcApp('d-pxc', { kind: 'constant', value: SECOND });
  const live = (pod: string) => app.probe!('liveness', { pod, cluster: '', namespace: 'n', node: '', restarts: 0 } as ContainerRef, ctx.sim.now, true);
  return { ctx, net, dbs, galera, live };
}

// Found by review: a pod that stopped before the cluster formed was bootstrapped as a running
// primary; a member recreated on another cluster kept its first site.
describe('detailed world DB domains (Galera per domain)', () => {
  it('forms only once every member serves at the same time', () => {
    const { dbs, galera } = setup();
    dbs.serving('d-pxc', 'd-pxc-0', 'A');
    dbs.stopped('d-pxc', 'd-pxc-0');
    dbs.serving('d-pxc', 'd-pxc-1', 'B');
    dbs.serving('d-pxc', 'd-pxc-2', 'C');
    expect(galera()).toBeUndefined(); // pxc-0 is not serving
    dbs.serving('d-pxc', 'd-pxc-0', 'A');
    expect(galera()!.memberNames().map((m) => galera()!.state(m))).toEqual(['primary', 'primary', 'primary']);
  });

  it('a member recreated on another cluster rejoins from there', () => {
    const { ctx, net, dbs, galera } = setup();
    for (const [p, c] of [['d-pxc-0', 'A'], ['d-pxc-1', 'B'], ['d-pxc-2', 'C']] as const) dbs.serving('d-pxc', p, c);
    dbs.stopped('d-pxc', 'd-pxc-0');
    ctx.sim.run(30 * SECOND);
    dbs.serving('d-pxc', 'd-pxc-0', 'D');
    ctx.sim.run(60 * SECOND);
    expect(galera()!.site('d-pxc-0')).toBe('D');
    net.partition([['D']]);
    ctx.sim.run(120 * SECOND);
    expect(galera()!.state('d-pxc-0')).toBe('non-primary');
    expect(dbs.readable('d', 'D').ok).toBe(false);
    expect(dbs.readable('d', 'A').ok).toBe(true);
  });

  it("the liveness check needs Primary, except while the member waits for the operator's recovery", () => {
    const { ctx, net, dbs, galera, live } = setup();
    for (const [p, c] of [['d-pxc-0', 'A'], ['d-pxc-1', 'B'], ['d-pxc-2', 'C']] as const) dbs.serving('d-pxc', p, c);
    expect(live('d-pxc-2')).toBe(true);
    net.partition([['C']]);
    ctx.sim.run(60 * SECOND);
    expect(galera()!.state('d-pxc-2')).toBe('non-primary');
    expect(live('d-pxc-2')).toBe(false); // split off: the probe fails, the kubelet restarts it
    dbs.stopped('d-pxc', 'd-pxc-2');
    dbs.serving('d-pxc', 'd-pxc-2', 'C'); // restarted: no primary reachable, it waits (recovery case)
    ctx.sim.run(120 * SECOND);
    expect(galera()!.waitingForBootstrap('d-pxc-2')).toBe(true);
    expect(live('d-pxc-2')).toBe(true);
  });
});
