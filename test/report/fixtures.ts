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
