import { createContext, SECOND } from '../../src/engine/index.js';
import { loadProfile } from '../../src/experiment/profiles.js';
import { GaleraCluster, HaProxy, PerconaOperator, type MemberState } from '../../src/galera/index.js';
import { Network } from '../../src/network/index.js';
import { galeraParams, haproxyParams, operatorParams, perconaProfileSchema } from '../../src/scenarios/profiles/galera.js';

/** A PXC cluster with one member per site ("pxc-0" on "site-0", …) from the operator 1.11 profile. */
export function pxc(sites: number, opts: { seed?: string; overrides?: unknown; haproxyAt?: string } = {}) {
  const profile = loadProfile('percona-operator-1.11', perconaProfileSchema, opts.overrides);
  const ctx = createContext(opts.seed ?? 'g', { trace: true });
  const net = new Network(ctx.bus, { delay: { kind: 'constant', value: 300 }, loss: 0 });
  const specs = Array.from({ length: sites }, (_, i) => ({ name: `pxc-${i}`, site: `site-${i}`, weight: profile.weight }));
  const db = new GaleraCluster(ctx, net, 'cluster1', specs, galeraParams(profile));
  const haproxy = opts.haproxyAt ? new HaProxy(ctx, net, db, 'cluster1-haproxy', opts.haproxyAt, haproxyParams(profile)) : undefined;
  const operator = new PerconaOperator(ctx, db, operatorParams(profile));
  const states = () => db.memberNames().map((m) => db.state(m));
  /** db-member transitions of one member: [seconds, state] (the announcement at bootstrap left out). */
  const history = (member: string): [number, MemberState][] =>
    ctx.trace.records.filter((r) => r.kind === 'db-member' && r.member === member && r.reason !== 'bootstrapped').map((r) => [r.t / SECOND, r.state as MemberState]);
  return { ctx, net, db, haproxy, operator, states, history, profile };
}
