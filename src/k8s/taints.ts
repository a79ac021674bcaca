import type { Time } from '../engine/index.js';
import type { Taint, Toleration } from './types.js';

/** Does `t` tolerate `taint`? (k8s.io/api/core/v1 toleration.go ToleratesTaint) */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.key === undefined || t.key === '') return (t.operator ?? 'Equal') === 'Exists';
  if (t.key !== taint.key) return false;
  if ((t.operator ?? 'Equal') === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first of `taints` with one of `effects` that no toleration tolerates, if any (scheduler's TaintToleration filter). */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly Taint['effect'][]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}

/**
 * How long a pod may stay bound to a node with these NoExecute taints (taint manager
 * `getMinTolerationTime`): 0 if some taint is not tolerated, Infinity if every matching
 * toleration has no seconds, else the shortest tolerationSeconds among the matching ones.
 */
export function minTolerationTime(taints: readonly Taint[], tolerations: readonly Toleration[]): Time {
  let min = Infinity;
  for (const taint of taints) {
    if (taint.effect !== 'NoExecute') continue;
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return 0;
    for (const t of matching) if (t.tolerationSeconds !== undefined) min = Math.min(min, Math.max(0, t.tolerationSeconds));
  }
  return min;
}
