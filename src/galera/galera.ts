import { sampleDuration, SECOND, type Dist, type SimContext, type Time } from '../engine/index.js';
import { NETWORK_CHANGED, type Network, type SiteId } from '../network/index.js';
import { componentIsPrimary, type View } from './quorum.js';
import { transferTime, type StateTransferParams } from './transfer.js';

/** Timeouts of galera's group communication (galera 26.4 gcomm/src/evs_proto.cpp, MODEL.md §4). */
export interface EvsParams {
  /** evs.keepalive_period: a member hears from each peer at least this often. */
  readonly keepalivePeriod: Time;
  /** evs.inactive_check_period: how often peers are checked against the timeouts. */
  readonly inactiveCheckPeriod: Time;
  /** evs.suspect_timeout: silent this long ⇒ suspected; evicted once all others suspect it. */
  readonly suspectTimeout: Time;
  /**
   * evs.inactive_timeout: silent this long ⇒ evicted regardless. Only matters when some peers
   * still hear a member (asymmetric cuts), which the transitive reachability here does not produce:
   * carried for the profile, not used yet.
   */
  readonly inactiveTimeout: Time;
  /** gmcast.peer_timeout: a reconnection attempt to a returning peer (not used yet: merges use `mergeDelay`). */
  readonly peerTimeout: Time;
}

export interface GaleraParams {
  readonly evs: EvsParams;
  /** Delay to merge with a newly reachable peer (gmcast reconnect + view install). */
  readonly mergeDelay: Dist;
  readonly transfer: StateTransferParams;
  /** Bytes of write-sets the primary component commits per second (PDC configuration: nearly idle). */
  readonly writeBytesPerSecond: number;
}

export interface MemberSpec {
  readonly name: string;
  readonly site: SiteId;
  /** pc.weight (galera default 1; the Percona operator writes 10). */
  readonly weight: number;
}

/** db-member trace states. */
export type MemberState = 'down' | 'joining' | 'primary' | 'non-primary';

/** Bus topic: a member changed state (also traced as `db-member`). */
export const DB_MEMBER_CHANGED = 'galera.member';
export interface DbMemberChanged {
  readonly db: string;
  readonly member: string;
  readonly state: MemberState;
}

interface Member extends Omit<MemberSpec, 'site'> {
  /** Where it runs: fixed while running; a member started again elsewhere (rescheduled pod) moves. */
  site: SiteId;
  state: MemberState;
  running: boolean;
  /** Id of the component (view) the member is in, while running. */
  view: number;
  /** Last primary view this member was part of (what the quorum rule compares against). */
  lastPrim: View | undefined;
  /** Committed write-set bytes it holds (galera seqno, in bytes). */
  position: number;
  /** Started while no primary component was reachable: waits for a bootstrap (full-crash recovery). */
  awaitingBootstrap: boolean;
  /** It has looked for peers since it started (the entrypoint then reports the full crash). */
  looked: boolean;
  transfer: ReturnType<SimContext['sim']['at']> | undefined;
}

export interface GaleraOptions {
  /**
   * Re-check the views on every network change (default). The coarse world turns it off and calls
   * `topologyChanged` only for the clusters a fault touched: a national grid has thousands of domains.
   */
  readonly watchNetwork?: boolean;
  /** Called after a member changes state or has looked for peers (what the operator and liveness checks read). */
  readonly changed?: () => void;
}

export type QueryResult = { ok: true; member: string } | { ok: false; error: string };

/** ERROR 1047 of a node outside the primary component (wsrep_ready=OFF). */
export const ER_NOT_PRIMARY = 'ERROR 1047 (08S01): WSREP has not yet prepared node for application use';

/**
 * A Galera (Percona XtraDB) cluster: members on network sites, group views recomputed when the
 * network or a member changes, the primary-component rule, state transfer on rejoin.
 *
 * Detection is EVS's: a change splits a view only once peers have been silent for the suspect
 * timeout (last keepalive 0–1 s before the cut, then the next inactive check), so a cut shorter
 * than that is absorbed; a graceful leave installs the new view at once. Reachability between
 * members is taken as transitive (components = connected components of the reachability graph).
 */
export class GaleraCluster {
  private readonly members = new Map<string, Member>();
  private nextView = 1;
  /** Committed position of the primary component (bytes) and when it was last advanced. */
  private committed = 0;
  private committedAt: Time = 0;
  private readonly rng;
  /** Phase of the members' inactive checks (EVS timers run on their own clock). */
  private readonly checkPhase: Time;

  constructor(
    private readonly ctx: SimContext,
    private readonly network: Network,
    readonly name: string,
    specs: readonly MemberSpec[],
    private readonly params: GaleraParams,
    private readonly options: GaleraOptions = {},
  ) {
    this.rng = ctx.random.stream(`galera/${name}`);
    this.checkPhase = Math.floor(this.rng.next() * params.evs.inactiveCheckPeriod);
    // Bootstrapped and synced at time 0: one primary view of every member.
    const view = this.nextView++;
    const all: View = { id: view, members: specs.map((s) => s.name) };
    for (const s of specs) {
      if (this.members.has(s.name)) throw new RangeError(`galera ${name}: member ${s.name} twice`);
      this.members.set(s.name, { ...s, state: 'primary', running: true, view, lastPrim: all, position: 0, awaitingBootstrap: false, looked: true, transfer: undefined });
      ctx.trace.emit(ctx.sim.now, 'db-member', { db: name, member: s.name, state: 'primary', reason: 'bootstrapped' });
    }
    this.viewSizes.set(view, specs.length);
    if (options.watchNetwork !== false) ctx.bus.on(NETWORK_CHANGED, () => this.topologyChanged());
  }

  has(member: string): boolean {
    return this.members.has(member);
  }

  memberNames(): string[] {
    return [...this.members.keys()];
  }

  state(member: string): MemberState {
    return this.get(member).state;
  }

  /** Id of the view (group component) the member is in; 0 while it is down. */
  view(member: string): number {
    return this.get(member).view;
  }

  site(member: string): SiteId {
    return this.get(member).site;
  }

  /** Whether `member` answers queries: running, in the primary component, synced. */
  serves(member: string): boolean {
    return this.get(member).state === 'primary';
  }

  /** A query sent from `from` straight to `member` (HAProxy sits in between in practice). */
  query(from: SiteId, member: string): QueryResult {
    const m = this.get(member);
    if (!m.running || !this.network.reachable(from, m.site)) return { ok: false, error: `${member} unreachable` };
    if (m.state !== 'primary') return { ok: false, error: ER_NOT_PRIMARY };
    return { ok: true, member };
  }

  /** Is any member of a primary component that `from` can reach? */
  anyPrimaryReachable(from: SiteId): boolean {
    return [...this.members.values()].some((m) => m.state === 'primary' && this.network.reachable(from, m.site));
  }

  /** The member's process dies (pod killed, node crash): peers notice after the EVS timeouts. */
  crash(member: string, reason = 'crash'): void {
    const m = this.get(member);
    if (!m.running) return;
    this.advanceCommitted();
    if (m.state === 'primary') m.position = this.committed;
    this.ctx.sim.cancel(m.transfer);
    m.running = false;
    m.awaitingBootstrap = false;
    m.view = 0;
    this.setState(m, 'down', reason);
    this.scheduleSplitCheck();
  }

  /** Graceful shutdown: the member leaves the view at once and counts as "left" for quorum. */
  leave(member: string): void {
    const m = this.get(member);
    if (!m.running) return;
    const view = this.viewMembers(m.view);
    this.crash(member, 'graceful leave');
    const rest = view.filter((x) => x.name !== member);
    if (rest.length === 0) return;
    const wasPrimary = rest.some((x) => x.state === 'primary');
    const p = rest[0]!.lastPrim;
    this.install(rest, wasPrimary && p !== undefined && componentIsPrimary(rest.map((x) => x.name), [member], p, this.weights()), 'graceful leave');
  }

  /**
   * The member's container starts (at `site`, if its pod was rescheduled there). It joins a
   * reachable primary component; with none (every peer
   * down or cut off) the PXC entrypoint does not start mysqld but waits for the operator to
   * bootstrap someone (full-crash recovery), joining as soon as a primary is reachable.
   */
  start(member: string, site?: SiteId): void {
    const m = this.get(member);
    if (m.running) return;
    if (site !== undefined) m.site = site;
    m.running = true;
    m.view = this.nextView++;
    m.awaitingBootstrap = true;
    m.looked = false;
    this.setState(m, 'non-primary', 'started, looking for a primary component');
    this.ctx.sim.after(sampleDuration(this.params.mergeDelay, this.rng), `galera ${this.name}: ${member} looks for peers`, () => {
      m.looked = true;
      this.merge();
      this.options.changed?.();
    });
  }

  /** pc.bootstrap on `member`: it forms a new primary component alone (operator full-crash recovery). */
  bootstrap(member: string): void {
    const m = this.get(member);
    if (!m.running) return;
    this.advanceCommitted();
    this.committed = Math.max(this.committed, m.position);
    for (const x of this.members.values()) x.awaitingBootstrap = false;
    m.view = this.nextView++;
    m.lastPrim = { id: m.view, members: [m.name] };
    this.setState(m, 'primary', 'bootstrapped');
    this.merge();
  }

  /** Whether `member` runs and waits for a bootstrap (the PXC entrypoint's recovery case). */
  waitingForBootstrap(member: string): boolean {
    const m = this.get(member);
    return m.running && m.awaitingBootstrap;
  }

  /** Running members that started with nothing to join (every peer down): a full crash. */
  awaitingBootstrap(): { name: string; position: number }[] {
    return [...this.members.values()].filter((m) => m.running && m.awaitingBootstrap && m.looked).map((m) => ({ name: m.name, position: m.position }));
  }

  private get(member: string): Member {
    const m = this.members.get(member);
    if (!m) throw new RangeError(`galera ${this.name}: no member ${member}`);
    return m;
  }

  private weights(): Map<string, number> {
    return new Map([...this.members.values()].map((m) => [m.name, m.weight]));
  }

  private viewMembers(view: number): Member[] {
    return [...this.members.values()].filter((m) => m.running && m.view === view);
  }

  /** The network changed around its members (called by the owner when it does not watch the network itself). */
  topologyChanged(): void {
    this.scheduleSplitCheck();
    this.ctx.sim.after(sampleDuration(this.params.mergeDelay, this.rng), `galera ${this.name}: gmcast reconnect`, () => this.merge());
  }

  /**
   * When a peer went silent now: its last keepalive was 0–1 s ago, it is suspected once silent for
   * the suspect timeout, at the next inactive check. Then the view is recomputed from what is
   * reachable *at that moment* (a shorter cut is absorbed).
   */
  private scheduleSplitCheck(): void {
    const { keepalivePeriod, suspectTimeout, inactiveCheckPeriod } = this.params.evs;
    const silentSince = this.ctx.sim.now - Math.floor(this.rng.next() * keepalivePeriod);
    const suspectAt = silentSince + suspectTimeout;
    const k = Math.ceil((suspectAt - this.checkPhase) / inactiveCheckPeriod);
    const at = Math.max(this.ctx.sim.now, this.checkPhase + k * inactiveCheckPeriod);
    this.ctx.sim.at(at, `galera ${this.name}: EVS suspect timeout`, () => this.split());
  }

  /** Splits every view whose members no longer reach each other. */
  private split(): void {
    const views = new Set([...this.members.values()].filter((m) => m.running).map((m) => m.view));
    for (const v of views) {
      const members = this.viewMembers(v);
      const parts = this.components(members);
      const before = members.map((m) => m.name);
      if (parts.length === 1 && parts[0]!.length === members.length && this.viewSize(v) === members.length) continue;
      this.viewSizes.delete(v);
      const wasPrimary = members.some((m) => m.state === 'primary' || m.state === 'joining');
      for (const part of parts) {
        const p = part[0]!.lastPrim;
        const primary = wasPrimary && p !== undefined && componentIsPrimary(part.map((m) => m.name), [], p, this.weights());
        this.install(part, primary, `view of ${before.join(',')} split after suspect timeout`);
      }
    }
    this.merge();
  }

  /** Merges components that reach each other again; the merged component applies the quorum rule. */
  private merge(): void {
    const running = [...this.members.values()].filter((m) => m.running);
    for (let part of this.components(running)) {
      const primaries = part.filter((m) => m.state === 'primary' || m.state === 'joining');
      // Members waiting for a bootstrap only join a primary component.
      if (primaries.length === 0) part = part.filter((m) => !m.awaitingBootstrap);
      // A part inside one view is not a merge (splits wait for the suspect timeout).
      const views = new Set(part.map((m) => m.view));
      if (views.size <= 1) continue;
      // EVS installs no new view while a member of an old one is silent but not yet suspected:
      // the merge waits for that view's split (which merges again), else a member could leave a
      // primary view for another primary one while its old peers still count as primary.
      if ([...views].some((v) => this.viewSize(v) !== part.filter((m) => m.view === v).length)) continue;
      let primary: boolean;
      if (primaries.length > 0) primary = true; // joining a primary component
      else {
        // Non-primary parts only: primary again iff the latest primary view they remember
        // has its quorum among them (e.g. both halves of an even split meet again).
        const p = part.map((m) => m.lastPrim).filter((v): v is View => v !== undefined).sort((a, b) => b.id - a.id)[0];
        primary = p !== undefined && componentIsPrimary(part.map((m) => m.name), [], p, this.weights());
      }
      this.install(part, primary, 'components merged');
    }
  }

  private readonly viewSizes = new Map<number, number>();
  private viewSize(view: number): number {
    return this.viewSizes.get(view) ?? this.viewMembers(view).length;
  }

  /** Connected components of the reachability graph among `ms`, in member order. */
  private components(ms: Member[]): Member[][] {
    const left = [...ms];
    const out: Member[][] = [];
    while (left.length > 0) {
      const comp = [left.shift()!];
      for (let i = 0; i < comp.length; i++) {
        for (let j = left.length - 1; j >= 0; j--) {
          if (this.network.reachable(comp[i]!.site, left[j]!.site)) comp.push(...left.splice(j, 1));
        }
      }
      const order = [...this.members.keys()];
      out.push(comp.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name)));
    }
    return out;
  }

  /** Installs a new view of `part`; primary members behind the committed position catch up by IST/SST. */
  private install(part: Member[], primary: boolean, reason: string): void {
    this.advanceCommitted();
    const id = this.nextView++;
    const view: View = { id, members: part.map((m) => m.name) };
    this.viewSizes.set(id, part.length);
    for (const m of part) {
      m.view = id;
      if (!primary) {
        if (m.state === 'primary') m.position = this.committed;
        this.ctx.sim.cancel(m.transfer);
        m.transfer = undefined;
        this.setState(m, 'non-primary', reason);
        continue;
      }
      m.lastPrim = view;
      m.awaitingBootstrap = false;
      if (m.state === 'primary' || m.state === 'joining') continue;
      const gap = this.committed - m.position;
      if (gap <= 0) {
        this.setState(m, 'primary', reason);
        continue;
      }
      const t = transferTime(this.params.transfer, gap, this.rng);
      this.setState(m, 'joining', `${t.method} of ${gap} bytes (${reason})`);
      m.transfer = this.ctx.sim.after(t.duration, `galera ${this.name}: ${m.name} ${t.method} done`, () => {
        m.transfer = undefined;
        this.advanceCommitted();
        m.position = this.committed;
        this.setState(m, 'primary', `${t.method} complete`);
      });
    }
  }

  /** The primary component commits writes at a steady rate while it exists. */
  private advanceCommitted(): void {
    const now = this.ctx.sim.now;
    if ([...this.members.values()].some((m) => m.state === 'primary')) {
      this.committed += Math.round((this.params.writeBytesPerSecond * (now - this.committedAt)) / SECOND);
    }
    this.committedAt = now;
  }

  private setState(m: Member, state: MemberState, reason: string): void {
    if (m.state === state) return;
    m.state = state;
    this.ctx.trace.emit(this.ctx.sim.now, 'db-member', { db: this.name, member: m.name, state, reason });
    this.ctx.bus.emit<DbMemberChanged>(DB_MEMBER_CHANGED, { db: this.name, member: m.name, state });
    this.options.changed?.();
  }
}
