import type { Time } from './time.js';

/** One line of the event trace: when, what, and the data that explains why. */
export interface TraceRecord {
  t: Time;
  kind: string;
  [key: string]: unknown;
}

/**
 * Opt-in event trace (JSON lines). Off by default: a disabled trace costs one boolean test
 * per event, and turning it on must not change any result (it only observes).
 */
export class Trace {
  readonly records: TraceRecord[] = [];
  /**
   * Sees every notable record as it is emitted, recording on or off (the live UI). It must
   * only look: records are shared with `records` and must not be changed.
   */
  observer: ((record: TraceRecord) => void) | undefined;

  constructor(
    readonly enabled = false,
    /** Also record every engine event, not only the notable ones models emit. */
    readonly engineEvents = false,
  ) {}

  /** A notable domain event: models call this with the reason ("node NotReady", cause "lease expired"). */
  emit(t: Time, kind: string, data: Record<string, unknown> = {}): void {
    if (!this.enabled && !this.observer) return;
    const record: TraceRecord = { t, kind, ...data };
    if (this.enabled) this.records.push(record);
    this.observer?.(record);
  }

  /** Called by the engine for each fired event when engine events are traced. */
  event(t: Time, label: string): void {
    if (this.engineEvents) this.records.push({ t, kind: 'event', label });
  }

  toJsonLines(): string {
    return this.records.map((r) => JSON.stringify(r)).join('\n') + (this.records.length ? '\n' : '');
  }
}
