import { closeSync, openSync, readSync } from 'node:fs';
import type { Marker, Span } from './plot-specs.js';

/** A trace.jsonl record (`t` in µs). */
export interface Rec {
  t: number;
  kind: string;
  [key: string]: unknown;
}

const S = 1e6;
const LEVELS = ['pmu', 'pdc-lower', 'pdc-higher', 'application'];
/** Rows beyond this are left out of a timeline (a national grid has thousands of streams). */
export const MAX_ROWS = 40;
const MARGIN = 10 * S;

/**
 * The records of replication 0 from a trace.jsonl. Records carrying `run` are selected by it;
 * otherwise replications follow each other in the file and each starts its clock again at 0,
 * so replication 0 ends where time first goes backwards. Reads only as far as needed.
 */
export function readFirstReplication(path: string, maxBytes = 256 * 1024 * 1024): Rec[] {
  const fd = openSync(path, 'r');
  const out: Rec[] = [];
  try {
    const buf = Buffer.alloc(1 << 20);
    let rest = '';
    let read = 0;
    let last = -Infinity;
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      read += n;
      const lines = (rest + buf.toString('utf8', 0, n)).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (!line.trim()) continue;
        const r = JSON.parse(line) as Rec;
        if (typeof r.run === 'number' ? r.run !== 0 : r.t < last) return out;
        last = r.t;
        out.push(r);
      }
      if (read > maxBytes) return out;
    }
    if (rest.trim()) {
      const r = JSON.parse(rest) as Rec;
      if (!(typeof r.run === 'number' ? r.run !== 0 : r.t < last)) out.push(r);
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** The records of one replication from its in-memory trace text (JSON lines). */
export const parseTrace = (text: string): Rec[] =>
  text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Rec);

const markersOf = (recs: readonly Rec[]): Marker[] =>
  recs
    .filter((r) => r.kind === 'fault' || r.kind === 'repair')
    .map((r) => ({ t: r.t / S, label: `${r.kind === 'fault' ? '⚡' : '✓'} ${String(r.what ?? r.kind)}${r.target ? ` ${String(r.target)}` : ''}` }));

export interface Timeline {
  spans: Span[];
  markers: Marker[];
  rows: string[];
  omitted: number;
}

/**
 * Fills each row's gaps with `upState` over the window, keeps at most MAX_ROWS rows. The window
 * ends 10 s after the last record, but never past `horizon` (µs), where the simulation stopped.
 */
function finish(down: Span[], recs: readonly Rec[], allRows: string[], upState: string, horizon?: number): Timeline | undefined {
  if (down.length === 0 && allRows.length === 0) return undefined;
  const markers = markersOf(recs);
  const times = [...down.flatMap((s) => [s.start, s.end]), ...markers.map((m) => m.t)].filter(Number.isFinite);
  const end = Math.max(...times, ...recs.map((r) => r.t / S));
  const stop = Math.min(end + MARGIN / S, horizon === undefined ? Infinity : horizon / S);
  const start = Math.max(0, Math.min(Math.min(...times, end) - MARGIN / S, stop));
  const rows = allRows.slice(0, MAX_ROWS);
  const keep = new Set(rows);
  const spans: Span[] = [];
  for (const row of rows) {
    spans.push({ row, start, end: stop, state: upState });
    for (const s of down) if (s.row === row) spans.push({ ...s, start: Math.max(s.start, start), end: Math.min(s.end, stop) });
  }
  return { spans: spans.filter((s) => keep.has(s.row)), markers: markers.filter((m) => m.t >= start && m.t <= stop), rows, omitted: allRows.length - rows.length };
}

/** Spans of a row's "bad" state from its up/down transitions (the first down to the next up; still down: open-ended). */
function downSpans(recs: readonly Rec[], rowOf: (r: Rec) => string, up: (r: Rec) => boolean | undefined, state: string): Span[] {
  const since = new Map<string, number>();
  const out: Span[] = [];
  for (const r of recs) {
    const row = rowOf(r);
    const isUp = up(r);
    if (isUp === false && !since.has(row)) since.set(row, r.t / S);
    if (isUp === true && since.has(row)) out.push({ row, start: since.get(row)!, end: r.t / S, state }), since.delete(row);
  }
  for (const [row, start] of since) out.push({ row, start, end: Infinity, state });
  return out;
}

/**
 * Stream outages per chain level: per row from its `stream-outage` records (last frame before →
 * first after) where the models emit them, else from that row's `stream-state` up/down
 * transitions (not every level reports outages: pdc-lower only reports its state).
 */
export function streamTimeline(recs: readonly Rec[], horizon?: number): Timeline | undefined {
  const rowOf = (r: Rec) => `${String(r.level)} · ${String(r.stream)}`;
  const down: Span[] = [];
  const outages = recs.filter((r) => r.kind === 'stream-outage');
  for (const r of outages) {
    // An outage with no frame before it (down from the start) begins at the start of the window.
    const start = typeof r.lastBefore === 'number' ? r.lastBefore / S : -Infinity;
    const end = typeof r.firstAfter === 'number' ? r.firstAfter / S : Infinity;
    down.push({ row: rowOf(r), start, end, state: 'down' });
  }
  const withOutages = new Set(outages.map(rowOf));
  const states = recs.filter((r) => r.kind === 'stream-state' && !withOutages.has(rowOf(r)));
  down.push(...downSpans(states, rowOf, (r) => (typeof r.up === 'boolean' ? r.up : undefined), 'down'));
  const seen = recs.filter((r) => r.kind === 'stream-outage' || r.kind === 'stream-state');
  // Streams with an outage first; within a stream the chain order (PMU → application), as the eye follows the fault.
  const key = new Map(seen.map((r) => [rowOf(r), { stream: String(r.stream), level: LEVELS.indexOf(String(r.level)) }]));
  const hit = new Set(down.map((s) => key.get(s.row)!.stream));
  const rows = [...key.keys()].sort((a, b) => {
    const [x, y] = [key.get(a)!, key.get(b)!];
    return Number(hit.has(y.stream)) - Number(hit.has(x.stream)) || (x.stream < y.stream ? -1 : x.stream > y.stream ? 1 : 0) || x.level - y.level;
  });
  return seen.length ? finish(down, recs, rows, 'up', horizon) : undefined;
}

/** Node readiness per (cluster, node): NotReady spans from `node-ready` records; virtual nodes marked. */
export function nodeTimeline(recs: readonly Rec[], horizon?: number): Timeline | undefined {
  const nodes = recs.filter((r) => r.kind === 'node-ready');
  if (nodes.length === 0) return undefined;
  const rowOf = (r: Rec) => `${String(r.cluster)}/${String(r.node)}${r.virtual ? ' (virtual)' : ''}`;
  const down = downSpans(nodes, rowOf, (r) => (typeof r.ready === 'boolean' ? r.ready : undefined), 'NotReady');
  const rows = [...new Set(nodes.map(rowOf))];
  const hasDown = new Set(down.map((s) => s.row));
  rows.sort((a, b) => Number(hasDown.has(b)) - Number(hasDown.has(a)) || (a < b ? -1 : a > b ? 1 : 0));
  return finish(down, recs, rows, 'Ready', horizon);
}
