import type { Time } from '../engine/index.js';
import type { MetricSummary } from '../report/summary.js';
import { bar, logTime, num, rate, simTime, wallTime } from './format.js';
import { seconds, tally, type ClusterView, type LiveView, type Tone } from './view-model.js';

/**
 * The screen as lines of text with a tone each: pure functions of the run state and the
 * terminal size, so the ink component stays a thin painter and the layout (what fits in a
 * 40×12 terminal, what is cut) is testable without a terminal.
 */
export interface Line {
  readonly text: string;
  readonly tone?: Tone | 'head' | 'dim';
}

export interface RunInfo {
  readonly experiment: string;
  readonly scenario: string;
  readonly seed: number | string;
  /** Replications per point. */
  readonly runs: number;
  readonly horizon: Time;
  /** Number of sweep points; absent for a single experiment. */
  readonly points?: number;
  /** Worker threads; above 1 the replications run elsewhere and only progress is seen here. */
  readonly workers?: number;
}

export interface RunProgress {
  /** Replications finished (of the current sweep point). */
  readonly done: number;
  /** The replication being run, if any. */
  readonly current?: number;
  /** The clock of the running replication. */
  readonly currentSim?: Time;
  /** The sweep point being run (index from 0, and its parameter values). */
  readonly point?: { readonly index: number; readonly label: string };
  /** Simulated time of all finished replications plus the running one. */
  readonly simTime: Time;
  readonly events: number;
  readonly wallMs: number;
  /** Ctrl-C seen: the run ends after the current slice. */
  readonly stopping: boolean;
}

export interface FinalInfo {
  readonly complete: boolean;
  readonly runs: number;
  readonly metrics: Readonly<Record<string, MetricSummary>>;
  /** A sweep: the metrics of each point, labelled by its parameter values. */
  readonly points?: readonly { readonly label: string; readonly metrics: Readonly<Record<string, MetricSummary>> }[];
  readonly out: string;
  /** What was written, relative to `out` ("summary.json", "plots/ (4 files)"). */
  readonly written: readonly string[];
  /** Commands worth running next. */
  readonly next: readonly string[];
}

const line = (text: string, tone?: Line['tone']): Line => ({ text, tone });

/** Below this width, lines that would be cut are split in two instead. */
const NARROW = 64;

function titleLines(info: RunInfo, columns: number): Line[] {
  const what = `gridtwin · ${info.experiment} (${info.scenario})`;
  const how = `seed ${info.seed} · ${info.runs} runs × ${simTime(info.horizon)}`;
  return columns < NARROW ? [line(what, 'head'), line(how, 'head')] : [line(`${what} · ${how}`, 'head')];
}

/** Simulated vs wall time, and the event rate. */
function speed(p: RunProgress): [string, string] {
  const wallS = p.wallMs / 1000;
  const ratio = wallS > 0 ? ` (${rate(p.simTime / 1e6 / wallS)}×)` : '';
  return [`sim ${simTime(p.simTime)} in ${wallTime(p.wallMs)} wall${ratio}`, `${wallS > 0 ? rate(p.events / wallS) : '–'} events/s`];
}

export function headerLines(info: RunInfo, p: RunProgress, columns: number): Line[] {
  const running = p.current !== undefined ? p.current + 1 : Math.max(1, p.done);
  const point = info.points && p.point ? `point ${p.point.index + 1}/${info.points} ${p.point.label} · ` : '';
  const where = `${point}replication ${Math.min(running, info.runs)}/${info.runs}`;
  const [sim, events] = speed(p);
  const oneLine = `${where} · ${sim} · ${events}`;
  const status = oneLine.length <= columns ? [oneLine] : columns < NARROW ? [`${where} · ${events}`, sim] : [where, `${sim} · ${events}`];
  const lines = [...titleLines(info, columns), ...status.map((text) => line(text))];
  // Progress counts the running replication by how far its clock got; a sweep, by points × replications.
  const partial = p.current !== undefined ? Math.min(1, (p.currentSim ?? 0) / info.horizon) : 0;
  const total = info.runs * (info.points ?? 1);
  const before = info.points && p.point ? p.point.index * info.runs : 0;
  const fraction = total > 0 ? Math.min(1, (before + p.done + partial) / total) : 1;
  // Before a replication has finished (or 2 s have passed) the rate is mostly start-up cost: no ETA yet.
  const settled = p.done + before > 0 || p.wallMs >= 2000;
  const eta = fraction > 0 && fraction < 1 ? ` · ETA ${settled ? wallTime((p.wallMs * (1 - fraction)) / fraction) : '…'}` : '';
  const label = ` ${Math.floor(fraction * 100)}%${eta}`;
  lines.push(line(bar(fraction, Math.max(10, columns - label.length - 1)) + label));
  if (p.stopping) lines.push(line('stopping (Ctrl-C): finished replications are kept, the running one is dropped', 'bad'));
  return lines;
}

function countBy(values: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

function clusterLine(name: string, c: ClusterView): Line {
  const nodes = Object.values(c.nodes);
  const real = nodes.filter((n) => !n.virtual);
  const virtual = nodes.filter((n) => n.virtual);
  const ready = (ns: typeof nodes) => `${ns.filter((n) => n.ready).length}/${ns.length} Ready`;
  const parts = [name];
  if (real.length) parts.push(`nodes ${ready(real)}`);
  if (virtual.length) parts.push(`virtual ${ready(virtual)}`);
  const pods = Object.values(c.pods);
  if (pods.length) parts.push(`pods ${countBy(pods)}`);
  const peers = Object.entries(c.peerings);
  if (peers.length) parts.push(`→ ${peers.map(([p, s]) => `${p} ${s}`).join(', ')}`);
  return line(parts.join(' · '), nodes.some((n) => !n.ready) ? 'bad' : undefined);
}

/**
 * A panel: its heading, how many item lines it has, and the items built lazily, so a national
 * topology costs only the lines that fit on the screen.
 */
interface Section {
  head: Line;
  total: number;
  items: () => Iterable<Line>;
}

function* take<T>(items: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  for (const item of items) {
    yield item;
    if (--n <= 0) return;
  }
}

function sections(view: LiveView): Section[] {
  const t = tally(view);
  const out: Section[] = [];
  const faults = Object.keys(view.faults);
  if (faults.length) out.push({ head: line(`faults active: ${faults.join(', ')}`, 'bad'), total: 0, items: () => [] });
  if (t.clusters) {
    const head = `clusters ${t.clusters} · nodes ${t.nodes - t.virtual} + ${t.virtual} virtual · NotReady ${t.notReady}`;
    out.push({
      head: line(head, 'head'),
      total: t.notReady + t.clusters,
      *items() {
        // NotReady first: that is what the user watches for.
        for (const [name, c] of Object.entries(view.clusters)) {
          for (const [node, n] of Object.entries(c.nodes)) {
            if (!n.ready) yield line(`  ✗ ${name}/${node}${n.virtual ? ' (virtual)' : ''} NotReady${n.reason ? `: ${n.reason}` : ''}`, 'bad');
          }
        }
        for (const [name, c] of Object.entries(view.clusters)) yield clusterLine(name, c);
      },
    });
  }
  const dbs = Object.entries(view.databases);
  if (dbs.length) {
    const dbLine = ([db, members]: (typeof dbs)[number]) => {
      const ms = Object.entries(members);
      return line(`${db}: ${ms.map(([m, s]) => `${m} ${s}`).join(' · ')}`, ms.some(([, s]) => s === 'non-primary' || s === 'down') ? 'bad' : undefined);
    };
    out.push({ head: line('percona members', 'head'), total: dbs.length, items: () => dbs.map(dbLine) });
  }
  if (t.streams) {
    let longest: [string, Time] | undefined;
    for (const [name, s] of Object.entries(view.streams)) {
      if (s.lastGap !== undefined && (!longest || s.lastGap > longest[1])) longest = [name, s.lastGap];
    }
    out.push({
      head: line(`streams ${t.streams} · flowing ${t.streams - t.down} · down ${t.down}`, 'head'),
      total: t.down + (longest ? 1 : 0),
      *items() {
        for (const [name, s] of Object.entries(view.streams)) {
          if (!s.up) yield line(`  ✗ ${name} down for ${seconds(view.now - (s.downSince ?? view.now))}`, 'bad');
        }
        if (longest) yield line(`  longest gap so far: ${longest[0]} ${seconds(longest[1])}`, 'dim');
      },
    });
  }
  return out;
}

/** The live panels of the running replication, cut to `rows` lines. */
export function liveLines(view: LiveView, info: RunInfo, rows: number): Line[] {
  const horizon = info.horizon;
  if ((info.workers ?? 1) > 1) {
    return [line(`${info.workers} worker threads: progress only (live view: --workers 1)`, 'dim')].slice(0, rows);
  }
  const lines: Line[] = [line(`── replication ${view.run + 1} · t = ${simTime(view.now)} of ${simTime(horizon)} ──`, 'dim')];
  if (view.records === 0) {
    lines.push(line('no notable records yet: the view fills in as this scenario\'s models emit them', 'dim'));
    return lines.slice(0, rows);
  }
  const logWanted = view.log.length + 1;
  const logReserve = Math.min(logWanted, Math.max(3, Math.floor(rows / 3)));
  let budget = rows - lines.length - logReserve;
  // Rows go round-robin (each panel its heading, then one item each in turn), so a topology
  // of a thousand clusters cannot push the database and the streams off the screen.
  const panels = sections(view);
  const rowsOf = panels.map(() => 0);
  for (let grew = true; grew && budget > 0; ) {
    grew = false;
    for (let i = 0; i < panels.length && budget > 0; i++) {
      const p = panels[i]!;
      if (rowsOf[i]! < 1 + p.total) {
        rowsOf[i]!++;
        budget--;
        grew = true;
      }
    }
  }
  panels.forEach((p, i) => {
    if (rowsOf[i] === 0) return;
    lines.push(p.head);
    const room = rowsOf[i]! - 1;
    if (room >= p.total) lines.push(...p.items());
    else if (room > 0) {
      lines.push(...take(p.items(), room - 1));
      lines.push(line(`  … ${p.total - (room - 1)} more`, 'dim'));
    }
  });
  const logRows = rows - lines.length - 1;
  if (logRows > 0) {
    lines.push(line(`events · ${view.records} records`, 'head'));
    for (const l of view.log.slice(-logRows)) lines.push(line(`${logTime(l.t)}  ${l.text}`, l.tone));
  }
  return lines;
}

/** The metrics table: median and p05–p95 per metric; on a narrow terminal three lines a metric. */
function metricLines(metrics: Readonly<Record<string, MetricSummary>>, columns: number, indent: string): Line[] {
  const rows = Object.entries(metrics);
  if (rows.length === 0) return [line(`${indent}no metrics recorded`, 'dim')];
  if (columns < NARROW + indent.length) {
    const pad = `${indent}  `;
    return rows.flatMap(([name, m]) => [line(indent + name), line(`${pad}median ${num(m.median)} ${m.unit} · n ${m.n}`), line(`${pad}p05–p95 ${num(m.p05)}–${num(m.p95)}`)]);
  }
  const w = Math.min(40, Math.max(6, ...rows.map(([n]) => n.length)));
  const uw = Math.max(4, ...rows.map(([, m]) => m.unit.length)); // "fraction", "frames": columns stay aligned
  const row = (a: string, u: string, m: string, r: string, n: string) =>
    `${indent}${a.length > w ? a.slice(0, w - 1) + '…' : a.padEnd(w)}  ${u.padEnd(uw)} ${m.padStart(9)}  ${r.padEnd(19)} ${n.padStart(6)}`;
  return [line(row('metric', 'unit', 'median', 'p05–p95', 'n'), 'head'), ...rows.map(([name, m]) => line(row(name, m.unit, num(m.median), `${num(m.p05)}–${num(m.p95)}`, String(m.n))))];
}

/** The screen left behind when the run ends: outcome, metrics table, files, next commands. */
export function finalLines(info: RunInfo, p: RunProgress, f: FinalInfo, columns: number): Line[] {
  const lines: Line[] = titleLines(info, columns);
  const count = f.points ? `${f.points.length}/${info.points ?? f.points.length} points × ${info.runs} replications` : `${f.runs}/${info.runs} replications`;
  lines.push(f.complete ? line(`done: ${count}`, 'good') : line(`INTERRUPTED: ${count} kept, summary marked complete: false`, 'bad'));
  const [sim, events] = speed(p);
  lines.push(...(columns < NARROW ? [line(sim, 'dim'), line(events, 'dim')] : [line(`${sim} · ${events}`, 'dim')]));
  lines.push(line(''));
  if (f.points) {
    for (const point of f.points) lines.push(line(point.label, 'head'), ...metricLines(point.metrics, columns, '  '));
  } else lines.push(...metricLines(f.metrics, columns, ''));
  lines.push(line(''));
  lines.push(line(`results in ${f.out}/`, 'head'));
  lines.push(line(`  ${f.written.join('  ')}`));
  if (f.next.length) {
    lines.push(line('next', 'head'));
    for (const cmd of f.next) lines.push(line(`  ${cmd}`));
  }
  return lines;
}
