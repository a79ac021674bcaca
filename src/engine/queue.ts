/**
 * Event queue ordered by (time, sequence). The sequence number is the insertion order, so
 * events at the same instant fire in the order they were scheduled — the tie-break that
 * makes runs deterministic.
 *
 * Built for a million pending events at millions of events per second, without per-event
 * garbage. Simulated time never goes backwards, so only the soonest events need sorting
 * (a ladder queue, reduced to one rung):
 *
 *   top   — an unsorted append-only list of events at or after `topStart` (most of them);
 *   rung  — the soonest slice of top, about an eighth of it, counting-sorted into buckets of
 *           `width` µs covering [rungStart, topStart); bucket `cur` ends at `nearEnd`;
 *   near  — a small 4-ary heap on (time, seq): the poured current bucket plus events pushed
 *           before `topStart` after the rung was cut ("late" events). Its top is the next event
 *           only while it is before `nearEnd`; otherwise the next bucket is poured first.
 *
 * Events move by value (time, seq, id, payload in parallel typed arrays), so every pass is a
 * sequential scan; the per-event cost is a constant number of cache-friendly moves instead of
 * a climb through a million-entry heap. Skewed times only make the heap fuller (never worse
 * than a plain heap).
 *
 * Cancelling needs no search: each queued event has an id whose `status` is its generation
 * (> 0) while pending and negative once cancelled or done. The handle names (id, generation),
 * so a stale handle never cancels the event that reuses the id. Cancelled events are dropped
 * when they are reached, or in bulk when they outnumber the live ones.
 */
export type Handle = number & { readonly __brand: 'EventHandle' };

/** handle = generation · ID_LIMIT + id; generations run 1 … 2^26 − 1, so handles are exact and never 0. */
const ID_LIMIT = 2 ** 26;
const GENERATION_LIMIT = 2 ** 26;
/** Largest sample used to pick the rung's end in `top`; below MIN_RUNG events all of `top` is taken. */
const MAX_SAMPLES = 1024;
const MIN_RUNG = 2048;

/** A growable set of event records (time, seq, id, payload) in parallel arrays. */
class Records<T> {
  time = new Float64Array(256);
  seq = new Float64Array(256);
  id = new Int32Array(256);
  payload: (T | undefined)[] = [];
  length = 0;

  reserve(n: number): void {
    if (n <= this.time.length) return;
    const cap = Math.max(n, 2 * this.time.length);
    this.time = grown(this.time, cap);
    this.seq = grown(this.seq, cap);
    this.id = grown(this.id, cap);
    while (this.payload.length < cap) this.payload.push(undefined); // keep the array packed
  }

  append(time: number, seq: number, id: number, payload: T | undefined): void {
    const i = this.length++;
    if (i === this.time.length) this.reserve(i + 1);
    this.time[i] = time;
    this.seq[i] = seq;
    this.id[i] = id;
    this.payload[i] = payload;
  }
}

export class EventQueue<T> {
  private status = new Int32Array(1024); // per id: generation while pending, negative otherwise
  private labels: string[] | undefined;
  private freeIds = new Int32Array(1024);
  private freeCount = 0;
  private idCount = 0;
  private nextSeq = 0;
  private live = 0;
  private cancelled = 0; // cancelled events still stored somewhere

  private readonly top = new Records<T>();
  private readonly rung = new Records<T>();
  private bucketStart = new Int32Array(2);
  private bucketCount = 0;
  private cur = 0;
  private rungStart = 0;
  private width = 1;
  private nearEnd = -Infinity;
  private topStart = -Infinity;

  // near heap, positions 0..n-1: keys[2i] = time, keys[2i+1] = seq.
  private heapKeys = new Float64Array(2 * 256);
  private heapId = new Int32Array(256);
  private heapPayload: (T | undefined)[] = [];
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
    const id = this.allocId();
    const generation = this.status[id]!;
    if (label !== undefined) (this.labels ??= [])[id] = label;
    this.live++;
    const seq = this.nextSeq++;
    if (time < this.topStart) this.heapPush(time, seq, id, payload);
    else this.top.append(time, seq, id, payload);
    return (generation * ID_LIMIT + id) as Handle;
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
    const id = this.heapId[0]!;
    const payload = this.heapPayload[0];
    this.poppedTime = this.heapKeys[0]!;
    this.poppedLabel = this.labels?.[id] ?? '';
    this.heapRemoveTop();
    this.freeId(id);
    this.live--;
    return payload;
  }

  /** Brings the next live event to the heap top; false if the queue is empty. */
  private settle(): boolean {
    for (;;) {
      if (this.n > 0 && this.heapKeys[0]! < this.nearEnd) {
        const id = this.heapId[0]!;
        if (this.status[id]! > 0) return true;
        this.heapRemoveTop(); // cancelled
        this.freeId(id);
        this.cancelled--;
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
    const r = this.rung;
    const end = this.bucketStart[b + 1]!;
    for (let i = this.bucketStart[b]!; i < end; i++) this.heapPush(r.time[i]!, r.seq[i]!, r.id[i]!, r.payload[i]);
  }

  /**
   * The rung is used up: move the soonest slice of `top` (and any late events left in the heap)
   * into a fresh rung, counting-sorted into buckets of about two events.
   */
  private cutRung(): void {
    const top = this.top;
    while (this.n > 0) {
      top.append(this.heapKeys[0]!, this.heapKeys[1]!, this.heapId[0]!, this.heapPayload[0]);
      this.heapRemoveTop();
    }
    const total = top.length;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < total; i++) {
      const t = top.time[i]!;
      if (t < min) min = t;
      if (t > max) max = t;
    }
    const end = this.rungEnd(min, max);
    // Partition: events before `end` are staged for the rung (and counted per bucket), the rest
    // stay in `top`; cancelled events met on the way are dropped (one pass instead of a compaction).
    const buckets = Math.max(1, Math.min(total, Math.ceil(Math.max(MIN_RUNG, total / 8) / 2)));
    const width = Math.max(1, Math.ceil((end - min) / buckets));
    const counts = this.bucketStart.length >= buckets + 2 ? this.bucketStart.fill(0, 0, buckets + 2) : (this.bucketStart = new Int32Array(buckets + 2));
    const staged = this.stage;
    staged.length = 0;
    let kept = 0;
    const dropCancelled = this.cancelled > 0;
    for (let i = 0; i < total; i++) {
      const t = top.time[i]!;
      const id = top.id[i]!;
      if (dropCancelled && this.status[id]! < 0) {
        this.freeId(id);
        this.cancelled--;
      } else if (t < end) {
        staged.append(t, top.seq[i]!, id, top.payload[i]);
        counts[Math.floor((t - min) / width) + 2]!++;
      } else {
        top.time[kept] = t;
        top.seq[kept] = top.seq[i]!;
        top.id[kept] = id;
        top.payload[kept++] = top.payload[i];
      }
    }
    top.payload.fill(undefined, kept, total); // let fired payloads be collected
    top.length = kept;
    // counts[b + 2] = size of bucket b → bucketStart[b + 1] = write cursor → bucketStart[b] = start.
    for (let b = 2; b < buckets + 2; b++) counts[b] = counts[b]! + counts[b - 1]!;
    const rung = this.rung;
    rung.reserve(staged.length);
    rung.length = staged.length;
    for (let i = 0; i < staged.length; i++) {
      const t = staged.time[i]!;
      const at = counts[Math.floor((t - min) / width) + 1]!++;
      rung.time[at] = t;
      rung.seq[at] = staged.seq[i]!;
      rung.id[at] = staged.id[i]!;
      rung.payload[at] = staged.payload[i];
    }
    staged.payload.fill(undefined, 0, staged.length);
    this.rungStart = min;
    this.width = width;
    this.bucketCount = buckets;
    this.topStart = end;
    this.cur = -1;
    this.nearEnd = min;
  }
  private readonly stage = new Records<T>();

  /** Where the next rung ends: about an eighth of `top` falls before it (estimated from a sample). */
  private rungEnd(min: number, max: number): number {
    const total = this.top.length;
    if (total <= MIN_RUNG) return max + 1;
    const samples = Math.min(MAX_SAMPLES, total >> 4);
    const sample = new Float64Array(samples);
    const stride = total / samples;
    for (let k = 0; k < samples; k++) sample[k] = this.top.time[Math.floor(k * stride)]!;
    sample.sort();
    const q = sample[Math.floor(samples * Math.max(MIN_RUNG / total, 1 / 8))]!;
    return Math.min(max + 1, Math.max(q, min + 1));
  }

  /** Drops cancelled events from `top` and the heap (those in the rung are dropped when reached). */
  private compact(): void {
    const top = this.top;
    let kept = 0;
    for (let i = 0; i < top.length; i++) {
      const id = top.id[i]!;
      if (this.status[id]! < 0) {
        this.freeId(id);
        continue;
      }
      top.time[kept] = top.time[i]!;
      top.seq[kept] = top.seq[i]!;
      top.id[kept] = id;
      top.payload[kept++] = top.payload[i];
    }
    top.payload.fill(undefined, kept, top.length);
    top.length = kept;
    const heap: [number, number, number, T | undefined][] = [];
    for (let i = 0; i < this.n; i++) {
      const id = this.heapId[i]!;
      if (this.status[id]! < 0) this.freeId(id);
      else heap.push([this.heapKeys[2 * i]!, this.heapKeys[2 * i + 1]!, id, this.heapPayload[i]]);
    }
    this.heapPayload.fill(undefined, 0, this.n);
    this.n = 0;
    for (const [t, s, id, p] of heap) this.heapPush(t, s, id, p);
    let inRung = 0;
    for (let i = this.bucketStart[this.cur + 1] ?? 0; i < this.rung.length; i++) if (this.status[this.rung.id[i]!]! < 0) inRung++;
    this.cancelled = inRung;
  }

  // ---- the near heap (4-ary: the four children of a node are adjacent in memory) ----

  private heapPush(time: number, seq: number, id: number, payload: T | undefined): void {
    if (this.n === this.heapId.length) {
      this.heapKeys = grown(this.heapKeys, 2 * this.heapKeys.length);
      this.heapId = grown(this.heapId, 2 * this.heapId.length);
    }
    this.siftUp(this.n++, time, seq, id, payload);
  }

  private heapRemoveTop(): void {
    const last = --this.n;
    if (last > 0) this.siftDown(this.heapKeys[2 * last]!, this.heapKeys[2 * last + 1]!, this.heapId[last]!, this.heapPayload[last]);
    this.heapPayload[last] = undefined;
  }

  private siftUp(i: number, time: number, seq: number, id: number, payload: T | undefined): void {
    const keys = this.heapKeys;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = keys[2 * p]!;
      if (pt < time || (pt === time && keys[2 * p + 1]! < seq)) break;
      this.moveHeap(p, i);
      i = p;
    }
    this.setHeap(i, time, seq, id, payload);
  }

  private siftDown(time: number, seq: number, id: number, payload: T | undefined): void {
    const keys = this.heapKeys;
    const n = this.n;
    let i = 0;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let c = first; // the smallest of the (up to four) children
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
      this.moveHeap(c, i);
      i = c;
    }
    this.setHeap(i, time, seq, id, payload);
  }

  private moveHeap(from: number, to: number): void {
    this.heapKeys[2 * to] = this.heapKeys[2 * from]!;
    this.heapKeys[2 * to + 1] = this.heapKeys[2 * from + 1]!;
    this.heapId[to] = this.heapId[from]!;
    this.heapPayload[to] = this.heapPayload[from];
  }

  private setHeap(i: number, time: number, seq: number, id: number, payload: T | undefined): void {
    this.heapKeys[2 * i] = time;
    this.heapKeys[2 * i + 1] = seq;
    this.heapId[i] = id;
    this.heapPayload[i] = payload;
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
        this.status = grown(this.status, 2 * id);
        this.freeIds = grown(this.freeIds, 2 * id);
      }
      this.status[id] = -1;
    }
    this.status[id] = -this.status[id]!;
    return id;
  }

  /** Retires an id: its status turns negative with the next generation, so old handles go stale. */
  private freeId(id: number): void {
    const generation = Math.abs(this.status[id]!);
    this.status[id] = -((generation % (GENERATION_LIMIT - 1)) + 1);
    if (this.labels) this.labels[id] = '';
    this.freeIds[this.freeCount++] = id;
  }
}

function grown<A extends Float64Array | Int32Array>(a: A, length: number): A {
  const b = new (a.constructor as new (n: number) => A)(length);
  b.set(a);
  return b;
}
