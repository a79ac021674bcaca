import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { presentation } from '../../src/cli/present.js';
import { cli, tempDir } from '../helpers.js';

/**
 * The CLI on a real pseudo-terminal: util-linux `script` gives the child a TTY, as a user's
 * shell would. Skipped where `script` is missing.
 */
const hasScript = spawnSync('script', ['--version']).status === 0;

function onTty(args: string, env: Record<string, string> = {}, ctrlCAfter?: RegExp): Promise<{ code: number | null; out: string }> {
  const full: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...env };
  delete full.CI;
  delete full.NO_COLOR;
  Object.assign(full, env);
  const child = spawn('script', ['-qfec', `${process.execPath} dist/cli/main.js ${args}`, '/dev/null'], { env: full });
  let out = '';
  let sent = false;
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    // Ctrl-C typed at the terminal: the pty turns it into SIGINT for the running command.
    if (ctrlCAfter && !sent && ctrlCAfter.test(out)) {
      sent = true;
      setTimeout(() => child.stdin.write('\x03'), 300);
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out })));
}

const SGR_COLOUR = /\x1b\[3[1-7]m/;

describe.skipIf(!hasScript)('gridtwin run on a terminal', () => {
  it('shows the live screen, ends on the summary screen, and writes the same bytes as a piped run', async () => {
    const [live, piped] = [tempDir(), tempDir()];
    const r = await onTty(`run experiments/default.yaml --runs 5 --seed 4 --out ${live}`);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/replication \d\/5/);
    expect(r.out).toContain('░');
    // the live view (one worker by default on a terminal); what it shows is tested frame by frame in screen.test
    expect(r.out).toContain('── replication');
    expect(r.out).not.toContain('progress only');
    expect(r.out).toContain('done: 5/5 replications');
    expect(r.out).toMatch(SGR_COLOUR);
    expect(cli(['run', 'experiments/default.yaml', '--runs', '5', '--seed', '4', '--out', piped]).code).toBe(0);
    expect(readFileSync(join(live, 'summary.json'), 'utf8')).toBe(readFileSync(join(piped, 'summary.json'), 'utf8'));
  });

  it('NO_COLOR: no colour codes; --workers 2: progress only; --no-ui: the plain lines', async () => {
    const noColour = await onTty(`run experiments/default.yaml --runs 2 --out ${tempDir()}`, { NO_COLOR: '1' });
    expect(noColour.out).toContain('done: 2/2 replications');
    expect(noColour.out).not.toMatch(SGR_COLOUR);
    const parallel = await onTty(`run experiments/default.yaml --runs 2 --out ${tempDir()} --workers 2`);
    expect(parallel.out).toContain('progress only (live view: --workers 1)');
    expect(parallel.out).toContain('done: 2/2 replications');
    const plain = await onTty(`run experiments/default.yaml --runs 2 --out ${tempDir()} --no-ui`);
    expect(plain.out).toContain('run 2/2  events');
    expect(plain.out).not.toContain('░');
  });

  it('Ctrl-C stops cleanly: exit 130, the finished replications summarised with complete: false', async () => {
    const out = tempDir();
    const r = await onTty(`run experiments/default.yaml --runs 1000000 --out ${out}`, {}, /replication (?:[3-9]|\d{2,})\/\d/); // Ctrl-C once two replications have finished, however loaded the machine
    expect(r.code).toBe(130);
    expect(r.out).toContain('INTERRUPTED');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.complete).toBe(false);
    expect(summary.runs).toBeGreaterThan(0);
    const rows = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n').filter((l) => l.includes(',podFailureStreamDowntime,')).length;
    expect(rows).toBe(summary.metrics.podFailureStreamDowntime.n);
    expect(rows).toBe(summary.runs);
  });
});

describe('choosing the presentation', () => {
  it('live only on a terminal without --no-ui, CI or --json', () => {
    expect(presentation({}, {}, true)).toBe('live');
    expect(presentation({}, {}, false)).toBe('plain');
    expect(presentation({ ui: false }, {}, true)).toBe('plain');
    expect(presentation({}, { CI: 'true' }, true)).toBe('plain');
    expect(presentation({}, { CI: 'false' }, true)).toBe('live');
    expect(presentation({}, { TERM: 'dumb' }, true)).toBe('plain');
    expect(presentation({ json: true }, {}, true)).toBe('json');
    expect(presentation({ json: true }, {}, false)).toBe('json');
  });

  it('piped: progress lines then the metrics table and where results are', () => {
    const out = tempDir();
    const r = cli(['run', 'experiments/default.yaml', '--runs', '4', '--out', out]);
    expect(r.stdout).toContain('run 4/4  events');
    expect(r.stdout).toMatch(/podFailureStreamDowntime\s+s\s+[\d.]+/);
    expect(r.stdout).toContain(`results in ${out}/`);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });
});
