/**
 * Byte helpers. Keys, fields, members and values are bytes everywhere inside Redlite; strings are
 * converted only at the embedded API's edge.
 *
 * @module
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder();
// WHATWG's "latin1" is windows-1252: still one UTF-16 unit per byte, distinct for every byte.
const latin1 = new TextDecoder("latin1");

/** What the embedded API accepts as a key, field, member or value. */
export type Bytes = string | Uint8Array;

/**
 * The bytes of a string (UTF-8) or the bytes themselves.
 *
 * @example
 * ```ts
 * toBytes("é"); // Uint8Array [195, 169]
 * ```
 */
export function toBytes(value: Bytes): Uint8Array {
  return typeof value === "string" ? encoder.encode(value) : value;
}

// The buffer of transientBytes: a key of up to its length in ASCII costs no allocation.
const scratch = new Uint8Array(256);

/**
 * {@linkcode toBytes} for bytes used at once and never kept (a key bound to one statement): a
 * short ASCII string is written into a buffer shared by every call, and a view of it returned.
 * The view's bytes change with the next call.
 *
 * @example
 * ```ts
 * transientBytes("k"); // Uint8Array [107], valid until the next call
 * ```
 */
export function transientBytes(value: Bytes): Uint8Array {
  if (typeof value !== "string" || value.length > scratch.length) return toBytes(value);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 127) return encoder.encode(value);
    scratch[i] = c;
  }
  return scratch.subarray(0, value.length);
}

/**
 * Bytes of a string, a byte array or a number (as its decimal text, as Redis clients send it).
 *
 * @example
 * ```ts
 * argBytes(42); // the bytes of "42"
 * ```
 */
export function argBytes(value: Bytes | number | bigint): Uint8Array {
  if (typeof value === "number" || typeof value === "bigint") return encoder.encode(String(value));
  return toBytes(value);
}

/**
 * UTF-8 text of bytes (invalid sequences become U+FFFD).
 *
 * @example
 * ```ts
 * toText(new Uint8Array([104, 105])); // "hi"
 * ```
 */
export function toText(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/**
 * Byte-wise comparison, as memcmp and Redis order bytes: negative, zero or positive.
 *
 * @example
 * ```ts
 * compareBytes(toBytes("a"), toBytes("b")); // -1
 * ```
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

/**
 * Whether two byte arrays hold the same bytes.
 *
 * @example
 * ```ts
 * equalBytes(toBytes("a"), new Uint8Array([97])); // true
 * ```
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

/**
 * One byte array holding the given ones in order.
 *
 * @example
 * ```ts
 * concatBytes(toBytes("ab"), toBytes("c")); // the bytes of "abc"
 * ```
 */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The ASCII text of bytes, upper-cased: for matching command names and options.
 *
 * @example
 * ```ts
 * upperAscii(toBytes("ex")); // "EX"
 * ```
 */
export function upperAscii(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    out += String.fromCharCode(c >= 97 && c <= 122 ? c - 32 : c);
  }
  return out;
}

/**
 * The bytes of a JavaScript string holding only ASCII text, without a TextEncoder.
 *
 * @example
 * ```ts
 * asciiBytes("OK"); // Uint8Array [79, 75]
 * ```
 */
export function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

/**
 * The text of bytes holding only ASCII (numbers, ids), without a TextDecoder.
 *
 * @example
 * ```ts
 * asciiText(new Uint8Array([52, 50])); // "42"
 * ```
 */
export function asciiText(bytes: Uint8Array): string {
  return bytes.length < 64 ? String.fromCharCode(...bytes) : decoder.decode(bytes);
}

/**
 * UTF-8 text of bytes, or null for null (a missing value at the embedded API's edge).
 *
 * @example
 * ```ts
 * textOrNull(null); // null
 * textOrNull(new Uint8Array([104, 105])); // "hi"
 * ```
 */
export function textOrNull(bytes: Uint8Array | null): string | null {
  return bytes === null ? null : decoder.decode(bytes);
}

/**
 * Bytes as a string of one UTF-16 unit per byte, distinct for distinct bytes: a Map key for a
 * key, a channel or a member. (Short inputs are built char by char, long ones decoded; the two
 * never meet, since strings of different lengths differ.)
 *
 * @example
 * ```ts
 * byteString(new Uint8Array([104, 105])); // "hi"
 * ```
 */
export function byteString(bytes: Uint8Array): string {
  if (bytes.length >= 64) return latin1.decode(bytes);
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

/**
 * A key's identity across the logical databases, as a Map key: the database, then
 * {@linkcode byteString} of the key.
 *
 * @example
 * ```ts
 * dbKeyString(2, new Uint8Array([107])); // "2:k"
 * ```
 */
export function dbKeyString(db: number, key: Uint8Array): string {
  return `${db}:${byteString(key)}`;
}
