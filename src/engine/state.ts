import { produce, freeze, type Draft } from 'immer';

/**
 * A slice of simulation state: an immutable tree changed only through named transitions
 * (immer `produce`). Keep slices small — one per cluster or component — because immer
 * copies the path it touches; one national-size map in a draft would make every change O(n).
 */
export class Store<S> {
  private state: S;
  private readonly listeners: ((next: S, prev: S, transition: string) => void)[] = [];

  constructor(initial: S) {
    this.state = freeze(initial, true);
  }

  get(): S {
    return this.state;
  }

  /** Applies one named transition; listeners see the before/after snapshots. */
  update(transition: string, recipe: (draft: Draft<S>) => void): S {
    const prev = this.state;
    const next = produce(prev, recipe);
    if (next !== prev) {
      this.state = next;
      for (const l of this.listeners) l(next, prev, transition);
    }
    return next;
  }

  subscribe(listener: (next: S, prev: S, transition: string) => void): void {
    this.listeners.push(listener);
  }
}
