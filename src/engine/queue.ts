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
 *   rung   — buckets of `width` µs covering [rungStart, topStart) of unsorted events: most of
 *            `top`, counting-sorted by bucket in one pass when the rung is used up; a later event
 *            that falls inside the rung is linked into its bucket's list in O(1);
 *   near   — a small 4-ary heap on (time, seq): the bucket being consumed (poured in when the
 *            clock reaches it) and events pushed before its end. Its top is the next event only
 *            while it is before `nearEnd`, the end of that bucket.
 *
 * So an event is moved a constant number of times (appended to `top`, linked into a bucket,
 * sifted through a heap of a few entries) instead of climbing a million-entry heap. Skewed
 * times only make buckets or the heap fuller (never worse than a plain heap).
 *
 * Every queued event has an id, the index of its record in parallel typed arrays. Cancelling
 * needs no search: an id's `status` is its generation (> 0) while pending and negative once
 * cancelled or done; a handle names (id, generation), so a stale handle never cancels the event
 * that reuses the id. Cancelled events are dropped when reached, or in bulk when they outnumber
 * the live ones.
 */
export type Handle = number & { readonly __brand: 'EventHandle' };

/** handle = generation · ID_LIMIT + id; generations run 1 … 2^26 − 1, so handles are exact and never 0. */
const ID_LIMIT = 2 ** 26;
const GENERATION_LIMIT = 2 ** 26;
/** Largest sample used to pick the rung's end in `top`; below MIN_RUNG events all of `top` is taken. */
const MAX_SAMPLES = 1024;
const MIN_RUNG = 2048;
/** Share of `top` a rung takes: most of it (few passes per event), short of far outliers. */
const RUNG_SHARE = 3 / 4;
const NONE = -1;

export class EventQueue<T> {
  // Per id: generation while pending, negative otherwise.
  private status = new Int32Array(1024);
  // Per id, interleaved so that one cache line holds an event's record: time, seq, next in its bucket.
  private rec = new Float64Array(3 * 1024);
  private payload: (T | undefined)[] = [];
  private labels: string[] | undefined;
  private freeIds = new Int32Array(1024);
  private freeCount = 0;
  private idCount = 0;
  private nextSeq = 0;
  private live = 0;
  private cancelled = 0; // cancelled events still stored somewhere

  private top = new Int32Array(1024);
  private topLength = 0;
  // The rung: its events' ids counting-sorted by bucket (bucket b is rungIds[bucketStart[b] … bucketStart[b+1]),
  // read in order: independent loads, not a pointer chase), plus per bucket a list of events pushed after the cut.
  private rungIds = new Int32Array(1024);
  private bucketStart = new Int32Array(2);
  private head = new Int32Array(2).fill(NONE);
  private bucketCount = 0;
  private cur = 0;
  private rungStart = 0;
  private width = 1;
  private nearEnd = -Infinity;
  private topStart = -Infinity;

  // near heap, positions 0..n-1: the id, and its (time, seq) kept beside it so that sifting reads
  // a few adjacent entries instead of the records of a million-event pool.
  private heap = new Int32Array(256);
  /** Payloads travel with their heap entries: read once when a bucket is poured, not again at pop. */
  private heapPayload: (T | undefined)[] = [];
  private heapKeys = new Float64Array(512);
  private n = 0;

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
    const id = this.allocId();
    if (label !== undefined) (this.labels ??= [])[id] = label;
    this.rec[3 * id] = time;
    this.rec[3 * id + 1] = this.nextSeq++;
    this.payload[id] = payload;
    this.live++;
    this.place(id, time);
    return (this.status[id]! * ID_LIMIT + id) as Handle;
  }

  /** Cancels a pending entry; false if it already fired, was cancelled, or the handle is stale. */
  cancel(handle: Handle): boolean {
    const id = handle % ID_LIMIT;
    const generation = (handle - id) / ID_LIMIT;
    if (id >= this.idCount || this.status[id] !== generation) return false;
    this.status[id] = -generation;
    this.live--;
    this.cancelled++;
    if (this.cancelled > 4096 && this.cancelled > 2 * this.live) this.compact();
    return true;
  }

  /** Time of the next live entry, or Infinity. */
  peekTime(): number {
    return this.settle() ? this.heapKeys[0]! : Infinity;
  }

  /** Removes the next live entry and returns its payload (its time is then `poppedTime`). */
  pop(): T | undefined {
    if (!this.settle()) return undefined;
    const id = this.heap[0]!;
    const payload = this.heapPayload[0];
    this.poppedTime = this.heapKeys[0]!;
    this.poppedLabel = this.labels?.[id] ?? '';
    this.heapRemoveTop();
    this.freeId(id);
    this.live--;
    return payload;
  }

  /** Where a pushed event goes: the heap (before the current bucket's end), a bucket of the rung, or `top`. */
  private place(id: number, time: number): void {
    if (time < this.nearEnd) this.heapPush(id);
    else if (time < this.topStart) {
      // Floating-point division can land on the bucket being consumed: never before the next one.
      const b = Math.max(this.cur + 1, Math.min(this.bucketCount - 1, Math.floor((time - this.rungStart) / this.width)));
      this.rec[3 * id + 2] = this.head[b]!;
      this.head[b] = id;
    } else this.appendTop(id);
  }

  private appendTop(id: number): void {
    if (this.topLength === this.top.length) this.top = grown(this.top, 2 * this.top.length);
    this.top[this.topLength++] = id;
  }

  /** A poured or re-sorted event joins the heap if still pending; a cancelled one is dropped. */
  private admit(id: number): void {
    if (this.status[id]! > 0) this.heapPush(id);
    else this.dropCancelled(id);
  }

  /** Brings the next live event to the heap top; false if the queue is empty. */
  private settle(): boolean {
    for (;;) {
      if (this.n > 0 && this.heapKeys[0]! < this.nearEnd) {
        const id = this.heap[0]!;
        if (this.status[id]! > 0) return true;
        this.heapRemoveTop(); // cancelled
        this.dropCancelled(id);
      } else if (this.live === 0) {
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
    const ids = this.rungIds;
    for (let i = this.bucketStart[b]!, end = this.bucketStart[b + 1]!; i < end; i++) this.admit(ids[i]!);
    for (let id = this.head[b]!; id !== NONE; ) {
      const after = this.rec[3 * id + 2]!;
      this.admit(id);
      id = after;
    }
    this.head[b] = NONE;
  }

  /**
   * The rung is used up: most of `top` (and anything left in the heap) goes into fresh buckets of
   * about two events each, in one pass; the latest events (beyond a sampled quantile) stay in `top`.
   */
  private cutRung(): void {
    while (this.n > 0) {
      const id = this.heap[0]!;
      this.heapRemoveTop();
      this.appendTop(id);
    }
    const top = this.top;
    const rec = this.rec;
    // Cancelled events met on the way are dropped (one pass instead of a compaction).
    let total = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < this.topLength; i++) {
      const id = top[i]!;
      if (this.status[id]! < 0) {
        this.dropCancelled(id);
        continue;
      }
      top[total++] = id;
      const t = rec[3 * id]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    this.topLength = total;
    if (total === 0) {
      this.bucketCount = 0;
      this.cur = 0;
      this.nearEnd = this.topStart = -Infinity;
      return;
    }
    const end = this.rungEnd(min, max);
    const buckets = Math.max(1, Math.ceil((total * (end > max ? 1 : RUNG_SHARE)) / 2));
    const width = Math.max(1, Math.ceil((end - min) / buckets));
    if (this.head.length < buckets) this.head = new Int32Array(Math.max(buckets, 2 * this.head.length));
    this.head.fill(NONE, 0, buckets);
    if (this.bucketStart.length < buckets + 2) this.bucketStart = new Int32Array(Math.max(buckets + 2, 2 * this.bucketStart.length));
    const counts = this.bucketStart.fill(0, 0, buckets + 2);
    this.rungStart = min;
    this.width = width;
    this.bucketCount = buckets;
    this.topStart = min + buckets * width;
    this.cur = -1;
    this.nearEnd = min;
    // Counting sort: sizes (counts[b + 2]), then write cursors (counts[b + 1]), leaving counts[b] = start of b.
    const topStart = this.topStart;
    let staged = 0;
    for (let i = 0; i < total; i++) {
      const t = rec[3 * top[i]!]!;
      if (t < topStart) {
        counts[Math.min(buckets - 1, Math.floor((t - min) / width)) + 2]!++;
        staged++;
      }
    }
    for (let b = 2; b < buckets + 2; b++) counts[b] = counts[b]! + counts[b - 1]!;
    if (this.rungIds.length < staged) this.rungIds = new Int32Array(Math.max(staged, 2 * this.rungIds.length));
    const ids = this.rungIds;
    let kept = 0;
    for (let i = 0; i < total; i++) {
      const id = top[i]!;
      const t = rec[3 * id]!;
      if (t < topStart) ids[counts[Math.min(buckets - 1, Math.floor((t - min) / width)) + 1]!++] = id;
      else top[kept++] = id;
    }
    this.topLength = kept;
  }

  /** Where the next rung ends: about RUNG_SHARE of `top` falls before it (estimated from a sample). */
  private rungEnd(min: number, max: number): number {
    const total = this.topLength;
    if (total <= MIN_RUNG) return max + 1;
    const samples = Math.min(MAX_SAMPLES, total >> 4);
    const sample = new Float64Array(samples);
    const stride = total / samples;
    for (let k = 0; k < samples; k++) sample[k] = this.rec[3 * this.top[Math.floor(k * stride)]!]!;
    sample.sort();
    const q = sample[Math.floor(samples * RUNG_SHARE)]!;
    return Math.min(max + 1, Math.max(q, min + 1));
  }

  /** Drops cancelled events from `top`, the buckets still ahead and the heap. */
  private compact(): void {
    let kept = 0;
    for (let i = 0; i < this.topLength; i++) {
      const id = this.top[i]!;
      if (this.status[id]! < 0) this.dropCancelled(id);
      else this.top[kept++] = id;
    }
    this.topLength = kept;
    for (let b = this.cur + 1; b < this.bucketCount; b++) {
      let list = NONE;
      for (let id = this.head[b]!; id !== NONE; ) {
        const after = this.rec[3 * id + 2]!;
        if (this.status[id]! < 0) this.dropCancelled(id);
        else {
          this.rec[3 * id + 2] = list;
          list = id;
        }
        id = after;
      }
      this.head[b] = list;
    }
    const heap = Array.from(this.heap.subarray(0, this.n));
    this.n = 0;
    for (const id of heap) this.admit(id);
    // The buckets still ahead are squeezed in place (each keeps its order): leaving their cancelled
    // events counted would make every later cancel compact again, a quadratic cascade.
    if (this.cur + 1 < this.bucketCount) {
      const ids = this.rungIds;
      const starts = this.bucketStart;
      let w = starts[this.cur + 1]!;
      for (let b = this.cur + 1; b < this.bucketCount; b++) {
        const from = starts[b]!;
        const to = starts[b + 1]!;
        starts[b] = w;
        for (let i = from; i < to; i++) {
          const id = ids[i]!;
          if (this.status[id]! < 0) this.dropCancelled(id);
          else ids[w++] = id;
        }
      }
      starts[this.bucketCount] = w;
    }
  }

  // ---- the near heap of ids (4-ary: the four children of a node are adjacent in memory) ----

  private heapPush(id: number): void {
    if (this.n === this.heap.length) {
      this.heap = grown(this.heap, 2 * this.heap.length);
      this.heapKeys = grown(this.heapKeys, 2 * this.heapKeys.length);
    }
    const heap = this.heap;
    const keys = this.heapKeys;
    const time = this.rec[3 * id]!;
    const seq = this.rec[3 * id + 1]!;
    const payloads = this.heapPayload;
    const payload = this.payload[id];
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = keys[2 * p]!;
      if (pt < time || (pt === time && keys[2 * p + 1]! < seq)) break;
      heap[i] = heap[p]!;
      payloads[i] = payloads[p];
      keys[2 * i] = pt;
      keys[2 * i + 1] = keys[2 * p + 1]!;
      i = p;
    }
    heap[i] = id;
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    payloads[i] = payload;
  }

  private heapRemoveTop(): void {
    const n = --this.n;
    const payloads = this.heapPayload;
    if (n === 0) {
      payloads[0] = undefined;
      return;
    }
    const heap = this.heap;
    const keys = this.heapKeys;
    const id = heap[n]!;
    const payload = payloads[n];
    payloads[n] = undefined;
    const time = keys[2 * n]!;
    const seq = keys[2 * n + 1]!;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let c = first; // the soonest of the (up to four) children
      let ct = keys[2 * c]!;
      let cs = keys[2 * c + 1]!;
      const end = Math.min(first + 4, n);
      for (let j = first + 1; j < end; j++) {
        const jt = keys[2 * j]!;
        if (jt < ct || (jt === ct && keys[2 * j + 1]! < cs)) {
          c = j;
          ct = jt;
          cs = keys[2 * j + 1]!;
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      heap[i] = heap[c]!;
      payloads[i] = payloads[c];
      keys[2 * i] = ct;
      keys[2 * i + 1] = cs;
      i = c;
    }
    heap[i] = id;
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    payloads[i] = payload;
  }

  // ---- ids ----

  /** A free id; its status becomes its new (positive) generation. */
  private allocId(): number {
    let id: number;
    if (this.freeCount > 0) id = this.freeIds[--this.freeCount]!;
    else {
      id = this.idCount++;
      if (id >= ID_LIMIT) throw new RangeError(`event queue: more than ${ID_LIMIT} pending events`);
      if (id === this.status.length) {
        const size = 2 * id;
        this.status = grown(this.status, size);
        this.rec = grown(this.rec, 3 * size);
        this.freeIds = grown(this.freeIds, size);
      }
      this.payload.push(undefined); // keep the array packed
      this.status[id] = -1;
    }
    this.status[id] = -this.status[id]!;
    return id;
  }

  private dropCancelled(id: number): void {
    this.freeId(id);
    this.cancelled--;
  }

  /** Retires an id: its status turns negative with the next generation, so old handles go stale. */
  private freeId(id: number): void {
    const generation = Math.abs(this.status[id]!);
    this.status[id] = -((generation % (GENERATION_LIMIT - 1)) + 1);
    this.payload[id] = undefined; // let the fired callback be collected
    if (this.labels) this.labels[id] = '';
    this.freeIds[this.freeCount++] = id;
  }
}

function grown<A extends Float64Array | Int32Array>(a: A, length: number): A {
  const b = new (a.constructor as new (n: number) => A)(length);
  b.set(a);
  return b;
}
