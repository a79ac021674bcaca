import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../experiment/errors.js';
import { MODELS_DIR, profilePath } from '../experiment/profiles.js';
import { calibrate } from '../report/calibrate.js';
import type { Family } from '../report/fit.js';
import { readMeasured, type MeasuredFormat } from '../report/measured.js';
import { writeAtomic } from '../report/write.js';

export interface CalibrateCliOptions {
  metric?: string;
  parameter: string;
  fit: Family | 'auto';
  measuredOn: string;
  profile?: string;
  out?: string;
  format?: MeasuredFormat;
  unit?: string;
  node?: string;
  disconnect?: number[];
  json?: boolean;
  force?: boolean;
}

export function calibrateCommand(measuredPath: string, opts: CalibrateCliOptions): number {
  const measured = readMeasured(measuredPath, { format: opts.format, unit: opts.unit, metric: opts.metric, node: opts.node, disconnects: opts.disconnect });
  const withSamples = measured.filter((m) => m.samples?.length);
  const m = opts.metric ? measured.find((x) => x.name === opts.metric) : withSamples.length === 1 ? withSamples[0] : undefined;
  if (!m) {
    const names = measured.map((x) => x.name).join(', ');
    throw new InputError(`${measuredPath}: ${opts.metric ? `no metric ${opts.metric}` : 'several metrics'}; choose one with --metric (found: ${names})`);
  }
  if (opts.profile && !/^[a-z0-9][a-z0-9.-]{0,80}$/.test(opts.profile)) throw new InputError(`--profile ${JSON.stringify(opts.profile)}: expected a profile name under ${MODELS_DIR}/`);
  const base = opts.profile ? (profilePath(opts.profile) ?? join(MODELS_DIR, `${opts.profile}.yaml`)) : undefined;
  const out = opts.out ?? (opts.profile ? join(MODELS_DIR, `${opts.profile}-calibrated.yaml`) : undefined);
  if (!out) throw new InputError('--out <file> is needed when no --profile is given');
  if (existsSync(out) && !opts.force) throw new InputError(`${out} exists; pass --force to replace it`);
  const c = calibrate(m, { parameter: opts.parameter, family: opts.fit, measuredOn: opts.measuredOn, source: measuredPath, baseProfile: base });
  writeAtomic(out, c.yaml);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ out, metric: c.metric, unit: c.unit, n: c.n, chosen: c.chosen, candidates: c.candidates }, null, 2) + '\n');
  } else {
    process.stdout.write(`${c.metric}: n = ${c.n} ${c.unit} samples from ${measuredPath}\n`);
    const r = (x: number | undefined) => (x === undefined ? '–' : Number(x.toPrecision(4)));
    for (const f of c.candidates) process.stdout.write(`  ${f.dist.kind.padEnd(12)} AIC ${r(f.aic)}  KS D ${r(f.ks.d)} (p ${r(f.ks.p)})\n`);
    process.stdout.write(`chosen: ${JSON.stringify(c.chosen.dist.kind === 'empirical' ? { kind: 'empirical', n: c.n } : c.chosen.dist)} → ${opts.parameter}\nwrote ${out}\n`);
  }
  return 0;
}
