import { Bus } from './bus.js';
import { Metrics } from './metrics.js';
import { RandomStreams } from './random.js';
import { Simulator } from './sim.js';
import { Trace } from './trace.js';

/** Everything a model needs from the engine for one replication. */
export interface SimContext {
  readonly sim: Simulator;
  readonly random: RandomStreams;
  readonly bus: Bus;
  readonly trace: Trace;
  readonly metrics: Metrics;
}

export function createContext(seed: string, opts: { trace?: boolean } = {}): SimContext {
  const trace = new Trace(opts.trace ?? false);
  return { sim: new Simulator(trace), random: new RandomStreams(seed), bus: new Bus(), trace, metrics: new Metrics() };
}
