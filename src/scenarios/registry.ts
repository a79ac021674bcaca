import type { z } from 'zod';
import type { SimContext } from '../engine/index.js';

/**
 * A scenario assembles component models into one replication. Its parameters are checked
 * by its own schema (so each scenario documents what it reads).
 */
export interface ScenarioDef<P = any> {
  readonly kind: string;
  readonly description: string;
  readonly params: z.ZodType<P, any>;
  /** Metric names the scenario records (lets `spec.measurements` be checked); omit if open-ended. */
  readonly metrics?: readonly string[];
  /**
   * Optional load-time step after the schema: read referenced files, derive and check what
   * the parameters describe. Throws InputError (located with `ctx.locate`) for bad input.
   */
  resolve?(params: P, ctx: ResolveContext): P;
  /** Builds the world into `ctx` and schedules its faults; the runner then runs the clock. */
  build(ctx: SimContext, params: P, horizon: number): void;
}

export interface ResolveContext {
  /** The experiment file (relative references resolve against its folder). */
  readonly file: string;
  /** "file:line:col" of a field path inside `spec.scenario`. */
  locate(path: readonly (string | number)[]): string;
  /** Non-fatal findings (e.g. manifest fields the simulator does not model). */
  warn(message: string): void;
}

const scenarios = new Map<string, ScenarioDef>();

export function registerScenario(def: ScenarioDef): void {
  if (scenarios.has(def.kind)) throw new Error(`scenario ${def.kind} registered twice`);
  scenarios.set(def.kind, def);
}

export function findScenario(kind: string): ScenarioDef | undefined {
  return scenarios.get(kind);
}

export function scenarioKinds(): string[] {
  return [...scenarios.keys()].sort();
}
