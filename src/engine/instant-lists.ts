import { grown, padTo } from './grown.js';

const NONE = -1;

/**
 * The finest level of the timing wheel: per slot, the events of one instant in insertion order,
 * as nodes linked through `next` in one arena. A slot there holds one or two events, so a chunk
 * per slot (as coarser slots have) would scatter them; nodes are written in the order events
 * arrive; a node taken is reused by the next event, and the arena starts over whenever the level
 * is empty (each time the wheel moves on to the next block), so it stays as large as the most
 * events the level held at once.
 */
export class InstantLists<T> {
  handle = new Float64Array(64);
  next = new Int32Array(64);
  payloads: (T | undefined)[] = new Array<T | undefined>(64).fill(undefined);
  private count = 0;
  /** Nodes already taken, reused before the arena grows (linked through `next`). */
  private freeNode = NONE;
  readonly head: Int32Array;
  private readonly tail: Int32Array;

  constructor(slots: number) {
    this.head = new Int32Array(slots).fill(NONE);
    this.tail = new Int32Array(slots).fill(NONE);
  }

  add(slot: number, handle: number, payload: T | undefined): void {
    let node = this.freeNode;
    if (node !== NONE) this.freeNode = this.next[node]!;
    else {
      node = this.count++;
      if (node === this.next.length) this.grow();
    }
    this.handle[node] = handle;
    this.next[node] = NONE;
    this.payloads[node] = payload;
    if (this.head[slot] === NONE) this.head[slot] = node;
    else this.next[this.tail[slot]!] = node;
    this.tail[slot] = node;
  }

  isEmpty(slot: number): boolean {
    return this.head[slot] === NONE;
  }

  /** Takes the first event of `slot` (its payload let go); false once the slot is empty. */
  advance(slot: number): boolean {
    const node = this.head[slot]!;
    this.payloads[node] = undefined;
    const rest = (this.head[slot] = this.next[node]!);
    this.release(node);
    return rest !== NONE;
  }

  private release(node: number): void {
    this.next[node] = this.freeNode;
    this.freeNode = node;
  }

  /** Every slot is empty: the arena starts over. */
  restart(): void {
    this.count = 0;
    this.freeNode = NONE;
  }

  /** Keeps, in order, the events of `slot` whose handle `keep` accepts; the others' payloads are let go. */
  filter(slot: number, keep: (handle: number) => boolean): void {
    let last = NONE;
    for (let node = this.head[slot]!, after = NONE; node !== NONE; node = after) {
      after = this.next[node]!;
      if (!keep(this.handle[node]!)) {
        this.payloads[node] = undefined;
        this.release(node);
        continue;
      }
      if (last === NONE) this.head[slot] = node;
      else this.next[last] = node;
      last = node;
    }
    if (last === NONE) this.head[slot] = NONE;
    else this.next[last] = NONE;
    this.tail[slot] = last;
  }

  private grow(): void {
    const size = 2 * this.next.length;
    this.handle = grown(this.handle, size);
    this.next = grown(this.next, size);
    padTo(this.payloads, size);
  }
}
