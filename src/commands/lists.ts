/**
 * The list commands: pushes and pops at both ends, ranges and indexes, LINSERT, LREM, LPOS,
 * LMOVE and LMPOP. The blocking variants (BLPOP, BLMOVE, ...) are in `blocking.ts`.
 *
 * @module
 */

import { scopeOf } from "../db/db.ts";
import { ERR, RedisError, wrongArity } from "../db/errors.ts";
import * as lists from "../db/lists.ts";
import { type Int64, parseInt64 } from "../db/numbers.ts";
import { NULL_ARRAY, OK } from "../resp/reply.ts";
import { int64Arg, intArg, option, syntaxError } from "./args.ts";
import type { CommandContext, CommandSpec } from "./types.ts";

/** LEFT or RIGHT, in any case; anything else is a syntax error. */
function endArg(arg: Uint8Array): lists.ListEnd {
  return lists.parseListEnd(option(arg));
}

/**
 * A count that must not be negative, read as Redis's getPositiveLongFromObjectOrReply does: one
 * error (`message`) for anything but an integer from 0 to 2^63 - 1.
 */
function nonNegativeArg(arg: Uint8Array, message: string): number {
  const value = parseInt64(arg);
  if (value === null || value < 0) throw new RedisError(message);
  return Number(value);
}

/** A count that must be at least 1, with one error for anything else (LMPOP's numkeys, COUNT). */
function positiveArg(arg: Uint8Array, message: string): number {
  const value = parseInt64(arg);
  if (value === null || value < 1) throw new RedisError(message);
  return Number(value);
}

/**
 * LINDEX's and LSET's index. They look the key up before they read the index, so a missing key
 * or another type wins over an index that is not an integer: null for a missing key then.
 */
function indexArg(ctx: CommandContext, key: Uint8Array, arg: Uint8Array): number | null {
  const index = parseInt64(arg);
  if (index !== null) return Number(index);
  if (lists.llen(scopeOf(ctx.db), key) === 0) return null;
  throw new RedisError(ERR.notInteger);
}

function pushCommand(
  name: string,
  end: lists.ListEnd,
  onlyIfExists: boolean,
  summary: string,
  since: string,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ["write", "denyoom", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary,
    since,
    handler: (ctx, argv) => lists.push(scopeOf(ctx.db), argv[1], end, argv.slice(2), onlyIfExists),
  };
}

function popCommand(name: string, end: lists.ListEnd, summary: string): CommandSpec {
  return {
    name,
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary,
    since: "1.0.0",
    handler: (ctx, argv) => {
      if (argv.length > 3) throw wrongArity(name);
      const scope = scopeOf(ctx.db);
      if (argv.length === 2) return lists.pop(scope, argv[1], end);
      const count = nonNegativeArg(argv[2], ERR.positive);
      return lists.popCount(scope, argv[1], end, count) ?? NULL_ARRAY;
    },
  };
}

/**
 * LPOS's rank as a number that keeps -2^63 apart (Redis 7.0 treats it specially, see
 * `lists.lpos`): other ranks past 2^53 in size are beyond any list, and become the largest safe
 * integer of their sign rather than round to -2^63.
 */
function lposRank(rank: Int64): number {
  if (typeof rank === "number") return rank;
  if (rank === -(2n ** 63n)) return lists.LPOS_LLONG_MIN_RANK;
  return rank < 0n ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
}

/** LPOS's options, parsed and checked in the order given, as Redis does. */
function parseLpos(argv: Uint8Array[]): lists.LposOptions & { withCount: boolean } {
  const options: lists.LposOptions & { withCount: boolean } = { withCount: false };
  for (let i = 3; i < argv.length; i++) {
    const name = option(argv[i]);
    if (i + 1 >= argv.length) syntaxError();
    const value = argv[++i];
    if (name === "RANK") {
      options.rank = lposRank(int64Arg(value));
      lists.checkLposOption("RANK", options.rank);
    } else if (name === "COUNT") {
      options.count = nonNegativeArg(value, lists.LIST_ERR.countNegative);
      options.withCount = true;
    } else if (name === "MAXLEN") {
      options.maxlen = nonNegativeArg(value, lists.LIST_ERR.maxlenNegative);
    } else syntaxError();
  }
  return options;
}

/**
 * LMPOP's arguments: numkeys (at `at`, BLMPOP's after its timeout), the keys, LEFT or RIGHT,
 * and an optional COUNT, as Redis reads them.
 *
 * @example
 * ```ts
 * const argv = ["LMPOP", "1", "l", "LEFT"].map((a) => new TextEncoder().encode(a));
 * parseLmpop(argv).end; // "LEFT"
 * ```
 */
export function parseLmpop(
  argv: Uint8Array[],
  at = 1,
): { keys: Uint8Array[]; end: lists.ListEnd; count: number } {
  const numkeys = positiveArg(argv[at], lists.LIST_ERR.numkeys);
  const endIndex = at + 1 + numkeys;
  if (endIndex >= argv.length) syntaxError();
  const end = endArg(argv[endIndex]);
  let count: number | undefined;
  for (let i = endIndex + 1; i < argv.length; i++) {
    if (count === undefined && option(argv[i]) === "COUNT" && i + 1 < argv.length) {
      count = positiveArg(argv[++i], lists.LIST_ERR.mpopCount);
    } else syntaxError();
  }
  return { keys: argv.slice(at + 1, endIndex), end, count: count ?? 1 };
}

/** The list commands. */
export const listCommands: CommandSpec[] = [
  pushCommand("lpush", "LEFT", false, "Prepend one or multiple elements to a list", "1.0.0"),
  pushCommand("rpush", "RIGHT", false, "Append one or multiple elements to a list", "1.0.0"),
  pushCommand(
    "lpushx",
    "LEFT",
    true,
    "Prepend an element to a list, only if the list exists",
    "2.2.0",
  ),
  pushCommand(
    "rpushx",
    "RIGHT",
    true,
    "Append an element to a list, only if the list exists",
    "2.2.0",
  ),
  popCommand("lpop", "LEFT", "Remove and get the first elements in a list"),
  popCommand("rpop", "RIGHT", "Remove and get the last elements in a list"),
  {
    name: "llen",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary: "Get the length of a list",
    since: "1.0.0",
    handler: (ctx, argv) => lists.llen(scopeOf(ctx.db), argv[1]),
  },
  {
    name: "lrange",
    arity: 4,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary: "Get a range of elements from a list",
    since: "1.0.0",
    handler: (ctx, argv) =>
      lists.lrangeEncoded(scopeOf(ctx.db), argv[1], intArg(argv[2]), intArg(argv[3])),
  },
  {
    name: "lindex",
    arity: 3,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary: "Get an element from a list by its index",
    since: "1.0.0",
    handler: (ctx, argv) => {
      const index = indexArg(ctx, argv[1], argv[2]);
      return index === null ? null : lists.lindex(scopeOf(ctx.db), argv[1], index);
    },
  },
  {
    name: "lset",
    arity: 4,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary: "Set the value of an element in a list by its index",
    since: "1.0.0",
    handler: (ctx, argv) => {
      const index = indexArg(ctx, argv[1], argv[2]);
      if (index === null) throw new RedisError(ERR.noSuchKey);
      lists.lset(scopeOf(ctx.db), argv[1], index, argv[3]);
      return OK;
    },
  },
  {
    name: "ltrim",
    arity: 4,
    flags: ["write"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary: "Trim a list to the specified range",
    since: "1.0.0",
    handler: (ctx, argv) => {
      lists.ltrim(scopeOf(ctx.db), argv[1], intArg(argv[2]), intArg(argv[3]));
      return OK;
    },
  },
  {
    name: "linsert",
    arity: 5,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary: "Insert an element before or after another element in a list",
    since: "2.2.0",
    handler: (ctx, argv) => {
      const where = option(argv[2]);
      if (where !== "BEFORE" && where !== "AFTER") syntaxError();
      return lists.linsert(scopeOf(ctx.db), argv[1], where === "BEFORE", argv[3], argv[4]);
    },
  },
  {
    name: "lrem",
    arity: 4,
    flags: ["write"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary: "Remove elements from a list",
    since: "1.0.0",
    handler: (ctx, argv) => lists.lrem(scopeOf(ctx.db), argv[1], intArg(argv[2]), argv[3]),
  },
  {
    name: "lpos",
    arity: -3,
    flags: ["readonly"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "list",
    summary: "Return the index of matching elements on a list",
    since: "6.0.6",
    handler: (ctx, argv) => {
      const { withCount, ...options } = parseLpos(argv);
      const found = lists.lpos(scopeOf(ctx.db), argv[1], argv[2], options);
      return withCount ? found : found[0] ?? null;
    },
  },
  {
    name: "lmove",
    arity: 5,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    group: "list",
    summary: "Pop an element from a list, push it to another list and return it",
    since: "6.2.0",
    handler: (ctx, argv) => {
      const from = endArg(argv[3]);
      const to = endArg(argv[4]);
      return lists.lmove(scopeOf(ctx.db), argv[1], argv[2], from, to);
    },
  },
  {
    name: "rpoplpush",
    arity: 3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    group: "list",
    summary: "Remove the last element in a list, prepend it to another list and return it",
    since: "1.2.0",
    handler: (ctx, argv) => lists.lmove(scopeOf(ctx.db), argv[1], argv[2], "RIGHT", "LEFT"),
  },
  {
    name: "lmpop",
    arity: -4,
    flags: ["write", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "list",
    summary: "Pop elements from a list",
    since: "7.0.0",
    keys: (argv) => {
      const numkeys = parseInt64(argv[1]);
      if (numkeys === null || numkeys < 1 || 2 + Number(numkeys) > argv.length) return [];
      return Array.from({ length: Number(numkeys) }, (_, i) => 2 + i);
    },
    handler: (ctx, argv) => {
      const { keys, end, count } = parseLmpop(argv);
      return lists.lmpop(scopeOf(ctx.db), keys, end, count) ?? NULL_ARRAY;
    },
  },
];
