import { EventQueue, type Handle } from './queue.js';
import type { Time } from './time.js';
import type { Trace } from './trace.js';

/** Names a scheduled event so it can be cancelled: an opaque non-zero number (no allocation per event). */
export type EventHandle = Handle;

/** The handle of an event too far in the future to ever fire. */
const NEVER = 0 as EventHandle;

export interface Timer {
  /** Stops the timer; the pending tick is cancelled. */
  stop(): void;
}

/**
 * The simulation clock and its event queue — the whole engine. Components never touch the
 * queue: they schedule callbacks at an absolute time (`at`) or after a delay (`after`),
 * or start periodic timers (`every`). Time is integer µs and never goes backwards.
 */
export class Simulator {
  private readonly queue = new EventQueue<() => void>();
  private current: Time = 0;
  private stopped = false;
  /** Events fired so far (the cost measure: it should grow with control-plane events). */
  processed = 0;

  constructor(readonly trace?: Trace) {}

  get now(): Time {
    return this.current;
  }

  get pending(): number {
    return this.queue.size;
  }

  at(time: Time, label: string, fn: () => void): EventHandle {
    // Past 2^53 µs (285 years, beyond any horizon) an event can never fire: a 400-year restart
    // drawn from a long-tailed distribution is "never", not an error. Its handle cancels nothing.
    if (time > Number.MAX_SAFE_INTEGER) return NEVER;
    if (!Number.isSafeInteger(time)) throw new RangeError(`event "${label}": time ${time} is not an integer µs`);
    if (time < this.current) throw new RangeError(`event "${label}" at ${time} is in the past (now ${this.current})`);
    // The label names the event in the trace ("why did this happen"); kept only when traced.
    return this.queue.push(time, fn, this.trace?.engineEvents ? label : undefined);
  }

  after(delay: Time, label: string, fn: () => void): EventHandle {
    return this.at(this.current + Math.max(0, Math.round(delay)), label, fn);
  }

  cancel(handle: EventHandle | undefined): void {
    if (handle) this.queue.cancel(handle); // 0 (NEVER) and undefined name no queued event
  }

  /**
   * Calls `fn` every `period`, first at `start` (default: now + period). Like a
   * Kubernetes wait.Until loop with a fixed ticker; `fn` may stop the timer.
   */
  every(period: Time, label: string, fn: () => void, start: Time = this.current + period): Timer {
    if (!(period > 0) || !Number.isSafeInteger(period)) throw new RangeError(`timer "${label}": period must be a positive integer µs`);
    let handle: EventHandle | undefined;
    let active = true;
    let due = start;
    // One closure per timer, not per tick.
    const tick = () => {
      fn();
      if (!active) return;
      due += period;
      handle = this.at(due, label, tick);
    };
    handle = this.at(due, label, tick);
    return {
      stop: () => {
        active = false;
        this.cancel(handle);
      },
    };
  }

  /** Stops `run` after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /** Fires events in (time, insertion) order until the queue is empty, `until` is passed, or `stop()`. */
  run(until: Time = Infinity): void {
    this.stopped = false;
    const queue = this.queue;
    const trace = this.trace?.enabled ? this.trace : undefined;
    while (!this.stopped) {
      const fn = queue.popUntil(until);
      if (fn === undefined) break;
      this.current = queue.poppedTime;
      this.processed++;
      if (trace) trace.event(this.current, queue.poppedLabel);
      fn();
    }
    if (until !== Infinity && !this.stopped && this.current < until) this.current = until;
  }
}
