/**
 * Stream entry ids: two unsigned 64-bit integers, the milliseconds and the sequence number. An id
 * is kept as 16 bytes, both parts big-endian, so that byte order is id order over the whole
 * 64-bit range (SQLite's signed integers cannot order ids beyond 2^63), as Redis keys its radix
 * tree. Parsing follows Redis's `streamGenericParseIDOrReply` and `string2ull` to the byte.
 *
 * @module
 */

import { asciiBytes, compareBytes, toText } from "./bytes.ts";
import { RedisError } from "./errors.ts";
import { parseInt64 } from "./numbers.ts";

/** A stream entry id: 16 bytes, milliseconds then sequence, each big-endian. */
export type StreamId = Uint8Array;

/** The largest unsigned 64-bit integer. */
export const U64_MAX: bigint = 2n ** 64n - 1n;

/** The id 0-0 (`-`). */
export const MIN_ID: StreamId = new Uint8Array(16);

/** The id 18446744073709551615-18446744073709551615 (`+`). */
export const MAX_ID: StreamId = new Uint8Array(16).fill(255);

/** Redis's error for an id it cannot parse. */
export const INVALID_ID = "ERR Invalid stream ID specified as stream command argument";

/**
 * An id from its two parts.
 *
 * @example
 * ```ts
 * idText(makeId(5n, 1n)); // "5-1"
 * ```
 */
export function makeId(ms: bigint, seq: bigint): StreamId {
  const id = new Uint8Array(16);
  const view = new DataView(id.buffer);
  view.setBigUint64(0, ms);
  view.setBigUint64(8, seq);
  return id;
}

/**
 * The id of a number of milliseconds with sequence 0, without bigint arithmetic.
 *
 * @example
 * ```ts
 * idText(idOfMs(1700000000000)); // "1700000000000-0"
 * ```
 */
export function idOfMs(ms: number): StreamId {
  const id = new Uint8Array(16);
  const view = new DataView(id.buffer);
  view.setUint32(0, Math.floor(ms / 4294967296));
  view.setUint32(4, ms >>> 0);
  return id;
}

/**
 * The milliseconds part.
 *
 * @example
 * ```ts
 * idMs(makeId(5n, 1n)); // 5n
 * ```
 */
export function idMs(id: StreamId): bigint {
  return new DataView(id.buffer, id.byteOffset, 16).getBigUint64(0);
}

/**
 * The sequence part.
 *
 * @example
 * ```ts
 * idSeq(makeId(5n, 1n)); // 1n
 * ```
 */
export function idSeq(id: StreamId): bigint {
  return new DataView(id.buffer, id.byteOffset, 16).getBigUint64(8);
}

/**
 * Compares two ids: negative, zero or positive.
 *
 * @example
 * ```ts
 * compareIds(makeId(1n, 0n), makeId(0n, 5n)) > 0; // true
 * ```
 */
export function compareIds(a: StreamId, b: StreamId): number {
  return compareBytes(a, b);
}

/**
 * Whether the id is 0-0.
 *
 * @example
 * ```ts
 * isZeroId(MIN_ID); // true
 * ```
 */
export function isZeroId(id: StreamId): boolean {
  for (let i = 0; i < 16; i++) if (id[i] !== 0) return false;
  return true;
}

/**
 * The next id (`streamIncrID`), or null after the largest one.
 *
 * @example
 * ```ts
 * idText(nextId(makeId(1n, U64_MAX))!); // "2-0"
 * ```
 */
export function nextId(id: StreamId): StreamId | null {
  const out = id.slice();
  for (let i = 15; i >= 0; i--) {
    if (out[i] !== 255) {
      out[i]++;
      return out;
    }
    out[i] = 0;
  }
  return null;
}

/**
 * The previous id (`streamDecrID`), or null before 0-0.
 *
 * @example
 * ```ts
 * idText(previousId(makeId(2n, 0n))!); // "1-18446744073709551615"
 * ```
 */
export function previousId(id: StreamId): StreamId | null {
  const out = id.slice();
  for (let i = 15; i >= 0; i--) {
    if (out[i] !== 0) {
      out[i]--;
      return out;
    }
    out[i] = 255;
  }
  return null;
}

// One unsigned 64-bit half as decimal text, without bigint while it is a safe integer.
function halfText(view: DataView, offset: number): string {
  const high = view.getUint32(offset);
  if (high < 0x200000) return String(high * 4294967296 + view.getUint32(offset + 4));
  return String(view.getBigUint64(offset));
}

/**
 * The id as Redis writes it, `<ms>-<seq>`.
 *
 * @example
 * ```ts
 * idText(makeId(5n, 1n)); // "5-1"
 * ```
 */
export function idText(id: StreamId): string {
  const view = new DataView(id.buffer, id.byteOffset, 16);
  return `${halfText(view, 0)}-${halfText(view, 8)}`;
}

/**
 * The id as the bytes of a reply.
 *
 * @example
 * ```ts
 * formatId(makeId(5n, 1n)); // the bytes of "5-1"
 * ```
 */
export function formatId(id: StreamId): Uint8Array {
  return asciiBytes(idText(id));
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Parses a C string (the bytes up to the first NUL) as Redis's `string2ull`: `string2ll`'s
 * strict syntax for non-negative numbers, else `strtoull`'s, which allows leading spaces, a
 * sign (a negative number wraps around 2^64) and leading zeros. Null when it fails.
 *
 * @example
 * ```ts
 * parseU64(new TextEncoder().encode("007")); // 7n
 * parseU64(new TextEncoder().encode("-1")); // null
 * ```
 */
export function parseU64(bytes: Uint8Array): bigint | null {
  const strict = parseInt64(bytes);
  if (strict !== null) return strict < 0 ? null : BigInt(strict);
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i])) i++;
  let negative = false;
  if (bytes[i] === 43 || bytes[i] === 45) negative = bytes[i++] === 45;
  const start = i;
  let value = 0n;
  for (; i < bytes.length; i++) {
    const digit = bytes[i] - 48;
    if (digit < 0 || digit > 9) return null;
    value = value * 10n + BigInt(digit);
    if (value > U64_MAX) return null; // ERANGE
  }
  if (i === start) return null;
  return negative && value !== 0n ? 2n ** 64n - value : value;
}

/** How {@linkcode parseId} reads an id. */
export interface ParseIdOptions {
  /** The sequence of an id given as milliseconds only (0, or U64_MAX for a range's end). */
  missingSeq?: bigint;
  /** Refuse `-` and `+` (ids that name an entry rather than a range's end). */
  strict?: boolean;
  /** Accept `<ms>-*` (XADD), reported as `seqGiven: false`. */
  seqWildcard?: boolean;
}

/** A parsed id, and whether its sequence was given (false for `<ms>-*`). */
export interface ParsedId {
  /** The id; for `<ms>-*`, the milliseconds with sequence 0. */
  id: StreamId;
  /** False for `<ms>-*`. */
  seqGiven: boolean;
}

const MINUS = 45;
const PLUS = 43;
const STAR = 42;

/**
 * Parses an id as Redis does: `<ms>-<seq>`, `<ms>` (with `missingSeq`), `-`, `+`, and with
 * `seqWildcard`, `<ms>-*`. Null when it is not one.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * idText(parseId(b("5"), { missingSeq: U64_MAX })!.id); // "5-18446744073709551615"
 * ```
 */
export function parseId(arg: Uint8Array, options: ParseIdOptions = {}): ParsedId | null {
  if (arg.length > 127) return null;
  const nul = arg.indexOf(0);
  const text = nul < 0 ? arg : arg.subarray(0, nul);
  if (text.length === 1 && (text[0] === MINUS || text[0] === PLUS)) {
    if (options.strict) return null;
    return { id: text[0] === MINUS ? MIN_ID : MAX_ID, seqGiven: true };
  }
  const dash = text.indexOf(MINUS);
  const ms = parseU64(dash < 0 ? text : text.subarray(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { id: makeId(ms, options.missingSeq ?? 0n), seqGiven: true };
  const rest = text.subarray(dash + 1);
  if (options.seqWildcard && rest.length === 1 && rest[0] === STAR) {
    return { id: makeId(ms, 0n), seqGiven: false };
  }
  const seq = parseU64(rest);
  if (seq === null) return null;
  return { id: makeId(ms, seq), seqGiven: true };
}

/**
 * Parses an id that names an entry (`-` and `+` refused), or throws Redis's error.
 *
 * @example
 * ```ts
 * idText(requireId(new TextEncoder().encode("5"))); // "5-0"
 * ```
 */
export function requireId(arg: Uint8Array): StreamId {
  const parsed = parseId(arg, { strict: true });
  if (parsed === null) throw new RedisError(INVALID_ID);
  return parsed.id;
}

/** One end of a range as Redis reads it: inclusive, or exclusive with a `(` prefix. */
export type RangeEnd = "start" | "end";

/**
 * Parses one end of an XRANGE-style range: `-`, `+`, an id, an incomplete id (its sequence
 * 0 at the start, the largest at the end) or `(id` (exclusive, moved one step inwards). Throws
 * Redis's errors, including "ERR invalid start ID for the interval" when an exclusive start has
 * no next id.
 *
 * @example
 * ```ts
 * idText(rangeBound(new TextEncoder().encode("(5-1"), "start")); // "5-2"
 * ```
 */
export function rangeBound(arg: Uint8Array, end: RangeEnd): StreamId {
  const missingSeq = end === "start" ? 0n : U64_MAX;
  const exclusive = arg.length > 1 && arg[0] === 40;
  const parsed = exclusive
    ? parseId(arg.subarray(1), { missingSeq, strict: true })
    : parseId(arg, { missingSeq });
  if (parsed === null) throw new RedisError(INVALID_ID);
  if (!exclusive) return parsed.id;
  const moved = end === "start" ? nextId(parsed.id) : previousId(parsed.id);
  if (moved === null) throw new RedisError(`ERR invalid ${end} ID for the interval`);
  return moved;
}

/**
 * Whether an argument is the text as a C string (Redis's `strcmp`): its bytes up to the first
 * NUL are the text's.
 *
 * @example
 * ```ts
 * isCString(new Uint8Array([36, 0, 120]), "$"); // true
 * ```
 */
export function isCString(arg: Uint8Array, text: string): boolean {
  const nul = arg.indexOf(0);
  const length = nul < 0 ? arg.length : nul;
  if (length !== text.length) return false;
  for (let i = 0; i < length; i++) if (arg[i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * The text of an argument as Redis formats it with `%s`: its bytes up to the first NUL.
 *
 * @example
 * ```ts
 * cStringText(new Uint8Array([103, 0, 120])); // "g"
 * ```
 */
export function cStringText(arg: Uint8Array): string {
  const nul = arg.indexOf(0);
  return toText(nul < 0 ? arg : arg.subarray(0, nul));
}

/**
 * XREAD's id of a stream: `$` for its last id (`lastId`), else an entry id; Redis's error for
 * XREADGROUP's `>`.
 *
 * @example
 * ```ts
 * readAfterArg(new TextEncoder().encode("$"), MAX_ID); // MAX_ID
 * ```
 */
export function readAfterArg(arg: Uint8Array, lastId: StreamId): StreamId {
  if (isCString(arg, "$")) return lastId;
  if (isCString(arg, ">")) {
    throw new RedisError(
      "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> " +
        "<consumer> option.",
    );
  }
  return requireId(arg);
}

/**
 * XREADGROUP's id of a stream: null for `>` (new entries; so is the largest id, as in Redis),
 * else an id after which to re-read the consumer's pending entries; Redis's error for `$`.
 *
 * @example
 * ```ts
 * groupReadAfterArg(new TextEncoder().encode(">")); // null
 * ```
 */
export function groupReadAfterArg(arg: Uint8Array): StreamId | null {
  if (isCString(arg, "$")) {
    throw new RedisError(
      "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history " +
        "of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ " +
        "ID would just return an empty result set.",
    );
  }
  if (isCString(arg, ">")) return null;
  const id = requireId(arg);
  return compareBytes(id, MAX_ID) === 0 ? null : id;
}

/**
 * A consumer group's new last id (XGROUP CREATE and SETID): `$` for the stream's last id, else
 * an id (CREATE refuses `-` and `+`, SETID takes them).
 *
 * @example
 * ```ts
 * groupIdArg(new TextEncoder().encode("-"), MAX_ID, false); // MIN_ID
 * ```
 */
export function groupIdArg(arg: Uint8Array, lastId: StreamId, strict: boolean): StreamId {
  if (isCString(arg, "$")) return lastId;
  const parsed = parseId(arg, { strict });
  if (parsed === null) throw new RedisError(INVALID_ID);
  return parsed.id;
}
