import fc from 'fast-check';

/**
 * Property tests draw from a fixed seed, so `npm test` (and CI) is reproducible: a red run is red
 * again on rerun. To explore new cases, give another seed: `FC_SEED=12345 npm test`, or
 * `FC_SEED=random npm test` for a fresh one (fast-check prints the seed of any counterexample).
 */
const requested = process.env.FC_SEED;
if (requested !== 'random') fc.configureGlobal({ seed: requested ? Number(requested) : 20261130 });
