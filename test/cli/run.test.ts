import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers.js';

describe('gridtwin run', () => {
  it('same seed gives byte-identical summary.json and runs.csv; another seed differs', () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    for (const [dir, seed] of [[a, '3'], [b, '3'], [c, '4']] as const) {
      const r = cli(['run', 'experiments/default.yaml', '--runs', '20', '--seed', seed, '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
    }
    const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
    expect(read(b, 'summary.json')).toBe(read(a, 'summary.json'));
    expect(read(b, 'runs.csv')).toBe(read(a, 'runs.csv'));
    expect(read(c, 'runs.csv')).not.toBe(read(a, 'runs.csv'));
    const summary = JSON.parse(read(a, 'summary.json'));
    expect(summary).toMatchObject({ experiment: 'default', seed: 3, runs: 20 });
    expect(summary.metrics.podFailureStreamDowntime).toMatchObject({ unit: 's', n: 20 });
  });

  it('--json prints only the summary', () => {
    const r = cli(['run', 'experiments/default.yaml', '--runs', '2', '--out', tempDir(), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).runs).toBe(2);
  });

  it('trace on or off does not change the results', () => {
    const [a, b] = [tempDir(), tempDir()];
    cli(['run', 'experiments/default.yaml', '--runs', '5', '--out', a]);
    cli(['run', 'experiments/default.yaml', '--runs', '5', '--out', b, '--trace']);
    expect(readFileSync(join(b, 'summary.json'), 'utf8')).toBe(readFileSync(join(a, 'summary.json'), 'utf8'));
    expect(readFileSync(join(b, 'trace.jsonl'), 'utf8')).toContain('"kind":"container-killed"');
  });
});

describe('bad input', () => {
  const bad = (text: string) => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, text);
    const out = join(dir, 'out');
    return { ...cli(['run', file, '--out', out]), file, out };
  };

  it('a wrong type names file, line, field path and what was expected; exit 2, nothing written', () => {
    const text = readFileSync('experiments/default.yaml', 'utf8').replace('runs: 200', 'runs: many');
    const r = bad(text);
    expect(r.code).toBe(2);
    const line = text.split('\n').findIndex((l) => l.includes('runs: many')) + 1;
    expect(r.stderr).toContain(`${r.file}:${line}:`);
    expect(r.stderr).toContain('spec.runs');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(r.out)).toBe(false);
  });

  it('an unknown scenario field is rejected with its path', () => {
    const r = bad(readFileSync('experiments/default.yaml', 'utf8').replace('failAfterStart: 60s', 'failAfterStrat: 60s'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('spec.scenario');
    expect(r.stderr).toContain('failAfterStrat');
  });

  it('invalid YAML and a missing file exit 2', () => {
    expect(bad('spec: [unclosed').code).toBe(2);
    const r = cli(['run', '/nonexistent/x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/x.yaml');
  });

  it('bad CLI arguments exit 2', () => {
    expect(cli(['run', 'experiments/default.yaml', '--runs', '-3']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
    expect(cli(['--help']).code).toBe(0);
  });

  it('validate accepts every bundled experiment', () => {
    for (const f of readdirSync('experiments').filter((f) => f.endsWith('.yaml'))) {
      const r = cli(['validate', join('experiments', f)]);
      expect(r.code, `${f}: ${r.stderr}`).toBe(0);
    }
  });
});

describe('gridtwin from another directory', () => {
  it('finds the bundled model profiles whatever the working directory; a local models/ profile wins', () => {
    const cwd = tempDir();
    const main = resolve('dist/cli/main.js');
    const exp = resolve('experiments/thesis-pod-failure.yaml');
    const run = () => spawnSync(process.execPath, [main, 'run', exp, '--runs', '2', '--json', '--no-plots'], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const bundled = run();
    expect(bundled.stderr).toBe('');
    expect(bundled.status).toBe(0);
    // A user's own copy in ./models (e.g. a calibrated profile) takes precedence over the bundled one.
    mkdirSync(join(cwd, 'models'));
    writeFileSync(join(cwd, 'models', 'openpdc-2.4.yaml'), 'startLatency: 1s\n');
    const local = run();
    expect(local.status).toBe(2);
    expect(local.stderr).toContain(join('models', 'openpdc-2.4.yaml'));
  });
});
