import { loadExperiment } from '../experiment/load.js';
import { runReplication } from '../experiment/run.js';

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
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    // What the run did, so a bench that measured nothing but set-up shows it.
    setupSeconds: r.samples.find((s) => s.name === 'setupTime')?.value ?? 0,
    outages: r.samples.filter((s) => s.name === 'streamDowntimeHigher').length,
  }) + '\n',
);
