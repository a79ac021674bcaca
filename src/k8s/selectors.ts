import type { SelectorRequirement, SelectorTerm } from './types.js';

type Labels = Readonly<Record<string, string>>;

export function matchesRequirement(labels: Labels, r: SelectorRequirement): boolean {
  const v = labels[r.key];
  switch (r.operator) {
    case 'In':
      return v !== undefined && (r.values ?? []).includes(v);
    case 'NotIn':
      return v === undefined || !(r.values ?? []).includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
  }
}

/** Every requirement of the term holds (an empty term matches nothing, as in nodeaffinity). */
export const matchesTerm = (labels: Labels, term: SelectorTerm): boolean => term.length > 0 && term.every((r) => matchesRequirement(labels, r));

/** Terms are ORed. */
export const matchesAnyTerm = (labels: Labels, terms: readonly SelectorTerm[]): boolean => terms.some((t) => matchesTerm(labels, t));

export const matchesLabels = (labels: Labels, want: Labels): boolean => Object.entries(want).every(([k, v]) => labels[k] === v);
