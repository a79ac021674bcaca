import type { Rng, SimContext, Time } from '../engine/index.js';
import { sampleDelay, type DelayModel } from '../network/index.js';
import { firstFrameAtOrAfter, frameTime, type FrameClock } from './frames.js';

/** Where a stream is observed (the trace vocabulary's levels). */
export type StreamLevel = 'pmu' | 'pdc-lower' | 'pdc-higher' | 'application';

/** One hop of the chain PMU → low-level PDC → high-level PDC → application. */
export interface HopSpec {
  /** The level a frame reaches when it crosses this hop. */
  readonly to: StreamLevel;
  /**
   * When a frame crosses the hop, µs after its timestamp (nominal cumulative latency: network
   * delay plus the upstream PDC's publishing wait). Frames crossing at an instant the hop is down
   * are lost; a change of state at that very instant applies to the frame.
   */
  readonly offset: Time;
  /** State of the hop at construction time. */
  readonly initiallyUp: boolean;
  /**
   * Per-frame delay of this hop (network + processing) for the latency distribution; `offset`
   * stays the nominal crossing time that decides which frames an outage takes. Default: none.
   */
  readonly delay?: DelayModel;
}

export interface StreamSpec {
  readonly id: string;
  readonly clock: FrameClock;
  readonly hops: readonly HopSpec[];
  /**
   * `interval` (default): no event per frame; deliveries are computed from the hops' up/down
   * timelines. `frames`: one event per frame and hop, the reference the interval mode is tested against.
   */
  readonly mode?: 'interval' | 'frames';
}

/** A gap in delivery: the thesis's downtime is `firstAfter − lastBefore` (frame timestamps). */
export interface Outage {
  readonly lastBefore: Time;
  /** Undefined while the stream has not come back by the end of the window. */
  readonly firstAfter?: Time;
  readonly downtimeUs?: Time;
  readonly framesLost: number;
}

export interface StreamReport {
  readonly level: StreamLevel;
  /** Frames with timestamps in the window [t0, until). */
  readonly frames: number;
  readonly delivered: number;
  readonly lost: number;
  readonly availability: number;
  readonly outages: readonly Outage[];
  /** Delivered frames as half-open index ranges [from, to): the frame-exact answer. */
  readonly deliveredRanges: readonly (readonly [number, number])[];
}

type Ranges = [number, number][];

/** Intersection of two sorted lists of disjoint half-open ranges. */
function intersect(a: Ranges, b: Ranges): Ranges {
  const out: Ranges = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo < hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

/** Collapses a per-frame boolean record into ranges (reference mode). */
function toRanges(passed: (k: number) => boolean, n: number): Ranges {
  const out: Ranges = [];
  for (let k = 0; k < n; k++) {
    if (!passed(k)) continue;
    const last = out[out.length - 1];
    if (last && last[1] === k) last[1] = k + 1;
    else out.push([k, k + 1]);
  }
  return out;
}

/**
 * One PMU stream through its chain of hops. The models that own a hop (the network, a PDC's
 * input connection, the PMU pod) call `setHop` when it goes up or down; the stream keeps one
 * timeline per hop, so a run costs one record per control-plane change, not one per frame.
 * `report` turns the timelines into delivered frames, outages and availability by interval
 * arithmetic: frame k crosses hop h at `t_k + offset_h`, so the frames that cross while h is up
 * during [a, b) are the indices [first(a − offset_h), first(b − offset_h)).
 */
export class FrameStream {
  /** Per hop: times at which its state flips, starting from `initiallyUp`. */
  private readonly flips: Time[][];
  private readonly live: boolean[];
  /** Reference mode: number of consecutive hops each frame crossed. */
  private readonly reached: number[] = [];

  constructor(
    private readonly ctx: SimContext,
    readonly spec: StreamSpec,
  ) {
    if (spec.hops.length === 0) throw new RangeError(`stream ${spec.id}: no hops`);
    spec.hops.forEach((h, i) => {
      if (!Number.isSafeInteger(h.offset) || h.offset < (spec.hops[i - 1]?.offset ?? 0)) throw new RangeError(`stream ${spec.id}: hop offsets must be non-decreasing integer µs`);
    });
    this.flips = spec.hops.map(() => []);
    this.live = spec.hops.map((h) => h.initiallyUp);
    if (spec.mode === 'frames') this.emitFrame(firstFrameAtOrAfter(spec.clock, ctx.sim.now));
  }

  get levels(): StreamLevel[] {
    return this.spec.hops.map((h) => h.to);
  }

  isUp(hop: number): boolean {
    return this.live[hop]!;
  }

  /** The hop into `level` goes up or down now. Repeating the current state is a no-op. */
  setHop(level: StreamLevel, up: boolean, reason = ''): void {
    const h = this.hopIndex(level);
    if (this.live[h] === up) return;
    this.live[h] = up;
    const flips = this.flips[h]!;
    const now = this.ctx.sim.now;
    // Two flips at one instant cancel out: the state at that instant is the last one set.
    if (flips.length > 0 && flips[flips.length - 1] === now) flips.pop();
    else flips.push(now);
    this.ctx.trace.emit(now, 'stream-state', { stream: this.spec.id, level, up, reason });
  }

  /**
   * Deliveries at `level` of the frames stamped in [t0, until). Emits one `stream-outage`
   * trace record per closed outage. Call it once the clock has passed `until` + the offsets.
   */
  report(level: StreamLevel, until: Time, emit = true): StreamReport {
    const last = this.hopIndex(level);
    const n = firstFrameAtOrAfter(this.spec.clock, until);
    const ranges = this.spec.mode === 'frames' ? toRanges((k) => (this.reached[k] ?? 0) > last, n) : this.computeRanges(last, n);
    const outages: Outage[] = [];
    for (let i = 1; i <= ranges.length; i++) {
      const prevEnd = ranges[i - 1]![1];
      const next = ranges[i];
      const lastBefore = frameTime(this.spec.clock, prevEnd - 1);
      if (next) {
        const firstAfter = frameTime(this.spec.clock, next[0]);
        outages.push({ lastBefore, firstAfter, downtimeUs: firstAfter - lastBefore, framesLost: next[0] - prevEnd });
      } else if (prevEnd < n) outages.push({ lastBefore, framesLost: n - prevEnd });
    }
    const delivered = ranges.reduce((s, [a, b]) => s + (b - a), 0);
    if (emit) for (const o of outages) if (o.firstAfter !== undefined) this.ctx.trace.emit(this.ctx.sim.now, 'stream-outage', { stream: this.spec.id, level, ...o });
    return { level, frames: n, delivered, lost: n - delivered, availability: n === 0 ? 1 : delivered / n, outages, deliveredRanges: ranges };
  }

  /**
   * `n` draws of the end-to-end latency of a frame delivered at `level` (µs): the sum of the hops'
   * delays. Latency does not depend on outages (a frame is delivered or lost), so it is sampled
   * apart from the frame arithmetic, costing `n` draws, not one per frame.
   */
  latencySamples(level: StreamLevel, n: number, rng: Rng): number[] {
    const hops = this.spec.hops.slice(0, this.hopIndex(level) + 1);
    return Array.from({ length: n }, () => hops.reduce((s, h) => s + (h.delay ? sampleDelay(h.delay, rng) : 0), 0));
  }

  private hopIndex(level: StreamLevel): number {
    const h = this.spec.hops.findIndex((x) => x.to === level);
    if (h < 0) throw new RangeError(`stream ${this.spec.id} has no hop into ${level}`);
    return h;
  }

  /** Frames (indices < n) crossing hops 0..last while each is up. */
  private computeRanges(last: number, n: number): Ranges {
    let acc: Ranges = [[0, n]];
    for (let h = 0; h <= last && acc.length > 0; h++) {
      const hop = this.spec.hops[h]!;
      const at = (t: Time) => Math.min(n, firstFrameAtOrAfter(this.spec.clock, t - hop.offset));
      const up: Ranges = [];
      let state = hop.initiallyUp;
      let since = -Infinity;
      for (const t of [...this.flips[h]!, Infinity]) {
        if (state) {
          const from = since === -Infinity ? 0 : at(since);
          const to = t === Infinity ? n : at(t);
          // A down period with no frame in it leaves adjacent ranges: join them (no outage).
          const last = up[up.length - 1];
          if (from < to && last && last[1] === from) last[1] = to;
          else if (from < to) up.push([from, to]);
        }
        state = !state;
        since = t;
      }
      acc = intersect(acc, up);
    }
    return acc;
  }

  /** Reference mode: frame k is generated, then crosses each hop in turn at t_k + offset. */
  private emitFrame(k: number): void {
    const t = frameTime(this.spec.clock, k);
    this.ctx.sim.at(t, `frame ${this.spec.id}#${k}`, () => {
      this.reached[k] = 0;
      this.cross(k, t, 0);
      this.emitFrame(k + 1);
    });
  }

  private cross(k: number, t: Time, h: number): void {
    const hop = this.spec.hops[h];
    if (!hop) return;
    this.ctx.sim.at(t + hop.offset, `frame ${this.spec.id}#${k} hop ${hop.to}`, () => {
      // Re-queue once at the same instant so that state changes already scheduled for this
      // instant apply first ("a change at the instant a frame crosses applies to it").
      this.ctx.sim.at(this.ctx.sim.now, 'frame crossing', () => {
        if (!this.live[h]) return;
        this.reached[k] = h + 1;
        this.cross(k, t, h + 1);
      });
    });
  }
}
