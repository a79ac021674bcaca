import { describe, expect, it } from 'vitest';
import { SECOND } from '../../src/engine/index.js';
import { ER_NOT_PRIMARY } from '../../src/galera/index.js';
import { pxc } from './helpers.js';

describe('GaleraCluster', () => {
  it('a 2-member cluster split across two sites: both sides non-primary after the suspect timeout, refusing queries, primary again after the heal', () => {
    const { ctx, net, db, states, history } = pxc(2);
    ctx.sim.at(10 * SECOND, 'cut', () => net.partition([['site-0'], ['site-1']]));
    ctx.sim.run(14 * SECOND - 1);
    expect(states()).toEqual(['primary', 'primary']); // EVS has not suspected anyone yet (≥ 4 s)
    ctx.sim.run(30 * SECOND);
    expect(states()).toEqual(['non-primary', 'non-primary']);
    const t = history('pxc-0')[0]![0];
    expect(t).toBeGreaterThanOrEqual(14);
    expect(t).toBeLessThanOrEqual(15.5);
    expect(db.query('site-0', 'pxc-0')).toEqual({ ok: false, error: ER_NOT_PRIMARY });
    ctx.sim.at(60 * SECOND, 'heal', () => net.healPartition());
    ctx.sim.run(62 * SECOND);
    expect(states()).toEqual(['primary', 'primary']);
    expect(db.query('site-1', 'pxc-0').ok).toBe(true);
  });

  it('a cut shorter than the suspect timeout is absorbed: no view change', () => {
    const { ctx, net, history } = pxc(2);
    ctx.sim.at(10 * SECOND, 'cut', () => net.isolate('site-1'));
    ctx.sim.at(13 * SECOND, 'heal', () => net.restore('site-1'));
    ctx.sim.run(60 * SECOND);
    expect(history('pxc-0')).toEqual([]);
  });

  it('3 members, one cut off: the majority stays primary, the isolated one rejoins by IST after the heal', () => {
    const { ctx, net, states, history } = pxc(3);
    ctx.sim.at(10 * SECOND, 'cut', () => net.isolate('site-2'));
    ctx.sim.run(30 * SECOND);
    expect(states()).toEqual(['primary', 'primary', 'non-primary']);
    ctx.sim.at(100 * SECOND, 'heal', () => net.restore('site-2'));
    ctx.sim.run(120 * SECOND);
    expect(states()).toEqual(['primary', 'primary', 'primary']);
    expect(history('pxc-2').map(([, s]) => s)).toEqual(['non-primary', 'joining', 'primary']);
  });

  it('3 → 2 → 1: losing a second member loses the primary component', () => {
    const { ctx, db, states } = pxc(3);
    ctx.sim.at(10 * SECOND, 'crash', () => db.crash('pxc-2'));
    ctx.sim.at(30 * SECOND, 'crash', () => db.crash('pxc-1'));
    ctx.sim.run(25 * SECOND);
    expect(states()).toEqual(['primary', 'primary', 'down']);
    ctx.sim.run(60 * SECOND);
    expect(states()).toEqual(['non-primary', 'down', 'down']);
  });

  it('a graceful leave of one of two members keeps the other primary at once', () => {
    const { ctx, db, states } = pxc(2);
    ctx.sim.at(10 * SECOND, 'leave', () => db.leave('pxc-1'));
    ctx.sim.run(10 * SECOND);
    expect(states()).toEqual(['primary', 'down']);
  });

  it('a restarted member whose gap exceeds the gcache rejoins by SST, which takes longer than IST', () => {
    const run = (gcacheBytes: number) => {
      const { ctx, db, history } = pxc(3, { overrides: { transfer: { gcacheBytes } } });
      ctx.sim.at(10 * SECOND, 'crash', () => db.crash('pxc-1'));
      ctx.sim.at(200 * SECOND, 'start', () => db.start('pxc-1'));
      ctx.sim.run(400 * SECOND);
      const h = history('pxc-1');
      const joined = h.find(([, s]) => s === 'joining')![0];
      const synced = h[h.length - 1]!;
      expect(synced[1]).toBe('primary');
      const reason = ctx.trace.records.find((r) => r.kind === 'db-member' && r.member === 'pxc-1' && r.state === 'joining')!.reason as string;
      return { took: synced[0] - joined, method: reason.slice(0, 3) };
    };
    const ist = run(128 * 2 ** 20);
    const sst = run(1000);
    expect(ist.method).toBe('IST');
    expect(sst.method).toBe('SST');
    expect(sst.took).toBeGreaterThan(ist.took + 20);
  });

  it('full crash: restarted members wait; the operator bootstraps the highest seqno and the others join', () => {
    const { ctx, db, states, history } = pxc(3);
    ctx.sim.at(10 * SECOND, 'crash', () => db.crash('pxc-0'));
    ctx.sim.at(50 * SECOND, 'crash all', () => ['pxc-1', 'pxc-2'].forEach((m) => db.crash(m)));
    ctx.sim.at(100 * SECOND, 'start all', () => db.memberNames().forEach((m) => db.start(m)));
    ctx.sim.run(104 * SECOND);
    expect(states()).toEqual(['non-primary', 'non-primary', 'non-primary']);
    ctx.sim.run(300 * SECOND);
    expect(states()).toEqual(['primary', 'primary', 'primary']);
    // pxc-0 crashed first, so it holds fewer write-sets: the bootstrap is on pxc-1.
    const boot = ctx.trace.records.find((r) => r.kind === 'repair')!;
    expect(boot.target).toBe('cluster1/pxc-1');
    expect(boot.t).toBeLessThanOrEqual(106 * SECOND);
    expect(history('pxc-0').some(([, s]) => s === 'joining')).toBe(true);
  });
});

describe('HaProxy', () => {
  it('routes to pxc-0 and fails over to a backup only after `fall` failed checks', () => {
    const { ctx, db, haproxy } = pxc(3, { haproxyAt: 'site-1' });
    ctx.sim.at(20 * SECOND, 'crash', () => db.crash('pxc-0'));
    const seen: [number, string | undefined, boolean][] = [];
    ctx.sim.every(SECOND, 'client', () => seen.push([ctx.sim.now / SECOND, haproxy!.route(), haproxy!.query('site-1').ok]));
    ctx.sim.run(60 * SECOND);
    const firstBackup = seen.find(([, r]) => r === 'pxc-1')![0];
    // two checks 10 s apart after the crash: marked down 10–30 s later
    expect(firstBackup).toBeGreaterThan(20 + 10);
    expect(firstBackup).toBeLessThanOrEqual(20 + 21);
    // in between, queries go to the dead pxc-0 and fail
    expect(seen.filter(([t, , ok]) => t > 20 && t < firstBackup && !ok).length).toBe(firstBackup - 21);
    expect(seen.filter(([t]) => t >= firstBackup).every(([, , ok]) => ok)).toBe(true);
  });

  it('a client cut off from the HAProxy pod gets no answer', () => {
    const { ctx, net, haproxy } = pxc(2, { haproxyAt: 'site-0' });
    net.isolate('site-1');
    expect(haproxy!.query('site-1')).toEqual({ ok: false, error: 'cluster1-haproxy unreachable' });
    ctx.sim.run(SECOND);
  });
});
