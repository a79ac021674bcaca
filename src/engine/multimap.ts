/** Appends `value` to the list kept under `key` in a map of lists (lists stay in insertion order). */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
