/**
 * Decodes any RESP2 or RESP3 value, as a client reads replies: every type of RESP3 (simple
 * strings, errors, integers, bulk strings, arrays, nulls, booleans, doubles, big numbers, bulk
 * errors, verbatim strings, maps, sets, attributes and pushes). The tests read redis-server's and
 * Redlite's replies with it.
 *
 * @module
 */

/** A decoded RESP value, tagged with its wire type. */
export type RespValue =
  | { type: "simple"; value: string }
  | { type: "error"; value: string }
  | { type: "integer"; value: bigint }
  | { type: "bulk"; value: Uint8Array | null }
  | { type: "array"; value: RespValue[] | null }
  | { type: "null" }
  | { type: "boolean"; value: boolean }
  | { type: "double"; value: string }
  | { type: "bignumber"; value: bigint }
  | { type: "verbatim"; format: string; value: Uint8Array }
  | { type: "map"; value: [RespValue, RespValue][] }
  | { type: "set"; value: RespValue[] }
  | { type: "push"; value: RespValue[] }
  | { type: "attribute"; value: [RespValue, RespValue][] };

/** One decoded value and the offset just past it. */
export interface Decoded {
  /** The value. */
  value: RespValue;
  /** Where the next value starts. */
  next: number;
}

const decoder = new TextDecoder();

function lineEnd(buffer: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buffer.length; i++) {
    if (buffer[i] === 13 && buffer[i + 1] === 10) return i;
  }
  return -1;
}

/**
 * Decodes the value starting at `offset`; null when the buffer ends before it does. Throws a
 * `SyntaxError` on bytes that are not RESP.
 *
 * @example
 * ```ts
 * decodeValue(new TextEncoder().encode("*2\r\n:1\r\n$1\r\na\r\n"), 0);
 * // { value: { type: "array", value: [integer 1, bulk "a"] }, next: 18 }
 * ```
 */
export function decodeValue(buffer: Uint8Array, offset = 0): Decoded | null {
  if (offset >= buffer.length) return null;
  const marker = buffer[offset];
  const end = lineEnd(buffer, offset + 1);
  if (end < 0) return null;
  const line = decoder.decode(buffer.subarray(offset + 1, end));
  const next = end + 2;
  switch (marker) {
    case 43: // +
      return { value: { type: "simple", value: line }, next };
    case 45: // -
      return { value: { type: "error", value: line }, next };
    case 58: // :
      return { value: { type: "integer", value: BigInt(line) }, next };
    case 95: // _
      return { value: { type: "null" }, next };
    case 35: // #
      return { value: { type: "boolean", value: line === "t" }, next };
    case 44: // ,
      return { value: { type: "double", value: line }, next };
    case 40: // (
      return { value: { type: "bignumber", value: BigInt(line) }, next };
    case 36: // $
    case 33: // !
    case 61: { // =
      const length = Number(line);
      if (length < 0) return { value: { type: "bulk", value: null }, next };
      if (next + length + 2 > buffer.length) return null;
      const bytes = buffer.slice(next, next + length);
      const after = next + length + 2;
      if (marker === 33) {
        return { value: { type: "error", value: decoder.decode(bytes) }, next: after };
      }
      if (marker === 61) {
        const format = decoder.decode(bytes.subarray(0, 3));
        return { value: { type: "verbatim", format, value: bytes.slice(4) }, next: after };
      }
      return { value: { type: "bulk", value: bytes }, next: after };
    }
    case 42: // *
    case 126: // ~
    case 62: { // >
      const count = Number(line);
      if (count < 0) return { value: { type: "array", value: null }, next };
      const items: RespValue[] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const item = decodeValue(buffer, at);
        if (item === null) return null;
        items.push(item.value);
        at = item.next;
      }
      const type = marker === 42 ? "array" : marker === 126 ? "set" : "push";
      return { value: { type, value: items } as RespValue, next: at };
    }
    case 37: // %
    case 124: { // |
      const count = Number(line);
      const entries: [RespValue, RespValue][] = [];
      let at = next;
      for (let i = 0; i < count; i++) {
        const key = decodeValue(buffer, at);
        if (key === null) return null;
        const value = decodeValue(buffer, key.next);
        if (value === null) return null;
        entries.push([key.value, value.value]);
        at = value.next;
      }
      return { value: { type: marker === 37 ? "map" : "attribute", value: entries }, next: at };
    }
    default:
      throw new SyntaxError(`not a RESP type marker: ${String.fromCharCode(marker)}`);
  }
}
