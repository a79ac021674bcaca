import { cpus, loadavg } from 'node:os';
import { medianEngineBench } from './engine.js';
import { writeAtomic } from '../report/write.js';

/** `npm run bench`: prints figures and writes results/bench/*.json. Never part of `npm test`. */
function main(): void {
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage1m: Number(loadavg()[0]!.toFixed(2)) };
  const runs = [medianEngineBench(3, 1_000_000, 3_000_000, false), medianEngineBench(3, 1_000_000, 2_000_000, true)];
  for (const r of runs) {
    console.log(
      `engine ${r.workload}: ${r.pending} pending, ${r.events} events in ${r.wallSeconds} s → ${(r.eventsPerSecond / 1e6).toFixed(2)} M events/s` +
        ` (${(r.eventsPerCpuSecond / 1e6).toFixed(2)} M per CPU-second)`,
    );
  }
  writeAtomic('results/bench/engine.json', JSON.stringify({ machine, runs }, null, 2) + '\n');
  console.log(`wrote results/bench/engine.json (load average ${machine.loadAverage1m} on ${machine.cpus} cores)`);
}

main();
