import { describe, expect, it } from 'vitest';
import { createContext, SECOND } from '../../src/engine/index.js';
import { clusterNicDown, FaultScheduler, partition } from '../../src/faults/index.js';
import { Network } from '../../src/network/index.js';

const world = (seed = 'f') => {
  const ctx = createContext(seed, { trace: true });
  const net = new Network(ctx.bus, { delay: { kind: 'constant', value: 300 }, loss: 0 });
  return { ctx, net, faults: new FaultScheduler(ctx) };
};

describe('FaultScheduler', () => {
  it('a fixed-time NIC-down fault isolates the site for its duration and traces fault/repair', () => {
    const { ctx, net, faults } = world();
    faults.add({ what: 'cluster-nic-down', target: 'leaf-1', timing: { kind: 'at', at: 30 * SECOND, duration: 60 * SECOND } }, clusterNicDown(net, 'leaf-1'));
    ctx.sim.run(31 * SECOND);
    expect(net.reachable('root', 'leaf-1')).toBe(false);
    ctx.sim.run(200 * SECOND);
    expect(net.reachable('root', 'leaf-1')).toBe(true);
    expect(ctx.trace.records.map((r) => [r.kind, r.t])).toEqual([['fault', 30 * SECOND], ['repair', 90 * SECOND]]);
  });

  it('random faults whose durations can only be 0 still let the clock move (≥ 1 µs of up-time each)', () => {
    const { ctx, net, faults } = world();
    faults.add({ what: 'cluster-nic-down', target: 'leaf-1', timing: { kind: 'random', timeToFailure: { kind: 'constant', value: 0 }, timeToRepair: { kind: 'constant', value: 0 } } }, clusterNicDown(net, 'leaf-1'));
    ctx.sim.run(10);
    expect(faults.history).toHaveLength(10); // one failure per µs, each repaired at once
    expect(faults.history.map((r) => r.injectedAt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('random faults alternate up (MTBF) and down (MTTR) periods with the given means', () => {
    const { ctx, net, faults } = world();
    faults.add(
      { what: 'partition', target: 'a|b', timing: { kind: 'random', timeToFailure: { kind: 'exponential', mean: 100 * SECOND }, timeToRepair: { kind: 'exponential', mean: 10 * SECOND } } },
      partition(net, [['a'], ['b']]),
    );
    ctx.sim.run(200_000 * SECOND);
    const h = faults.history.filter((r) => r.repairedAt !== undefined);
    expect(h.length).toBeGreaterThan(1500);
    const down = h.reduce((s, r) => s + (r.repairedAt! - r.injectedAt), 0) / h.length / SECOND;
    const up = h.reduce((s, r, i) => s + (r.injectedAt - (i > 0 ? h[i - 1]!.repairedAt! : 0)), 0) / h.length / SECOND;
    expect(down).toBeGreaterThan(9);
    expect(down).toBeLessThan(11);
    expect(up).toBeGreaterThan(90);
    expect(up).toBeLessThan(110);
    // never injected while already down
    for (let i = 1; i < h.length; i++) expect(h[i]!.injectedAt).toBeGreaterThanOrEqual(h[i - 1]!.repairedAt!);
  });

  it('each random fault draws from its own stream: adding another fault does not move it', () => {
    const times = (extra: boolean) => {
      const { ctx, net, faults } = world('same');
      const timing = { kind: 'random' as const, timeToFailure: { kind: 'exponential' as const, mean: 50 * SECOND }, timeToRepair: { kind: 'constant' as const, value: SECOND }, maxFailures: 5 };
      if (extra) faults.add({ what: 'cluster-nic-down', target: 'x', timing }, clusterNicDown(net, 'x'));
      faults.add({ what: 'cluster-nic-down', target: 'leaf-1', timing }, clusterNicDown(net, 'leaf-1'));
      ctx.sim.run(10_000 * SECOND);
      return faults.history.filter((r) => r.target === 'leaf-1').map((r) => r.injectedAt);
    };
    expect(times(true)).toEqual(times(false));
    expect(times(false)).toHaveLength(5);
  });
});

describe('fault targets', () => {
  it('DB member loss: the member is down during the fault and rejoins after the repair', async () => {
    const { dbMemberLoss } = await import('../../src/faults/index.js');
    const { pxc } = await import('../galera/helpers.js');
    const { ctx, db, states } = pxc(3);
    new FaultScheduler(ctx).add({ what: 'db-member-loss', target: 'pxc-1', timing: { kind: 'at', at: 10 * SECOND, duration: 60 * SECOND } }, dbMemberLoss(db, 'pxc-1'));
    ctx.sim.run(20 * SECOND);
    expect(states()).toEqual(['primary', 'down', 'primary']);
    ctx.sim.run(120 * SECOND);
    expect(states()).toEqual(['primary', 'primary', 'primary']);
  });
});
