/** A copy of `a` with room for `length` elements (typed arrays do not grow in place). */
export function grown<A extends Float64Array | Int32Array>(a: A, length: number): A {
  const b = new (a.constructor as new (n: number) => A)(length);
  b.set(a);
  return b;
}
