/** A group view: its id (install order) and members. */
export interface View {
  readonly id: number;
  readonly members: readonly string[];
}

/**
 * The primary-component rule of galera's `gcomm/src/pc_proto.cpp` (MODEL.md §4): a component M
 * stays primary iff 2·W(M∩P) + W(L∩P) > W(P), where P is the last primary view, L the members
 * that left it gracefully, W the sum of `pc.weight`. Equality (an even split) is a split brain:
 * non-primary on both sides (`pc.ignore_sb` is not modelled).
 */
export function componentIsPrimary(m: readonly string[], left: readonly string[], p: View, weight: ReadonlyMap<string, number>): boolean {
  const w = (names: readonly string[]) => names.reduce((s, n) => s + (p.members.includes(n) ? (weight.get(n) ?? 1) : 0), 0);
  return 2 * w(m) + w(left) > w(p.members);
}
