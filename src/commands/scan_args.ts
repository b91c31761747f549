/**
 * The arguments shared by SCAN, HSCAN, SSCAN and ZSCAN: a cursor, then MATCH, COUNT and (SCAN
 * only) TYPE, parsed as Redis's `scanGenericCommand` does.
 *
 * @module
 */

import { upperAscii } from "../db/bytes.ts";
import { ERR, RedisError } from "../db/errors.ts";
import { intArg, option, syntaxError } from "./args.ts";

/** What a SCAN-family command asked for. */
export interface ScanArgs {
  /** Where to continue: 0 starts a new iteration. */
  cursor: number;
  /** Only elements matching this glob; null for all. */
  match: Uint8Array | null;
  /** How much work to do in this call (a hint, as in Redis): 10 by default. */
  count: number;
  /** SCAN's TYPE filter, lower-cased; null for all. */
  type: string | null;
}

/**
 * Parses a cursor as Redis's `parseScanCursorOrReply` does (a decimal unsigned number).
 *
 * @example
 * ```ts
 * parseCursor(new TextEncoder().encode("42")); // 42
 * ```
 */
export function parseCursor(arg: Uint8Array): number {
  // strtoul reads a C string: the cursor ends at its first NUL byte ("1\0x" is cursor 1).
  const end = arg.indexOf(0);
  let text = "";
  for (const byte of end < 0 ? arg : arg.subarray(0, end)) text += String.fromCharCode(byte);
  // strtoul takes an optional sign; Redis then refuses leading spaces and trailing bytes. An
  // empty cursor converts nothing and leaves nothing behind: it is 0.
  if (!/^([+-]?\d+)?$/.test(text)) throw new RedisError("ERR invalid cursor");
  if (text === "") return 0;
  const value = BigInt(text);
  if (value > 2n ** 64n - 1n || value < -(2n ** 64n - 1n)) {
    throw new RedisError("ERR invalid cursor");
  }
  const unsigned = value < 0n ? 2n ** 64n + value : value;
  return unsigned > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(unsigned);
}

/**
 * Parses `cursor [MATCH pattern] [COUNT count] [TYPE type]` starting at `argv[cursorAt]`, as
 * SCAN does (the cursor first, then the options). TYPE is accepted only when `allowType` (SCAN);
 * the others answer a syntax error for it. HSCAN, SSCAN and ZSCAN parse in Redis's order
 * instead: {@linkcode parseCursor}, then the key (a missing key answers an empty scan whatever
 * the options), then {@linkcode parseScanOptions}.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * parseScanArgs([b("SCAN"), b("0"), b("MATCH"), b("a*")], 1, true).match; // the bytes of "a*"
 * ```
 */
export function parseScanArgs(argv: Uint8Array[], cursorAt: number, allowType: boolean): ScanArgs {
  const cursor = parseCursor(argv[cursorAt]);
  return { cursor, ...parseScanOptions(argv, cursorAt + 1, allowType) };
}

/**
 * Parses `[MATCH pattern] [COUNT count] [TYPE type]` starting at `argv[from]`, in order, as
 * Redis's `scanGenericCommand`: the first bad option answers its error. A lone `*` pattern is
 * no pattern. TYPE (SCAN only, with `allowType`) is lower-cased; an unknown type name is no
 * error in Redis 7.0, it matches nothing.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * parseScanOptions([b("SCAN"), b("0"), b("COUNT"), b("100")], 2, true).count; // 100
 * ```
 */
export function parseScanOptions(
  argv: Uint8Array[],
  from: number,
  allowType: boolean,
): Omit<ScanArgs, "cursor"> {
  const options: Omit<ScanArgs, "cursor"> = { match: null, count: 10, type: null };
  for (let i = from; i < argv.length; i += 2) {
    const name = option(argv[i]);
    if (i + 1 >= argv.length) syntaxError();
    if (name === "COUNT") {
      options.count = intArg(argv[i + 1], ERR.notInteger);
      if (options.count < 1) syntaxError();
    } else if (name === "MATCH") {
      const pattern = argv[i + 1];
      options.match = pattern.length === 1 && pattern[0] === 42 ? null : pattern;
    } else if (name === "TYPE" && allowType) {
      // Latin-1 lower-casing changes ASCII letters only into ASCII letters: as strcasecmp.
      options.type = upperAscii(argv[i + 1]).toLowerCase();
    } else {
      syntaxError();
    }
  }
  return options;
}
