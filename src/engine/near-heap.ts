import { grown } from './grown.js';

/**
 * The event queue's near heap: a 4-ary min-heap on (time, seq) of the few events due soonest.
 * Entries are kept by value in parallel arrays — keys (time, seq) side by side, the handle, the
 * payload — so a sift reads a few adjacent entries; the four children of a node are adjacent too.
 */
export class NearHeap<T> {
  /** keys[2i] = time, keys[2i + 1] = seq of entry i; entry 0 is the soonest. */
  keys = new Float64Array(128);
  handles = new Float64Array(64);
  readonly payloads: (T | undefined)[] = [];
  n = 0;

  push(time: number, seq: number, handle: number, payload: T | undefined): void {
    if (this.n === this.handles.length) {
      this.handles = grown(this.handles, 2 * this.n);
      this.keys = grown(this.keys, 4 * this.n);
    }
    const keys = this.keys;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const pt = keys[2 * p]!;
      if (pt < time || (pt === time && keys[2 * p + 1]! < seq)) break;
      this.move(p, i);
      i = p;
    }
    this.set(i, time, seq, handle, payload);
  }

  removeTop(): void {
    const n = --this.n;
    const { keys, handles, payloads } = this;
    if (n === 0) {
      payloads[0] = undefined;
      return;
    }
    const handle = handles[n]!;
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
      this.move(c, i);
      i = c;
    }
    this.set(i, time, seq, handle, payload);
  }

  private move(from: number, to: number): void {
    this.set(to, this.keys[2 * from]!, this.keys[2 * from + 1]!, this.handles[from]!, this.payloads[from]);
  }

  private set(i: number, time: number, seq: number, handle: number, payload: T | undefined): void {
    this.keys[2 * i] = time;
    this.keys[2 * i + 1] = seq;
    this.handles[i] = handle;
    this.payloads[i] = payload;
  }

  /** Keeps only the entries whose handle `keep` accepts (rebuilt: compaction is rare). */
  filter(keep: (handle: number) => boolean): void {
    const entries = Array.from({ length: this.n }, (_, i) => [this.keys[2 * i]!, this.keys[2 * i + 1]!, this.handles[i]!, this.payloads[i]] as const);
    this.n = 0;
    this.payloads.length = 0;
    for (const [time, seq, handle, payload] of entries) if (keep(handle)) this.push(time, seq, handle, payload);
  }
}
