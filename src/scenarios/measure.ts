import type { SimContext, Time } from '../engine/index.js';

/**
 * Records when a condition (a query succeeds, a member is primary) turns false and true again,
 * re-evaluated only on the bus topics that can change it — no polling, so the cost follows
 * control-plane events.
 */
export class UpDownRecorder {
  private up: boolean;
  private downSince: Time | undefined;
  /** Closed down periods [from, to). */
  readonly periods: [Time, Time][] = [];

  constructor(
    private readonly ctx: SimContext,
    private readonly condition: () => boolean,
    topics: readonly string[],
  ) {
    this.up = condition();
    if (!this.up) this.downSince = ctx.sim.now;
    for (const t of topics) ctx.bus.on(t, () => this.check());
  }

  /** Re-evaluates now (call it from any event the topics do not cover). */
  check(): void {
    const up = this.condition();
    if (up === this.up) return;
    this.up = up;
    const now = this.ctx.sim.now;
    if (!up) this.downSince = now;
    else {
      this.periods.push([this.downSince!, now]);
      this.downSince = undefined;
    }
  }

  /** First instant at or after `t` at which the condition went false, if any. */
  firstDownAfter(t: Time): Time | undefined {
    const starts = [...this.periods.map(([a]) => a), ...(this.downSince !== undefined ? [this.downSince] : [])];
    return starts.find((a) => a >= t);
  }

  /** Total time down in [from, until). */
  downTime(from: Time, until: Time): Time {
    const open: [Time, Time][] = this.downSince !== undefined ? [[this.downSince, until]] : [];
    return [...this.periods, ...open].reduce((s, [a, b]) => s + Math.max(0, Math.min(b, until) - Math.max(a, from)), 0);
  }
}
