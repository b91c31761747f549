/**
 * The string commands of the command table.
 *
 * @module
 */

import { scopeOf } from "../db/db.ts";
import { expireAtFrom, type ExpireUnit } from "../db/expiry.ts";
import * as strings from "../db/strings.ts";
import { OK } from "../resp/reply.ts";
import { int64Arg, option, syntaxError } from "./args.ts";
import type { CommandSpec } from "./types.ts";

/** SET's options as the command line gives them, before the expire time is checked. */
interface ParsedSet {
  options: strings.SetOptions;
  get: boolean;
  expire?: { unit: ExpireUnit; amount: Uint8Array };
}

// As Redis's parseExtendedStringArgumentsOrReply: each option may appear once its rivals have
// not; a repeated EX/PX/EXAT/PXAT takes the last value.
function parseSet(argv: Uint8Array[]): ParsedSet {
  const parsed: ParsedSet = { options: {}, get: false };
  const { options } = parsed;
  for (let i = 3; i < argv.length; i++) {
    const name = option(argv[i]);
    const hasNext = i + 1 < argv.length;
    const unit = parsed.expire?.unit;
    if (name === "NX" && !options.xx) options.nx = true;
    else if (name === "XX" && !options.nx) options.xx = true;
    else if (name === "GET") parsed.get = true;
    else if (name === "KEEPTTL" && unit === undefined) options.keepTtl = true;
    else if (
      (name === "EX" || name === "PX" || name === "EXAT" || name === "PXAT") && hasNext &&
      !options.keepTtl && (unit === undefined || unit === name.toLowerCase())
    ) {
      parsed.expire = { unit: name.toLowerCase() as ExpireUnit, amount: argv[++i] };
    } else syntaxError();
  }
  return parsed;
}

/** The string commands. */
export const stringCommands: CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "string",
    summary: "Returns the string value of a key.",
    since: "1.0.0",
    handler: (ctx, argv) => strings.get(scopeOf(ctx.db), argv[1]),
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "string",
    summary:
      "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.",
    since: "1.0.0",
    handler: (ctx, argv) => {
      const scope = scopeOf(ctx.db);
      if (argv.length === 3) return strings.set(scope, argv[1], argv[2]) ? OK : null;
      const parsed = parseSet(argv);
      if (parsed.expire) {
        const amount = int64Arg(parsed.expire.amount);
        parsed.options.expireAt = expireAtFrom(parsed.expire.unit, amount, "set");
      }
      if (parsed.get) return strings.setAndGet(scope, argv[1], argv[2], parsed.options);
      return strings.set(scope, argv[1], argv[2], parsed.options) ? OK : null;
    },
  },
];
