/**
 * Event queue ordered by (time, sequence). The sequence number is the insertion order, so
 * events at the same instant fire in the order they were scheduled — the tie-break that
 * makes runs deterministic.
 *
 * Built for a million pending events at millions of events per second, without per-event
 * garbage. Simulated time never goes backwards, so only the soonest events need sorting
 * (a ladder queue reduced to one rung of unsorted buckets):
 *
 *   top    — an append-only list of events at or after `topStart`;
 *   rung   — buckets of `width` µs covering [rungStart, topStart): when the rung is used up, one
 *            pass splits off the soonest part of `top`, which is then counting-sorted by bucket;
 *            an event pushed later that falls inside the rung is linked into its bucket's list
 *            of `late` events;
 *   near   — a small 4-ary heap on (time, seq): the bucket being consumed (poured in when the
 *            clock reaches it) and events pushed before its end. Its top is the next event only
 *            while it is before `nearEnd`, the end of that bucket.
 *
 * Events travel by value — time, seq, handle and payload copied from `top` to the rung to the
 * heap — so the passes over a million events read memory in order, never an event's record at
 * a random place (at a million pending, those cache misses were most of the cost).
 *
 * Cancelling needs no search. A handle names (id, generation); an id's generation changes each
 * time the id is retired, so a stale handle never cancels the event that reuses the id. Whether
 * an id is pending is one bit of a small bitmap that stays in cache; the per-id generations, which
 * only `cancel` reads, are written in batches. A cancelled event keeps its id until a pour, a cut
 * or the heap reaches it (then it is dropped), or until cancelled events outnumber live ones and
 * are swept in bulk.
 */
import { grown } from './grown.js';
import { EventList } from './event-list.js';
import { NearHeap } from './near-heap.js';

export type Handle = number & { readonly __brand: 'EventHandle' };

/** handle = generation · ID_LIMIT + id; generations run 1 … 2^26 − 1, so handles are exact and never 0. */
const ID_LIMIT = 2 ** 26;
const GENERATION_LIMIT = 2 ** 26;
/** Largest sample used to pick the rung's end in `top`; below MIN_RUNG events all of `top` is taken. */
const MAX_SAMPLES = 1024;
const MIN_RUNG = 2048;
/**
 * Share of `top` a rung takes. Smaller: more in-order passes over `top` per event (cheap) but
 * more later pushes landing inside the rung (each a list node read out of order).
 */
const RUNG_SHARE = 1 / 4;
/** Events per bucket when the rung is cut: the near heap stays a few entries deep. */
const BUCKET_SIZE = 2;
const NONE = -1;
/** Generations logged before they are written out (see allocHandle). */
const GEN_LOG_LIMIT = 4096;

export class EventQueue<T> {
  /** Per id: the generation of its latest handle (valid while its pending bit is set). */
  private gen = new Int32Array(256);
  /** Handles allocated since `gen` was last brought up to date. */
  private genLog = new Float64Array(256);
  private genLogLength = 0;
  /** Bit per id: pending (queued and not cancelled). Small enough to stay in cache. */
  private pendingBits = new Int32Array(8);
  private labels: string[] | undefined;
  private freeIds = new Int32Array(256);
  private freeGen = new Int32Array(256);
  private freeCount = 0;
  private idCount = 0;
  private nextSeq = 0;
  private live = 0;
  private cancelled = 0; // cancelled events still stored somewhere

  private readonly top = new EventList<T>();
  /** Scratch of a cut: the events it takes from `top`, and their buckets. */
  private readonly taken = new EventList<T>();
  private takenBucket = new Int32Array(64);
  // The rung: its events counting-sorted by bucket (bucket b is entries bucketStart[b] … bucketStart[b+1]),
  // plus per bucket a list of the `late` events pushed after the cut. A rung entry's
  // time, seq and handle sit side by side: the sort writes one cache line per entry, not three.
  private rungKeys = new Float64Array(3 * 64);
  private rungPayload: (T | undefined)[] = [];
  private bucketStart = new Int32Array(2);
  private head = new Int32Array(2).fill(NONE);
  /** Late events, four numbers each (time, seq, handle, next of its bucket): one cache line read per node. */
  private late = new Float64Array(4 * 64);
  private latePayload: (T | undefined)[] = [];
  private lateCount = 0;
  private bucketCount = 0;
  private cur = 0;
  private rungStart = 0;
  private width = 1;
  private nearEnd = -Infinity;
  private topStart = -Infinity;

  private readonly near = new NearHeap<T>();

  /** Time and label of the entry returned by the last `pop`. */
  poppedTime = 0;
  poppedLabel = '';

  /** Number of pending (not cancelled) entries. */
  get size(): number {
    return this.live;
  }

  /** Queues `payload` at `time`; `label` (optional) is handed back by `pop` as `poppedLabel`. */
  push(time: number, payload: T, label?: string): Handle {
    // Past 2^53 `t + 1 === t`: a bucket could not hold its own event (the Simulator never asks: it
    // turns such times into "never"); NaN would compare false everywhere.
    if (!(Math.abs(time) <= Number.MAX_SAFE_INTEGER)) throw new RangeError(`event queue: time ${time} is beyond ±2^53`);
    const handle = this.allocHandle();
    if (label !== undefined) (this.labels ??= [])[idOf(handle)] = label;
    this.live++;
    this.place(time, this.nextSeq++, handle, payload);
    return handle as Handle;
  }

  /** Cancels a pending entry; false if it already fired, was cancelled, or the handle is stale. */
  cancel(handle: Handle): boolean {
    const id = idOf(handle);
    this.flushGenerations();
    if (!(id >= 0 && id < this.idCount) || this.gen[id] !== generationOf(handle) || !this.isPending(id)) return false;
    this.clearPending(id);
    this.live--;
    this.cancelled++;
    if (this.cancelled > 4096 && this.cancelled > 2 * this.live) this.compact();
    return true;
  }

  /** Time of the next live entry, or Infinity. */
  peekTime(): number {
    return this.settle() ? this.near.keys[0]! : Infinity;
  }

  /** Removes the next live entry and returns its payload (its time is then `poppedTime`). */
  pop(): T | undefined {
    return this.popUntil(Infinity);
  }

  /** `pop`, but only an entry at or before `until` (else undefined, and the entry stays). */
  popUntil(until: number): T | undefined {
    if (!this.settle() || this.near.keys[0]! > until) return undefined;
    const handle = this.near.handles[0]!;
    const payload = this.near.payloads[0];
    this.poppedTime = this.near.keys[0]!;
    const id = idOf(handle);
    this.poppedLabel = this.labels?.[id] ?? '';
    this.clearPending(id);
    this.near.removeTop();
    this.retire(handle);
    this.live--;
    return payload;
  }

  private isPending(id: number): boolean {
    return ((this.pendingBits[id >> 5]! >>> (id & 31)) & 1) === 1;
  }

  private clearPending(id: number): void {
    this.pendingBits[id >> 5]! &= ~(1 << (id & 31));
  }

  /** Where an event goes: the heap (before the current bucket's end), a bucket of the rung, or `top`. */
  private place(time: number, seq: number, handle: number, payload: T | undefined): void {
    if (time < this.nearEnd) this.near.push(time, seq, handle, payload);
    else if (time < this.topStart) {
      const b = this.bucketOf(time, this.cur + 1);
      const k = this.lateCount++;
      if (4 * k === this.late.length) this.late = grown(this.late, 2 * this.late.length);
      const late = this.late;
      late[4 * k] = time;
      late[4 * k + 1] = seq;
      late[4 * k + 2] = handle;
      late[4 * k + 3] = this.head[b]!;
      if (k === this.latePayload.length) this.latePayload.push(payload);
      else this.latePayload[k] = payload;
      this.head[b] = k;
    } else this.top.add(time, seq, handle, payload);
  }

  /**
   * Bucket of `time` in the rung, not before `lowest` (a later push never joins the bucket being
   * consumed). The division may be one off in floating point: the bounds pourNextBucket uses decide.
   */
  private bucketOf(time: number, lowest: number): number {
    const { rungStart, width } = this;
    let b = Math.max(lowest, Math.min(this.bucketCount - 1, Math.floor((time - rungStart) / width)));
    if (b > lowest && time < rungStart + b * width) b--;
    else if (b + 1 < this.bucketCount && time >= rungStart + (b + 1) * width) b++;
    return b;
  }

  /** A poured or re-sorted event joins the heap if still pending; a cancelled one is dropped. */
  private admit(time: number, seq: number, handle: number, payload: T | undefined): void {
    if (this.isPending(idOf(handle))) this.near.push(time, seq, handle, payload);
    else this.dropCancelled(handle);
  }

  /** Brings the next live event to the heap top; false if the queue is empty. */
  private settle(): boolean {
    for (;;) {
      if (this.near.n > 0 && this.near.keys[0]! < this.nearEnd) {
        const handle = this.near.handles[0]!;
        if (this.isPending(idOf(handle))) return true;
        this.near.removeTop(); // cancelled after it was poured
        this.dropCancelled(handle);
      } else if (this.live === 0) {
        if (this.cancelled > 0) this.compact(); // nothing left to reach them: let their payloads go
        return false;
      } else if (this.cur + 1 < this.bucketCount) {
        this.pourNextBucket();
      } else {
        this.cutRung();
      }
    }
  }

  private pourNextBucket(): void {
    const b = ++this.cur;
    this.nearEnd = b + 1 === this.bucketCount ? this.topStart : this.rungStart + (b + 1) * this.width;
    const keys = this.rungKeys;
    const payload = this.rungPayload;
    for (let i = this.bucketStart[b]!, end = this.bucketStart[b + 1]!; i < end; i++) {
      this.admit(keys[3 * i]!, keys[3 * i + 1]!, keys[3 * i + 2]!, payload[i]);
      payload[i] = undefined;
    }
    const late = this.late;
    for (let k = this.head[b]!; k !== NONE; k = late[4 * k + 3]!) {
      this.admit(late[4 * k]!, late[4 * k + 1]!, late[4 * k + 2]!, this.latePayload[k]);
      this.latePayload[k] = undefined;
    }
    this.head[b] = NONE;
  }

  /**
   * The rung is used up: the soonest RUNG_SHARE of `top` (and anything left in the heap) goes
   * into fresh buckets of about BUCKET_SIZE events in one counting sort; the rest stays in `top`.
   */
  private cutRung(): void {
    const top = this.top;
    while (this.near.n > 0) {
      top.add(this.near.keys[0]!, this.near.keys[1]!, this.near.handles[0]!, this.near.payloads[0]);
      this.near.removeTop();
    }
    this.lateCount = 0; // every bucket has been poured (and its payloads let go)
    const total = top.length;
    if (total === 0) {
      this.bucketCount = 0;
      this.cur = 0;
      this.nearEnd = this.topStart = -Infinity;
      return;
    }
    // top's bounds are kept as events arrive: no pass to find them.
    const min = top.min;
    const max = top.max;
    const end = this.rungEnd(min, max);
    const buckets = Math.max(1, Math.ceil((total * (end > max ? 1 : RUNG_SHARE)) / BUCKET_SIZE));
    const width = Math.max(1, Math.ceil((end - min) / buckets));
    if (this.head.length < buckets) this.head = new Int32Array(Math.max(buckets, 2 * this.head.length));
    this.head.fill(NONE, 0, buckets);
    this.rungStart = min;
    this.width = width;
    this.bucketCount = buckets;
    this.topStart = min + buckets * width;
    this.cur = -1;
    this.nearEnd = min;
    // One pass splits top: the events the rung takes go to `taken` with their bucket; the rest
    // stay (and give top its new bounds). Counting and placing then run over the taken quarter.
    const topStart = this.topStart;
    const taken = this.taken;
    taken.reserve(total);
    if (this.takenBucket.length < total) this.takenBucket = new Int32Array(Math.max(total, 2 * this.takenBucket.length));
    const takenBucket = this.takenBucket;
    const { time, seq, handle, payload } = top;
    let staged = 0;
    let kept = 0;
    let keptMin = Infinity;
    let keptMax = -Infinity;
    // A small `top` is taken whole (the rung ends past its max): sorted from where it is.
    const whole = end > max;
    const from = whole ? top : taken;
    for (let i = 0; i < total; i++) {
      const t = time[i]!;
      if (whole) takenBucket[staged++] = this.bucketOf(t, 0);
      else if (t < topStart) {
        takenBucket[staged] = this.bucketOf(t, 0);
        taken.time[staged] = t;
        taken.seq[staged] = seq[i]!;
        taken.handle[staged] = handle[i]!;
        taken.payload[staged++] = payload[i];
      } else if (this.isPending(idOf(handle[i]!))) {
        if (t < keptMin) keptMin = t;
        if (t > keptMax) keptMax = t;
        top.move(i, kept++);
      } else this.dropCancelled(handle[i]!); // not carried through the next cuts
    }
    // Counting sort: sizes (counts[b + 2]), then write cursors (counts[b + 1]), leaving counts[b] = start of b.
    if (this.bucketStart.length < buckets + 2) this.bucketStart = new Int32Array(Math.max(buckets + 2, 2 * this.bucketStart.length));
    const counts = this.bucketStart.fill(0, 0, buckets + 2);
    for (let j = 0; j < staged; j++) counts[takenBucket[j]! + 2]!++;
    for (let b = 2; b < buckets + 2; b++) counts[b] = counts[b]! + counts[b - 1]!;
    if (this.rungKeys.length < 3 * staged) this.rungKeys = new Float64Array(3 * Math.max(staged, (2 * this.rungKeys.length) / 3));
    for (let k = this.rungPayload.length; k < staged; k++) this.rungPayload.push(undefined);
    const keys = this.rungKeys;
    const rungPayload = this.rungPayload;
    for (let j = 0; j < staged; j++) {
      const at = counts[takenBucket[j]! + 1]!++;
      keys[3 * at] = from.time[j]!;
      keys[3 * at + 1] = from.seq[j]!;
      keys[3 * at + 2] = from.handle[j]!;
      rungPayload[at] = from.payload[j];
      from.payload[j] = undefined;
    }
    top.truncate(kept);
    top.min = keptMin;
    top.max = keptMax;
  }

  /** Where the next rung ends: about RUNG_SHARE of `top` falls before it (estimated from a sample). */
  private rungEnd(min: number, max: number): number {
    const total = this.top.length;
    if (total <= MIN_RUNG) return max + 1;
    const samples = Math.min(MAX_SAMPLES, total >> 4);
    const sample = new Float64Array(samples);
    const stride = total / samples;
    for (let k = 0; k < samples; k++) sample[k] = this.top.time[Math.floor(k * stride)]!;
    sample.sort();
    const q = sample[Math.floor(samples * RUNG_SHARE)]!;
    return Math.min(max + 1, Math.max(q, min + 1));
  }

  /** Drops cancelled events from `top`, the buckets still ahead, their late lists and the heap. */
  private compact(): void {
    const keep = (handle: number) => this.isPending(idOf(handle)) || (this.dropCancelled(handle), false);
    const top = this.top;
    let kept = 0;
    for (let i = 0; i < top.length; i++) if (keep(top.handle[i]!)) top.move(i, kept++);
    top.truncate(kept);
    for (let b = this.cur + 1; b < this.bucketCount; b++) {
      let list = NONE;
      for (let k = this.head[b]!; k !== NONE; ) {
        const after = this.late[4 * k + 3]!;
        if (keep(this.late[4 * k + 2]!)) {
          this.late[4 * k + 3] = list;
          list = k;
        } else this.latePayload[k] = undefined;
        k = after;
      }
      this.head[b] = list;
    }
    this.near.filter(keep);
    // The buckets still ahead are squeezed in place (each keeps its order): leaving their cancelled
    // events counted would make every later cancel compact again, a quadratic cascade.
    if (this.cur + 1 < this.bucketCount) {
      const keys = this.rungKeys;
      const payload = this.rungPayload;
      const starts = this.bucketStart;
      let w = starts[this.cur + 1]!;
      for (let b = this.cur + 1; b < this.bucketCount; b++) {
        const from = starts[b]!;
        const to = starts[b + 1]!;
        starts[b] = w;
        for (let i = from; i < to; i++) {
          if (!keep(keys[3 * i + 2]!)) continue;
          keys.copyWithin(3 * w, 3 * i, 3 * i + 3);
          payload[w++] = payload[i];
        }
      }
      payload.fill(undefined, w, starts[this.bucketCount]);
      starts[this.bucketCount] = w;
    }
  }

  // ---- ids ----

  /**
   * The handle of a free id, now pending under its next generation. The free list carries each
   * id's next generation, so neither retiring nor reusing an id reads its (likely uncached) record.
   */
  private allocHandle(): number {
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
    // The id's record is most likely out of cache: log its new generation and write the log out
    // in a batch (stores in a tight loop overlap; one at a time, each waits for its cache line).
    if (this.genLog.length === this.genLogLength) {
      if (this.genLogLength < GEN_LOG_LIMIT) this.genLog = grown(this.genLog, 2 * this.genLogLength);
      else this.flushGenerations();
    }
    this.genLog[this.genLogLength++] = handle;
    return handle;
  }

  private dropCancelled(handle: number): void {
    this.retire(handle);
    this.cancelled--;
  }

  /** Applies the logged generations: `gen` is read only by `cancel`, which flushes first. */
  private flushGenerations(): void {
    const log = this.genLog;
    const gen = this.gen;
    for (let k = 0; k < this.genLogLength; k++) {
      const handle = log[k]!;
      gen[idOf(handle)] = generationOf(handle);
    }
    this.genLogLength = 0;
  }

  /** Frees the id of a fired or dropped event (its pending bit is already clear). */
  private retire(handle: number): void {
    const id = idOf(handle);
    const generation = generationOf(handle);
    if (this.labels) this.labels[id] = '';
    this.freeGen[this.freeCount] = generation === GENERATION_LIMIT - 1 ? 1 : generation + 1;
    this.freeIds[this.freeCount++] = id;
  }
}

/** The generation and the id in a handle (`%` on a double would be a slow fmod call; this is exact below 2^53). */
const generationOf = (handle: number): number => Math.floor(handle / ID_LIMIT);
const idOf = (handle: number): number => handle - generationOf(handle) * ID_LIMIT;
