import { grown } from './grown.js';

/** Entries per chunk: a chunk's keys fill 8 cache lines; a coarse slot's list is a few chunks long. */
export const CHUNK = 32;
const NONE = -1;

/**
 * The timing wheel's slots: one FIFO list of events per slot, by value — (time, handle) side by
 * side in `keys`, the payload in `payloads` at the same position — in fixed-size chunks taken from
 * one shared arena. Appending and reading go through a chunk in order; a list costs no object of
 * its own, grows without copying, and gives its chunks back for the next slot, so the arena stays
 * as large as the most events ever queued at once.
 *
 * Position `c · CHUNK + k` is entry k of chunk c. A slot's list runs from chunk `head` (its first
 * `read` entries already taken) through `next` links to chunk `tail`, which holds `fill` entries.
 */
export class SlotLists<T> {
  keys = new Float64Array(2 * CHUNK * 64);
  payloads: (T | undefined)[] = new Array<T | undefined>(CHUNK * 64).fill(undefined);
  next = new Int32Array(64);
  private chunks = 0;
  private freeChunk = NONE;
  private freeChunks = 0;

  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly fill: Int32Array;
  readonly read: Int32Array;

  constructor(slots: number) {
    this.head = new Int32Array(slots).fill(NONE);
    this.tail = new Int32Array(slots).fill(NONE);
    this.fill = new Int32Array(slots);
    this.read = new Int32Array(slots);
  }

  add(slot: number, time: number, handle: number, payload: T | undefined): void {
    let c = this.tail[slot]!;
    let k = this.fill[slot]!;
    if (k === CHUNK || c === NONE) {
      const fresh = this.allocChunk();
      if (c === NONE) this.head[slot] = fresh;
      else this.next[c] = fresh;
      this.tail[slot] = c = fresh;
      k = 0;
    }
    this.fill[slot] = k + 1;
    const at = c * CHUNK + k;
    this.keys[2 * at] = time;
    this.keys[2 * at + 1] = handle;
    this.payloads[at] = payload;
  }

  isEmpty(slot: number): boolean {
    return this.head[slot] === NONE;
  }

  /** Position of the first unread entry of a non-empty slot. */
  first(slot: number): number {
    return this.head[slot]! * CHUNK + this.read[slot]!;
  }

  /** Takes the first unread entry (its payload let go); false once the slot is empty. */
  advance(slot: number): boolean {
    const c = this.head[slot]!;
    const k = this.read[slot]!;
    this.payloads[c * CHUNK + k] = undefined;
    if (c === this.tail[slot] && k + 1 === this.fill[slot]) {
      this.release(slot);
      return false;
    }
    if (k + 1 < CHUNK) this.read[slot] = k + 1;
    else {
      this.head[slot] = this.next[c]!;
      this.read[slot] = 0;
      this.freeChunkAt(c);
    }
    return true;
  }

  /** Entries in chunk `c` of `slot`'s list (the tail chunk may be partly filled). */
  entriesIn(slot: number, c: number): number {
    return c === this.tail[slot] ? this.fill[slot]! : CHUNK;
  }

  /** Chunks a slot's list holds. */
  chunksOf(slot: number): number {
    let n = 0;
    for (let c = this.head[slot]!; c !== NONE; c = this.next[c]!) n++;
    return n;
  }

  /** Forgets a slot's list, giving its chunks back (their payloads must already be let go). */
  release(slot: number): void {
    const last = this.tail[slot]!;
    if (last === NONE) return;
    let count = 1;
    for (let c = this.head[slot]!; c !== last; c = this.next[c]!) count++;
    this.next[last] = this.freeChunk;
    this.freeChunk = this.head[slot]!;
    this.freeChunks += count;
    this.head[slot] = this.tail[slot] = NONE;
    this.fill[slot] = this.read[slot] = 0;
  }

  /** Keeps, in order, the unread entries whose handle `keep` accepts; the others' payloads are let go. */
  filter(slot: number, keep: (handle: number) => boolean): void {
    const first = this.head[slot]!;
    if (first === NONE) return;
    this.reserve(this.chunksOf(slot) + 1);
    const { keys, payloads, next } = this;
    const last = this.tail[slot]!;
    const lastFill = this.fill[slot]!;
    let from = this.read[slot]!;
    let count = 0;
    this.head[slot] = this.tail[slot] = NONE;
    this.fill[slot] = this.read[slot] = 0;
    for (let c = first; ; c = next[c]!, from = 0) {
      count++;
      for (let at = c * CHUNK + from, end = c * CHUNK + (c === last ? lastFill : CHUNK); at < end; at++) {
        if (keep(keys[2 * at + 1]!)) this.add(slot, keys[2 * at]!, keys[2 * at + 1]!, payloads[at]);
        payloads[at] = undefined;
      }
      if (c === last) break;
    }
    next[last] = this.freeChunk;
    this.freeChunk = first;
    this.freeChunks += count;
  }

  /** Makes sure `chunks` more can be taken without the arena growing (so positions read stay valid). */
  private reserve(chunks: number): void {
    const needed = this.chunks + Math.max(0, chunks - this.freeChunks);
    if (needed > this.next.length) this.growTo(Math.max(needed, 2 * this.next.length));
  }

  private allocChunk(): number {
    let c = this.freeChunk;
    if (c !== NONE) {
      this.freeChunk = this.next[c]!;
      this.freeChunks--;
    } else {
      c = this.chunks++;
      if (c === this.next.length) this.growTo(2 * c);
    }
    this.next[c] = NONE;
    return c;
  }

  private freeChunkAt(c: number): void {
    this.next[c] = this.freeChunk;
    this.freeChunk = c;
    this.freeChunks++;
  }

  private growTo(chunks: number): void {
    this.keys = grown(this.keys, 2 * CHUNK * chunks);
    this.next = grown(this.next, chunks);
    // Filled in order, never with holes: V8 keeps a packed array fast.
    for (let k = this.payloads.length; k < CHUNK * chunks; k++) this.payloads.push(undefined);
  }
}
