import type { Dist, SimContext, Time } from '../../engine/index.js';
import { OpenPdcApp, PmuApp, type ConfigSource, type OpenPdcParams } from '../../grid/index.js';
import type { App } from '../../k8s/index.js';
import type { Network } from '../../network/index.js';
import type { Design, StreamSpec, WorkloadSpec } from '../../topology/index.js';
import { recordOutage, type Level } from './streams.js';

/**
 * Stream levels as the PDCs' input adapters report them (src/grid: connect, 5 s reconnect,
 * data-loss detection). The low level has the stream while the low-level PDC receives its PMU;
 * the high level while that holds and the high-level PDC receives the low-level PDC. Outages
 * count from `begin()` (the steady state): set-up is not an outage.
 */
export class FlowTracker {
  private readonly flows = new Map<string, boolean>();
  private readonly levels = new Map<string, { up: boolean; droppedAt: Time }>();
  private started = false;
  /** Called after every flow change (the steady-state check listens before `begin()`). */
  changed: () => void = () => {};

  constructor(
    private readonly ctx: SimContext,
    private readonly streams: readonly StreamSpec[],
    private readonly framePeriod: Time,
  ) {}

  flow(stream: string, level: Level, up: boolean): void {
    this.flows.set(`${stream}|${level}`, up);
    this.evaluate(stream);
    this.changed();
  }

  /** Every stream reaches the high-level PDC. */
  allUp(): boolean {
    return this.streams.every((s) => this.levels.get(`${s.name}|pdc-higher`)?.up === true);
  }

  begin(): void {
    this.started = true;
    for (const s of this.streams) this.evaluate(s.name);
  }

  /** Streams are driven by their PDCs' inputs: nothing to re-evaluate on other changes. */
  update(): void {}

  downCount(): number {
    let n = 0;
    for (const s of this.streams) if (!this.levels.get(`${s.name}|pdc-higher`)?.up) n++;
    return n;
  }

  private evaluate(stream: string): void {
    const lower = this.flows.get(`${stream}|pdc-lower`) ?? false;
    const higher = lower && (this.flows.get(`${stream}|pdc-higher`) ?? false);
    this.set(stream, 'pdc-lower', lower);
    this.set(stream, 'pdc-higher', higher);
  }

  private set(stream: string, level: Level, up: boolean): void {
    const key = `${stream}|${level}`;
    const st = this.levels.get(key);
    if (!this.started || !st) {
      // Before the steady state only the current state is kept.
      this.levels.set(key, { up, droppedAt: this.ctx.sim.now });
      return;
    }
    if (st.up === up) return;
    st.up = up;
    if (!up) {
      st.droppedAt = this.ctx.sim.now;
      this.ctx.trace.emit(this.ctx.sim.now, 'stream-state', { stream, level, up: false });
    } else recordOutage(this.ctx, stream, level, st.droppedAt, this.framePeriod);
  }
}

export interface GridAppParams {
  readonly pmuStart: Dist;
  readonly openPdc: OpenPdcParams;
}

/**
 * The grid applications of the design's streams (src/grid through the app seam): a PMU simulator
 * per `pmu` workload, openPDC for each low- and high-level PDC workload, inputs wired along the
 * streams. `config` says whether a PDC can read its configuration from where it runs.
 */
export function gridApps(
  ctx: SimContext,
  network: Network,
  design: Design,
  p: GridAppParams,
  config: (w: WorkloadSpec) => ConfigSource,
  flows: FlowTracker,
): Map<string, App> {
  const byName = new Map(design.workloads.map((w) => [w.name, w]));
  const pmus = new Map<string, PmuApp>();
  const lowers = new Map<string, OpenPdcApp>();
  const apps = new Map<string, App>();
  for (const s of design.streams) if (!pmus.has(s.pmu)) pmus.set(s.pmu, new PmuApp(s.pmu, { startLatency: p.pmuStart }));
  const pdc = (name: string, inputs: ConstructorParameters<typeof OpenPdcApp>[5]) => new OpenPdcApp(ctx, network, name, p.openPdc, config(byName.get(name)!), inputs);
  for (const lower of new Set(design.streams.map((s) => s.lower))) {
    const mine = design.streams.filter((s) => s.lower === lower);
    lowers.set(lower, pdc(lower, mine.map((s) => ({ from: pmus.get(s.pmu)!.publisher, onFlow: (up: boolean) => flows.flow(s.name, 'pdc-lower', up) }))));
  }
  for (const higher of new Set(design.streams.map((s) => s.higher))) {
    const mine = design.streams.filter((s) => s.higher === higher);
    const inputs = [...new Set(mine.map((s) => s.lower))].map((lower) => ({
      from: lowers.get(lower)!.publisher,
      onFlow: (up: boolean) => {
        for (const s of mine) if (s.lower === lower) flows.flow(s.name, 'pdc-higher', up);
      },
    }));
    apps.set(higher, pdc(higher, inputs));
  }
  for (const [name, app] of pmus) apps.set(name, app);
  for (const [name, app] of lowers) apps.set(name, app);
  return apps;
}
