import type { Time } from '../engine/index.js';

/** openPDC concentrator settings (gsf GSFSchema.sql defaults, MODEL.md §5). */
export interface ConcentratorParams {
  /** How long past its timestamp a frame waits for missing inputs; later measurements are discarded. */
  readonly lagTime: Time;
  /** How far ahead of the local clock a timestamp may be and still be accepted. */
  readonly leadTime: Time;
  /** Publish as soon as every input has arrived (openPDC default: on). */
  readonly preemptivePublishing: boolean;
}

/** What the concentrator does with one timestamp, given when each input's frame arrives. */
export interface Concentrated {
  /** µs after the timestamp at which the frame is published; undefined if nothing arrived in time. */
  readonly publishedAfter?: Time;
  /** Every expected input contributed (else published with the data-invalid flag). */
  readonly complete: boolean;
  /** Indices of inputs whose measurement was discarded as late (after the lag time) or too early. */
  readonly discarded: readonly number[];
}

/**
 * One timestamp through the concentrator. `arrivals[i]` is how long after the timestamp input i's
 * frame arrives (undefined: input down). A measurement arriving after `lagTime` is discarded; one
 * stamped more than `leadTime` ahead (negative arrival beyond −leadTime: a clock off) is rejected.
 * With preemptive publishing the frame goes out once all inputs arrived, else at the lag time —
 * which is why a downstream PDC whose own lag is shorter than this one's lag plus the network
 * delay drops every incomplete frame (MODEL.md §5).
 */
export function concentrate(arrivals: readonly (Time | undefined)[], p: ConcentratorParams): Concentrated {
  const discarded: number[] = [];
  const inTime: Time[] = [];
  arrivals.forEach((a, i) => {
    if (a === undefined) return;
    if (a > p.lagTime || a < -p.leadTime) discarded.push(i);
    else inTime.push(a);
  });
  if (inTime.length === 0) return { complete: false, discarded };
  const complete = inTime.length === arrivals.length;
  const publishedAfter = complete && p.preemptivePublishing ? Math.max(0, ...inTime) : p.lagTime;
  return { publishedAfter, complete, discarded };
}
