/**
 * Helpers for handlers parsing their arguments, with Redis's errors.
 *
 * @module
 */

import { upperAscii } from "../db/bytes.ts";
import { ERR, RedisError } from "../db/errors.ts";
import { requireDbIndex } from "../db/keyspace.ts";
import { type Int64, requireDouble, requireInt64, requireInteger } from "../db/numbers.ts";

/**
 * An argument as an upper-case option name (`EX`, `WITHSCORES`), for matching. Redis compares
 * options as C strings (`strcasecmp`), so the name ends at the first NUL byte: `NX\0junk` is NX.
 *
 * @example
 * ```ts
 * option(new TextEncoder().encode("withscores")); // "WITHSCORES"
 * ```
 */
export function option(arg: Uint8Array): string {
  const nul = arg.indexOf(0);
  const name = nul < 0 ? arg : arg.subarray(0, nul);
  return name.length > 32 ? "" : upperAscii(name);
}

/**
 * An argument as a 64-bit integer, or Redis's error (the default: not an integer or out of range).
 *
 * @example
 * ```ts
 * int64Arg(new TextEncoder().encode("10")); // 10
 * ```
 */
export function int64Arg(arg: Uint8Array, message?: string): Int64 {
  return requireInt64(arg, message);
}

/**
 * An integer argument used as a count, index or offset (a JavaScript number).
 *
 * @example
 * ```ts
 * intArg(new TextEncoder().encode("-1")); // -1
 * ```
 */
export function intArg(arg: Uint8Array, message?: string): number {
  return requireInteger(arg, message);
}

/**
 * A logical database index argument (SELECT, MOVE, COPY ... DB): a 64-bit integer, then a C
 * `int`, then 0-15, with Redis's error for each.
 *
 * @example
 * ```ts
 * dbIndexArg(new TextEncoder().encode("3")); // 3
 * ```
 */
export function dbIndexArg(arg: Uint8Array): number {
  const value = requireInt64(arg);
  if (typeof value !== "number" || value < -(2 ** 31) || value >= 2 ** 31) {
    // getIntFromObjectOrReply's range check.
    throw new RedisError(
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    );
  }
  return requireDbIndex(value);
}

/**
 * A double argument, or Redis's error (the default: not a valid float).
 *
 * @example
 * ```ts
 * doubleArg(new TextEncoder().encode("1.5")); // 1.5
 * ```
 */
export function doubleArg(arg: Uint8Array, message?: string): number {
  return requireDouble(arg, message);
}

/**
 * Throws Redis's syntax error.
 *
 * @example
 * ```ts
 * try { syntaxError(); } catch (e) { (e as Error).message; } // "ERR syntax error"
 * ```
 */
export function syntaxError(): never {
  throw new RedisError(ERR.syntax);
}
