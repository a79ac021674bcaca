import { z } from 'zod';
import { duration, durationDist, period } from '../../experiment/schema.js';
import { clockFromPeriod, clockFromRate, type FrameClock, type OpenPdcParams, type PmuFormat } from '../../grid/index.js';

/** `models/openpdc-*.yaml`. */
export const openPdcProfileSchema = z.strictObject({
  startLatency: durationDist(),
  configLoad: durationDist(),
  initDuration: durationDist(),
  initFailDuration: durationDist(),
  cacheOnVolume: z.boolean(),
  input: z.strictObject({ reconnectInterval: period(), dataLossInterval: period() }),
  concentrator: z.strictObject({
    lagTime: duration(),
    leadTime: duration(),
    preemptivePublishing: z.boolean(),
    framesPerSecond: z.number().int().min(1).max(1000),
  }),
});
export type OpenPdcProfile = z.infer<typeof openPdcProfileSchema>;

export const openPdcParams = (p: OpenPdcProfile): OpenPdcParams => p;

/** `models/pmu-*.yaml`: a rate (fps) or an exact period, the frame layout, start-up. */
export const pmuProfileSchema = z
  .strictObject({
    framePeriod: period().optional(),
    fps: z.number().int().min(1).max(1000).optional(),
    format: z.strictObject({
      phasors: z.number().int().min(0).max(1000),
      analogs: z.number().int().min(0).max(1000),
      digitals: z.number().int().min(0).max(1000),
      numbers: z.enum(['int16', 'float32']),
    }),
    port: z.number().int().min(1).max(65535),
    startLatency: durationDist(),
  })
  .refine((p) => (p.framePeriod === undefined) !== (p.fps === undefined), 'give exactly one of framePeriod and fps');
export type PmuProfile = z.infer<typeof pmuProfileSchema>;

export const pmuClock = (p: PmuProfile, t0 = 0): FrameClock => (p.fps !== undefined ? clockFromRate(p.fps, t0) : clockFromPeriod(p.framePeriod!, t0));
export const pmuFormat = (p: PmuProfile): PmuFormat => p.format;
