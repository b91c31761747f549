/**
 * Conversions at the embedded API's edge: the `Db` methods' JavaScript arguments checked and
 * turned into what the data modules take, with Redis's errors, and their results turned into
 * plain values.
 *
 * @module
 */

import { type Bytes, toBytes, toText } from "./bytes.ts";
import { ERR, RedisError, wrongArity } from "./errors.ts";
import { checkInteger } from "./numbers.ts";

/** Fields and values given together: an object, or pairs of field and value (a Map too). */
export type FieldValues = Record<string, Bytes> | Iterable<readonly [Bytes, Bytes]>;

/**
 * The alternating fields and values of HSET-like methods, given as one field and its value, or
 * as {@linkcode FieldValues}. None at all is the command's arity error.
 *
 * @example
 * ```ts
 * fieldValueArgs("hset", { a: "1" }); // the bytes of "a" and "1"
 * fieldValueArgs("hset", "a", "1"); // the same
 * ```
 */
export function fieldValueArgs(
  command: string,
  fieldOrFields: Bytes | FieldValues,
  value?: Bytes,
): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (typeof fieldOrFields === "string" || fieldOrFields instanceof Uint8Array) {
    if (value === undefined) throw wrongArity(command);
    out.push(toBytes(fieldOrFields), toBytes(value));
  } else if (Symbol.iterator in fieldOrFields) {
    for (const [field, fieldValue] of fieldOrFields as Iterable<readonly [Bytes, Bytes]>) {
      out.push(toBytes(field), toBytes(fieldValue));
    }
  } else {
    for (const [field, fieldValue] of Object.entries(fieldOrFields)) {
      out.push(toBytes(field), toBytes(fieldValue));
    }
  }
  if (out.length === 0) throw wrongArity(command);
  return out;
}

/**
 * Pairs of bytes as an object of texts (later pairs win for equal texts).
 *
 * @example
 * ```ts
 * pairsObject([[new Uint8Array([97]), new Uint8Array([49])]]); // { a: "1" }
 * ```
 */
export function pairsObject(
  pairs: readonly (readonly [Uint8Array, Uint8Array])[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[toText(name)] = toText(value);
  return out;
}

/** The options of HSCAN and SSCAN (and ZSCAN). */
export interface ElementScanOptions {
  /** Only elements matching this glob pattern. */
  match?: Bytes;
  /** How many elements to read in this step (a hint): 10 by default. */
  count?: number;
}

/**
 * Checks a *SCAN cursor and options as Redis parses them: the glob "*" matches everything.
 *
 * @example
 * ```ts
 * elementScanArgs(0, { match: "*", count: 5 }); // { match: null, count: 5 }
 * ```
 */
export function elementScanArgs(
  cursor: number,
  options: ElementScanOptions,
): { match: Uint8Array | null; count: number } {
  if (!Number.isSafeInteger(cursor) || cursor < 0) throw new RedisError("ERR invalid cursor");
  const count = checkInteger(options.count ?? 10);
  if (count < 1) throw new RedisError(ERR.syntax);
  const match = options.match === undefined ? null : toBytes(options.match);
  return { match: match !== null && match.length === 1 && match[0] === 42 ? null : match, count };
}
