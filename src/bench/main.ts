import { cpus, loadavg } from 'node:os';
import { medianEngineBench } from './engine.js';
import { benchReplications } from './replications.js';
import { benchWorld, type WorldRun } from './world.js';
import { benchFidelity } from './fidelity.js';
import { writeAtomic } from '../report/write.js';

/**
 * `npm run bench`: prints figures and writes results/bench/*.json. Never part of `npm test`.
 * `npm run bench -- engine` (or replications, national, year, scaling, fidelity) runs one part only.
 */
const machine = () => ({ node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage1m: Number(loadavg()[0]!.toFixed(2)) });
const write = (name: string, data: object) => {
  writeAtomic(`results/bench/${name}.json`, JSON.stringify({ machine: machine(), ...data }, null, 2) + '\n');
  console.log(`  → results/bench/${name}.json (load average ${machine().loadAverage1m} on ${machine().cpus} cores)`);
};

function engine(): void {
  // The target is at 1M pending; smaller queues (a thesis run holds < 1k, a national day ~50k) fit the caches.
  const runs = [
    medianEngineBench(3, 1_000_000, 3_000_000, false),
    medianEngineBench(3, 1_000_000, 2_000_000, true),
    medianEngineBench(3, 100_000, 3_000_000, false),
    medianEngineBench(3, 1_000, 3_000_000, false),
  ];
  for (const r of runs) {
    console.log(
      `engine ${r.workload}: ${r.pending} pending, ${r.events} events in ${r.wallSeconds} s → ${(r.eventsPerSecond / 1e6).toFixed(2)} M events/s` +
        ` (${(r.eventsPerCpuSecond / 1e6).toFixed(2)} M per CPU-second)`,
    );
  }
  write('engine', { target: '≥ 5M events/s with ≥ 1M pending', runs });
}

async function replications(): Promise<void> {
  const r = await benchReplications('experiments/thesis-cluster-failure.yaml', 1000);
  console.log(`thesis cluster failure (${r.experiment}): ${r.runs} replications on ${r.workers} workers in ${r.wallSeconds} s → ${r.replicationsPerSecond} replications/s (${r.events} events)`);
  write('replications', { target: '1000 replications < 5 s', ...r });
}

function national(): void {
  const r = benchWorld(100, 100, 3, 24, 300); // 10,201 clusters, 30,000 streams
  console.log(
    `national: ${r.clusters} clusters, ${r.streams} streams, ~${r.faults} random station failures over ${r.hours} h after ${(r.setupSeconds / 3600).toFixed(1)} h of set-up: ` +
      `${r.wallSeconds} s wall (load ${r.loadSeconds} s, run ${r.runSeconds} s), ${r.events} events, ${r.outages} stream outages, peak ${r.peakRssMB} MB`,
  );
  write('national', {
    target: '24 h of 10,000 clusters and 30,000 streams < 60 s and < 2 GB',
    ...r,
  });
}

/** The brief's "a year of a national grid must be cheap": the national grid, 365 days, every secondary station failing about monthly. */
function year(): void {
  const r = benchWorld(100, 100, 3, 24 * 365, 9800 * 12);
  console.log(
    `year: ${r.clusters} clusters, ${r.streams} streams, ~${r.faults} random station failures over 365 days: ` +
      `${r.wallSeconds} s wall (load ${r.loadSeconds} s, run ${r.runSeconds} s), ${r.events} events, ${r.outages} stream outages, peak ${r.peakRssMB} MB`,
  );
  write('year', { target: 'a year of a national grid must be cheap (cost grows with control-plane events, not frames)', ...r });
}

function scaling(): void {
  const points: WorldRun[] = [];
  for (const [p, s] of [[10, 8], [17, 16], [32, 29], [55, 53], [100, 98]] as const) {
    const r = benchWorld(p, s, 3, 24, 100);
    points.push(r);
    console.log(`scaling: ${r.clusters} clusters, ${r.streams} streams → ${r.wallSeconds} s wall (run ${r.runSeconds} s), ${r.events} events, ${r.outages} stream outages, peak ${r.peakRssMB} MB`);
  }
  // Growth exponent k of wall ≈ c·N^k between the smallest and the largest point (N log N ≈ k slightly above 1).
  const [a, b] = [points[0]!, points[points.length - 1]!];
  const exponent = Number((Math.log(b.wallSeconds / a.wallSeconds) / Math.log(b.clusters / a.clusters)).toFixed(2));
  const runExponent = Number((Math.log(b.runSeconds / a.runSeconds) / Math.log(b.clusters / a.clusters)).toFixed(2));
  console.log(`scaling: wall time grows as N^${exponent} (run phase N^${runExponent}) from ${a.clusters} to ${b.clusters} clusters`);
  write('scaling', { target: 'wall time growing no faster than ~N log N', exponent, runExponent, points });
}

/** Not a speed figure: how closely the coarse fidelity follows the detailed one (a regression check for the closed forms). */
function fidelity(): void {
  const r = benchFidelity(200);
  console.log(
    `fidelity: ${r.cases} random overlapping-fault schedules around a DB domain, coarse vs detailed: ${r.within} within 10 % + 15 s of higher-level stream downtime, ` +
      `|difference| median ${r.medianDiffSeconds} s, p90 ${r.p90DiffSeconds} s; ending with a stream down: coarse ${r.stuck.coarse}, detailed ${r.stuck.detailed}; ` +
      `wall ${r.wallSeconds.coarse} s coarse, ${r.wallSeconds.detailed} s detailed`,
  );
  write('fidelity', { what: 'coarse vs detailed on the same random fault schedules (one replication each)', ...r });
}

async function main(): Promise<void> {
  const only = process.argv[2];
  if (!only || only === 'engine') engine();
  if (!only || only === 'replications') await replications();
  if (!only || only === 'national') national();
  if (!only || only === 'year') year();
  if (!only || only === 'scaling') scaling();
  if (!only || only === 'fidelity') fidelity();
}

await main();
