import { sampleDuration, SECOND, type Dist, type Rng, type Time } from '../engine/index.js';

/**
 * Rejoin through state transfer (MODEL.md §4): IST when the missed write-sets are still in the
 * donor's gcache ring, else a full SST (xtrabackup-v2), whose time is dominated by fixed overhead
 * for a small database.
 */
export interface StateTransferParams {
  /** gcache.size (bytes): galera default 128 MB. */
  readonly gcacheBytes: number;
  /** Fixed part of an IST (connection, apply start). */
  readonly istOverhead: Dist;
  readonly istBytesPerSecond: number;
  /** Fixed part of an SST (xtrabackup start, prepare, restart of the joiner). */
  readonly sstOverhead: Dist;
  readonly sstBytesPerSecond: number;
  /** Size of the database an SST copies. */
  readonly dataBytes: number;
}

export function transferTime(p: StateTransferParams, gapBytes: number, rng: Rng): { method: 'IST' | 'SST'; duration: Time } {
  if (gapBytes <= p.gcacheBytes) {
    return { method: 'IST', duration: sampleDuration(p.istOverhead, rng) + Math.round((gapBytes / p.istBytesPerSecond) * SECOND) };
  }
  return { method: 'SST', duration: sampleDuration(p.sstOverhead, rng) + Math.round((p.dataBytes / p.sstBytesPerSecond) * SECOND) };
}
