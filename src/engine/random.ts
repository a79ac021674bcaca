import seedrandom from 'seedrandom';

/** A seeded uniform source; every random draw of a run comes from one of these. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
}

/**
 * Named random streams derived from one run seed. Each component asks for its own stream
 * by a stable name ("liqo/tunnel/leaf-1"), so adding a component never shifts the draws
 * of another. Uses seedrandom's alea (fast to seed and to draw).
 */
export class RandomStreams {
  private readonly streams = new Map<string, Rng>();

  constructor(readonly seed: string) {}

  stream(name: string): Rng {
    let rng = this.streams.get(name);
    if (!rng) {
      const alea = seedrandom.alea(`${this.seed}/${name}`);
      rng = { next: () => alea() };
      this.streams.set(name, rng);
    }
    return rng;
  }
}

/** Seed of replication `run` of an experiment run with `seed`: a pure function of both. */
export const replicationSeed = (seed: number | string, run: number): string => `${seed}#${run}`;
