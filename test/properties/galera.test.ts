import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext, SECOND } from '../../src/engine/index.js';
import { loadProfile } from '../../src/experiment/profiles.js';
import { GaleraCluster, PerconaOperator } from '../../src/galera/index.js';
import { componentIsPrimary, type View } from '../../src/galera/quorum.js';
import { Network, NETWORK_CHANGED } from '../../src/network/index.js';
import { galeraParams, operatorParams, perconaProfileSchema } from '../../src/scenarios/profiles/galera.js';

/** One control-plane action on a member or the network, at a time in the first 3 minutes. */
type Action =
  | { at: number; op: 'partition'; groups: number[] }
  | { at: number; op: 'heal' }
  | { at: number; op: 'isolate' | 'restore' | 'crash' | 'start' | 'leave'; member: number };

const action = (n: number): fc.Arbitrary<Action> => {
  const at = fc.integer({ min: 0, max: 180 * SECOND });
  const member = fc.integer({ min: 0, max: n - 1 });
  return fc.oneof(
    fc.record({ at, op: fc.constant('partition' as const), groups: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: n, maxLength: n }) }),
    fc.record({ at, op: fc.constant('heal' as const) }),
    fc.record({ at, op: fc.constantFrom('isolate' as const, 'restore' as const, 'crash' as const, 'start' as const, 'leave' as const), member }),
  );
};

const schedule = fc.integer({ min: 2, max: 5 }).chain((n) =>
  fc.record({
    weights: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: n, maxLength: n }),
    actions: fc.array(action(n), { maxLength: 25 }),
    seed: fc.string({ maxLength: 6 }),
  }),
);

/**
 * Runs a random schedule against a Galera cluster (one member per site, the operator's full-crash
 * recovery on) and checks, after every event, that the members in a
 * primary state all share one view, and that each newly installed primary view passes the quorum
 * rule against the previous one (bootstraps start a new history).
 */
function check({ weights, actions, seed }: { weights: number[]; actions: Action[]; seed: string }, heal = false, lazy = false): unknown[] {
  const profile = loadProfile('percona-operator-1.11', perconaProfileSchema);
  const ctx = createContext(seed, { trace: true });
  const net = new Network(ctx.bus, { delay: { kind: 'constant', value: 300 }, loss: 0 });
  const names = weights.map((_, i) => `pxc-${i}`);
  const site = (i: number) => `site-${i}`;
  // Lazy: the operator ticks only after a kick (as in the coarse world), on the same 5 s grid.
  let operator: PerconaOperator | undefined;
  const db = new GaleraCluster(ctx, net, 'db', names.map((name, i) => ({ name, site: site(i), weight: weights[i]! })), galeraParams(profile), { changed: () => operator?.kick() });
  operator = new PerconaOperator(ctx, db, operatorParams(profile), () => true, lazy);
  if (lazy) ctx.bus.on(NETWORK_CHANGED, () => operator.kick());
  const weight = new Map(names.map((n, i) => [n, weights[i]!]));

  const bootstraps = new Set<string>();
  const bootstrap = db.bootstrap.bind(db);
  db.bootstrap = (m: string) => {
    bootstraps.add(`${ctx.sim.now}/${m}`);
    bootstrap(m);
  };

  let lastPrimary: View = { id: db.view(names[0]!), members: names };
  let left: string[] = [];
  const primaryViews = () => {
    const byView = new Map<number, string[]>();
    for (const m of names) if (db.state(m) === 'primary' || db.state(m) === 'joining') byView.set(db.view(m), [...(byView.get(db.view(m)) ?? []), m]);
    return byView;
  };
  const verify = () => {
    const views = primaryViews();
    expect([...views.keys()], `primary components at ${ctx.sim.now}µs`).toHaveLength(Math.min(views.size, 1));
    for (const id of views.keys()) {
      if (id === lastPrimary.id) continue;
      // A freshly installed primary view: its whole membership (joining members too) counts.
      const all = names.filter((m) => db.view(m) === id);
      const bootstrapped = all.length === 1 && bootstraps.has(`${ctx.sim.now}/${all[0]}`);
      if (!bootstrapped) expect(componentIsPrimary(all, left, lastPrimary, weight), `view ${all} after ${lastPrimary.members}`).toBe(true);
      lastPrimary = { id, members: all };
      left = [];
    }
  };
  // Checked between events (an install updates its members one by one): the engine reports each
  // event to the trace before firing it, i.e. once the previous event is complete.
  ctx.trace.event = () => verify();
  for (const a of actions) {
    ctx.sim.at(a.at, a.op, () => {
      if (a.op === 'partition') net.partition([0, 1, 2].map((g) => names.flatMap((_, i) => (a.groups[i] === g ? [site(i)] : []))));
      else if (a.op === 'heal') net.healPartition();
      else if (a.op === 'isolate') net.isolate(site(a.member));
      else if (a.op === 'restore') net.restore(site(a.member));
      else if (a.op === 'crash') db.crash(names[a.member]!);
      else if (a.op === 'start') db.start(names[a.member]!);
      else {
        if (lastPrimary.members.includes(names[a.member]!) && db.state(names[a.member]!) === 'primary') left.push(names[a.member]!);
        db.leave(names[a.member]!);
      }
    });
  }
  if (heal) {
    ctx.sim.at(200 * SECOND, 'heal all', () => {
      net.healPartition();
      names.forEach((m, i) => {
        net.restore(site(i));
        db.start(m);
      });
    });
    // A member still non-primary a minute later fails the PXC liveness probe ("needs Primary",
    // MODEL.md §4) and its container restarts; the entrypoint then waits for a primary or a bootstrap.
    ctx.sim.at(260 * SECOND, 'liveness restarts', () => {
      for (const m of names) {
        if (db.state(m) !== 'non-primary') continue;
        db.crash(m, 'liveness probe failed');
        db.start(m);
      }
    });
  }
  ctx.sim.run(600 * SECOND);
  verify();
  if (heal) expect(names.map((m) => db.state(m)), 'all primary after the heal').toEqual(names.map(() => 'primary'));
  return ctx.trace.records.filter((r) => r.kind === 'db-member' || r.kind === 'repair');
}

describe('Galera properties', () => {
  it('no split brain: at most one primary component at any time, and every primary view holds a strict weighted majority of the last primary view (2·W(M∩P) + W(L∩P) > W(P))', () => {
    fc.assert(fc.property(schedule, (s) => void check(s)), { numRuns: 300 });
  });

  it("liveness: once the network heals and every member is started (non-primary ones restarted by their liveness probe), all members end up primary (by joining, or the operator's full-crash bootstrap)", () => {
    fc.assert(fc.property(schedule, (s) => void check(s, true)), { numRuns: 200 });
  });

  it('a lazy operator (a tick only after a kick, as the coarse world runs it) bootstraps when the polling one does: same member histories', () => {
    fc.assert(fc.property(schedule, (s) => void expect(check(s, true, true)).toEqual(check(s, true, false))), { numRuns: 150 });
  });

  it('a lazy operator also acts once the pause after a bootstrap is over (a second full crash within it)', () => {
    const at = (seconds: number, op: 'crash' | 'start', member: number): Action => ({ at: seconds * SECOND, op, member });
    const twice = { weights: [1, 1], seed: 's', actions: [at(1, 'crash', 0), at(1, 'crash', 1), at(2, 'start', 0), at(2, 'start', 1), at(20, 'crash', 0), at(20, 'crash', 1), at(21, 'start', 0), at(21, 'start', 1)] };
    const polling = check(twice, false, false);
    expect(polling.filter((r) => (r as { kind: string }).kind === 'repair')).toHaveLength(2); // both full crashes recovered
    expect(check(twice, false, true)).toEqual(polling);
  });
});
