import { InputError } from '../experiment/errors.js';
import type { MeasuredMetric, MeasuredOptions } from './measured.js';
import { describe } from './stats.js';

/**
 * A timestamped log of `kubectl get nodes` polls, as a measurement of how long a (virtual) node
 * takes to go NotReady after its link is cut. Accepted lines (blank lines and `#` comments skipped):
 *
 *   <ts> <node> <STATUS> [ROLES AGE VERSION …]   one poll result, e.g. from
 *       while :; do kubectl get nodes --no-headers | sed "s/^/$(date +%s.%N) /"; sleep 0.4; done
 *       kubectl get nodes -w --no-headers | while read l; do echo "$(date -Ins) $l"; done
 *   <ts> NAME STATUS …                           a header line (ignored)
 *   <ts> disconnect [what]                       the instant the link was cut (one per trial)
 *
 * <ts> is epoch seconds (`1712345678.123`) or ISO 8601 (`2024-04-05T19:34:38.123456789+02:00`,
 * `date -Ins` commas accepted; no zone means UTC). Disconnect instants may also be given with `--disconnect`.
 * Each disconnect yields, for every node that was last seen Ready before it, one sample: the time
 * of the first poll showing it NotReady (before the next disconnect) minus the disconnect time.
 */
export function readKubectlLog(path: string, text: string, opts: MeasuredOptions): MeasuredMetric[] {
  const polls: { t: number; node: string; ready: boolean }[] = [];
  const cuts: number[] = [...(opts.disconnects ?? [])];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [ts, first, second] = line.split(/\s+/);
    const t = parseTimestamp(ts!);
    if (t === undefined) throw new InputError(`${path}:${i + 1}: expected a timestamp (epoch seconds or ISO 8601) at the start of the line, got ${JSON.stringify(ts)}`);
    if (first?.toLowerCase() === 'disconnect') return void cuts.push(t);
    if (first === 'NAME') return; // header of a poll
    if (!first || !second) throw new InputError(`${path}:${i + 1}: expected "<ts> <node> <STATUS>" or "<ts> disconnect"`);
    if (opts.node && first !== opts.node) return;
    const status = second.split(',')[0]!;
    if (status !== 'Ready' && status !== 'NotReady' && status !== 'Unknown')
      throw new InputError(`${path}:${i + 1}: expected node STATUS Ready or NotReady, got ${JSON.stringify(second)}`);
    polls.push({ t, node: first, ready: status === 'Ready' });
  });
  if (cuts.length === 0) throw new InputError(`${path}: no disconnect instant (add lines "<ts> disconnect" or pass --disconnect <ts>)`);
  if (polls.length === 0) throw new InputError(`${path}: no node polls ("<ts> <node> <STATUS>") found${opts.node ? ` for node ${opts.node}` : ''}`);
  polls.sort((a, b) => a.t - b.t);
  cuts.sort((a, b) => a - b);

  const samples: number[] = [];
  cuts.forEach((cut, k) => {
    const next = cuts[k + 1] ?? Infinity;
    const lastSeen = new Map<string, boolean>();
    for (const p of polls) if (p.t <= cut) lastSeen.set(p.node, p.ready);
    const done = new Set<string>();
    for (const p of polls) {
      if (p.t <= cut || p.t >= next || p.ready || done.has(p.node) || lastSeen.get(p.node) !== true) continue;
      done.add(p.node);
      samples.push(Math.round((p.t - cut) * 1e6) / 1e6); // µs: epoch floats carry ~0.1 µs of noise
    }
  });
  if (samples.length === 0) throw new InputError(`${path}: no node went from Ready to NotReady after a disconnect`);
  const name = opts.metric ?? 'virtualNodeNotReadyAfterDisconnect';
  return [{ name, unit: 's', stats: describe(samples), samples, where: `${path}:1` }];
}

const ISO = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch seconds, or ISO 8601 with any number of fractional digits; undefined if neither. */
export function parseTimestamp(ts: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(ts)) return Number(ts);
  const m = ISO.exec(ts);
  if (!m) return undefined;
  const zone = m[3] ? (m[3] === 'Z' ? 'Z' : m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z';
  const whole = Date.parse(`${m[1]!.replace(' ', 'T')}${zone}`);
  if (Number.isNaN(whole)) return undefined;
  return whole / 1000 + (m[2] ? Number(`0.${m[2]}`) : 0);
}
