import { Simulator } from '../engine/index.js';
import { RandomStreams } from '../engine/random.js';

export interface EngineBench {
  workload: string;
  pending: number;
  events: number;
  wallSeconds: number;
  eventsPerSecond: number;
  /** Process CPU time: less sensitive than wall time to other jobs on a shared machine. */
  cpuSeconds: number;
  eventsPerCpuSecond: number;
}

/**
 * Hold model: keep `pending` events in the queue; each fired event schedules one more at a
 * random future time (and, in the cancel mix, also schedules and cancels one). This measures
 * the queue at a steady size, the classic priority-queue benchmark.
 */
export function benchEngine(pending: number, events: number, withCancel: boolean): EngineBench {
  const sim = new Simulator();
  const rng = new RandomStreams('bench').stream('hold');
  const horizon = 1_000_000;
  const noop = () => {};
  const hold = () => {
    sim.after(1 + Math.floor(rng.next() * horizon), 'hold', hold);
    if (withCancel) sim.cancel(sim.after(1 + Math.floor(rng.next() * horizon), 'cancelled', noop));
  };
  for (let i = 0; i < pending; i++) sim.at(Math.floor(rng.next() * horizon), 'hold', hold);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let fired = 0;
  while (fired < events) {
    const before = sim.processed;
    sim.run(sim.now + 50_000);
    fired += sim.processed - before;
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuUsed = process.cpuUsage(cpu0);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  return {
    workload: withCancel ? 'schedule+cancel+pop (hold)' : 'schedule+pop (hold)',
    pending,
    events: fired,
    wallSeconds: Number(wall.toFixed(3)),
    eventsPerSecond: Math.round(fired / wall),
    cpuSeconds: Number(cpu.toFixed(3)),
    eventsPerCpuSecond: Math.round(fired / cpu),
  };
}

/** Median (by wall time) of `repeat` runs: one slow run on a busy machine does not decide the figure. */
export function medianEngineBench(repeat: number, pending: number, events: number, withCancel: boolean): EngineBench {
  const runs = Array.from({ length: repeat }, () => benchEngine(pending, events, withCancel));
  runs.sort((a, b) => a.wallSeconds - b.wallSeconds);
  return runs[Math.floor(repeat / 2)]!;
}
