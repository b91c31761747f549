/**
 * The sorted set commands, parsed as Redis 7.0's t_zset.c parses them (the same errors in the
 * same order), with RESP3 replies shaped as Redis 7 shapes them.
 *
 * @module
 */

import { scopeOf } from "../db/db.ts";
import { ERR, RedisError } from "../db/errors.ts";
import { parseInt64 } from "../db/numbers.ts";
import * as zsets from "../db/zsets.ts";
import type { Protocol } from "../resp/encoder.ts";
import { DoubleReply, NULL_ARRAY, type Reply } from "../resp/reply.ts";
import { asciiBytes } from "../db/bytes.ts";
import { formatDouble } from "../db/numbers.ts";
import { doubleArg, intArg, option, syntaxError } from "./args.ts";
import { randomCountArgs } from "./random_count.ts";
import { parseCursor, parseScanOptions } from "./scan_args.ts";
import type { CommandContext, CommandFlag, CommandSpec, Handler } from "./types.ts";

/**
 * Members with their scores as Redis replies with them: RESP3 an array of [member, score]
 * pairs, RESP2 one flat array; without scores, the members alone.
 *
 * @example
 * ```ts
 * scoredReply([{ member: new TextEncoder().encode("a"), score: 1 }], true, 3);
 * ```
 */
export function scoredReply(
  entries: readonly zsets.ScoredMember[],
  withScores: boolean,
  protocol: Protocol,
): Reply[] {
  if (!withScores) return entries.map((entry) => entry.member);
  if (protocol === 3) return entries.map((entry) => [entry.member, new DoubleReply(entry.score)]);
  const flat: Reply[] = [];
  for (const entry of entries) flat.push(entry.member, new DoubleReply(entry.score));
  return flat;
}

// Pairs in both protocols (ZMPOP, BZPOPMIN's siblings): [[member, score], ...].
function pairsReply(entries: readonly zsets.ScoredMember[]): Reply[] {
  return entries.map((entry) => [entry.member, new DoubleReply(entry.score)]);
}

function nullableDouble(value: number | null): Reply {
  return value === null ? null : new DoubleReply(value);
}

// #region ZADD

/** ZADD's command line, parsed. */
interface ParsedZadd {
  options: zsets.ZaddOptions;
  incr: boolean;
  entries: zsets.ScoredMember[];
}

// As zaddGenericCommand: options first, then an even number of score-member arguments, then
// the option conflicts, then every score (so that a bad one changes nothing).
function parseZadd(argv: Uint8Array[]): ParsedZadd {
  const options: zsets.ZaddOptions = {};
  let incr = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const name = option(argv[i]);
    if (name === "NX") options.nx = true;
    else if (name === "XX") options.xx = true;
    else if (name === "CH") options.ch = true;
    else if (name === "INCR") incr = true;
    else if (name === "GT") options.gt = true;
    else if (name === "LT") options.lt = true;
    else break;
  }
  const remaining = argv.length - i;
  if (remaining === 0 || remaining % 2 !== 0) syntaxError();
  zsets.checkZaddOptions(options);
  if (incr && remaining > 2) throw new RedisError(zsets.ZSET_ERR.incrPair);
  const entries: zsets.ScoredMember[] = [];
  for (; i < argv.length; i += 2) entries.push({ score: doubleArg(argv[i]), member: argv[i + 1] });
  return { options, incr, entries };
}

function zaddHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const { options, incr, entries } = parseZadd(argv);
  const scope = scopeOf(ctx.db);
  if (incr) {
    const { score, member } = entries[0];
    return nullableDouble(zsets.zaddIncr(scope, argv[1], score, member, options));
  }
  return zsets.zadd(scope, argv[1], entries, options);
}

// #endregion ZADD
// #region ranges

/** What a range command fixes (the older commands) and what it leaves to options (ZRANGE). */
interface RangeForm {
  /** The range kind, or undefined when BYSCORE/BYLEX choose it. */
  by?: "rank" | "score" | "lex";
  /** The direction, or undefined when REV chooses it. */
  reverse?: boolean;
  /** ZRANGESTORE: the source is argv[2], and WITHSCORES is refused. */
  store?: boolean;
}

/** A range command line, parsed. */
interface ParsedRange {
  key: Uint8Array;
  query: zsets.RangeQuery;
  withScores: boolean;
}

// As zrangeGenericCommand: the options, their conflicts, then the range itself.
function parseRange(argv: Uint8Array[], form: RangeForm): ParsedRange {
  const first = form.store ? 2 : 1;
  let by = form.by;
  let reverse = form.reverse;
  let withScores = false;
  let limit: { offset: number; count: number } | undefined;
  for (let i = first + 3; i < argv.length; i++) {
    const name = option(argv[i]);
    const left = argv.length - i - 1;
    if (!form.store && name === "WITHSCORES") withScores = true;
    else if (name === "LIMIT" && left >= 2) {
      limit = { offset: intArg(argv[i + 1]), count: intArg(argv[i + 2]) };
      i += 2;
    } else if (reverse === undefined && name === "REV") reverse = true;
    else if (by === undefined && name === "BYLEX") by = "lex";
    else if (by === undefined && name === "BYSCORE") by = "score";
    else syntaxError();
  }
  by ??= "rank";
  // A count of -1 is Redis's "no limit": accepted (and the offset ignored) by rank.
  if (limit !== undefined && limit.count !== -1 && by === "rank") {
    throw new RedisError(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    );
  }
  if (withScores && by === "lex") {
    throw new RedisError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  }
  reverse ??= false;
  // The reversed forms take the range as max, min.
  let low = argv[first + 1];
  let high = argv[first + 2];
  if (reverse && by !== "rank") [low, high] = [high, low];
  const key = argv[first];
  if (by === "rank") {
    return { key, query: { by, start: intArg(low), stop: intArg(high), reverse }, withScores };
  }
  const range = by === "score" ? zsets.parseScoreRange(low, high) : zsets.parseLexRange(low, high);
  const query = { by, range, reverse, offset: limit?.offset, count: limit?.count };
  return { key, query: query as zsets.RangeQuery, withScores };
}

function rangeHandler(form: RangeForm): Handler {
  return (ctx, argv) => {
    const { key, query, withScores } = parseRange(argv, form);
    return scoredReply(zsets.zrange(scopeOf(ctx.db), key, query), withScores, ctx.protocol);
  };
}

function removeRangeHandler(by: "rank" | "score" | "lex"): Handler {
  return (ctx, argv) => {
    let query: zsets.RangeQuery;
    if (by === "rank") query = { by, start: intArg(argv[2]), stop: intArg(argv[3]) };
    else if (by === "score") query = { by, range: zsets.parseScoreRange(argv[2], argv[3]) };
    else query = { by, range: zsets.parseLexRange(argv[2], argv[3]) };
    return zsets.zremrange(scopeOf(ctx.db), argv[1], query);
  };
}

// #endregion ranges
// #region popping

function popHandler(max: boolean): Handler {
  return (ctx, argv) => {
    if (argv.length > 3) syntaxError();
    const scope = scopeOf(ctx.db);
    if (argv.length === 2) {
      const [entry] = zsets.zpop(scope, argv[1], 1, max);
      return entry === undefined ? [] : [entry.member, new DoubleReply(entry.score)];
    }
    const count = intArg(argv[2], ERR.positive);
    if (count < 0) throw new RedisError(ERR.positive);
    return scoredReply(zsets.zpop(scope, argv[1], count, max), true, ctx.protocol);
  };
}

function zmpopHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const numkeys = intArg(argv[1], "ERR numkeys should be greater than 0");
  if (numkeys < 1) throw new RedisError("ERR numkeys should be greater than 0");
  if (numkeys > argv.length - 2) syntaxError();
  const keys = argv.slice(2, 2 + numkeys);
  let i = 2 + numkeys;
  const where = i < argv.length ? option(argv[i++]) : "";
  if (where !== "MIN" && where !== "MAX") syntaxError();
  // As zmpopGenericCommand: one COUNT, its value checked as soon as it is read.
  let count: number | undefined;
  for (; i < argv.length; i++) {
    if (count !== undefined || option(argv[i]) !== "COUNT" || i + 1 >= argv.length) {
      syntaxError();
    }
    count = intArg(argv[++i], "ERR count should be greater than 0");
    if (count < 1) throw new RedisError("ERR count should be greater than 0");
  }
  const popped = zsets.zmpop(scopeOf(ctx.db), keys, where === "MAX", count ?? 1);
  return popped === null ? NULL_ARRAY : [popped.key, pairsReply(popped.entries)];
}

// #endregion popping
// #region combining

/** The keys of a command that names them after a count (`numkeys key [key ...]`) at `at`. */
function numkeysPositions(at: number, before: number[] = []): (argv: Uint8Array[]) => number[] {
  return (argv) => {
    const numkeys = argv.length > at ? parseInt64(argv[at]) : null;
    if (typeof numkeys !== "number" || numkeys < 1 || at + numkeys >= argv.length) return before;
    return [...before, ...Array.from({ length: numkeys }, (_, i) => at + 1 + i)];
  };
}

/** The input keys of ZUNION, ZINTER, ZDIFF, ZINTERCARD and their STORE forms, checked. */
function parseInputKeys(
  ctx: CommandContext,
  argv: Uint8Array[],
  at: number,
): Uint8Array[] {
  const numkeys = intArg(argv[at]);
  if (numkeys < 1) {
    throw new RedisError(
      `ERR at least 1 input key is needed for '${
        new TextDecoder().decode(argv[0]).toLowerCase()
      }' command`,
    );
  }
  if (numkeys > argv.length - at - 1) syntaxError();
  const keys = argv.slice(at + 1, at + 1 + numkeys);
  zsets.checkSources(scopeOf(ctx.db), keys);
  return keys;
}

const AGGREGATES: Record<string, zsets.Aggregate> = { SUM: "sum", MIN: "min", MAX: "max" };

function combineHandler(operation: zsets.SetOperation, store: boolean): Handler {
  return (ctx, argv) => {
    const at = store ? 2 : 1;
    const keys = parseInputKeys(ctx, argv, at);
    const options: zsets.CombineOptions = {};
    let withScores = false;
    for (let i = at + 1 + keys.length; i < argv.length; i++) {
      const name = option(argv[i]);
      const left = argv.length - i;
      if (operation !== "diff" && name === "WEIGHTS" && left > keys.length) {
        options.weights = keys.map((_, k) => doubleArg(argv[i + 1 + k], zsets.ZSET_ERR.weight));
        i += keys.length;
      } else if (operation !== "diff" && name === "AGGREGATE" && left >= 2) {
        options.aggregate = AGGREGATES[option(argv[++i])] ?? syntaxError();
      } else if (!store && name === "WITHSCORES") withScores = true;
      else syntaxError();
    }
    const scope = scopeOf(ctx.db);
    if (store) return zsets.zcombineStore(scope, operation, argv[1], keys, options);
    return scoredReply(zsets.zcombine(scope, operation, keys, options), withScores, ctx.protocol);
  };
}

function zintercardHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const keys = parseInputKeys(ctx, argv, 1);
  let limit = 0;
  for (let i = 2 + keys.length; i < argv.length; i++) {
    if (option(argv[i]) !== "LIMIT" || i + 1 >= argv.length) syntaxError();
    limit = intArg(argv[++i], "ERR LIMIT can't be negative");
    if (limit < 0) throw new RedisError("ERR LIMIT can't be negative");
  }
  return zsets.zintercard(scopeOf(ctx.db), keys, limit);
}

// #endregion combining

function zrandmemberHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const scope = scopeOf(ctx.db);
  if (argv.length === 2) return zsets.zrandmember(scope, argv[1]);
  const { count, withValues } = randomCountArgs(argv, "WITHSCORES");
  return scoredReply(zsets.zrandmemberCount(scope, argv[1], count), withValues, ctx.protocol);
}

// ZSCAN replies with scores as bulk strings in both protocols, as Redis formats them.
function zscanHandler(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const cursor = parseCursor(argv[2]);
  const options = () => parseScanOptions(argv, 3, false);
  const step = zsets.zscan(scopeOf(ctx.db), argv[1], cursor, options);
  const flat: Reply[] = [];
  for (const { member, score } of step.entries) flat.push(member, asciiBytes(formatDouble(score)));
  return [asciiBytes(String(step.cursor)), flat];
}

/** Fields every sorted set command shares. */
function zsetCommand(
  name: string,
  arity: number,
  flags: CommandFlag[],
  since: string,
  summary: string,
  handler: Handler,
  keys: { firstKey?: number; lastKey?: number; keys?: (argv: Uint8Array[]) => number[] } = {},
): CommandSpec {
  const movable = keys.keys !== undefined;
  const firstKey = keys.firstKey ?? (movable ? 0 : 1);
  return {
    name,
    arity,
    flags: movable ? [...flags, "movablekeys"] : flags,
    firstKey,
    lastKey: keys.lastKey ?? firstKey,
    step: firstKey === 0 ? 0 : 1,
    group: "sorted-set",
    summary,
    since,
    handler,
    ...(movable ? { keys: keys.keys } : {}),
  };
}

const READ_FAST: CommandFlag[] = ["readonly", "fast"];
const WRITE_FAST: CommandFlag[] = ["write", "fast"];

/** The sorted set commands. */
export const zsetCommands: CommandSpec[] = [
  zsetCommand(
    "zadd",
    -4,
    ["write", "denyoom", "fast"],
    "1.2.0",
    "Add one or more members to a sorted set, or update its score if it already exists",
    zaddHandler,
  ),
  zsetCommand(
    "zincrby",
    4,
    ["write", "denyoom", "fast"],
    "1.2.0",
    "Increment the score of a member in a sorted set",
    (ctx, argv) =>
      new DoubleReply(zsets.zincrby(scopeOf(ctx.db), argv[1], doubleArg(argv[2]), argv[3])),
  ),
  zsetCommand(
    "zrem",
    -3,
    WRITE_FAST,
    "1.2.0",
    "Remove one or more members from a sorted set",
    (ctx, argv) => zsets.zrem(scopeOf(ctx.db), argv[1], argv.slice(2)),
  ),
  zsetCommand(
    "zscore",
    3,
    READ_FAST,
    "1.2.0",
    "Get the score associated with the given member in a sorted set",
    (ctx, argv) => nullableDouble(zsets.zscore(scopeOf(ctx.db), argv[1], argv[2])),
  ),
  zsetCommand(
    "zmscore",
    -3,
    READ_FAST,
    "6.2.0",
    "Get the score associated with the given members in a sorted set",
    (ctx, argv) => zsets.zmscore(scopeOf(ctx.db), argv[1], argv.slice(2)).map(nullableDouble),
  ),
  zsetCommand(
    "zcard",
    2,
    READ_FAST,
    "1.2.0",
    "Get the number of members in a sorted set",
    (ctx, argv) => zsets.zcard(scopeOf(ctx.db), argv[1]),
  ),
  zsetCommand(
    "zcount",
    4,
    READ_FAST,
    "2.0.0",
    "Count the members in a sorted set with scores within the given values",
    (ctx, argv) => zsets.zcount(scopeOf(ctx.db), argv[1], zsets.parseScoreRange(argv[2], argv[3])),
  ),
  zsetCommand(
    "zlexcount",
    4,
    READ_FAST,
    "2.8.9",
    "Count the number of members in a sorted set between a given lexicographical range",
    (ctx, argv) => zsets.zlexcount(scopeOf(ctx.db), argv[1], zsets.parseLexRange(argv[2], argv[3])),
  ),
  // Redis 7.2 adds WITHSCORE to ZRANK and ZREVRANK; 7.0 takes exactly the key and the member.
  zsetCommand(
    "zrank",
    3,
    READ_FAST,
    "2.0.0",
    "Determine the index of a member in a sorted set",
    (ctx, argv) => zsets.zrank(scopeOf(ctx.db), argv[1], argv[2]),
  ),
  zsetCommand(
    "zrevrank",
    3,
    READ_FAST,
    "2.0.0",
    "Determine the index of a member in a sorted set, with scores ordered from high to low",
    (ctx, argv) => zsets.zrank(scopeOf(ctx.db), argv[1], argv[2], true),
  ),
  zsetCommand(
    "zrange",
    -4,
    ["readonly"],
    "1.2.0",
    "Return a range of members in a sorted set",
    rangeHandler({}),
  ),
  zsetCommand(
    "zrangestore",
    -5,
    ["write", "denyoom"],
    "6.2.0",
    "Store a range of members from sorted set into another key",
    (ctx, argv) => {
      const { key, query } = parseRange(argv, { store: true });
      return zsets.zrangestore(scopeOf(ctx.db), argv[1], key, query);
    },
    { firstKey: 1, lastKey: 2 },
  ),
  zsetCommand(
    "zrevrange",
    -4,
    ["readonly"],
    "1.2.0",
    "Return a range of members in a sorted set, by index, with scores ordered from high to low",
    rangeHandler({ by: "rank", reverse: true }),
  ),
  zsetCommand(
    "zrangebyscore",
    -4,
    ["readonly"],
    "1.0.5",
    "Return a range of members in a sorted set, by score",
    rangeHandler({ by: "score", reverse: false }),
  ),
  zsetCommand(
    "zrevrangebyscore",
    -4,
    ["readonly"],
    "2.2.0",
    "Return a range of members in a sorted set, by score, with scores ordered from high to low",
    rangeHandler({ by: "score", reverse: true }),
  ),
  zsetCommand(
    "zrangebylex",
    -4,
    ["readonly"],
    "2.8.9",
    "Return a range of members in a sorted set, by lexicographical range",
    rangeHandler({ by: "lex", reverse: false }),
  ),
  zsetCommand(
    "zrevrangebylex",
    -4,
    ["readonly"],
    "2.8.9",
    "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
    rangeHandler({ by: "lex", reverse: true }),
  ),
  zsetCommand(
    "zremrangebyrank",
    4,
    ["write"],
    "2.0.0",
    "Remove all members in a sorted set within the given indexes",
    removeRangeHandler("rank"),
  ),
  zsetCommand(
    "zremrangebyscore",
    4,
    ["write"],
    "1.2.0",
    "Remove all members in a sorted set within the given scores",
    removeRangeHandler("score"),
  ),
  zsetCommand(
    "zremrangebylex",
    4,
    ["write"],
    "2.8.9",
    "Remove all members in a sorted set between the given lexicographical range",
    removeRangeHandler("lex"),
  ),
  zsetCommand(
    "zpopmin",
    -2,
    WRITE_FAST,
    "5.0.0",
    "Remove and return members with the lowest scores in a sorted set",
    popHandler(false),
  ),
  zsetCommand(
    "zpopmax",
    -2,
    WRITE_FAST,
    "5.0.0",
    "Remove and return members with the highest scores in a sorted set",
    popHandler(true),
  ),
  zsetCommand(
    "zmpop",
    -4,
    ["write"],
    "7.0.0",
    "Remove and return members with scores in a sorted set",
    zmpopHandler,
    { keys: numkeysPositions(1) },
  ),
  zsetCommand(
    "zunion",
    -3,
    ["readonly"],
    "6.2.0",
    "Add multiple sorted sets",
    combineHandler("union", false),
    { keys: numkeysPositions(1) },
  ),
  zsetCommand(
    "zinter",
    -3,
    ["readonly"],
    "6.2.0",
    "Intersect multiple sorted sets",
    combineHandler("inter", false),
    { keys: numkeysPositions(1) },
  ),
  zsetCommand(
    "zdiff",
    -3,
    ["readonly"],
    "6.2.0",
    "Subtract multiple sorted sets",
    combineHandler("diff", false),
    { keys: numkeysPositions(1) },
  ),
  zsetCommand(
    "zunionstore",
    -4,
    ["write", "denyoom"],
    "2.0.0",
    "Add multiple sorted sets and store the resulting sorted set in a new key",
    combineHandler("union", true),
    { firstKey: 1, lastKey: 1, keys: numkeysPositions(2, [1]) },
  ),
  zsetCommand(
    "zinterstore",
    -4,
    ["write", "denyoom"],
    "2.0.0",
    "Intersect multiple sorted sets and store the resulting sorted set in a new key",
    combineHandler("inter", true),
    { firstKey: 1, lastKey: 1, keys: numkeysPositions(2, [1]) },
  ),
  zsetCommand(
    "zdiffstore",
    -4,
    ["write", "denyoom"],
    "6.2.0",
    "Subtract multiple sorted sets and store the resulting sorted set in a new key",
    combineHandler("diff", true),
    { firstKey: 1, lastKey: 1, keys: numkeysPositions(2, [1]) },
  ),
  zsetCommand(
    "zintercard",
    -3,
    ["readonly"],
    "7.0.0",
    "Intersect multiple sorted sets and return the cardinality of the result",
    zintercardHandler,
    { keys: numkeysPositions(1) },
  ),
  zsetCommand(
    "zrandmember",
    -2,
    ["readonly"],
    "6.2.0",
    "Get one or multiple random elements from a sorted set",
    zrandmemberHandler,
  ),
  zsetCommand(
    "zscan",
    -3,
    ["readonly"],
    "2.8.0",
    "Incrementally iterate sorted sets elements and associated scores",
    zscanHandler,
  ),
];
