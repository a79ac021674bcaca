import { z } from 'zod';
import { lognormalFromMoments } from '../engine/dist.js';
import { parseDuration } from '../engine/time.js';

/** A duration written as "33ms", "5s", "24h" (or a number of seconds) → integer µs. */
export const duration = () =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const t = parseDuration(v);
    if (t === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a non-negative duration like "33ms", "5s" or "24h", got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return t;
  });

/** A duration that a timer repeats at: at least 1 µs (1e-320 s is a non-negative duration, not a period). */
export const period = () => duration().refine((t) => t > 0, 'a period must be at least 1us');

/** A Kubernetes liveness probe: first check after initialDelay, then every period; restart after failureThreshold failures in a row. */
export const livenessProbe = () => z.strictObject({ initialDelay: duration(), period: period(), failureThreshold: z.number().int().min(1).max(1000) });

const finite = () => z.number().finite();

/** A distribution of durations (values in the file are durations; in memory, µs). */
export const durationDist = () =>
  z.union([
    duration().transform((value) => ({ kind: 'constant' as const, value })),
    z.strictObject({ kind: z.literal('constant'), value: duration() }),
    z.strictObject({ kind: z.literal('uniform'), min: duration(), max: duration() }).refine((d) => d.min <= d.max, 'min must not exceed max'),
    z.strictObject({ kind: z.literal('normal'), mean: duration(), sd: duration(), min: duration().optional() }),
    z.strictObject({ kind: z.literal('lognormal'), median: duration(), sigma: finite().nonnegative().max(10) }),
    // The same lognormal given by the moments a measurement reports (mean ± sd).
    z.strictObject({ kind: z.literal('lognormal'), mean: duration().refine((t) => t > 0, 'the mean must be at least 1us'), sd: duration() })
      .transform((d) => lognormalFromMoments(d.mean, d.sd) as { kind: 'lognormal'; median: number; sigma: number }),
    z.strictObject({ kind: z.literal('exponential'), mean: duration() }),
    z.strictObject({ kind: z.literal('empirical'), samples: z.array(duration()).min(1).max(100_000) }),
  ]);

export const metadataSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a lowercase name of letters, digits and dashes (it names the results folder)'),
  description: z.string().max(10_000).optional(),
});

/** A field path under `spec`, dot-separated, array indices as numbers: "scenario.topology.generator.primaries". */
export const sweepSchema = z
  .strictObject({
    parameter: z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'a dot-separated field path under spec, e.g. scenario.topology.generator.primaries'),
    values: z.array(z.unknown()).min(1).max(10_000).optional(),
    range: z.strictObject({ from: finite(), to: finite(), step: finite().positive() }).optional(),
  })
  .refine((s) => (s.values === undefined) !== (s.range === undefined), 'give either values or range')
  .refine((s) => !s.range || (s.range.to - s.range.from) / s.range.step <= 10_000, 'at most 10,000 sweep points');

export const experimentSchema = z.strictObject({
  apiVersion: z.literal('gridtwin/v1alpha1'),
  kind: z.literal('Experiment'),
  metadata: metadataSchema,
  spec: z.strictObject({
    seed: z.union([z.number().int().min(0).max(2 ** 31), z.string().max(200)]).default(1),
    runs: z.number().int().min(1).max(1_000_000).default(1),
    /** Simulated horizon of one replication. */
    duration: duration().refine((t) => t > 0 && t <= 10 * 365 * 24 * 3600 * 1e6, 'between 1µs and 10 years'),
    /** The assembly to simulate; its fields are checked by the scenario's own schema. */
    scenario: z.looseObject({ kind: z.string() }),
    /** Metrics to keep (default: every metric the scenario records). */
    measurements: z.array(z.string().min(1)).min(1).optional(),
    /** Run the experiment once per value of one parameter: one result row (point) per value. */
    sweep: sweepSchema.optional(),
  }),
});

export type ExperimentFile = z.infer<typeof experimentSchema>;
