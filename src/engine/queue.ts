/**
 * Event queue ordered by (time, sequence). The sequence number is the insertion order, so
 * events at the same instant fire in the order they were scheduled — the tie-break that
 * makes runs deterministic.
 *
 * Built for a million pending events at millions of events per second, without per-event
 * garbage, on what simulated time is: an integer number of µs that never goes backwards. So
 * the queue is a hierarchical timing wheel with exact slots, and needs no comparisons at all:
 *
 *   - the wheel has 7 levels of 256 slots, one level per byte of the time (7 × 8 bits ≥ 53);
 *   - the `cursor` is a time no queued event is before; an event goes to the level of the highest
 *     byte in which its time differs from the cursor, in the slot that byte names. At level 0 a
 *     slot therefore holds events of exactly one time;
 *   - each slot keeps its events in insertion order. When the cursor enters a slot's block (the
 *     finer levels below it used up), the slot's events move down, in order, to the finer levels.
 *     A block's slot is moved down exactly when the cursor enters the block, so every event of one
 *     time ends up in one level-0 slot in insertion order: ties need no sequence numbers.
 *
 * An event moves down at most once per level it starts above (twice for delays up to 16 s), and
 * every pass reads and writes slots in order: events travel by value (time, handle, payload), so
 * at a million pending the passes never chase an event's record to a random place in memory.
 *
 * A time before the cursor (possible only for a caller that pushes into the past, which the
 * Simulator never does) goes to a small heap on (time, seq) popped first: it is before
 * everything in the wheel.
 *
 * Cancelling needs no search: the event's pending bit is cleared (see Handles), and the event is
 * dropped when the wheel reaches it, or swept in bulk once cancelled events outnumber live ones.
 */
import { Handles, idOf } from './handles.js';
import { NearHeap } from './near-heap.js';
import { CHUNK, SlotLists } from './slot-lists.js';

export type Handle = number & { readonly __brand: 'EventHandle' };

const LEVELS = 7;
const SLOTS = 256;
/** Bitmap words per level (32 slots each). */
const WORDS = SLOTS / 32;
/** The cursor and times are split at 2^32: bit operations work on the low 32 bits. */
const LOW = 2 ** 32;

export class EventQueue<T> {
  private readonly handles = new Handles();
  private labels: string[] | undefined;
  private live = 0;
  private cancelled = 0; // cancelled events still stored somewhere

  /** Slot `level · 256 + byte`; a bit per slot says whether it holds events. */
  private readonly slots = new SlotLists<T>(LEVELS * SLOTS);
  private readonly occupied = new Int32Array(LEVELS * WORDS);
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
      const at = this.slots.first(this.found);
      handle = this.slots.keys[2 * at + 1]!;
      payload = this.slots.payloads[at];
      this.poppedTime = this.cursor;
      this.takeFrom(this.found);
    }
    this.handles.clearPending(handle);
    this.poppedLabel = this.labels?.[idOf(handle)] ?? '';
    this.retire(handle);
    this.live--;
    return payload;
  }

  /** The slot for `time` (≥ the cursor): at the highest byte in which it differs from the cursor. */
  private place(time: number, handle: number, payload: T | undefined): void {
    const lo = time >>> 0;
    const hi = (time - lo) / LOW;
    let index: number;
    if (hi === this.curHi) {
      const diff = lo ^ this.curLo;
      const level = diff === 0 ? 0 : (31 - Math.clz32(diff)) >> 3;
      index = (level << 8) | ((lo >>> (level << 3)) & 255);
    } else {
      const level = 4 + ((31 - Math.clz32(hi ^ this.curHi)) >> 3);
      index = (level << 8) | ((hi >>> ((level - 4) << 3)) & 255);
    }
    this.slots.add(index, time, handle, payload);
    this.occupied[index >> 5]! |= 1 << (index & 31);
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
      const c0 = this.curLo & 255;
      const j = this.nextOccupied(0, c0);
      if (j >= 0) {
        const time = this.cursor - c0 + j;
        if (time > until) return false;
        if (j !== c0) {
          this.curLo = ((this.curLo & ~255) | j) >>> 0;
          this.cursor = time;
        }
        const handle = this.slots.keys[2 * this.slots.first(j) + 1]!;
        if (this.handles.isPending(handle)) {
          this.found = j;
          return true;
        }
        this.takeFrom(j);
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
      const high = level >= 4;
      const shift = (high ? level - 4 : level) << 3;
      const word = high ? this.curHi : this.curLo;
      const j = this.nextOccupied(level, ((word >>> shift) & 255) + 1);
      if (j < 0) continue;
      // The block's start: the cursor's bytes above `level`, then j, then zeros.
      const entered = ((((word >>> shift) & ~255) | j) << shift) >>> 0;
      const lo = high ? 0 : entered;
      const hi = high ? entered : this.curHi;
      const start = hi * LOW + lo;
      if (start > until) return false;
      this.curLo = lo;
      this.curHi = hi;
      this.cursor = start;
      const index = (level << 8) | j;
      this.occupied[index >> 5]! &= ~(1 << (index & 31));
      // The events now share every byte from `level` up with the cursor: they all land below.
      const slots = this.slots;
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
    let w = from >> 5;
    let bits = occupied[level * WORDS + w]! & (-1 << (from & 31));
    for (;;) {
      if (bits !== 0) return (w << 5) + 31 - Math.clz32(bits & -bits);
      if (++w === WORDS) return -1;
      bits = occupied[level * WORDS + w]!;
    }
  }

  /** Takes the first unread entry of level-0 slot `j`. */
  private takeFrom(j: number): void {
    if (!this.slots.advance(j)) this.occupied[j >> 5]! &= ~(1 << (j & 31));
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
    for (let index = 0; index < LEVELS * SLOTS; index++) {
      if (((this.occupied[index >> 5]! >>> (index & 31)) & 1) === 0) continue;
      this.slots.filter(index, keep);
      if (this.slots.isEmpty(index)) this.occupied[index >> 5]! &= ~(1 << (index & 31));
    }
    this.early.filter(keep);
  }
}
