/**
 * Bit operations on string values, as Redis's bitops.c does them: counting set bits, finding the
 * first set or clear bit, and combining strings with AND, OR, XOR and NOT. Bits are numbered from
 * the most significant bit of the first byte.
 *
 * @module
 */

import type { Int64 } from "./numbers.ts";

/** A range of BITCOUNT or BITPOS: inclusive indexes, negative ones counting from the end. */
export interface BitRange {
  /** The first byte (or bit) of the range. */
  start: Int64;
  /** The last byte (or bit), inclusive. BITPOS without it searches to the end of the string. */
  end?: Int64;
  /** Whether `start` and `end` count bytes (the default) or bits. */
  unit?: "byte" | "bit";
}

/** The operations of BITOP. */
export type BitOperation = "and" | "or" | "xor" | "not";

// The number of set bits of every byte value.
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

// A JavaScript number for an index or an offset: beyond 2^53 only its sign and size matter, as
// strings are shorter than 2^32 bits.
function toNumber(value: Int64): number {
  return typeof value === "number" ? value : Number(value);
}

/**
 * A range resolved against a length as Redis resolves it: negative indexes count from the end,
 * then both ends are clamped into the string. Empty when `start > end`.
 */
function resolve(start: Int64, end: Int64, length: number): { start: number; end: number } {
  let first = toNumber(start);
  let last = toNumber(end);
  if (first < 0) first += length;
  if (last < 0) last += length;
  if (first < 0) first = 0;
  if (last < 0) last = 0;
  if (last >= length) last = length - 1;
  return { start: first, end: last };
}

// Bit range [first, last] (inclusive, in bits) of a byte or bit range.
function bitSpan(range: { start: number; end: number }, inBits: boolean): [number, number] {
  return inBits ? [range.start, range.end] : [range.start * 8, range.end * 8 + 7];
}

/**
 * BITCOUNT: the number of set bits of `value`, in the whole string or in a range of bytes or
 * bits. Follows Redis 7.0: a range whose negative start lies after its negative end counts 0.
 *
 * @example
 * ```ts
 * countBits(new TextEncoder().encode("foobar")); // 26
 * countBits(new TextEncoder().encode("foobar"), { start: 1, end: 1 }); // 6
 * countBits(new TextEncoder().encode("foobar"), { start: 5, end: 30, unit: "bit" }); // 17
 * ```
 */
export function countBits(value: Uint8Array, range?: BitRange): number {
  let first = 0;
  let last = value.length * 8 - 1;
  if (range !== undefined) {
    const end = range.end ?? -1;
    if (range.start < 0 && end < 0 && range.start > end) return 0; // exact: Int64 compares
    const inBits = range.unit === "bit";
    const resolved = resolve(range.start, end, inBits ? value.length * 8 : value.length);
    if (resolved.start > resolved.end) return 0;
    [first, last] = bitSpan(resolved, inBits);
  }
  if (first > last) return 0;
  let count = 0;
  const firstByte = first >> 3;
  const lastByte = last >> 3;
  for (let i = firstByte; i <= lastByte; i++) count += POPCOUNT[value[i]];
  // Remove the bits of the edge bytes that lie outside the range.
  count -= POPCOUNT[value[firstByte] & ~(0xff >> (first & 7)) & 0xff];
  count -= POPCOUNT[value[lastByte] & (0xff >> ((last & 7) + 1))];
  return count;
}

/**
 * BITPOS: the position (in bits from the start of the string) of the first bit equal to `bit`,
 * in the whole string or in a range; -1 when there is none. Looking for a clear bit without an
 * explicit end finds the first bit after the string, as Redis treats the string as padded with
 * zeros to the right.
 *
 * @example
 * ```ts
 * findBit(new Uint8Array([0xff, 0xf0, 0x00]), 0); // 12
 * findBit(new Uint8Array([0x00, 0xff, 0xf0]), 1, { start: 2, end: -1 }); // 16
 * findBit(new Uint8Array([0xff]), 0); // 8
 * ```
 */
export function findBit(value: Uint8Array, bit: 0 | 1, range?: BitRange): number {
  const inBits = range?.unit === "bit";
  const length = inBits ? value.length * 8 : value.length;
  let resolved = { start: 0, end: value.length - 1 };
  if (range !== undefined) {
    resolved = resolve(range.start, range.end ?? (inBits ? length + 7 : length - 1), length);
  }
  if (resolved.start > resolved.end) return -1;
  const [first, last] = bitSpan(resolved, inBits);
  const position = scanBits(value, bit, first, last);
  if (position >= 0 || bit === 1 || range?.end !== undefined) return position;
  return last + 1;
}

// The first bit equal to `bit` in [first, last], or -1.
function scanBits(value: Uint8Array, bit: 0 | 1, first: number, last: number): number {
  const skip = bit === 1 ? 0x00 : 0xff; // bytes holding no bit we look for
  let i = first;
  while (i <= last) {
    if ((i & 7) === 0 && i + 7 <= last && value[i >> 3] === skip) {
      i += 8;
      continue;
    }
    if (((value[i >> 3] >> (7 - (i & 7))) & 1) === bit) return i;
    i++;
  }
  return -1;
}

/**
 * BITOP: combines strings byte by byte. A shorter string (or a missing key, given as null) counts
 * as zero bytes; the result is as long as the longest input. NOT takes exactly one input.
 *
 * @example
 * ```ts
 * combineBits("or", [new Uint8Array([0x0f]), new Uint8Array([0xf0, 0x01])]); // Uint8Array [0xff, 0x01]
 * combineBits("not", [new Uint8Array([0x0f])]); // Uint8Array [0xf0]
 * ```
 */
export function combineBits(operation: BitOperation, values: (Uint8Array | null)[]): Uint8Array {
  let length = 0;
  for (const value of values) length = Math.max(length, value?.length ?? 0);
  const result = new Uint8Array(length);
  if (operation === "not") {
    const source = values[0] ?? result;
    for (let i = 0; i < length; i++) result[i] = ~source[i];
    return result;
  }
  const first = values[0];
  if (first !== null) result.set(first);
  for (let k = 1; k < values.length; k++) {
    const value = values[k] ?? new Uint8Array(0);
    if (operation === "and") {
      for (let i = 0; i < length; i++) result[i] &= i < value.length ? value[i] : 0;
    } else if (operation === "or") {
      for (let i = 0; i < value.length; i++) result[i] |= value[i];
    } else {
      for (let i = 0; i < value.length; i++) result[i] ^= value[i];
    }
  }
  return result;
}
