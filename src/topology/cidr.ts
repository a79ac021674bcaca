/** IPv4 CIDR arithmetic: enough to allocate per-cluster pod CIDRs and find overlaps. */

export interface CidrRange {
  /** First address as an unsigned 32-bit number. */
  readonly start: number;
  /** One past the last address. */
  readonly end: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n"; undefined when malformed or when host bits are set. */
export function parseCidr(text: string): CidrRange | undefined {
  const m = CIDR.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const addr = ((octets[0]! << 24) >>> 0) + (octets[1]! << 16) + (octets[2]! << 8) + octets[3]!;
  const size = 2 ** (32 - bits);
  if (addr % size !== 0) return undefined;
  return { start: addr, end: addr + size };
}

export const formatCidr = (start: number, bits: number): string =>
  `${start >>> 24}.${(start >>> 16) & 255}.${(start >>> 8) & 255}.${start & 255}/${bits}`;

/** The `index`-th /`bits` block inside `base` (e.g. the 3rd /24 of 10.0.0.0/8). */
export function subnet(base: string, bits: number, index: number): string {
  const b = parseCidr(base);
  if (!b) throw new RangeError(`bad base CIDR ${base}`);
  const size = 2 ** (32 - bits);
  const start = b.start + index * size;
  if (!Number.isSafeInteger(index) || index < 0 || start + size > b.end) {
    throw new RangeError(`${base} has no room for /${bits} block number ${index}`);
  }
  return formatCidr(start, bits);
}

/**
 * Overlapping pairs among named ranges, by sorting (n log n, so large DB domains stay cheap).
 * Each overlapping range is reported once, against the earlier range it overlaps.
 */
export function overlaps<T extends { range: CidrRange }>(items: readonly T[]): [T, T][] {
  const sorted = [...items].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const out: [T, T][] = [];
  let widest: T | undefined;
  for (const item of sorted) {
    if (widest && item.range.start < widest.range.end) out.push([widest, item]);
    if (!widest || item.range.end > widest.range.end) widest = item;
  }
  return out;
}
