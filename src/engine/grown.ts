/** A copy of `a` with room for `length` elements (typed arrays do not grow in place). */
export function grown<A extends Float64Array | Int32Array>(a: A, length: number): A {
  const b = new (a.constructor as new (n: number) => A)(length);
  b.set(a);
  return b;
}

/** Lengthens `payloads` to `length` with undefined, in order, never leaving holes (V8 keeps a packed array fast). */
export function padTo<T>(payloads: (T | undefined)[], length: number): void {
  for (let k = payloads.length; k < length; k++) payloads.push(undefined);
}
