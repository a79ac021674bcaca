import { grown, padTo } from './grown.js';

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
 * Position `c · CHUNK + k` is entry k of chunk c. A slot's list runs from chunk `head` through
 * `next` links to chunk `tail`, which holds `fill` entries. A list is only ever read whole (moved
 * down a level, or filtered), so it needs no read position.
 */
export class SlotLists<T> {
  keys = new Float64Array(2 * CHUNK * 64);
  payloads: (T | undefined)[] = new Array<T | undefined>(CHUNK * 64).fill(undefined);
  next = new Int32Array(64);
  private chunks = 0;
  private freeChunk = NONE;

  readonly head: Int32Array;
  readonly tail: Int32Array;
  readonly fill: Int32Array;

  constructor(slots: number) {
    this.head = new Int32Array(slots).fill(NONE);
    this.tail = new Int32Array(slots).fill(NONE);
    this.fill = new Int32Array(slots);
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

  /** Entries in chunk `c` of `slot`'s list (the tail chunk may be partly filled). */
  entriesIn(slot: number, c: number): number {
    return c === this.tail[slot] ? this.fill[slot]! : CHUNK;
  }

  /** Forgets a slot's list, giving its chunks back (their payloads must already be let go). */
  release(slot: number): void {
    const last = this.tail[slot]!;
    if (last === NONE) return;
    this.next[last] = this.freeChunk;
    this.freeChunk = this.head[slot]!;
    this.head[slot] = this.tail[slot] = NONE;
    this.fill[slot] = 0;
  }

  /** Keeps, in order, the entries whose handle `keep` accepts; the others' payloads are let go. */
  filter(slot: number, keep: (handle: number) => boolean): void {
    const first = this.head[slot]!;
    if (first === NONE) return;
    const last = this.tail[slot]!;
    const lastFill = this.fill[slot]!;
    this.head[slot] = this.tail[slot] = NONE;
    this.fill[slot] = 0;
    // The old list is read while the kept entries are added to a new one: read through `this` each
    // time, as adding may grow the arrays (the old ones keep the values); its chunks go back last.
    for (let c = first; ; c = this.next[c]!) {
      for (let at = c * CHUNK, end = at + (c === last ? lastFill : CHUNK); at < end; at++) {
        if (keep(this.keys[2 * at + 1]!)) this.add(slot, this.keys[2 * at]!, this.keys[2 * at + 1]!, this.payloads[at]);
        this.payloads[at] = undefined;
      }
      if (c === last) break;
    }
    this.next[last] = this.freeChunk;
    this.freeChunk = first;
  }

  private allocChunk(): number {
    let c = this.freeChunk;
    if (c !== NONE) this.freeChunk = this.next[c]!;
    else {
      c = this.chunks++;
      if (c === this.next.length) this.growTo(2 * c);
    }
    this.next[c] = NONE;
    return c;
  }

  private growTo(chunks: number): void {
    this.keys = grown(this.keys, 2 * CHUNK * chunks);
    this.next = grown(this.next, chunks);
    padTo(this.payloads, CHUNK * chunks);
  }
}
