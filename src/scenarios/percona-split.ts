import { z } from 'zod';
import { sampleDuration, toSeconds, type SimContext } from '../engine/index.js';
import { loadProfile } from '../experiment/profiles.js';
import { duration, durationDist } from '../experiment/schema.js';
import { FaultScheduler, partition } from '../faults/index.js';
import { DB_MEMBER_CHANGED, GaleraCluster, HAPROXY_BACKEND_CHANGED, HaProxy, PerconaOperator } from '../galera/index.js';
import { OpenPdcApp } from '../grid/index.js';
import { KubeCluster } from '../k8s/index.js';
import { Network, NETWORK_CHANGED } from '../network/index.js';
import { openPdcParams, openPdcProfileSchema } from './profiles/grid.js';
import { loadK3s, profileRef } from './profiles/k8s.js';
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
  /**
   * A low-level PDC Deployment in the client's k3s cluster, its pod deleted during the split (a pod
   * failure, a rollout): the replacement's init container must create the PDC database through HAProxy.
   */
  pdc: z
    .strictObject({
      restartAfterSplit: duration().default(30_000_000),
      k3s: profileRef('k3s-1.24-thesis').transform(loadK3s),
      openpdc: z.strictObject({ profile: z.string().default('openpdc-2.4'), overrides: z.unknown().optional() }).default({ profile: 'openpdc-2.4' }),
    })
    .optional(),
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

  const pdc = p.pdc ? startPdc(ctx, net, p.pdc, p.clientSite, haproxy, splitAt + p.pdc.restartAfterSplit) : undefined;

  ctx.sim.at(horizon, 'measure', () => {
    const { metrics } = ctx;
    const blocked = pdc?.blocked[0];
    if (blocked?.until !== undefined) {
      metrics.record('pdcStartBlockedSeconds', 's', toSeconds(blocked.until - blocked.since));
      metrics.record('pdcStartedAfterHeal', 's', toSeconds(blocked.until - healAt));
    }
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

/** The PDC Deployment on the client's cluster; its pod is deleted at `restartAt`. */
function startPdc(ctx: SimContext, net: Network, p: NonNullable<Params['pdc']>, site: string, haproxy: HaProxy, restartAt: number): OpenPdcApp {
  const kc = new KubeCluster(ctx, site, p.k3s);
  kc.addNode({ name: `${site}-vm` });
  const app = new OpenPdcApp(ctx, net, 'pdc-lower', openPdcParams(loadProfile(p.openpdc.profile, openPdcProfileSchema, p.openpdc.overrides)), (from) => haproxy.query(from), []);
  kc.deployments.add({ name: 'pdc', namespace: 'grid', replicas: 1, strategy: { type: 'Recreate' }, template: { image: 'openpdc:2.4', app, initContainers: ['create-db'] } });
  ctx.sim.at(restartAt, 'fault: PDC pod deleted', () => {
    for (const pod of kc.cluster.pods((x) => x.deletionTimestamp === undefined)) {
      ctx.trace.emit(ctx.sim.now, 'fault', { what: 'pod-deleted', target: pod.key, instant: true });
      kc.cluster.delete(pod.key, 'fault injection');
    }
  });
  return app;
}

registerScenario({ kind: 'percona-split', description: 'a 2-member Percona cluster split across two clusters: survivor non-primary, PDC start blocked until the heal', params, build });
