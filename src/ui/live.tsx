import type { ReactElement } from 'react';
import type { Time, TraceRecord } from '../engine/index.js';
import type { Progress, ReplicationObserver } from '../experiment/run.js';
import type { FinalInfo, RunInfo, RunProgress } from './layout.js';
import { RunScreen, type ScreenState } from './RunScreen.js';
import { applyRecords, atTime, emptyView, type LiveView } from './view-model.js';

/** What the UI paints into: ink's `render` instance, or ink-testing-library's in tests. */
export interface Mount {
  rerender(node: ReactElement): void;
  unmount(): void;
}

export interface LiveUiOptions {
  mount: (node: ReactElement) => Mount;
  /** Wall clock in ms, for the header only (never read inside a replication's logic). */
  clock: () => number;
  size: () => { columns: number; rows: number };
  color: boolean;
  /** Least wall time between repaints; the run itself is never held back by the screen. */
  repaintMs?: number;
}

/**
 * Drives the live screen of one `gridtwin run`: observes the replication being run (records
 * are folded into the view model slice by slice), follows the runner's progress, and at the
 * end turns into the summary screen.
 */
export class LiveUi {
  private readonly started: number;
  private readonly mounted: Mount;
  private view: LiveView = emptyView();
  private pending: TraceRecord[] = [];
  private point: { index: number; label: string } | undefined;
  /** Totals of the sweep points already finished (the runner's progress counts per point). */
  private pointsSim: Time = 0;
  private pointsEvents = 0;
  private done = 0;
  private doneSim: Time = 0;
  private doneEvents = 0;
  private current: number | undefined;
  private currentNow: Time = 0;
  private currentEvents = 0;
  private stopping = false;
  private lastPaint = -Infinity;
  private final: FinalInfo | undefined;

  constructor(
    private readonly info: RunInfo,
    private readonly opts: LiveUiOptions,
  ) {
    this.started = opts.clock();
    this.mounted = opts.mount(this.screen());
  }

  readonly observer: ReplicationObserver = {
    onStart: (run) => {
      this.pending = [];
      this.view = emptyView(run);
      this.current = run;
      this.currentNow = 0;
      this.currentEvents = 0;
    },
    onRecord: (record) => {
      this.pending.push(record);
    },
    onSlice: (_run, now, events) => {
      this.view = atTime(applyRecords(this.view, this.pending), now);
      this.pending = [];
      this.currentNow = now;
      this.currentEvents = events;
      this.paint();
    },
  };

  /** The runner's `onProgress`: a replication finished. */
  readonly onProgress = (p: Progress): void => {
    this.done = p.done;
    this.doneSim = p.simTime;
    this.doneEvents = p.events;
    this.current = undefined;
    this.currentNow = 0;
    this.currentEvents = 0;
    this.paint();
  };

  /** A sweep moves on to point `index` (its parameter values in `label`). */
  startPoint(index: number, label: string): void {
    this.pointsSim += this.doneSim;
    this.pointsEvents += this.doneEvents;
    this.done = 0;
    this.doneSim = 0;
    this.doneEvents = 0;
    this.point = { index, label };
    this.paint(true);
  }

  /** Ctrl-C was pressed: say so at once; the runner stops at its next yield. */
  interrupt(): void {
    this.stopping = true;
    this.paint(true);
  }

  /** Shows the summary screen and leaves it on the terminal. */
  finish(final: FinalInfo): void {
    this.final = final;
    this.paint(true);
    this.mounted.unmount();
  }

  /** Unmounts without a summary (an internal error is about to be reported). */
  close(): void {
    this.mounted.unmount();
  }

  private progress(): RunProgress {
    const running = this.current !== undefined;
    return {
      done: this.done,
      current: this.current,
      currentSim: running ? this.currentNow : undefined,
      point: this.point,
      simTime: this.pointsSim + this.doneSim + (running ? this.currentNow : 0),
      events: this.pointsEvents + this.doneEvents + (running ? this.currentEvents : 0),
      wallMs: this.opts.clock() - this.started,
      stopping: this.stopping,
    };
  }

  private screen(): ReactElement {
    const { columns, rows } = this.opts.size();
    const state: ScreenState = { info: this.info, progress: this.progress(), view: this.view, final: this.final, columns, rows, color: this.opts.color };
    return <RunScreen state={state} />;
  }

  private paint(force = false): void {
    const now = this.opts.clock();
    if (!force && now - this.lastPaint < (this.opts.repaintMs ?? 100)) return;
    this.lastPaint = now;
    this.mounted.rerender(this.screen());
  }
}
