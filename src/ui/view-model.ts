import { produce, type Draft } from 'immer';
import type { Time, TraceRecord } from '../engine/index.js';

/**
 * What the live view shows of the replication being run, folded from its notable trace records
 * (the shared trace vocabulary in the README). A pure reducer: records in, a new immutable view
 * out; nothing here knows about ink, so it is tested apart from the screen.
 */

export interface NodeView {
  readonly ready: boolean;
  readonly virtual: boolean;
  readonly reason: string;
  /** `key:effect` of the taints on the node now. */
  readonly taints: readonly string[];
}

export interface ClusterView {
  readonly nodes: Readonly<Record<string, NodeView>>;
  /** Phase of each pod the cluster runs (Deleted pods are dropped). */
  readonly pods: Readonly<Record<string, string>>;
  /** Liqo peerings in which this cluster is the consumer: provider → state. */
  readonly peerings: Readonly<Record<string, string>>;
}

export interface StreamView {
  readonly level: string;
  readonly up: boolean;
  /** When it went down (while down). */
  readonly downSince?: Time;
  /** Length of the last finished outage. */
  readonly lastGap?: Time;
}

export type Tone = 'bad' | 'good' | 'info';

export interface LogLine {
  readonly t: Time;
  readonly text: string;
  readonly tone: Tone;
}

export interface LiveView {
  readonly run: number;
  /** The simulated clock of the replication (last slice or record). */
  readonly now: Time;
  readonly clusters: Readonly<Record<string, ClusterView>>;
  /** Percona/Galera: db → member → state. */
  readonly databases: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly streams: Readonly<Record<string, StreamView>>;
  /** Faults injected and not yet repaired, by `what target`. */
  readonly faults: Readonly<Record<string, string>>;
  /** The newest notable events, oldest first (at most LOG_KEEP). */
  readonly log: readonly LogLine[];
  readonly records: number;
}

export const LOG_KEEP = 100;

export const emptyView = (run = 0): LiveView => ({ run, now: 0, clusters: {}, databases: {}, streams: {}, faults: {}, log: [], records: 0 });

const str = (v: unknown, fallback = '?'): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : fallback);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Seconds for a log line: "12.3 s", three significant decimals at most. */
export const seconds = (us: Time): string => `${Number((us / 1e6).toFixed(3))} s`;

const BAD_PHASES = new Set(['Failed', 'Terminating', 'Deleted', 'CrashLoopBackOff', 'Init:CrashLoopBackOff']);
const BAD_DB_STATES = new Set(['non-primary', 'down']);

function cluster(v: Draft<LiveView>, name: string): Draft<ClusterView> {
  return (v.clusters[name] ??= { nodes: {}, pods: {}, peerings: {} });
}

/** New log lines of a batch go to a plain array (not through the immer draft: far cheaper). */
function log(lines: LogLine[], t: Time, tone: Tone, text: string): void {
  lines.push({ t, tone, text });
}

/** Any kind the view does not know: one generic line, so new model records still show. */
function generic(r: TraceRecord): string {
  const fields = Object.entries(r)
    .filter(([k]) => k !== 't' && k !== 'kind')
    .map(([k, val]) => `${k}=${typeof val === 'object' ? JSON.stringify(val) : String(val)}`);
  return [r.kind, ...fields].join(' ');
}

/**
 * Folds one record into the draft. State kinds log only transitions (and bad first states),
 * so a topology announcing its thousands of Ready nodes at t=0 does not flood the log.
 */
function apply(v: Draft<LiveView>, r: TraceRecord, lines: LogLine[]): void {
  v.records++;
  if (r.t > v.now) v.now = r.t;
  switch (r.kind) {
    case 'fault':
    case 'repair': {
      const key = [str(r.what), str(r.target, '')].filter(Boolean).join(' ');
      if (r.kind === 'fault' && r.instant !== true) v.faults[key] = key;
      else delete v.faults[key];
      const why = r.reason ? ` (${str(r.reason)})` : '';
      log(lines, r.t, r.kind === 'fault' ? 'bad' : 'good', `${r.kind === 'fault' ? 'fault injected' : 'repaired'}: ${key}${why}`);
      return;
    }
    case 'node-ready': {
      const nodes = cluster(v, str(r.cluster)).nodes;
      const name = str(r.node);
      const before = nodes[name];
      const ready = r.ready === true;
      const node = { ready, virtual: r.virtual === true, reason: str(r.reason, ''), taints: before?.taints ?? [] };
      nodes[name] = node;
      if (before ? before.ready !== ready : !ready) {
        const what = node.virtual ? 'virtual node' : 'node';
        log(lines, r.t, ready ? 'good' : 'bad', `${what} ${str(r.cluster)}/${name} ${ready ? 'Ready' : 'NotReady'}${node.reason ? ` (${node.reason})` : ''}`);
      }
      return;
    }
    case 'node-taint': {
      const nodes = cluster(v, str(r.cluster)).nodes;
      const name = str(r.node);
      const node = (nodes[name] ??= { ready: true, virtual: false, reason: '', taints: [] });
      const taint = `${str(r.taint)}:${str(r.effect)}`;
      node.taints = node.taints.filter((x) => x !== taint);
      if (r.added === true) node.taints.push(taint);
      log(lines, r.t, r.added === true ? 'bad' : 'good', `taint ${taint} ${r.added === true ? 'added to' : 'removed from'} ${str(r.cluster)}/${name}`);
      return;
    }
    case 'pod-phase': {
      const pods = cluster(v, str(r.cluster)).pods;
      const pod = str(r.pod);
      const phase = str(r.phase);
      const before = pods[pod];
      if (phase === 'Deleted') delete pods[pod];
      else pods[pod] = phase;
      if (before === phase || (before === undefined && !BAD_PHASES.has(phase) && phase !== 'Running' && phase !== 'Ready')) return;
      const started = phase === 'Running' || phase === 'Ready';
      const where = r.node ? ` on ${str(r.cluster)}/${str(r.node)}` : ` in ${str(r.cluster)}`;
      const text = started ? `pod ${pod} ${phase === 'Ready' ? 'ready' : 'started'}${where}` : `pod ${pod} ${phase}${where}`;
      log(lines, r.t, started ? 'good' : BAD_PHASES.has(phase) ? 'bad' : 'info', text + (r.reason ? ` (${str(r.reason)})` : ''));
      return;
    }
    case 'pod-evicted':
      log(lines, r.t, 'bad', `pod ${str(r.pod)} evicted from ${str(r.cluster)}/${str(r.node)}`);
      return;
    case 'container-restart': {
      const backoff = num(r.backoffUs);
      log(lines, r.t, 'bad', `container restart ${str(r.cluster)}/${str(r.pod)} #${str(r.restarts)}${backoff !== undefined ? `, back-off ${seconds(backoff)}` : ''}`);
      return;
    }
    case 'container-killed':
    case 'container-exit': {
      // Kubelet records beside the shared vocabulary: the container of a pod stopped, and why.
      const pod = [r.cluster, r.pod].filter((x) => x !== undefined).map((x) => str(x)).join('/');
      const what = r.kind === 'container-killed' ? 'container killed' : 'container exited';
      log(lines, r.t, 'bad', `${what}${pod ? ` ${pod}` : ''}${r.reason ? `: ${str(r.reason)}` : ''}`);
      return;
    }
    case 'peering': {
      const peerings = cluster(v, str(r.consumer)).peerings;
      const provider = str(r.provider);
      const state = str(r.state);
      if (peerings[provider] === state) return;
      peerings[provider] = state;
      log(lines, r.t, /^(established|up|ready|connected)$/i.test(state) ? 'good' : 'info', `peering ${str(r.consumer)} → ${provider}: ${state}`);
      return;
    }
    case 'db-member': {
      const members = (v.databases[str(r.db)] ??= {});
      const member = str(r.member);
      const state = str(r.state);
      const before = members[member];
      members[member] = state;
      if (before === state || (before === undefined && !BAD_DB_STATES.has(state))) return;
      const why = r.reason ? ` (${str(r.reason)})` : '';
      log(lines, r.t, BAD_DB_STATES.has(state) ? 'bad' : state === 'joining' ? 'info' : 'good', `db ${str(r.db)}: ${member} ${state}${why}`);
      return;
    }
    case 'stream-state': {
      // One stream at each level it reaches (PMU → lower PDC → higher PDC → application).
      const level = str(r.level);
      const key = `${str(r.stream)} (${level})`;
      const before = v.streams[key];
      const up = r.up === true;
      if (up) {
        const gap = before?.downSince !== undefined ? r.t - before.downSince : before?.lastGap;
        v.streams[key] = { level, up, lastGap: gap };
        if (before && !before.up) log(lines, r.t, 'good', `stream ${key} restored${gap !== undefined ? ` after ${seconds(gap)}` : ''}`);
      } else {
        if (before && !before.up) return;
        v.streams[key] = { level, up, downSince: r.t, lastGap: before?.lastGap };
        log(lines, r.t, 'bad', `stream ${key} down`);
      }
      return;
    }
    case 'stream-outage': {
      // The frame-exact outage (last frame before → first frame after); it also means the stream flows again.
      const level = str(r.level);
      const key = `${str(r.stream)} (${level})`;
      const gap = num(r.downtimeUs);
      v.streams[key] = { level, up: true, lastGap: gap };
      const text = `outage ${gap !== undefined ? seconds(gap) : '?'}`;
      const last = lines.length ? lines[lines.length - 1] : v.log[v.log.length - 1];
      // Beside the "restored" line of the same moment, one line says both.
      if (last && last.t === r.t && last.text.startsWith(`stream ${key} restored`)) (last as { text: string }).text = `stream ${key} restored, frame-exact ${text}`;
      else log(lines, r.t, 'info', `stream ${key} ${text}`);
      return;
    }
    default:
      log(lines, r.t, 'info', generic(r));
  }
}

/** Folds a batch of records (one slice of the run) into a new view. */
export function applyRecords(view: LiveView, records: readonly TraceRecord[]): LiveView {
  if (records.length === 0) return view;
  const lines: LogLine[] = [];
  const next = produce(view, (draft) => {
    for (const r of records) apply(draft, r, lines);
  });
  return lines.length ? { ...next, log: [...next.log, ...lines].slice(-LOG_KEEP) } : next;
}

/** The clock moved (a slice ended) without necessarily any record. */
export const atTime = (view: LiveView, now: Time): LiveView => (now === view.now ? view : { ...view, now });

/** Counts for the header lines of each panel. */
export function tally(view: LiveView) {
  let nodes = 0, notReady = 0, virtual = 0;
  for (const c of Object.values(view.clusters)) {
    for (const n of Object.values(c.nodes)) {
      nodes++;
      if (!n.ready) notReady++;
      if (n.virtual) virtual++;
    }
  }
  const streams = Object.values(view.streams);
  return { clusters: Object.keys(view.clusters).length, nodes, notReady, virtual, streams: streams.length, down: streams.filter((s) => !s.up).length };
}
