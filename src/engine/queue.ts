/**
 * Event queue: a binary min-heap ordered by (time, sequence). The sequence number is the
 * insertion order, so events at the same instant fire in the order they were scheduled —
 * the tie-break that makes runs deterministic. Keys live in typed arrays (no per-event
 * allocation on the hot path); cancellation is lazy: a cancelled entry is skipped on pop.
 */
export interface Entry<T> {
  readonly time: number;
  readonly seq: number;
  payload: T | undefined; // undefined once cancelled or fired
}

export class EventQueue<T> {
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private entries: (Entry<T> | undefined)[] = [];
  private n = 0;
  private nextSeq = 0;
  private live = 0;

  /** Number of pending (not cancelled) entries. */
  get size(): number {
    return this.live;
  }

  push(time: number, payload: T): Entry<T> {
    const entry: Entry<T> = { time, seq: this.nextSeq++, payload };
    if (this.n === this.times.length) this.grow();
    this.siftUp(this.n++, time, entry.seq, entry);
    this.live++;
    return entry;
  }

  cancel(entry: Entry<T>): boolean {
    if (entry.payload === undefined) return false;
    entry.payload = undefined;
    this.live--;
    return true;
  }

  /** Time of the next live entry, or Infinity. */
  peekTime(): number {
    this.dropCancelled();
    return this.n > 0 ? this.times[0]! : Infinity;
  }

  /** Removes and returns the next live entry. */
  pop(): Entry<T> | undefined {
    this.dropCancelled();
    if (this.n === 0) return undefined;
    const top = this.removeTop();
    this.live--;
    return top;
  }

  private dropCancelled(): void {
    while (this.n > 0 && this.entries[0]!.payload === undefined) this.removeTop();
  }

  private removeTop(): Entry<T> {
    const top = this.entries[0]!;
    const last = --this.n;
    if (last > 0) this.siftDown(0, this.times[last]!, this.seqs[last]!, this.entries[last]!);
    this.entries[last] = undefined;
    return top;
  }

  private siftUp(i: number, time: number, seq: number, entry: Entry<T>): void {
    const { times, seqs, entries } = this;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p]!;
      if (pt < time || (pt === time && seqs[p]! < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p]!;
      entries[i] = entries[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    entries[i] = entry;
  }

  private siftDown(i: number, time: number, seq: number, entry: Entry<T>): void {
    const { times, seqs, entries } = this;
    const n = this.n;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (times[r]! < times[c]! || (times[r] === times[c] && seqs[r]! < seqs[c]!))) c = r;
      const ct = times[c]!;
      if (time < ct || (time === ct && seq < seqs[c]!)) break;
      times[i] = ct;
      seqs[i] = seqs[c]!;
      entries[i] = entries[c];
      i = c;
    }
    times[i] = time;
    seqs[i] = seq;
    entries[i] = entry;
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap);
    t.set(this.times);
    const s = new Float64Array(cap);
    s.set(this.seqs);
    this.times = t;
    this.seqs = s;
  }
}
