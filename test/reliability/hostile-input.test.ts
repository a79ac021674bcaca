import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/experiment/errors.js';
import { loadExperiment } from '../../src/experiment/load.js';
import { runReplication } from '../../src/experiment/run.js';
import { tempDir } from '../helpers.js';

/**
 * Hostile experiment files, in-process (spawning the CLI costs ~300 ms a case). The contract:
 * loading either succeeds — and then one replication runs — or throws an InputError with a
 * one-paragraph message; never another exception, a hang or a stack trace.
 */
const dir = tempDir();
let n = 0;

type Outcome = { ok: true } | { ok: false; message: string };

function attempt(text: string): Outcome {
  const file = join(dir, `case-${n++}.yaml`);
  writeFileSync(file, text);
  try {
    const exp = loadExperiment(file);
    // A mutated `duration` may be a valid 10 simulated years: legal input, but this suite is about
    // refusing bad files, not about long runs, so the replication stops at 1 h.
    runReplication({ ...exp, duration: Math.min(exp.duration, 3600 * 1e6) }, exp.seed, 0);
    return { ok: true };
  } catch (err) {
    if (!(err instanceof InputError)) throw new Error(`not an InputError: ${(err as Error)?.name}: ${(err as Error)?.message}\n--- input ---\n${text.slice(0, 2000)}`);
    expect(err.message.length).toBeGreaterThan(0);
    expect(err.message).not.toMatch(/\n\s+at /);
    return { ok: false, message: err.message };
  }
}

const base = `apiVersion: gridtwin/v1alpha1
kind: Experiment
metadata: {name: hostile}
spec:
  seed: 1
  runs: 1
  duration: 2m
  scenario:
    kind: thesis-pod-failure
    leaves: 2
    k3s: {name: k3s-1.24-thesis}
    liqo: {name: liqo-0.10}
    network: {profile: network-thesis-lan}
    pmu: {profile: pmu-c37.118}
    openPdc: {profile: openpdc-2.4}
    failAfterStart: {kind: uniform, min: 30s, max: 40s}
    liveness: {initialDelay: 5s, period: 5s, failureThreshold: 3}
`;

/** Values that break assumptions: wrong types, huge and negative numbers, odd strings, nesting. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(-1, 0, -0, 1e308, -1e308, 2 ** 53 + 1, 1e-320, Number.MAX_SAFE_INTEGER, 0.5, 'NaN', '.nan', '.inf', '-.inf', '-5s', '1e400s', '9999999999999999h', '', ' ', '33', 'ms', null, true, [], {}),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);

/** Every path to a node of the base document (maps and their leaves). */
function paths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) out.push(...paths(v, [...prefix, Array.isArray(node) ? Number(k) : k]));
  return out;
}
const baseData = parse(base) as Record<string, unknown>;
const basePaths = paths(baseData).filter((p) => p.length > 0);

function setAt(data: unknown, path: (string | number)[], value: unknown, mode: 'replace' | 'add' | 'delete'): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (mode === 'replace') node[last] = value;
  else if (mode === 'delete') delete node[last];
  else if (node[last] && typeof node[last] === 'object') (node[last] as Record<string, unknown>)['unknownField'] = value;
  return copy;
}

describe('hostile experiment files', () => {
  it('property: a mutated valid file (wrong types, huge/negative numbers, unknown/missing fields) loads and runs, or is an InputError', () => {
    let rejected = 0;
    fc.assert(
      fc.property(fc.constantFrom(...basePaths), hostileValue, fc.constantFrom('replace', 'add', 'delete') as fc.Arbitrary<'replace' | 'add' | 'delete'>, (path, value, mode) => {
        if (!attempt(stringify(setAt(baseData, path, value, mode))).ok) rejected++;
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 400) },
    );
    expect(rejected).toBeGreaterThan(100); // the generator does produce bad files
  });

  it('property: random text and random YAML documents are InputErrors, never crashes', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.anything().map((v) => stringify(v) ?? '')), (text) => {
        attempt(text);
      }),
      { numRuns: 300 },
    );
  });

  it('deep nesting, cyclic and exponential aliases, and multi-megabyte files end in an InputError', () => {
    const cases: Record<string, string> = {
      'deep flow nesting': base.replace('seed: 1', `seed: ${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      'deep block nesting': base + Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}- `).join('\n') + '1\n',
      'cyclic alias': base.replace('seed: 1', 'seed: &a [*a]'),
      'self-referencing map': base.replace("metadata: {name: hostile}", 'metadata: &m {name: hostile, self: *m}'),
      'billion laughs': `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n` + base.replace(/^apiVersion.*\n/, ''),
      'multi-megabyte description': base.replace('metadata: {name: hostile}', `metadata: {name: hostile, description: "${'x'.repeat(7_000_000)}"}`),
      'too large a file': base + `# ${'x'.repeat(9 * 1024 * 1024)}\n`,
      'huge empirical list': base.replace('{kind: uniform, min: 30s, max: 40s}', `{kind: empirical, samples: [${Array(500_000).fill('1s').join(',')}]}`),
      'a million lines': base + '#\n'.repeat(1_000_000),
      'wide flow map': base.replace('metadata: {name: hostile}', `metadata: {name: hostile, ${Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join(', ')}}`),
      'duplicate keys': base.replace('runs: 1', 'runs: 1\n  runs: 2'),
      'custom tag': base.replace('seed: 1', 'seed: !!js/function "function(){}"'),
      'NUL bytes': base.replace('hostile', 'host\u0000ile'),
      'BOM and CRLF': '\ufeff' + base.replace(/\n/g, '\r\n'),
      'empty file': '',
      'only a comment': '# nothing\n',
      'a list document': '- 1\n- 2\n',
      'a scalar document': '42\n',
      'two documents': base + '---\n' + base,
    };
    for (const [name, text] of Object.entries(cases)) {
      const t0 = performance.now();
      const outcome = attempt(text);
      const seconds = (performance.now() - t0) / 1000;
      // BOM/CRLF is a valid file, and an unknown tag is only a string (no code runs); everything
      // else must be refused with a message.
      if (name !== 'BOM and CRLF' && name !== 'custom tag') expect(outcome.ok, name).toBe(false);
      expect(seconds, `${name} took ${seconds} s`).toBeLessThan(10); // no hang (a bound, not a timing assertion)
    }
  });
});
