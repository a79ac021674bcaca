import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../experiment/errors.js';
import { writePlots } from '../report/plots.js';

export interface PlotCliOptions {
  with?: string[];
  png?: boolean;
}

export async function plotCommand(dir: string, opts: PlotCliOptions): Promise<number> {
  for (const d of [dir, ...(opts.with ?? [])]) {
    if (!existsSync(join(d, 'summary.json'))) throw new InputError(`${d}: not a results directory (no summary.json; run \`gridtwin run\` first)`);
  }
  let warnings = 0;
  const files = await writePlots(dir, {
    others: opts.with,
    png: opts.png,
    warn: (msg) => {
      warnings++;
      process.stderr.write(`warning: ${msg}\n`);
    },
  });
  for (const f of files) process.stdout.write(`wrote ${f}\n`);
  return warnings ? 1 : 0;
}
