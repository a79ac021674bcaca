import { grown } from './grown.js';

/**
 * Event handles and which of them are still pending. A handle names (id, generation): an id's
 * generation changes each time the id is retired, so a stale handle never cancels the event that
 * reuses the id.
 *
 * Whether an id is pending is one bit of a small bitmap that stays in cache (128 KB at a million
 * ids). The per-id generations, which only `cancel` reads, are logged and written out in batches:
 * one at a time, each store waited for its (likely uncached) line. The free list carries each id's
 * next generation, so neither retiring nor reusing an id reads its record.
 */
export class Handles {
  /** Per id: the generation of its latest handle (valid while its pending bit is set, once flushed). */
  private gen = new Int32Array(256);
  /** Handles allocated since `gen` was last brought up to date. */
  private log = new Float64Array(256);
  private logLength = 0;
  private pendingBits = new Int32Array(8);
  private freeIds = new Int32Array(256);
  private freeGen = new Int32Array(256);
  private freeCount = 0;
  private idCount = 0;

  /** The handle of a free id, now pending under its next generation. */
  alloc(): number {
    let id: number;
    let generation: number;
    if (this.freeCount > 0) {
      id = this.freeIds[--this.freeCount]!;
      generation = this.freeGen[this.freeCount]!;
    } else {
      id = this.idCount++;
      generation = 1;
      if (id >= ID_LIMIT) throw new RangeError(`event queue: more than ${ID_LIMIT} pending events`);
      if (id === this.gen.length) {
        this.gen = grown(this.gen, 2 * id);
        this.freeIds = grown(this.freeIds, 2 * id);
        this.freeGen = grown(this.freeGen, 2 * id);
        this.pendingBits = grown(this.pendingBits, (2 * id) >> 5);
      }
    }
    this.pendingBits[id >> 5]! |= 1 << (id & 31);
    const handle = generation * ID_LIMIT + id;
    if (this.log.length === this.logLength) {
      if (this.logLength < LOG_LIMIT) this.log = grown(this.log, 2 * this.logLength);
      else this.flush();
    }
    this.log[this.logLength++] = handle;
    return handle;
  }

  isPending(handle: number): boolean {
    const id = idOf(handle);
    return ((this.pendingBits[id >> 5]! >>> (id & 31)) & 1) === 1;
  }

  /** Clears the pending bit of a live handle (fired or cancelled). */
  clearPending(handle: number): void {
    const id = idOf(handle);
    this.pendingBits[id >> 5]! &= ~(1 << (id & 31));
  }

  /** True if `handle` names a pending event (not fired, not cancelled, not stale). */
  isCurrent(handle: number): boolean {
    const id = idOf(handle);
    if (!(id >= 0 && id < this.idCount)) return false;
    this.flush();
    return this.gen[id] === generationOf(handle) && this.isPending(handle);
  }

  /**
   * Frees the id of a fired or dropped event (its pending bit is already clear). An id whose
   * generations are used up is never reused: wrapping round would let a handle kept that long
   * cancel the event reusing it (one id lost per 2^26 reuses).
   */
  retire(handle: number): void {
    const generation = generationOf(handle);
    if (generation === GENERATION_LIMIT - 1) return;
    this.freeGen[this.freeCount] = generation + 1;
    this.freeIds[this.freeCount++] = idOf(handle);
  }

  private flush(): void {
    const log = this.log;
    const gen = this.gen;
    for (let k = 0; k < this.logLength; k++) {
      const handle = log[k]!;
      gen[idOf(handle)] = generationOf(handle);
    }
    this.logLength = 0;
  }
}

/** handle = generation · ID_LIMIT + id; generations run 1 … 2^26 − 1, so handles are exact and never 0. */
const ID_LIMIT = 2 ** 26;
const GENERATION_LIMIT = 2 ** 26;
/** Generations logged before they are written out. */
const LOG_LIMIT = 4096;

/** The generation in a handle (exact below 2^53). */
const generationOf = (handle: number): number => Math.floor(handle / ID_LIMIT);
/**
 * The id in a handle: its low 26 bits. `>>> 0` keeps the low 32 bits of an integer below 2^53
 * exactly (ToUint32 is arithmetic modulo 2^32), a truncation instead of a division or a slow fmod.
 */
export const idOf = (handle: number): number => (handle >>> 0) & (ID_LIMIT - 1);
