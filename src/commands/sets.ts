/**
 * The set commands.
 *
 * @module
 */

import { asciiBytes } from "../db/bytes.ts";
import { scopeOf } from "../db/db.ts";
import { ERR, RedisError } from "../db/errors.ts";
import * as sets from "../db/sets.ts";
import { SetReply } from "../resp/reply.ts";
import { intArg, option, syntaxError } from "./args.ts";
import { randomCountArg } from "./random_count.ts";
import { parseCursor, parseScanOptions } from "./scan_args.ts";
import type { CommandFlag, CommandSpec, Handler } from "./types.ts";

function setCommand(
  name: string,
  arity: number,
  flags: CommandFlag[],
  summary: string,
  since: string,
  handler: Handler,
  lastKey = 1,
): CommandSpec {
  return {
    name,
    arity,
    flags,
    firstKey: 1,
    lastKey,
    step: 1,
    group: "set",
    summary,
    since,
    handler,
  };
}

function operationCommand(
  name: string,
  operation: sets.SetOperation,
  summary: string,
): CommandSpec {
  return setCommand(
    name,
    -2,
    ["readonly"],
    summary,
    "1.0.0",
    (ctx, argv) => new SetReply(sets.setOperation(scopeOf(ctx.db), operation, argv.slice(1))),
    -1,
  );
}

function storeCommand(name: string, operation: sets.SetOperation, summary: string): CommandSpec {
  return setCommand(
    name,
    -3,
    ["write", "denyoom"],
    summary,
    "1.0.0",
    (ctx, argv) => sets.setOperationStore(scopeOf(ctx.db), operation, argv[1], argv.slice(2)),
    -1,
  );
}

/** SINTERCARD's arguments: `numkeys key [key ...] [LIMIT limit]`. */
function parseSintercard(argv: Uint8Array[]): { keys: Uint8Array[]; limit: number } {
  const numkeys = intArg(argv[1], "ERR numkeys should be greater than 0");
  if (numkeys < 1) throw new RedisError("ERR numkeys should be greater than 0");
  if (numkeys > argv.length - 2) {
    throw new RedisError("ERR Number of keys can't be greater than number of args");
  }
  let limit = 0;
  for (let i = 2 + numkeys; i < argv.length; i++) {
    if (option(argv[i]) === "LIMIT" && i + 1 < argv.length) {
      limit = intArg(argv[++i], "ERR LIMIT can't be negative");
      if (limit < 0) throw new RedisError("ERR LIMIT can't be negative");
    } else {
      syntaxError();
    }
  }
  return { keys: argv.slice(2, 2 + numkeys), limit };
}

/** The set commands. */
export const setCommands: CommandSpec[] = [
  setCommand(
    "sadd",
    -3,
    ["write", "denyoom", "fast"],
    "Add one or more members to a set",
    "1.0.0",
    (ctx, argv) => sets.sadd(scopeOf(ctx.db), argv[1], argv.slice(2)),
  ),
  setCommand(
    "srem",
    -3,
    ["write", "fast"],
    "Remove one or more members from a set",
    "1.0.0",
    (ctx, argv) => sets.srem(scopeOf(ctx.db), argv[1], argv.slice(2)),
  ),
  setCommand(
    "smembers",
    2,
    ["readonly"],
    "Get all the members in a set",
    "1.0.0",
    (ctx, argv) => new SetReply(sets.smembers(scopeOf(ctx.db), argv[1])),
  ),
  setCommand(
    "sismember",
    3,
    ["readonly", "fast"],
    "Determine if a given value is a member of a set",
    "1.0.0",
    (ctx, argv) => sets.sismember(scopeOf(ctx.db), argv[1], argv[2]) ? 1 : 0,
  ),
  setCommand(
    "smismember",
    -3,
    ["readonly", "fast"],
    "Returns the membership associated with the given elements for a set",
    "6.2.0",
    (ctx, argv) =>
      sets.smismember(scopeOf(ctx.db), argv[1], argv.slice(2)).map((found) => found ? 1 : 0),
  ),
  setCommand(
    "scard",
    2,
    ["readonly", "fast"],
    "Get the number of members in a set",
    "1.0.0",
    (ctx, argv) => sets.scard(scopeOf(ctx.db), argv[1]),
  ),
  setCommand(
    "spop",
    -2,
    ["write", "fast"],
    "Remove and return one or multiple random members from a set",
    "1.0.0",
    (ctx, argv) => {
      if (argv.length > 3) syntaxError();
      if (argv.length === 2) return sets.spop(scopeOf(ctx.db), argv[1]);
      const count = intArg(argv[2], ERR.positive);
      if (count < 0) throw new RedisError(ERR.positive);
      return new SetReply(sets.spopCount(scopeOf(ctx.db), argv[1], count));
    },
  ),
  setCommand(
    "srandmember",
    -2,
    ["readonly"],
    "Get one or multiple random members from a set",
    "1.0.0",
    (ctx, argv) => {
      if (argv.length > 3) syntaxError();
      if (argv.length === 2) return sets.srandmember(scopeOf(ctx.db), argv[1]);
      return sets.srandmemberCount(scopeOf(ctx.db), argv[1], randomCountArg(argv[2]));
    },
  ),
  {
    ...setCommand(
      "smove",
      4,
      ["write", "fast"],
      "Move a member from one set to another",
      "1.0.0",
      (ctx, argv) => sets.smove(scopeOf(ctx.db), argv[1], argv[2], argv[3]) ? 1 : 0,
    ),
    lastKey: 2,
  },
  operationCommand("sdiff", "diff", "Subtract multiple sets"),
  operationCommand("sinter", "inter", "Intersect multiple sets"),
  operationCommand("sunion", "union", "Add multiple sets"),
  storeCommand(
    "sdiffstore",
    "diff",
    "Subtract multiple sets and store the resulting set in a key",
  ),
  storeCommand(
    "sinterstore",
    "inter",
    "Intersect multiple sets and store the resulting set in a key",
  ),
  storeCommand("sunionstore", "union", "Add multiple sets and store the resulting set in a key"),
  {
    name: "sintercard",
    arity: -3,
    flags: ["readonly", "movablekeys"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "set",
    summary: "Intersect multiple sets and return the cardinality of the result",
    since: "7.0.0",
    keys: (argv) => {
      try {
        return parseSintercard(argv).keys.map((_, i) => 2 + i);
      } catch {
        return [];
      }
    },
    handler: (ctx, argv) => {
      const { keys, limit } = parseSintercard(argv);
      return sets.sintercard(scopeOf(ctx.db), keys, limit);
    },
  },
  setCommand(
    "sscan",
    -3,
    ["readonly"],
    "Incrementally iterate Set elements",
    "2.8.0",
    (ctx, argv) => {
      const cursor = parseCursor(argv[2]);
      const options = () => parseScanOptions(argv, 3, false);
      const step = sets.sscan(scopeOf(ctx.db), argv[1], cursor, options);
      return [asciiBytes(String(step.cursor)), step.members];
    },
  ),
];
