/**
 * The count argument of SRANDMEMBER, HRANDFIELD and ZRANDMEMBER, parsed as Redis 7.0 parses it.
 *
 * @module
 */

import { RedisError } from "../db/errors.ts";
import { int64Arg, option, syntaxError } from "./args.ts";

const LONG_MAX = 2n ** 63n - 1n;

/**
 * A count between -LONG_MAX and LONG_MAX (Redis's `getRangeLongFromObjectOrReply`): a
 * negative count asks for elements drawn with repetition.
 *
 * @example
 * ```ts
 * randomCountArg(new TextEncoder().encode("-5")); // -5
 * ```
 */
export function randomCountArg(arg: Uint8Array): number {
  return Number(exactCount(arg));
}

function exactCount(arg: Uint8Array): bigint {
  const count = BigInt(int64Arg(arg));
  if (count < -LONG_MAX) {
    throw new RedisError(
      "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
    );
  }
  return count;
}

/** HRANDFIELD's or ZRANDMEMBER's arguments after the key. */
export interface RandomCountArgs {
  /** How many (negative: with repetition). */
  count: number;
  /** Whether WITHVALUES (WITHSCORES) was given. */
  withValues: boolean;
}

/**
 * `count [WITHVALUES]` (or `WITHSCORES`) at `argv[2]`, as HRANDFIELD and ZRANDMEMBER parse it:
 * the count first, then a syntax error for anything but the option; with the option, counts
 * beyond half of LONG_MAX either way are "ERR value is out of range".
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * randomCountArgs([b("HRANDFIELD"), b("h"), b("2"), b("withvalues")], "WITHVALUES"); // { count: 2, withValues: true }
 * ```
 */
export function randomCountArgs(
  argv: Uint8Array[],
  withOption: "WITHVALUES" | "WITHSCORES",
): RandomCountArgs {
  const count = exactCount(argv[2]);
  if (argv.length > 4 || (argv.length === 4 && option(argv[3]) !== withOption)) syntaxError();
  const withValues = argv.length === 4;
  if (withValues && (count > LONG_MAX / 2n || count < -LONG_MAX / 2n)) {
    throw new RedisError("ERR value is out of range");
  }
  return { count: Number(count), withValues };
}
