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
  /** Builds the world into `ctx` and schedules its faults; the runner then runs the clock. */
  build(ctx: SimContext, params: P, horizon: number): void;
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
