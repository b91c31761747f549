/**
 * The arguments shared by SCAN, HSCAN, SSCAN and ZSCAN: a cursor, then MATCH, COUNT and (SCAN
 * only) TYPE, parsed as Redis's `scanGenericCommand` does.
 *
 * @module
 */

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
  let text = "";
  for (const byte of arg) text += String.fromCharCode(byte);
  // strtoul takes an optional sign; Redis then refuses leading spaces and trailing bytes.
  if (!/^[+-]?\d+$/.test(text)) throw new RedisError("ERR invalid cursor");
  const value = BigInt(text);
  if (value > 2n ** 64n - 1n || value < -(2n ** 64n - 1n)) {
    throw new RedisError("ERR invalid cursor");
  }
  const unsigned = value < 0n ? 2n ** 64n + value : value;
  return unsigned > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(unsigned);
}

/**
 * Parses `cursor [MATCH pattern] [COUNT count] [TYPE type]` starting at `argv[cursorAt]`.
 * TYPE is accepted only when `allowType` (SCAN); the others answer a syntax error for it.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * parseScanArgs([b("SCAN"), b("0"), b("MATCH"), b("a*")], 1, true).match; // the bytes of "a*"
 * ```
 */
export function parseScanArgs(argv: Uint8Array[], cursorAt: number, allowType: boolean): ScanArgs {
  const args: ScanArgs = {
    cursor: parseCursor(argv[cursorAt]),
    match: null,
    count: 10,
    type: null,
  };
  for (let i = cursorAt + 1; i < argv.length; i += 2) {
    const name = option(argv[i]);
    if (i + 1 >= argv.length) syntaxError();
    if (name === "COUNT") {
      args.count = intArg(argv[i + 1], ERR.notInteger);
      if (args.count < 1) syntaxError();
    } else if (name === "MATCH") {
      const pattern = argv[i + 1];
      args.match = pattern.length === 1 && pattern[0] === 42 ? null : pattern;
    } else if (name === "TYPE" && allowType) {
      args.type = new TextDecoder().decode(argv[i + 1]).toLowerCase();
    } else {
      syntaxError();
    }
  }
  return args;
}
