/**
 * The string commands of the command table (Redis's string and bitmap groups).
 *
 * @module
 */

import type { BitOperation, BitRange } from "../db/bits.ts";
import { asciiBytes } from "../db/bytes.ts";
import { scopeOf } from "../db/db.ts";
import { RedisError, wrongArity } from "../db/errors.ts";
import { expireAtFrom, type ExpireUnit } from "../db/expiry.ts";
import type { Int64 } from "../db/numbers.ts";
import * as strings from "../db/strings.ts";
import { MapReply, OK, type Reply } from "../resp/reply.ts";
import { int64Arg, option, syntaxError } from "./args.ts";
import type { CommandContext, CommandSpec, Handler } from "./types.ts";

/** The options of SET or GETEX as the command line gives them, before the time is checked. */
interface ExtendedArgs {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  expire?: { unit: ExpireUnit; amount: Uint8Array };
}

const EXPIRE_UNITS: Record<string, ExpireUnit> = { EX: "ex", PX: "px", EXAT: "exat", PXAT: "pxat" };

// As Redis's parseExtendedStringArgumentsOrReply, shared by SET (NX, XX, GET, KEEPTTL) and GETEX
// (PERSIST): an option is accepted while none of its rivals was given; a repeated EX, PX, EXAT or
// PXAT takes the last value.
function parseExtended(argv: Uint8Array[], first: number, forSet: boolean): ExtendedArgs {
  const parsed: ExtendedArgs = { nx: false, xx: false, get: false, keepTtl: false, persist: false };
  for (let i = first; i < argv.length; i++) {
    const name = option(argv[i]);
    const unit = parsed.expire?.unit;
    const expireUnit = EXPIRE_UNITS[name];
    if (name === "NX" && forSet && !parsed.xx) parsed.nx = true;
    else if (name === "XX" && forSet && !parsed.nx) parsed.xx = true;
    else if (name === "GET" && forSet) parsed.get = true;
    else if (name === "KEEPTTL" && forSet && unit === undefined) parsed.keepTtl = true;
    else if (name === "PERSIST" && !forSet && unit === undefined) parsed.persist = true;
    else if (
      expireUnit !== undefined && i + 1 < argv.length && !parsed.keepTtl && !parsed.persist &&
      (unit === undefined || unit === expireUnit)
    ) {
      parsed.expire = { unit: expireUnit, amount: argv[++i] };
    } else syntaxError();
  }
  return parsed;
}

function setHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const scope = scopeOf(ctx.db);
  if (argv.length === 3) return strings.set(scope, argv[1], argv[2]) ? OK : null;
  const parsed = parseExtended(argv, 3, true);
  const options: strings.SetOptions = { nx: parsed.nx, xx: parsed.xx, keepTtl: parsed.keepTtl };
  if (parsed.expire) {
    const amount = int64Arg(parsed.expire.amount);
    options.expireAt = expireAtFrom(parsed.expire.unit, amount, "set");
  }
  if (parsed.get) return strings.setAndGet(scope, argv[1], argv[2], options);
  return strings.set(scope, argv[1], argv[2], options) ? OK : null;
}

function getexHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const parsed = parseExtended(argv, 2, false);
  const expire = parsed.expire;
  const options: strings.GetexOptions = { persist: parsed.persist };
  if (expire !== undefined) {
    options.expireAt = (now) => expireAtFrom(expire.unit, int64Arg(expire.amount), "getex", now);
  }
  return strings.getex(scopeOf(ctx.db), argv[1], options);
}

// SETEX and PSETEX.
function setWithExpire(unit: ExpireUnit, command: string): Handler {
  return (ctx, argv) => {
    const expireAt = expireAtFrom(unit, int64Arg(argv[2]), command);
    strings.set(scopeOf(ctx.db), argv[1], argv[3], { expireAt });
    return OK;
  };
}

// MSET's and MSETNX's key and value pairs; Redis answers an odd count with the arity error.
function pairsOf(argv: Uint8Array[], command: string): [Uint8Array, Uint8Array][] {
  if (argv.length % 2 === 0) throw wrongArity(command);
  const pairs: [Uint8Array, Uint8Array][] = [];
  for (let i = 1; i < argv.length; i += 2) pairs.push([argv[i], argv[i + 1]]);
  return pairs;
}

// INCR, DECR, INCRBY and DECRBY: a constant or parsed increment.
function incrementBy(delta: (argv: Uint8Array[]) => Int64): Handler {
  return (ctx, argv) => strings.incrby(scopeOf(ctx.db), argv[1], delta(argv));
}

const INT64_MIN = -(2n ** 63n);

function decrement(argv: Uint8Array[]): Int64 {
  const amount = int64Arg(argv[2]);
  if (amount === INT64_MIN) throw new RedisError("ERR decrement would overflow");
  return typeof amount === "number" ? 0 - amount : -amount;
}

const BIT_OFFSET_ERROR = "ERR bit offset is not an integer or out of range";

// A bit offset of SETBIT and GETBIT: 0 to the last bit of 512 MB.
function bitOffsetArg(arg: Uint8Array): number {
  const offset = int64Arg(arg, BIT_OFFSET_ERROR);
  if (offset < 0 || offset > strings.MAX_BIT_OFFSET) throw new RedisError(BIT_OFFSET_ERROR);
  return Number(offset);
}

// BYTE or BIT, the unit of BITCOUNT's and BITPOS's range.
function unitArg(arg: Uint8Array): "byte" | "bit" {
  const name = option(arg);
  if (name === "BIT") return "bit";
  if (name === "BYTE") return "byte";
  return syntaxError();
}

// BITCOUNT key [start end [BYTE|BIT]], parsed once the key is known to exist. Redis 7.0 answers
// 0 for two negative indexes in the wrong order before it reads the unit, so that a bad unit
// passes there (Redis 7.2 reads the unit first).
function bitcountRange(argv: Uint8Array[]): BitRange | undefined {
  if (argv.length === 2) return undefined;
  if (argv.length !== 4 && argv.length !== 5) syntaxError();
  const start = int64Arg(argv[2]);
  const end = int64Arg(argv[3]);
  const empty = start < 0 && end < 0 && start > end;
  return { start, end, unit: argv.length === 5 && !empty ? unitArg(argv[4]) : "byte" };
}

// BITPOS key bit [start [end [BYTE|BIT]]], parsed once the key is known to exist: the unit is
// checked before the end, as Redis does.
function bitposRange(argv: Uint8Array[]): BitRange | undefined {
  if (argv.length === 3) return undefined;
  if (argv.length > 6) syntaxError();
  const start = int64Arg(argv[3]);
  const unit = argv.length === 6 ? unitArg(argv[5]) : "byte";
  return { start, end: argv.length >= 5 ? int64Arg(argv[4]) : undefined, unit };
}

const BIT_OPERATIONS: Record<string, BitOperation> = {
  AND: "and",
  OR: "or",
  XOR: "xor",
  NOT: "not",
};

/** LCS's reply options. */
interface LcsArgs {
  idx: boolean;
  len: boolean;
  withMatchLength: boolean;
  minMatchLength: number;
}

function parseLcs(argv: Uint8Array[]): LcsArgs {
  const parsed: LcsArgs = { idx: false, len: false, withMatchLength: false, minMatchLength: 0 };
  for (let i = 3; i < argv.length; i++) {
    const name = option(argv[i]);
    if (name === "IDX") parsed.idx = true;
    else if (name === "LEN") parsed.len = true;
    else if (name === "WITHMATCHLEN") parsed.withMatchLength = true;
    else if (name === "MINMATCHLEN" && i + 1 < argv.length) {
      const min = int64Arg(argv[++i]);
      parsed.minMatchLength = min < 0 ? 0 : Number(min);
    } else syntaxError();
  }
  if (parsed.idx && parsed.len) {
    throw new RedisError("ERR If you want both the length and indexes, please just use IDX.");
  }
  return parsed;
}

function lcsHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  let args: LcsArgs | undefined;
  const result = strings.lcs(scopeOf(ctx.db), argv[1], argv[2], () => {
    args = parseLcs(argv);
    return { minMatchLength: args.minMatchLength };
  });
  if (args!.len) return result.length;
  if (!args!.idx) return result.sequence;
  const matches = result.matches.map((match) => {
    const item: Reply[] = [match.a, match.b];
    if (args!.withMatchLength) item.push(match.length);
    return item;
  });
  return new MapReply([[asciiBytes("matches"), matches], [asciiBytes("len"), result.length]]);
}

// The fields every string command shares: one key at argv[1], Redis's string group.
const single = { firstKey: 1, lastKey: 1, step: 1, group: "string" } as const;

/** The string commands. */
export const stringCommands: CommandSpec[] = [
  {
    name: "get",
    arity: 2,
    flags: ["readonly", "fast"],
    ...single,
    summary: "Get the value of a key",
    since: "1.0.0",
    handler: (ctx, argv) => strings.get(scopeOf(ctx.db), argv[1]),
  },
  {
    name: "set",
    arity: -3,
    flags: ["write", "denyoom"],
    ...single,
    summary: "Set the string value of a key",
    since: "1.0.0",
    handler: setHandler,
  },
  {
    name: "setnx",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    ...single,
    summary: "Set the value of a key, only if the key does not exist",
    since: "1.0.0",
    handler: (ctx, argv) => strings.set(scopeOf(ctx.db), argv[1], argv[2], { nx: true }) ? 1 : 0,
  },
  {
    name: "setex",
    arity: 4,
    flags: ["write", "denyoom"],
    ...single,
    summary: "Set the value and expiration of a key",
    since: "2.0.0",
    handler: setWithExpire("ex", "setex"),
  },
  {
    name: "psetex",
    arity: 4,
    flags: ["write", "denyoom"],
    ...single,
    summary: "Set the value and expiration in milliseconds of a key",
    since: "2.6.0",
    handler: setWithExpire("px", "psetex"),
  },
  {
    name: "getset",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    ...single,
    summary: "Set the string value of a key and return its old value",
    since: "1.0.0",
    handler: (ctx, argv) => strings.setAndGet(scopeOf(ctx.db), argv[1], argv[2]),
  },
  {
    name: "getdel",
    arity: 2,
    flags: ["write", "fast"],
    ...single,
    summary: "Get the value of a key and delete the key",
    since: "6.2.0",
    handler: (ctx, argv) => strings.getdel(scopeOf(ctx.db), argv[1]),
  },
  {
    name: "getex",
    arity: -2,
    flags: ["write", "fast"],
    ...single,
    summary: "Get the value of a key and optionally set its expiration",
    since: "6.2.0",
    handler: getexHandler,
  },
  {
    name: "mget",
    arity: -2,
    flags: ["readonly", "fast"],
    ...single,
    lastKey: -1,
    summary: "Get the values of all the given keys",
    since: "1.0.0",
    handler: (ctx, argv) => strings.mget(scopeOf(ctx.db), argv.slice(1)),
  },
  {
    name: "mset",
    arity: -3,
    flags: ["write", "denyoom"],
    ...single,
    lastKey: -1,
    step: 2,
    summary: "Set multiple keys to multiple values",
    since: "1.0.1",
    handler: (ctx, argv) => {
      strings.mset(scopeOf(ctx.db), pairsOf(argv, "mset"));
      return OK;
    },
  },
  {
    name: "msetnx",
    arity: -3,
    flags: ["write", "denyoom"],
    ...single,
    lastKey: -1,
    step: 2,
    summary: "Set multiple keys to multiple values, only if none of the keys exist",
    since: "1.0.1",
    handler: (ctx, argv) => strings.msetnx(scopeOf(ctx.db), pairsOf(argv, "msetnx")) ? 1 : 0,
  },
  {
    name: "incr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    ...single,
    summary: "Increment the integer value of a key by one",
    since: "1.0.0",
    handler: incrementBy(() => 1),
  },
  {
    name: "decr",
    arity: 2,
    flags: ["write", "denyoom", "fast"],
    ...single,
    summary: "Decrement the integer value of a key by one",
    since: "1.0.0",
    handler: incrementBy(() => -1),
  },
  {
    name: "incrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    ...single,
    summary: "Increment the integer value of a key by the given amount",
    since: "1.0.0",
    handler: incrementBy((argv) => int64Arg(argv[2])),
  },
  {
    name: "decrby",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    ...single,
    summary: "Decrement the integer value of a key by the given number",
    since: "1.0.0",
    handler: incrementBy(decrement),
  },
  {
    name: "incrbyfloat",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    ...single,
    summary: "Increment the float value of a key by the given amount",
    since: "2.6.0",
    handler: (ctx, argv) => strings.incrbyfloat(scopeOf(ctx.db), argv[1], argv[2]),
  },
  {
    name: "append",
    arity: 3,
    flags: ["write", "denyoom", "fast"],
    ...single,
    summary: "Append a value to a key",
    since: "2.0.0",
    handler: (ctx, argv) => strings.append(scopeOf(ctx.db), argv[1], argv[2]),
  },
  {
    name: "strlen",
    arity: 2,
    flags: ["readonly", "fast"],
    ...single,
    summary: "Get the length of the value stored in a key",
    since: "2.2.0",
    handler: (ctx, argv) => strings.strlen(scopeOf(ctx.db), argv[1]),
  },
  {
    name: "getrange",
    arity: 4,
    flags: ["readonly"],
    ...single,
    summary: "Get a substring of the string stored at a key",
    since: "2.4.0",
    handler: getrangeHandler,
  },
  {
    name: "substr",
    arity: 4,
    flags: ["readonly"],
    ...single,
    summary: "Get a substring of the string stored at a key",
    since: "1.0.0",
    handler: getrangeHandler,
  },
  {
    name: "setrange",
    arity: 4,
    flags: ["write", "denyoom"],
    ...single,
    summary: "Overwrite part of a string at key starting at the specified offset",
    since: "2.2.0",
    handler: (ctx, argv) => {
      const offset = int64Arg(argv[2]);
      if (offset < 0) throw new RedisError("ERR offset is out of range");
      return strings.setrange(scopeOf(ctx.db), argv[1], Number(offset), argv[3]);
    },
  },
  {
    name: "lcs",
    arity: -3,
    flags: ["readonly"],
    ...single,
    lastKey: 2,
    summary: "Find longest common substring",
    since: "7.0.0",
    handler: lcsHandler,
  },
  {
    name: "setbit",
    arity: 4,
    flags: ["write", "denyoom"],
    ...single,
    group: "bitmap",
    summary: "Sets or clears the bit at offset in the string value stored at key",
    since: "2.2.0",
    handler: (ctx, argv) => {
      const offset = bitOffsetArg(argv[2]);
      const bitError = "ERR bit is not an integer or out of range";
      const bit = int64Arg(argv[3], bitError);
      if (bit !== 0 && bit !== 1) throw new RedisError(bitError);
      return strings.setbit(scopeOf(ctx.db), argv[1], offset, bit as 0 | 1);
    },
  },
  {
    name: "getbit",
    arity: 3,
    flags: ["readonly", "fast"],
    ...single,
    group: "bitmap",
    summary: "Returns the bit value at offset in the string value stored at key",
    since: "2.2.0",
    handler: (ctx, argv) => strings.getbit(scopeOf(ctx.db), argv[1], bitOffsetArg(argv[2])),
  },
  {
    name: "bitcount",
    arity: -2,
    flags: ["readonly"],
    ...single,
    group: "bitmap",
    summary: "Count set bits in a string",
    since: "2.6.0",
    handler: (ctx, argv) => strings.bitcount(scopeOf(ctx.db), argv[1], () => bitcountRange(argv)),
  },
  {
    name: "bitpos",
    arity: -3,
    flags: ["readonly"],
    ...single,
    group: "bitmap",
    summary: "Find first bit set or clear in a string",
    since: "2.8.7",
    handler: (ctx, argv) => {
      const bit = int64Arg(argv[2]);
      if (bit !== 0 && bit !== 1) throw new RedisError("ERR The bit argument must be 1 or 0.");
      return strings.bitpos(scopeOf(ctx.db), argv[1], bit as 0 | 1, () => bitposRange(argv));
    },
  },
  {
    name: "bitop",
    arity: -4,
    flags: ["write", "denyoom"],
    firstKey: 2,
    lastKey: -1,
    step: 1,
    group: "bitmap",
    summary: "Perform bitwise operations between strings",
    since: "2.6.0",
    handler: (ctx, argv) => {
      const operation = BIT_OPERATIONS[option(argv[1])] ?? syntaxError();
      if (operation === "not" && argv.length !== 4) {
        throw new RedisError("ERR BITOP NOT must be called with a single source key.");
      }
      return strings.bitop(scopeOf(ctx.db), operation, argv[2], argv.slice(3));
    },
  },
];

function getrangeHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const start = int64Arg(argv[2]);
  const end = int64Arg(argv[3]);
  return strings.getrange(scopeOf(ctx.db), argv[1], start, end);
}
