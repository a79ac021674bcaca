import { readFileSync } from 'node:fs';
import { loadExperiment } from '../experiment/load.js';
import { runReplication } from '../experiment/run.js';

/**
 * This process's own peak resident memory. getrusage's maxRSS is not it on Linux: a child inherits
 * its parent's high-water mark across fork and exec (the bench parent reached 213 MB, and every
 * world run then "peaked" at 213 MB). VmHWM belongs to this process's address space alone.
 */
function peakRssMB(): number {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Math.round(Number(hwm[1]) / 1024);
  } catch {
    // not Linux: fall back to getrusage
  }
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/**
 * `node dist/bench/one-run.js <experiment.yaml>`: loads and runs replication 0 in a fresh
 * process and prints {loadSeconds, runSeconds, events, peakRssMB} as JSON — a process of its
 * own, so the peak memory is this run's alone.
 */
const file = process.argv[2]!;
const t0 = process.hrtime.bigint();
const exp = loadExperiment(file);
const t1 = process.hrtime.bigint();
const r = runReplication(exp, exp.seed, 0);
const t2 = process.hrtime.bigint();
const seconds = (a: bigint, b: bigint) => Number(((Number(b - a) / 1e9)).toFixed(3));
process.stdout.write(
  JSON.stringify({
    loadSeconds: seconds(t0, t1),
    runSeconds: seconds(t1, t2),
    events: r.events,
    simTime: r.simTime,
    peakRssMB: peakRssMB(),
    // What the run did, so a bench that measured nothing but set-up shows it.
    setupSeconds: r.samples.find((s) => s.name === 'setupTime')?.value ?? 0,
    outages: r.samples.filter((s) => s.name === 'streamDowntimeHigher').length,
  }) + '\n',
);
