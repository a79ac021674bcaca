import { grown } from './grown.js';

/** Growable parallel arrays of events by value. */
export class EventList<T> {
  time = new Float64Array(64);
  seq = new Float64Array(64);
  handle = new Float64Array(64);
  payload: (T | undefined)[] = new Array<T | undefined>(64).fill(undefined);
  length = 0;
  /** Bounds of the times added since the last `truncate` (they may be wider than what is left). */
  min = Infinity;
  max = -Infinity;

  add(time: number, seq: number, handle: number, payload: T | undefined): void {
    if (time < this.min) this.min = time;
    if (time > this.max) this.max = time;
    const k = this.length++;
    if (k === this.time.length) this.reserve(2 * k);
    this.time[k] = time;
    this.seq[k] = seq;
    this.handle[k] = handle;
    this.payload[k] = payload;
  }

  /** Entry `from` moves to `to` (to ≤ from, for in-place filtering). */
  move(from: number, to: number): void {
    this.time[to] = this.time[from]!;
    this.seq[to] = this.seq[from]!;
    this.handle[to] = this.handle[from]!;
    this.payload[to] = this.payload[from];
  }

  reserve(size: number): void {
    if (size <= this.time.length) return;
    this.time = grown(this.time, size);
    this.seq = grown(this.seq, size);
    this.handle = grown(this.handle, size);
    // Filled in order, never with holes: V8 keeps a packed array fast.
    for (let k = this.payload.length; k < size; k++) this.payload.push(undefined);
  }

  /** Forgets the entries from `length` on (so their payloads can be collected). */
  truncate(length: number): void {
    this.payload.fill(undefined, length, this.length);
    this.length = length;
    if (length === 0) {
      this.min = Infinity;
      this.max = -Infinity;
    }
  }
}
