/**
 * The blocking list and sorted-set commands: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP,
 * BZPOPMIN, BZPOPMAX and BZMPOP. Each answers at once when a key has data, as its
 * non-blocking form; otherwise it waits on the server (`ctx.client.block`) until a write
 * serves it, its timeout passes, or CLIENT UNBLOCK. Where a command must not wait (inside
 * MULTI, or in-process through `db.command()`, which has no server) it answers at once as
 * Redis does in a transaction: a null array (BLMOVE and BRPOPLPUSH: a null bulk string).
 *
 * @module
 */

import { scopeOf } from "../db/db.ts";
import { RedisError } from "../db/errors.ts";
import { KeyType } from "../db/keyspace.ts";
import * as lists from "../db/lists.ts";
import { type LongDouble, parseLongDouble } from "../db/long_double.ts";
import { parseInt64 } from "../db/numbers.ts";
import * as zsets from "../db/zsets.ts";
import { DoubleReply, NULL_ARRAY, type Reply } from "../resp/reply.ts";
import { int64Arg, option } from "./args.ts";
import { parseLmpop } from "./lists.ts";
import type { BlockRequest, CommandContext, CommandSpec, Handler } from "./types.ts";
import { pairsReply, parseZmpop } from "./zsets.ts";

const TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
const TIMEOUT_NEGATIVE = "ERR timeout is negative";
const INT64_MAX = (1n << 63n) - 1n;

/**
 * A timeout in seconds as Redis 7.0 reads it (a `long double`, rounded up to whole
 * milliseconds): the milliseconds, 0 for ever. Throws Redis's errors.
 *
 * @example
 * ```ts
 * secondsTimeoutArg(new TextEncoder().encode("0.5")); // 500
 * ```
 */
export function secondsTimeoutArg(arg: Uint8Array): number {
  const seconds = parseLongDouble(arg);
  if (seconds === null || seconds.kind === "nan") throw new RedisError(TIMEOUT_NOT_FLOAT);
  const millis = ceilMillis(seconds);
  // Beyond a 64-bit integer, the conversion gives its most negative value, as in C on x86-64.
  if (millis === null || millis < 0n || millis > INT64_MAX) {
    throw new RedisError(TIMEOUT_NEGATIVE);
  }
  return Number(millis);
}

/**
 * A timeout in milliseconds (XREAD's and XREADGROUP's BLOCK, WAIT): 0 for ever. Throws
 * Redis's errors.
 *
 * @example
 * ```ts
 * millisTimeoutArg(new TextEncoder().encode("100")); // 100
 * ```
 */
export function millisTimeoutArg(arg: Uint8Array): number {
  const value = int64Arg(arg, "ERR timeout is not an integer or out of range");
  if (value < 0) throw new RedisError(TIMEOUT_NEGATIVE);
  return Number(value);
}

// ceil(seconds * 1000), the product rounded to the 64-bit significand of the x87 format first;
// null for an infinity.
function ceilMillis(seconds: LongDouble): bigint | null {
  if (seconds.kind !== "finite") return null;
  let mantissa = seconds.mantissa * 1000n;
  let exponent = seconds.exponent;
  const excess = mantissa.toString(2).length - 64;
  if (excess > 0) {
    const shift = BigInt(excess);
    const quotient = mantissa >> shift;
    const remainder = mantissa - (quotient << shift);
    const half = 1n << (shift - 1n);
    const up = remainder > half || (remainder === half && (quotient & 1n) === 1n);
    mantissa = quotient + (up ? 1n : 0n);
    exponent += excess;
  }
  if (exponent >= 0) {
    const whole = mantissa << BigInt(exponent);
    return seconds.negative ? -whole : whole;
  }
  const shift = BigInt(-exponent);
  const whole = mantissa >> shift;
  if (seconds.negative) return -whole;
  return whole + (mantissa - (whole << shift) > 0n ? 1n : 0n);
}

/**
 * Waits as `request` says on the server, or answers `immediate` where the command must not
 * wait (inside MULTI, or in-process without a server).
 *
 * @example
 * ```ts
 * return blockOrAnswer(ctx, { keys, timeout, timeoutReply: NULL_ARRAY }, NULL_ARRAY);
 * ```
 */
export function blockOrAnswer(
  ctx: CommandContext,
  request: BlockRequest,
  immediate: Reply,
): Reply | Promise<Reply> {
  if (ctx.denyBlocking || ctx.client === undefined) return immediate;
  return ctx.client.block(request);
}

/** The list end LEFT or RIGHT, in any case; anything else is a syntax error. */
function endArg(arg: Uint8Array): lists.ListEnd {
  return lists.parseListEnd(option(arg));
}

// BLPOP and BRPOP: `key [key ...] timeout`; the reply is [key, element].
function blockingPop(end: lists.ListEnd): Handler {
  return (ctx, argv) => {
    const timeout = secondsTimeoutArg(argv[argv.length - 1]);
    const keys = argv.slice(1, -1);
    const scope = scopeOf(ctx.db);
    const pop = (from: Uint8Array[]): Reply | undefined => {
      const popped = lists.lmpop(scope, from, end, 1);
      return popped === null ? undefined : [popped[0], popped[1][0]];
    };
    return pop(keys) ?? blockOrAnswer(ctx, {
      keys,
      timeout,
      type: KeyType.list,
      serve: (key) => pop([key]),
      timeoutReply: NULL_ARRAY,
    }, NULL_ARRAY);
  };
}

// BLMOVE and BRPOPLPUSH: the moved element. Redis 7.0 answers a timeout with a null array, and
// a client that must not wait with a null bulk string.
function blockingMove(
  ctx: CommandContext,
  source: Uint8Array,
  destination: Uint8Array,
  from: lists.ListEnd,
  to: lists.ListEnd,
  timeout: number,
): Reply | Promise<Reply> {
  const scope = scopeOf(ctx.db);
  const move = (key: Uint8Array) => lists.lmove(scope, key, destination, from, to) ?? undefined;
  return move(source) ?? blockOrAnswer(ctx, {
    keys: [source],
    timeout,
    type: KeyType.list,
    writes: [destination],
    serve: move,
    timeoutReply: NULL_ARRAY,
  }, null);
}

function blmpop(ctx: CommandContext, argv: Uint8Array[]): Reply | Promise<Reply> {
  const { keys, end, count } = parseLmpop(argv, 2);
  const timeout = secondsTimeoutArg(argv[1]);
  const scope = scopeOf(ctx.db);
  const pop = (from: Uint8Array[]) => lists.lmpop(scope, from, end, count) ?? undefined;
  return pop(keys) ?? blockOrAnswer(ctx, {
    keys,
    timeout,
    type: KeyType.list,
    serve: (key) => pop([key]),
    timeoutReply: NULL_ARRAY,
  }, NULL_ARRAY);
}

// BZPOPMIN and BZPOPMAX: `key [key ...] timeout`; the reply is [key, member, score].
function blockingZpop(max: boolean): Handler {
  return (ctx, argv) => {
    const timeout = secondsTimeoutArg(argv[argv.length - 1]);
    const keys = argv.slice(1, -1);
    const scope = scopeOf(ctx.db);
    const pop = (from: Uint8Array[]): Reply | undefined => {
      const popped = zsets.zmpop(scope, from, max, 1);
      if (popped === null) return undefined;
      const [entry] = popped.entries;
      return [popped.key, entry.member, new DoubleReply(entry.score)];
    };
    return pop(keys) ?? blockOrAnswer(ctx, {
      keys,
      timeout,
      type: KeyType.zset,
      serve: (key) => pop([key]),
      timeoutReply: NULL_ARRAY,
    }, NULL_ARRAY);
  };
}

function bzmpop(ctx: CommandContext, argv: Uint8Array[]): Reply | Promise<Reply> {
  const { keys, max, count } = parseZmpop(argv, 2);
  const timeout = secondsTimeoutArg(argv[1]);
  const scope = scopeOf(ctx.db);
  const pop = (from: Uint8Array[]): Reply | undefined => {
    const popped = zsets.zmpop(scope, from, max, count);
    return popped === null ? undefined : [popped.key, pairsReply(popped.entries)];
  };
  return pop(keys) ?? blockOrAnswer(ctx, {
    keys,
    timeout,
    type: KeyType.zset,
    serve: (key) => pop([key]),
    timeoutReply: NULL_ARRAY,
  }, NULL_ARRAY);
}

// The keys of BLMPOP and BZMPOP: `timeout numkeys key [key ...] ...`.
function keysAfterNumkeys(argv: Uint8Array[]): number[] {
  const numkeys = argv.length > 2 ? parseInt64(argv[2]) : null;
  if (numkeys === null || numkeys < 1 || 3 + Number(numkeys) > argv.length) return [];
  return Array.from({ length: Number(numkeys) }, (_, i) => 3 + i);
}

const BLOCKING_KEYS = { firstKey: 1, lastKey: -2, step: 1 } as const;

/** The blocking list and sorted-set commands. */
export const blockingCommands: CommandSpec[] = [
  {
    name: "blpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    ...BLOCKING_KEYS,
    group: "list",
    summary: "Remove and get the first element in a list, or block until one is available",
    since: "2.0.0",
    handler: blockingPop("LEFT"),
  },
  {
    name: "brpop",
    arity: -3,
    flags: ["write", "noscript", "blocking"],
    ...BLOCKING_KEYS,
    group: "list",
    summary: "Remove and get the last element in a list, or block until one is available",
    since: "2.0.0",
    handler: blockingPop("RIGHT"),
  },
  {
    name: "blmove",
    arity: 6,
    flags: ["write", "denyoom", "noscript", "blocking"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    group: "list",
    summary: "Pop an element from a list, push it to another list and return it; or block " +
      "until one is available",
    since: "6.2.0",
    handler: (ctx, argv) => {
      const from = endArg(argv[3]);
      const to = endArg(argv[4]);
      const timeout = secondsTimeoutArg(argv[5]);
      return blockingMove(ctx, argv[1], argv[2], from, to, timeout);
    },
  },
  {
    name: "brpoplpush",
    arity: 4,
    flags: ["write", "denyoom", "noscript", "blocking"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    group: "list",
    summary: "Pop an element from a list, push it to another list and return it; or block " +
      "until one is available",
    since: "2.2.0",
    handler: (ctx, argv) => {
      const timeout = secondsTimeoutArg(argv[3]);
      return blockingMove(ctx, argv[1], argv[2], "RIGHT", "LEFT", timeout);
    },
  },
  {
    name: "blmpop",
    arity: -5,
    flags: ["write", "blocking", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "list",
    summary: "Pop elements from a list, or block until one is available",
    since: "7.0.0",
    keys: keysAfterNumkeys,
    handler: blmpop,
  },
  {
    name: "bzpopmin",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    ...BLOCKING_KEYS,
    group: "sorted-set",
    summary: "Remove and return the member with the lowest score from one or more sorted " +
      "sets, or block until one is available",
    since: "5.0.0",
    handler: blockingZpop(false),
  },
  {
    name: "bzpopmax",
    arity: -3,
    flags: ["write", "noscript", "blocking", "fast"],
    ...BLOCKING_KEYS,
    group: "sorted-set",
    summary: "Remove and return the member with the highest score from one or more sorted " +
      "sets, or block until one is available",
    since: "5.0.0",
    handler: blockingZpop(true),
  },
  {
    name: "bzmpop",
    arity: -5,
    flags: ["write", "blocking", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "sorted-set",
    summary: "Remove and return members with scores in a sorted set or block until one is " +
      "available",
    since: "7.0.0",
    keys: keysAfterNumkeys,
    handler: bzmpop,
  },
];
