/**
 * Event queue ordered by (time, sequence). The sequence number is the insertion order, so
 * events at the same instant fire in the order they were scheduled — the tie-break that
 * makes runs deterministic.
 *
 * Built for a million pending events at millions of events per second, without per-event
 * garbage, on what simulated time is: an integer number of µs that never goes backwards. So
 * the queue is a hierarchical timing wheel with exact slots, and needs no comparisons at all:
 *
 *   - the wheel has 5 levels of 2048 slots, one per 11-bit digit of the time (5 × 11 bits ≥ 53):
 *     a level-0 slot is one µs, a level-1 slot 2 ms, level 2 4.2 s, level 3 2.4 h, level 4 203 days;
 *   - the `cursor` is a time no queued event is before; an event goes to the level of the highest
 *     digit in which its time differs from the cursor, in the slot that digit names. At level 0 a
 *     slot therefore holds the events of exactly one instant;
 *   - each slot keeps its events in insertion order. When the cursor enters a slot's block (the
 *     finer levels below it used up), the slot's events move down, in order, to the finer levels.
 *     A block's slot is moved down exactly when the cursor enters the block, so every event of one
 *     instant ends up in one level-0 slot in insertion order: ties need no sequence numbers.
 *
 * An event moves down at most once per level it starts above: once for most delays under 4 s.
 * Passes read and write slots in order, events travelling by value (time, handle, payload), so at
 * a million pending they never chase an event's record to a random place in memory. Measured
 * against 8-bit digits (two moves for most delays): 1M pending hold model 4.4 → 5.2–6.5 M events/s;
 * 10-bit digits were slower (about half the delays cross a 2^20 µs boundary and move twice), 12-bit
 * no faster than 11.

 * A time before the cursor (possible only for a caller that pushes into the past, which the
 * Simulator never does) goes to a small heap on (time, seq) popped first: it is before
 * everything in the wheel.
 *
 * Cancelling needs no search: the event's pending bit is cleared (see Handles), and the event is
 * dropped when the wheel reaches it, or swept in bulk once cancelled events outnumber live ones.
 */
import { Handles, idOf } from './handles.js';
import { InstantLists } from './instant-lists.js';
import { NearHeap } from './near-heap.js';
import { CHUNK, SlotLists } from './slot-lists.js';

export type Handle = number & { readonly __brand: 'EventHandle' };

/** Bits of time per level: 2048 slots; level 1 spans 4 s, so most delays start there and move once. */
const BITS = 11;
const SLOTS = 1 << BITS;
const MASK = SLOTS - 1;
/** Levels enough for every time below 2^53. */
const LEVELS = Math.ceil(53 / BITS);
/** Bitmap words per level (32 slots each), and summary words (32 bitmap words each; BITS ≥ 10 keeps them whole). */
const WORDS = SLOTS / 32;
const SUMMARY = Math.ceil(WORDS / 32);
/** 2^(BITS · level), and its inverse: a level's digit of t is floor(t · INVERSE[level]) mod SLOTS. */
const SCALE = Array.from({ length: LEVELS + 1 }, (_, level) => 2 ** (BITS * level));
const INVERSE = SCALE.map((s) => 1 / s);
const LOW = 2 ** 32;
/** The level an event goes to, by the highest bit (0 … 52) in which its time differs from the cursor. */
const LEVEL_OF_BIT = Int8Array.from({ length: 64 }, (_, bit) => Math.floor(bit / BITS));

export class EventQueue<T> {
  private readonly handles = new Handles();
  private labels: string[] | undefined;
  private live = 0;
  private cancelled = 0; // cancelled events still stored somewhere

  /** Level 0: the events of each instant of the current block; levels 1 …: slot (level − 1) · SLOTS + digit. */
  private readonly instants = new InstantLists<T>(SLOTS);
  private readonly slots = new SlotLists<T>((LEVELS - 1) * SLOTS);
  /** A bit per slot (level · SLOTS + digit): it holds events; and a bit per non-zero bitmap word. */
  private readonly occupied = new Int32Array(LEVELS * WORDS);
  private readonly summary = new Int32Array(LEVELS * SUMMARY);
  /** No event in the wheel is before the cursor; `curLo`/`curHi` are its low 32 bits and the rest. */
  private cursor = 0;
  private curLo = 0;
  private curHi = 0;

  /** Events pushed before the cursor, with their own insertion sequence. */
  private readonly early = new NearHeap<T>();
  private earlySeq = 0;
  /** Where `settle` found the next event: -1 the early heap, else its level-0 slot. */
  private found = -1;

  /** Time and label of the entry returned by the last `pop`. */
  poppedTime = 0;
  poppedLabel = '';

  /** Number of pending (not cancelled) entries. */
  get size(): number {
    return this.live;
  }

  /** Queues `payload` at integer `time`; `label` (optional) is handed back by `pop` as `poppedLabel`. */
  push(time: number, payload: T, label?: string): Handle {
    // Exact slots need exact integers; NaN or a time past 2^53 (where t + 1 === t) has none.
    if (!Number.isSafeInteger(time)) throw new RangeError(`event queue: time ${time} is not an integer within ±2^53`);
    const handle = this.handles.alloc();
    if (label !== undefined) (this.labels ??= [])[idOf(handle)] = label;
    this.live++;
    if (time < this.cursor) this.early.push(time, this.earlySeq++, handle, payload);
    else this.place(time, handle, payload);
    return handle as Handle;
  }

  /** Cancels a pending entry; false if it already fired, was cancelled, or the handle is stale. */
  cancel(handle: Handle): boolean {
    if (!this.handles.isCurrent(handle)) return false;
    this.handles.clearPending(handle);
    this.live--;
    this.cancelled++;
    if (this.cancelled > 4096 && this.cancelled > 2 * this.live) this.compact();
    return true;
  }

  /** Time of the next live entry, or Infinity. */
  peekTime(): number {
    if (!this.settle(Infinity)) return Infinity;
    return this.found < 0 ? this.early.keys[0]! : this.cursor;
  }

  /** Removes the next live entry and returns its payload (its time is then `poppedTime`). */
  pop(): T | undefined {
    return this.popUntil(Infinity);
  }

  /** `pop`, but only an entry at or before `until` (else undefined, and the entry stays). */
  popUntil(until: number): T | undefined {
    if (until !== until) throw new RangeError('event queue: popUntil(NaN)'); // NaN would compare false: pop anything
    if (!this.settle(until)) return undefined;
    let handle: number;
    let payload: T | undefined;
    if (this.found < 0) {
      const early = this.early;
      handle = early.handles[0]!;
      payload = early.payloads[0];
      this.poppedTime = early.keys[0]!;
      early.removeTop();
    } else {
      const node = this.instants.head[this.found]!;
      handle = this.instants.handle[node]!;
      payload = this.instants.payloads[node];
      this.poppedTime = this.cursor;
      this.takeInstant(this.found);
    }
    this.handles.clearPending(handle);
    this.poppedLabel = this.labels?.[idOf(handle)] ?? '';
    this.retire(handle);
    this.live--;
    return payload;
  }

  /** The slot for `time` (≥ the cursor): at the level of the highest bit in which it differs from the cursor. */
  private place(time: number, handle: number, payload: T | undefined): void {
    const lo = time >>> 0;
    const hi = (time - lo) / LOW;
    const highDiff = hi ^ this.curHi;
    const lowDiff = lo ^ this.curLo;
    const bit = highDiff !== 0 ? 63 - Math.clz32(highDiff) : 31 - Math.clz32(lowDiff); // -1: same instant
    if (bit < BITS) {
      const digit = lo & MASK;
      this.instants.add(digit, handle, payload);
      this.mark(digit);
    } else {
      const level = LEVEL_OF_BIT[bit]!;
      const digit = Math.floor(time * INVERSE[level]!) & MASK;
      this.slots.add((level - 1) * SLOTS + digit, time, handle, payload);
      this.mark(level * SLOTS + digit);
    }
  }

  /** Finds the next live event at or before `until` (then true; `found` says where it is). */
  private settle(until: number): boolean {
    for (;;) {
      const early = this.early;
      if (early.n > 0) {
        const handle = early.handles[0]!;
        if (!this.handles.isPending(handle)) {
          early.removeTop();
          this.dropCancelled(handle);
          continue;
        }
        this.found = -1;
        return early.keys[0]! <= until;
      }
      const c0 = this.curLo & MASK;
      const j = this.nextOccupied(0, c0);
      if (j >= 0) {
        const time = this.cursor - c0 + j;
        if (time > until) return false;
        if (j !== c0) {
          this.curLo = ((this.curLo & ~MASK) | j) >>> 0;
          this.cursor = time;
        }
        const handle = this.instants.handle[this.instants.head[j]!]!;
        if (this.handles.isPending(handle)) {
          this.found = j;
          return true;
        }
        this.takeInstant(j);
        this.dropCancelled(handle);
      } else if (!this.descend(until)) {
        if (this.live === 0 && this.cancelled > 0) this.compact(); // nothing left to reach them: let their payloads go
        return false;
      }
    }
  }

  /**
   * Level 0 is used up: moves the cursor to the next occupied block of the finest level that has
   * one and moves that block's events down. False if there is none, or it starts after `until`
   * (the cursor must not pass a time the caller may still push at).
   */
  private descend(until: number): boolean {
    for (let level = 1; level < LEVELS; level++) {
      const j = this.nextOccupied(level, (Math.floor(this.cursor * INVERSE[level]!) & MASK) + 1);
      if (j < 0) continue;
      // The block's start: the cursor's digits above `level`, then j, then zeros.
      const start = (Math.floor(this.cursor * INVERSE[level + 1]!) * SLOTS + j) * SCALE[level]!;
      if (start > until) return false;
      this.cursor = start;
      this.curLo = start >>> 0;
      this.curHi = (start - this.curLo) / LOW;
      this.unmark(level * SLOTS + j);
      this.instants.restart(); // level 0 is empty
      // The events now share every digit from `level` up with the cursor: they all land below.
      const slots = this.slots;
      const index = (level - 1) * SLOTS + j;
      for (let c = slots.head[index]!; c !== -1; c = slots.next[c]!) {
        // Read through `slots` each time: placing may grow its arrays (the old ones keep the values).
        for (let at = c * CHUNK, end = at + slots.entriesIn(index, c); at < end; at++) {
          const handle = slots.keys[2 * at + 1]!;
          if (this.handles.isPending(handle)) this.place(slots.keys[2 * at]!, handle, slots.payloads[at]);
          else this.dropCancelled(handle);
          slots.payloads[at] = undefined;
        }
      }
      slots.release(index);
      return true;
    }
    return false;
  }

  /** The first occupied slot of `level` at or after `from`, or -1. */
  private nextOccupied(level: number, from: number): number {
    if (from >= SLOTS) return -1;
    const occupied = this.occupied;
    const base = level * WORDS;
    let w = from >> 5;
    const bits = occupied[base + w]! & (-1 << (from & 31));
    if (bits !== 0) return (w << 5) + lowestBit(bits);
    // The summary says which later bitmap words have a bit set.
    if (++w === WORDS) return -1;
    let s = w >> 5;
    let words = this.summary[level * SUMMARY + s]! & (-1 << (w & 31));
    for (;;) {
      if (words !== 0) {
        w = (s << 5) + lowestBit(words);
        return (w << 5) + lowestBit(occupied[base + w]!);
      }
      if (++s === SUMMARY) return -1;
      words = this.summary[level * SUMMARY + s]!;
    }
  }

  /** Slot `index` (level · SLOTS + digit) holds events. */
  private mark(index: number): void {
    const w = index >> 5;
    this.occupied[w]! |= 1 << (index & 31);
    this.summary[w >> 5]! |= 1 << (w & 31);
  }

  private unmark(index: number): void {
    const w = index >> 5;
    if ((this.occupied[w]! &= ~(1 << (index & 31))) === 0) this.summary[w >> 5]! &= ~(1 << (w & 31));
  }

  /** Takes the first event of level-0 slot `j`. */
  private takeInstant(j: number): void {
    if (this.instants.advance(j)) return;
    this.unmark(j);
    // Level 0 empty: its arena starts over (a long run inside one block must not grow it for ever).
    for (let s = 0; s < SUMMARY; s++) if (this.summary[s] !== 0) return;
    this.instants.restart();
  }

  private retire(handle: number): void {
    if (this.labels) this.labels[idOf(handle)] = '';
    this.handles.retire(handle);
  }

  private dropCancelled(handle: number): void {
    this.retire(handle);
    this.cancelled--;
  }

  /** Drops every cancelled event, from the slots (keeping each slot's order) and the early heap. */
  private compact(): void {
    const keep = (handle: number) => this.handles.isPending(handle) || (this.dropCancelled(handle), false);
    // Only the occupied slots, found word by word in the bitmaps.
    for (let w = 0; w < LEVELS * WORDS; w++) {
      for (let bits = this.occupied[w]!; bits !== 0; bits &= bits - 1) {
        const index = (w << 5) + lowestBit(bits);
        if (index < SLOTS) {
          this.instants.filter(index, keep);
          if (this.instants.isEmpty(index)) this.unmark(index);
        } else {
          this.slots.filter(index - SLOTS, keep);
          if (this.slots.isEmpty(index - SLOTS)) this.unmark(index);
        }
      }
    }
    this.early.filter(keep);
  }
}

const lowestBit = (bits: number): number => 31 - Math.clz32(bits & -bits);
