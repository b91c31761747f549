/**
 * Numbers as Redis reads and writes them: 64-bit signed integers with `string2ll`'s strict
 * syntax, doubles with `strtod`'s syntax, and `%.17g` formatting.
 *
 * @module
 */

import { ERR, RedisError } from "./errors.ts";

/** A Redis integer: a `number` when it is a safe integer, a `bigint` beyond that. */
export type Int64 = number | bigint;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses bytes as Redis's `string2ll` does: an optional `-`, no leading zeros, no spaces, no `+`,
 * within 64 bits. Returns null when the bytes are not such an integer.
 *
 * @example
 * ```ts
 * parseInt64(new TextEncoder().encode("-42")); // -42
 * parseInt64(new TextEncoder().encode("042")); // null
 * ```
 */
export function parseInt64(bytes: Uint8Array): Int64 | null {
  const n = bytes.length;
  if (n === 0 || n > 20) return null;
  if (n === 1 && bytes[0] === 48) return 0;
  let i = 0;
  const negative = bytes[0] === 45;
  if (negative) {
    i = 1;
    if (n === 1) return null;
  }
  if (bytes[i] < 49 || bytes[i] > 57) return null;
  if (n - i <= 15) {
    let value = 0;
    for (; i < n; i++) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) return null;
      value = value * 10 + d;
    }
    return negative ? -value : value;
  }
  let value = 0n;
  for (; i < n; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10n + BigInt(d);
  }
  if (negative) value = -value;
  if (value < INT64_MIN || value > INT64_MAX) return null;
  return normalizeInt64(value);
}

/**
 * Like {@linkcode parseInt64}, but throws Redis's error (or the one given) instead of
 * returning null.
 *
 * @example
 * ```ts
 * requireInt64(new TextEncoder().encode("7")); // 7
 * ```
 */
export function requireInt64(bytes: Uint8Array, message: string = ERR.notInteger): Int64 {
  const value = parseInt64(bytes);
  if (value === null) throw new RedisError(message);
  return value;
}

/**
 * Parses an integer argument that must fit a safe JavaScript number (counts, indexes, offsets);
 * a valid 64-bit integer beyond that is clamped, as no collection is that large.
 *
 * @example
 * ```ts
 * requireInteger(new TextEncoder().encode("-1")); // -1
 * ```
 */
export function requireInteger(bytes: Uint8Array, message: string = ERR.notInteger): number {
  const value = requireInt64(bytes, message);
  return typeof value === "number" ? value : Number(value);
}

/**
 * A bigint as a number when it is a safe integer, else unchanged.
 *
 * @example
 * ```ts
 * normalizeInt64(5n); // 5
 * ```
 */
export function normalizeInt64(value: bigint): Int64 {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/**
 * A number or bigint given to the embedded API as a 64-bit integer; Redis's error (the default:
 * not an integer or out of range) when it is not an integer within 64 bits.
 *
 * @example
 * ```ts
 * toInt64(2n ** 62n); // 4611686018427387904n
 * toInt64(1.5); // throws ERR value is not an integer or out of range
 * ```
 */
export function toInt64(value: number | bigint, message: string = ERR.notInteger): Int64 {
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return value === 0 ? 0 : value; // no -0
    if (!Number.isInteger(value) || value < -(2 ** 63) || value >= 2 ** 63) {
      throw new RedisError(message);
    }
    return BigInt(value);
  }
  if (value < INT64_MIN || value > INT64_MAX) throw new RedisError(message);
  return normalizeInt64(value);
}

/**
 * The sum of two 64-bit integers, or Redis's overflow error.
 *
 * @example
 * ```ts
 * addInt64(1, 2); // 3
 * ```
 */
export function addInt64(a: Int64, b: Int64): Int64 {
  if (typeof a === "number" && typeof b === "number") {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  if (sum < INT64_MIN || sum > INT64_MAX) throw new RedisError(ERR.overflow);
  return normalizeInt64(sum);
}

/**
 * Whether an Int64 is within 64 bits (for values computed outside {@linkcode addInt64}).
 *
 * @example
 * ```ts
 * fitsInt64(2n ** 63n); // false
 * ```
 */
export function fitsInt64(value: Int64): boolean {
  return typeof value === "number" || (value >= INT64_MIN && value <= INT64_MAX);
}

const FLOAT_SYNTAX = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?)$/i;
const HEX_FLOAT_SYNTAX = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i;

/**
 * Parses bytes as Redis parses a double with `strtod`: decimal or hexadecimal notation, `inf`
 * and `infinity` in any case; no spaces, no NaN, no overflow to infinity and no underflow to
 * zero. Returns null when the bytes are not such a number.
 *
 * @example
 * ```ts
 * parseDouble(new TextEncoder().encode("1.5e3")); // 1500
 * parseDouble(new TextEncoder().encode("-inf")); // -Infinity
 * parseDouble(new TextEncoder().encode("nan")); // null
 * ```
 */
export function parseDouble(bytes: Uint8Array): number | null {
  if (bytes.length === 0 || bytes.length > 256) return null;
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  if (FLOAT_SYNTAX.test(text)) {
    const last = text.charCodeAt(text.length - 1) | 32;
    if (last === 102 || last === 121) return text[0] === "-" ? -Infinity : Infinity; // inf, infinity
    const value = Number(text);
    if (!Number.isFinite(value)) return null; // overflow: strtod sets ERANGE
    if (value === 0 && /[1-9]/.test(text.replace(/[eE].*$/, ""))) return null; // underflow
    return value;
  }
  const hex = HEX_FLOAT_SYNTAX.exec(text);
  if (hex && (hex[2] !== "" || (hex[3] ?? "") !== "")) {
    const digits = hex[2] + (hex[3] ?? "");
    const mantissa = BigInt("0x" + (digits === "" ? "0" : digits));
    const exponent = Number(hex[4] ?? 0) - 4 * (hex[3] ?? "").length;
    const value = Number(mantissa) * 2 ** exponent;
    if (!Number.isFinite(value)) return null;
    return hex[1] === "-" ? -value : value;
  }
  return null;
}

/**
 * Like {@linkcode parseDouble}, but throws Redis's error (or the one given) instead of
 * returning null.
 *
 * @example
 * ```ts
 * requireDouble(new TextEncoder().encode("2.5")); // 2.5
 * ```
 */
export function requireDouble(bytes: Uint8Array, message: string = ERR.notFloat): number {
  const value = parseDouble(bytes);
  if (value === null) throw new RedisError(message);
  return value;
}

/**
 * Formats a double as C's `printf("%.17g")`, as Redis 7.0 replies with scores and doubles
 * (Redis 7.2 switched to the shortest representation).
 *
 * @example
 * ```ts
 * formatDouble(1.1); // "1.1000000000000001"
 * formatDouble(Infinity); // "inf"
 * ```
 */
export function formatDouble(value: number): string {
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Number.isNaN(value)) return "nan";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const exponential = value.toExponential(16); // d.dddddddddddddddde±x: 17 significant digits
  const e = exponential.indexOf("e");
  const exponent = Number(exponential.slice(e + 1));
  if (exponent < -4 || exponent >= 17) {
    const mantissa = trimFraction(exponential.slice(0, e));
    const sign = exponent < 0 ? "-" : "+";
    const digits = String(Math.abs(exponent)).padStart(2, "0");
    return `${mantissa}e${sign}${digits}`;
  }
  return trimFraction(value.toFixed(Math.max(0, 16 - exponent)));
}

function trimFraction(text: string): string {
  if (text.indexOf(".") < 0) return text;
  let end = text.length;
  while (text.charCodeAt(end - 1) === 48) end--;
  if (text.charCodeAt(end - 1) === 46) end--;
  return text.slice(0, end);
}

/**
 * How many bytes a safe integer's decimal text takes, its `-` included.
 *
 * @example
 * ```ts
 * decimalLength(-120); // 4
 * ```
 */
export function decimalLength(value: number): number {
  let length = value < 0 ? 2 : 1;
  for (let rest = Math.abs(value); rest >= 10; rest = Math.floor(rest / 10)) length++;
  return length;
}

/**
 * Writes a safe integer's decimal text (as `String` gives it) into `buffer` at `at`, which must
 * have room for its {@linkcode decimalLength}; returns where the next byte goes. No string is
 * made: V8 keeps the strings of recent numbers in a cache, where a growing count's (INCR's value,
 * LPUSH's length) outlive the young generation and cost its collections.
 *
 * @example
 * ```ts
 * const buffer = new Uint8Array(3);
 * writeDecimal(buffer, 0, -12); // 3: buffer holds the bytes of "-12"
 * ```
 */
export function writeDecimal(buffer: Uint8Array, at: number, value: number): number {
  const end = at + decimalLength(value);
  if (value < 0) {
    buffer[at++] = 45; // '-'
    value = -value;
  }
  for (let i = end - 1, rest = value; i >= at; i--, rest = Math.floor(rest / 10)) {
    buffer[i] = 48 + rest % 10;
  }
  return end;
}

/**
 * An integer's decimal text as bytes (a counter's new value), a safe integer's written without a
 * string ({@linkcode writeDecimal}).
 *
 * @example
 * ```ts
 * integerBytes(-12); // the bytes of "-12"
 * integerBytes(2n ** 63n - 1n); // the bytes of "9223372036854775807"
 * ```
 */
export function integerBytes(value: Int64): Uint8Array {
  if (!Number.isSafeInteger(value)) return new TextEncoder().encode(String(value));
  const bytes = new Uint8Array(decimalLength(value as number));
  writeDecimal(bytes, 0, value as number);
  return bytes;
}

/**
 * A JavaScript number given to the embedded API as an integer argument (a count, an index), or
 * Redis's "value is not an integer or out of range" when it is not an integer.
 *
 * @example
 * ```ts
 * checkInteger(-1); // -1
 * checkInteger(1.5); // throws ERR value is not an integer or out of range
 * ```
 */
export function checkInteger(value: number): number {
  if (!Number.isInteger(value)) throw new RedisError(ERR.notInteger);
  return value;
}
