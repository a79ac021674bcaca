import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers.js';

/** A results directory as `gridtwin run` writes it, with the given samples of one or more metrics. */
export function fakeResults(metrics: Record<string, number[]>, unit = 's'): string {
  const dir = tempDir('gridtwin-results-');
  const rows = ['run,seed,metric,unit,value'];
  const summary: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(metrics)) {
    values.forEach((v, i) => rows.push(`${i},1#${i},${name},${unit},${v}`));
    const s = [...values].sort((a, b) => a - b);
    const q = (p: number) => {
      const h = (s.length - 1) * p;
      return s[Math.floor(h)]! + (h - Math.floor(h)) * (s[Math.ceil(h)]! - s[Math.floor(h)]!);
    };
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    const sd = Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, s.length - 1));
    summary[name] = { unit, n: s.length, mean, sd, median: q(0.5), p05: q(0.05), p25: q(0.25), p75: q(0.75), p95: q(0.95), min: s[0], max: s.at(-1) };
  }
  const runs = Math.max(...Object.values(metrics).map((v) => v.length));
  writeFileSync(join(dir, 'runs.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ experiment: 'fake', seed: 1, runs, complete: true, metrics: summary }, null, 2));
  return dir;
}

export function file(name: string, text: string): string {
  const path = join(tempDir('gridtwin-measured-'), name);
  writeFileSync(path, text);
  return path;
}

/** Trace records of one replication with a virtual node going NotReady and a stream outage at every level. */
export function faultTrace(shift = 0): Record<string, unknown>[] {
  const s = (x: number) => Math.round((x + shift) * 1e6);
  const levels = ['pmu', 'pdc-lower', 'pdc-higher', 'application'];
  return [
    { t: s(0), kind: 'node-ready', cluster: 'root', node: 'liqo-leaf1', ready: true, virtual: true, reason: 'peering established' },
    { t: s(0), kind: 'node-ready', cluster: 'leaf1', node: 'leaf1', ready: true, virtual: false, reason: 'kubelet' },
    ...levels.map((level) => ({ t: s(0.5), kind: 'stream-state', stream: 'pmu-1', level, up: true })),
    { t: s(60), kind: 'fault', what: 'link down', target: 'leaf1' },
    ...levels.slice(1).map((level, i) => ({ t: s(60.033 + i * 0.01), kind: 'stream-state', stream: 'pmu-1', level, up: false })),
    { t: s(69.75), kind: 'node-ready', cluster: 'root', node: 'liqo-leaf1', ready: false, virtual: true, reason: 'LiqoNetworkingDown' },
    { t: s(90), kind: 'repair', what: 'link up', target: 'leaf1' },
    { t: s(95), kind: 'node-ready', cluster: 'root', node: 'liqo-leaf1', ready: true, virtual: true, reason: 'tunnel up' },
    ...levels.slice(1).flatMap((level, i) => [
      { t: s(96 + i), kind: 'stream-state', stream: 'pmu-1', level, up: true },
      { t: s(96 + i), kind: 'stream-outage', stream: 'pmu-1', level, lastBefore: s(60.0), firstAfter: s(96 + i), downtimeUs: (36 + i) * 1e6 },
    ]),
  ];
}
