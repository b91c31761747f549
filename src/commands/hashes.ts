/**
 * The hash commands.
 *
 * @module
 */

import { asciiBytes } from "../db/bytes.ts";
import { scopeOf } from "../db/db.ts";
import { ERR, RedisError, wrongArity } from "../db/errors.ts";
import * as hashes from "../db/hashes.ts";
import { parseLongDouble } from "../db/long_double.ts";
import type { Protocol } from "../resp/encoder.ts";
import { MapReply, OK, type Reply } from "../resp/reply.ts";
import { int64Arg } from "./args.ts";
import { randomCountArgs } from "./random_count.ts";
import { parseCursor, parseScanOptions } from "./scan_args.ts";
import type { CommandFlag, CommandSpec, Handler } from "./types.ts";

function hashCommand(
  name: string,
  arity: number,
  flags: CommandFlag[],
  summary: string,
  since: string,
  handler: Handler,
): CommandSpec {
  return {
    name,
    arity,
    flags,
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "hash",
    summary,
    since,
    handler,
  };
}

// HSET and HMSET take field-value pairs: an odd count is an arity error.
function fieldValuePairs(command: string, argv: Uint8Array[]): Uint8Array[] {
  if (argv.length % 2 !== 0) throw wrongArity(command);
  return argv.slice(2);
}

// Pairs as RESP3 nested arrays, or flat in RESP2 (HRANDFIELD WITHVALUES, as Redis 7 does).
function pairsReply(pairs: hashes.FieldValue[], protocol: Protocol): Reply {
  return protocol === 3 ? pairs : pairs.flat();
}

/** The hash commands. */
export const hashCommands: CommandSpec[] = [
  hashCommand(
    "hset",
    -4,
    ["write", "denyoom", "fast"],
    "Set the string value of a hash field",
    "2.0.0",
    (ctx, argv) => hashes.hset(scopeOf(ctx.db), argv[1], fieldValuePairs("hset", argv)),
  ),
  hashCommand(
    "hsetnx",
    4,
    ["write", "denyoom", "fast"],
    "Set the value of a hash field, only if the field does not exist",
    "2.0.0",
    (ctx, argv) => hashes.hsetnx(scopeOf(ctx.db), argv[1], argv[2], argv[3]) ? 1 : 0,
  ),
  hashCommand(
    "hmset",
    -4,
    ["write", "denyoom", "fast"],
    "Set multiple hash fields to multiple values",
    "2.0.0",
    (ctx, argv) => {
      hashes.hset(scopeOf(ctx.db), argv[1], fieldValuePairs("hmset", argv));
      return OK;
    },
  ),
  hashCommand(
    "hget",
    3,
    ["readonly", "fast"],
    "Get the value of a hash field",
    "2.0.0",
    (ctx, argv) => hashes.hget(scopeOf(ctx.db), argv[1], argv[2]),
  ),
  hashCommand(
    "hmget",
    -3,
    ["readonly", "fast"],
    "Get the values of all the given hash fields",
    "2.0.0",
    (ctx, argv) => hashes.hmget(scopeOf(ctx.db), argv[1], argv.slice(2)),
  ),
  hashCommand(
    "hgetall",
    2,
    ["readonly"],
    "Get all the fields and values in a hash",
    "2.0.0",
    (ctx, argv) => new MapReply(hashes.hgetall(scopeOf(ctx.db), argv[1])),
  ),
  hashCommand(
    "hdel",
    -3,
    ["write", "fast"],
    "Delete one or more hash fields",
    "2.0.0",
    (ctx, argv) => hashes.hdel(scopeOf(ctx.db), argv[1], argv.slice(2)),
  ),
  hashCommand(
    "hexists",
    3,
    ["readonly", "fast"],
    "Determine if a hash field exists",
    "2.0.0",
    (ctx, argv) => hashes.hexists(scopeOf(ctx.db), argv[1], argv[2]) ? 1 : 0,
  ),
  hashCommand(
    "hkeys",
    2,
    ["readonly"],
    "Get all the fields in a hash",
    "2.0.0",
    (ctx, argv) => hashes.hkeys(scopeOf(ctx.db), argv[1]),
  ),
  hashCommand(
    "hvals",
    2,
    ["readonly"],
    "Get all the values in a hash",
    "2.0.0",
    (ctx, argv) => hashes.hvals(scopeOf(ctx.db), argv[1]),
  ),
  hashCommand(
    "hlen",
    2,
    ["readonly", "fast"],
    "Get the number of fields in a hash",
    "2.0.0",
    (ctx, argv) => hashes.hlen(scopeOf(ctx.db), argv[1]),
  ),
  hashCommand(
    "hstrlen",
    3,
    ["readonly", "fast"],
    "Get the length of the value of a hash field",
    "3.2.0",
    (ctx, argv) => hashes.hstrlen(scopeOf(ctx.db), argv[1], argv[2]),
  ),
  hashCommand(
    "hincrby",
    4,
    ["write", "denyoom", "fast"],
    "Increment the integer value of a hash field by the given number",
    "2.0.0",
    (ctx, argv) => hashes.hincrby(scopeOf(ctx.db), argv[1], argv[2], int64Arg(argv[3])),
  ),
  hashCommand(
    "hincrbyfloat",
    4,
    ["write", "denyoom", "fast"],
    "Increment the float value of a hash field by the given amount",
    "2.6.0",
    (ctx, argv) => {
      const increment = parseLongDouble(argv[3]);
      if (increment === null) throw new RedisError(ERR.notFloat);
      return hashes.hincrbyfloat(scopeOf(ctx.db), argv[1], argv[2], increment);
    },
  ),
  hashCommand(
    "hrandfield",
    -2,
    ["readonly"],
    "Get one or multiple random fields from a hash",
    "6.2.0",
    (ctx, argv) => {
      const scope = scopeOf(ctx.db);
      if (argv.length === 2) return hashes.hrandfield(scope, argv[1]);
      const { count, withValues } = randomCountArgs(argv, "WITHVALUES");
      const pairs = hashes.hrandfieldCount(scope, argv[1], count);
      return withValues ? pairsReply(pairs, ctx.protocol) : pairs.map(([field]) => field);
    },
  ),
  hashCommand(
    "hscan",
    -3,
    ["readonly"],
    "Incrementally iterate hash fields and associated values",
    "2.8.0",
    (ctx, argv) => {
      const cursor = parseCursor(argv[2]);
      const options = () => parseScanOptions(argv, 3, false);
      const step = hashes.hscan(scopeOf(ctx.db), argv[1], cursor, options);
      return [asciiBytes(String(step.cursor)), step.entries.flat()];
    },
  ),
];
