import { z } from 'zod';
import { sampleDuration, toSeconds, type SimContext } from '../engine/index.js';
import { loadProfile } from '../experiment/profiles.js';
import { durationDist } from '../experiment/schema.js';
import { FaultScheduler, partition } from '../faults/index.js';
import { DB_MEMBER_CHANGED, GaleraCluster, HAPROXY_BACKEND_CHANGED, HaProxy, PerconaOperator } from '../galera/index.js';
import { Network, NETWORK_CHANGED } from '../network/index.js';
import { galeraParams, haproxyParams, operatorParams, perconaProfileSchema } from './profiles/galera.js';
import { networkProfileSchema, podLinks } from './profiles/network.js';
import { UpDownRecorder } from './measure.js';
import { registerScenario } from './registry.js';

const site = () => z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/);

const params = z.strictObject({
  kind: z.literal('percona-split'),
  percona: z.strictObject({ profile: z.string().default('percona-operator-1.11'), overrides: z.unknown().optional() }).default({ profile: 'percona-operator-1.11' }),
  network: z.strictObject({ profile: z.string().default('network-thesis-lan') }).default({ profile: 'network-thesis-lan' }),
  /** One PXC member per cluster (fluidos ran `pxc.size: 2` with `allowUnsafeConfigurations`). */
  members: z.array(z.strictObject({ name: z.string(), site: site() })).min(1).max(9).default([{ name: 'pxc-0', site: 'leaf-1' }, { name: 'pxc-1', site: 'leaf-2' }]),
  /** Where the client (the PDC) and its HAProxy run. */
  clientSite: site().default('leaf-1'),
  splitAt: durationDist(),
  splitFor: durationDist(),
});
type Params = z.infer<typeof params>;

/**
 * A Percona cluster split across two clusters by a network partition. Shows the quorum rule at
 * work: with 2 members the survivor on the client's side turns non-primary (an even split), so
 * configuration reads through HAProxy fail until the heal — which is what keeps a PDC from starting.
 */
function build(ctx: SimContext, p: Params, horizon: number): void {
  const percona = loadProfile(p.percona.profile, perconaProfileSchema, p.percona.overrides);
  const links = podLinks(loadProfile(p.network.profile, networkProfileSchema));
  const net = new Network(ctx.bus, links.acrossLiqo);
  net.setIntraSite(links.intraSite);
  const db = new GaleraCluster(ctx, net, 'cluster1', p.members.map((m) => ({ ...m, weight: percona.weight })), galeraParams(percona));
  const haproxy = new HaProxy(ctx, net, db, 'cluster1-haproxy', p.clientSite, haproxyParams(percona));
  new PerconaOperator(ctx, db, operatorParams(percona));

  const local = p.members.find((m) => m.site === p.clientSite);
  const localPrimary = local ? new UpDownRecorder(ctx, () => db.serves(local.name), [DB_MEMBER_CHANGED]) : undefined;
  const reads = new UpDownRecorder(ctx, () => haproxy.query(p.clientSite).ok, [DB_MEMBER_CHANGED, HAPROXY_BACKEND_CHANGED, NETWORK_CHANGED]);

  const rng = ctx.random.stream('scenario/percona-split');
  const splitAt = sampleDuration(p.splitAt, rng);
  const healAt = splitAt + sampleDuration(p.splitFor, rng);
  const sites = [...new Set(p.members.map((m) => m.site))];
  new FaultScheduler(ctx).add({ what: 'partition', target: sites.join('|'), timing: { kind: 'at', at: splitAt, duration: healAt - splitAt } }, partition(net, sites.map((s) => [s])));

  ctx.sim.at(horizon, 'measure', () => {
    const { metrics } = ctx;
    if (localPrimary) {
      const lost = localPrimary.firstDownAfter(splitAt);
      if (lost !== undefined) {
        metrics.record('survivorNonPrimaryAfterSplit', 's', toSeconds(lost - splitAt));
        metrics.record('survivorNonPrimaryFor', 's', toSeconds(localPrimary.downTime(splitAt, horizon)));
      }
    }
    metrics.record('dbReadsFailingFor', 's', toSeconds(reads.downTime(splitAt, horizon)));
    const back = reads.periods.find(([a]) => a >= splitAt)?.[1];
    if (back !== undefined) metrics.record('dbReadsBackAfterHeal', 's', toSeconds(back - healAt));
  });
}

registerScenario({ kind: 'percona-split', description: 'a 2-member Percona cluster split across two clusters: survivor non-primary, PDC start blocked until the heal', params, build });
