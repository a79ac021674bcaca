import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { within } from '../../src/report/write.js';
import { cli, tempDir } from '../helpers.js';

/** Starts a run, sends `signal` once it has reported progress, and resolves with its exit code. */
function interruptRun(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli/main.js', ...args], { env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (!sent && /run \d+\//.test(stdout)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const csvRuns = (dir: string) => new Set(readFileSync(join(dir, 'runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0])).size;

describe('the CLI never loses or half-writes results', () => {
  for (const [signal, workers] of [['SIGINT', '1'], ['SIGTERM', '2']] as const) {
    it(`${signal} during a run (${workers} worker${workers === '1' ? '' : 's'}) leaves a complete partial summary marked complete: false`, async () => {
      const out = tempDir();
      // A finished run first: an interrupted run over it must leave either it or a consistent partial result.
      expect(cli(['run', 'experiments/default.yaml', '--runs', '3', '--out', out, '--no-ui', '--workers', '1']).code).toBe(0);
      // 200 runs print progress every 20 (the signal comes after the first line) and take seconds.
      const r = await interruptRun(['run', 'experiments/default.yaml', '--runs', '200', '--out', out, '--workers', workers, '--no-ui', '--no-plots'], signal);
      expect(r.code, r.stderr).toBe(130);
      const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
      expect(summary.complete).toBe(false);
      expect(summary.runs).toBeGreaterThan(0);
      expect(summary.runs).toBeLessThan(200);
      expect(csvRuns(out)).toBe(summary.runs); // runs.csv and summary.json describe the same replications
      expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }, 120_000);
  }
});

describe('hostile input through the CLI (representative cases; the loader is fuzzed in-process)', () => {
  const cases: Record<string, string> = {
    'deep nesting': `apiVersion: gridtwin/v1alpha1\nkind: Experiment\nspec: ${'['.repeat(50_000)}\n`,
    'billion laughs': 'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n',
    'too many items': `apiVersion: gridtwin/v1alpha1\nspec: [${Array(300_000).fill('1').join(',')}]\n`,
    'a name that would escape the results folder': readFileSync('experiments/default.yaml', 'utf8').replace('name: default', 'name: ../../escape'),
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`${name}: exit 2, a message without a stack trace, nothing written`, () => {
      const dir = tempDir();
      const file = join(dir, 'bad.yaml');
      writeFileSync(file, text);
      const r = cli(['run', file, '--runs', '1'], { GRIDTWIN_DEBUG: '' });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(existsSync(join(dir, 'results'))).toBe(false);
    });
  }

  it('names inside the results directory cannot escape it', () => {
    expect(() => within('/tmp/out', '../x')).toThrow();
    expect(() => within('/tmp/out', '/etc/passwd')).toThrow();
    expect(() => within('/tmp/out', 'a/../../x')).toThrow();
    expect(within('/tmp/out', 'plots/a.svg')).toBe('/tmp/out/plots/a.svg');
  });
});

describe('shards and merge', () => {
  it('merge of --shard runs is byte-identical to one run (trace included); a missing or foreign shard is exit 2', () => {
    const [single, s0, s1, s2, other, merged] = [tempDir(), tempDir(), tempDir(), tempDir(), tempDir(), tempDir()];
    const args = ['run', 'experiments/default.yaml', '--runs', '7', '--seed', '5', '--trace', '--no-ui', '--workers', '1', '--no-plots'];
    expect(cli([...args, '--out', single]).code).toBe(0);
    [s0, s1, s2].forEach((d, i) => expect(cli([...args, '--shard', `${i}/3`, '--out', d]).code).toBe(0));
    expect(existsSync(join(s0, 'summary.json'))).toBe(false); // a shard is not a result
    expect(cli(['merge', s2, s0, s1, '--out', merged, '--no-plots']).code).toBe(0);
    for (const f of ['summary.json', 'runs.csv', 'trace.jsonl']) expect(readFileSync(join(merged, f), 'utf8'), f).toBe(readFileSync(join(single, f), 'utf8'));

    const missing = cli(['merge', s0, s1, '--out', tempDir()]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('shard 2 of 3 missing');
    expect(cli(['run', 'experiments/default.yaml', '--runs', '7', '--seed', '6', '--no-ui', '--workers', '1', '--no-plots', '--shard', '2/3', '--out', other]).code).toBe(0);
    const foreign = cli(['merge', s0, s1, other, '--out', tempDir()]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('seed 6');
    expect(cli(['merge', s0, s0, s1, '--out', tempDir()]).code).toBe(2);
    expect(cli(['merge', tempDir(), '--out', tempDir()]).code).toBe(2);
  }, 240_000); // a dozen CLI processes, each drawing plots: slow on a loaded machine

  it('bad --shard and --workers arguments exit 2', () => {
    for (const bad of [['--shard', '3/3'], ['--shard', '1'], ['--shard', '-1/2'], ['--workers', '0'], ['--workers', 'many']]) {
      expect(cli(['run', 'experiments/default.yaml', ...bad]).code, bad.join(' ')).toBe(2);
    }
  });
});
