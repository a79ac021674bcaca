import { appendTo, toSeconds, type SimContext, type Time, type EventHandle } from '../../engine/index.js';
import type { StreamSpec } from '../../topology/index.js';

/** What the stream tracker asks the world: where a workload's pods really serve now. */
export interface Serving {
  /** Clusters where a pod of `workload` is running and serving (its owner's view does not matter). */
  servingAt(workload: string): readonly string[];
  /** When the newest pod of `workload` serving at `cluster` started (its first connect attempt). */
  startedAt(workload: string, cluster: string): Time;
  reachable(a: string, b: string): boolean;
}

/** A world that also tells which workloads changed, so the tracker re-evaluates only their streams. */
export interface ChangingWorld extends Serving {
  /** Workloads whose serving pods or reachability changed since the last call (then forgotten). */
  takeChanged(): ReadonlySet<string>;
}

export type Level = 'pdc-lower' | 'pdc-higher';

/**
 * Records a stream level going down and coming back: trace (`stream-state`, `stream-outage`) and
 * the downtime metric by the thesis definition — first frame after minus last frame before,
 * frames at k·period (a frame at the very instant of the drop is lost).
 */
export function recordOutage(ctx: SimContext, stream: string, level: Level, droppedAt: Time, framePeriod: Time): void {
  const { sim, trace, metrics } = ctx;
  const lastBefore = Math.ceil(droppedAt / framePeriod) * framePeriod - framePeriod;
  const firstAfter = Math.ceil(sim.now / framePeriod) * framePeriod;
  trace.emit(sim.now, 'stream-state', { stream, level, up: true });
  trace.emit(sim.now, 'stream-outage', { stream, level, lastBefore, firstAfter, downtimeUs: firstAfter - lastBefore });
  metrics.record(level === 'pdc-lower' ? 'streamDowntimeLower' : 'streamDowntimeHigher', 's', toSeconds(firstAfter - lastBefore));
}
interface LevelState {
  up: boolean;
  /** When the current outage began. */
  droppedAt: Time;
  restore?: EventHandle;
}

/**
 * PMU streams through pmu → pdc-lower → pdc-higher as intervals, not frames (MODEL.md §5).
 * A level is *available* when its source level is up and a serving consumer pod reaches a
 * serving source pod; it is *up* again only at the consumer's next reconnect attempt
 * (every `reconnectInterval` since the drop, or since the consumer pod started). Downtime is
 * the thesis definition: first frame after minus last frame before, frames at k·period.
 */
export class StreamTracker {
  private readonly state = new Map<string, Record<Level, LevelState>>();
  /** Indices (design order) of the streams each workload takes part in. */
  private readonly byWorkload = new Map<string, number[]>();
  private started = false;

  constructor(
    private readonly ctx: SimContext,
    private readonly streams: readonly StreamSpec[],
    private readonly world: ChangingWorld,
    private readonly framePeriod: Time,
    private readonly reconnectInterval: Time,
    /** Reference mode: every stream at every change (and after every restore). */
    private readonly everyStream = false,
  ) {
    streams.forEach((s, i) => {
      this.state.set(s.name, { 'pdc-lower': { up: true, droppedAt: 0 }, 'pdc-higher': { up: true, droppedAt: 0 } });
      for (const w of new Set([s.pmu, s.lower, s.higher])) appendTo(this.byWorkload, w, i);
    });
  }

  /**
   * Re-evaluates the streams a change of pods or network can affect: those whose PMU or PDC
   * workloads the world reports changed (all of them the first time). A stream none of whose
   * workloads changed keeps its inputs, so evaluating it would do nothing: skipping it keeps
   * the cost per control-plane event independent of the number of streams.
   */
  update(): void {
    const changed = this.world.takeChanged();
    if (!this.started || this.everyStream) {
      this.started = true;
      for (const s of this.streams) this.evaluate(s);
      return;
    }
    const affected = new Set<number>();
    for (const w of changed) for (const i of this.byWorkload.get(w) ?? []) affected.add(i);
    // Design order, as a full pass would go: restores scheduled at one instant keep their order.
    for (const i of [...affected].sort((a, b) => a - b)) this.evaluate(this.streams[i]!);
  }

  private evaluate(s: StreamSpec): void {
    const st = this.state.get(s.name)!;
    const lowerAt = this.linked(s.pmu, s.lower);
    this.apply(s, 'pdc-lower', st['pdc-lower'], lowerAt, s.lower);
    const higherAt = st['pdc-lower'].up ? this.linked(s.lower, s.higher) : [];
    this.apply(s, 'pdc-higher', st['pdc-higher'], higherAt, s.higher);
  }

  /** Consumer clusters of `to` that reach a serving `from` pod. */
  private linked(from: string, to: string): string[] {
    const sources = this.world.servingAt(from);
    return this.world.servingAt(to).filter((c) => sources.some((s) => this.world.reachable(s, c)));
  }

  private apply(s: StreamSpec, level: Level, st: LevelState, consumers: readonly string[], consumerWorkload: string): void {
    const { sim, trace } = this.ctx;
    const available = consumers.length > 0;
    if (st.up && !available) {
      st.up = false;
      st.droppedAt = sim.now;
      trace.emit(sim.now, 'stream-state', { stream: s.name, level, up: false });
      return; // update() evaluates the level above next, with this level down
    }
    if (st.up || !available) {
      if (!available && st.restore) {
        sim.cancel(st.restore);
        st.restore = undefined;
      }
      return;
    }
    if (st.restore) return;
    // A fresh consumer pod connects when it starts; an old one retries on its cadence.
    const base = Math.max(st.droppedAt, ...consumers.map((c) => this.world.startedAt(consumerWorkload, c)));
    const at = sim.now <= base ? base : base + Math.ceil((sim.now - base) / this.reconnectInterval) * this.reconnectInterval;
    st.restore = sim.at(at, `${s.name} ${level} reconnects`, () => {
      st.restore = undefined;
      st.up = true;
      recordOutage(this.ctx, s.name, level, st.droppedAt, this.framePeriod);
      if (this.everyStream) this.update();
      else this.evaluate(s); // the level above may follow; nothing else changed
    });
  }

  /** Streams still down at the horizon (their outage has no end to measure). */
  downCount(): number {
    let n = 0;
    for (const st of this.state.values()) if (!st['pdc-higher'].up) n++;
    return n;
  }
}
