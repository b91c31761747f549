/**
 * The key commands (Redis's generic group): DEL, EXISTS, EXPIRE, SCAN, ..., with DBSIZE,
 * FLUSHDB and FLUSHALL (Redis's server group), which work on the whole keyspace.
 *
 * @module
 */

import { asciiBytes } from "../db/bytes.ts";
import { scopeOf } from "../db/db.ts";
import { RedisError } from "../db/errors.ts";
import { expireCommandTime, type ExpireUnit } from "../db/expiry.ts";
import type { Scope } from "../db/keyspace.ts";
import * as keys from "../db/keys.ts";
import { OK, type Reply, SimpleString } from "../resp/reply.ts";
import { dbIndexArg, int64Arg, option, syntaxError } from "./args.ts";
import { parseScanArgs } from "./scan_args.ts";
import type { CommandSpec, Handler } from "./types.ts";

const decoder = new TextDecoder();

// Redis quotes the option with %s: up to its first NUL byte.
function unsupportedOption(arg: Uint8Array): RedisError {
  const end = arg.indexOf(0);
  const text = decoder.decode(end < 0 ? arg : arg.subarray(0, end));
  return new RedisError(`ERR Unsupported option ${text}`);
}

// As Redis's parseExtendedExpireArgumentsOrReply: any of NX, XX, GT, LT, in any order, repeated
// or not; then the incompatible pairs are refused.
function parseExpireConditions(argv: Uint8Array[]): keys.ExpireConditions {
  const conditions: keys.ExpireConditions = {};
  for (let i = 3; i < argv.length; i++) {
    const name = option(argv[i]);
    if (name === "NX") conditions.nx = true;
    else if (name === "XX") conditions.xx = true;
    else if (name === "GT") conditions.gt = true;
    else if (name === "LT") conditions.lt = true;
    else throw unsupportedOption(argv[i]);
  }
  keys.checkExpireConditions(conditions);
  return conditions;
}

// EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT differ only in the unit of their time.
function expireCommand(
  name: string,
  unit: ExpireUnit,
  since: string,
  summary: string,
): CommandSpec {
  return {
    name,
    arity: -3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "generic",
    summary,
    since,
    handler: (ctx, argv) => {
      const conditions = parseExpireConditions(argv);
      const when = expireCommandTime(unit, int64Arg(argv[2]), name);
      return keys.expire(scopeOf(ctx.db), argv[1], when, conditions) ? 1 : 0;
    },
  };
}

// TTL, PTTL, EXPIRETIME and PEXPIRETIME read one number of one key.
function expireReadCommand(
  name: string,
  read: (scope: Scope, key: Uint8Array) => number,
  since: string,
  summary: string,
): CommandSpec {
  return {
    name,
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "generic",
    summary,
    since,
    handler: (ctx, argv) => read(scopeOf(ctx.db), argv[1]),
  };
}

// FLUSHDB and FLUSHALL take nothing, SYNC or ASYNC (the deletion is always done at once).
function flushHandler(flush: (scope: Scope) => void): Handler {
  return (ctx, argv) => {
    if (argv.length > 2) syntaxError();
    if (argv.length === 2) {
      const mode = option(argv[1]);
      if (mode !== "SYNC" && mode !== "ASYNC") syntaxError();
    }
    flush(scopeOf(ctx.db));
    return OK;
  };
}

function parseCopyOptions(argv: Uint8Array[]): keys.CopyOptions {
  const options: keys.CopyOptions = {};
  for (let i = 3; i < argv.length; i++) {
    const name = option(argv[i]);
    if (name === "REPLACE") options.replace = true;
    else if (name === "DB" && i + 1 < argv.length) options.db = dbIndexArg(argv[++i]);
    else syntaxError();
  }
  return options;
}

const deleteHandler: Handler = (ctx, argv) => keys.del(scopeOf(ctx.db), argv.slice(1));
const existsHandler: Handler = (ctx, argv) => keys.exists(scopeOf(ctx.db), argv.slice(1));

/** The key commands (Redis's generic group), with DBSIZE, FLUSHDB and FLUSHALL. */
export const keyCommands: CommandSpec[] = [
  {
    name: "del",
    arity: -2,
    flags: ["write"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    group: "generic",
    summary: "Delete a key",
    since: "1.0.0",
    handler: deleteHandler,
  },
  {
    name: "unlink",
    arity: -2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    group: "generic",
    summary:
      "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
    since: "4.0.0",
    handler: deleteHandler,
  },
  {
    name: "exists",
    arity: -2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    group: "generic",
    summary: "Determine if a key exists",
    since: "1.0.0",
    handler: existsHandler,
  },
  {
    name: "touch",
    arity: -2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    group: "generic",
    summary:
      "Alters the last access time of a key(s). Returns the number of existing keys specified.",
    since: "3.2.1",
    handler: existsHandler,
  },
  {
    name: "type",
    arity: 2,
    flags: ["readonly", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "generic",
    summary: "Determine the type stored at key",
    since: "1.0.0",
    handler: (ctx, argv) => new SimpleString(keys.type(scopeOf(ctx.db), argv[1])),
  },
  {
    name: "keys",
    arity: 2,
    flags: ["readonly"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "generic",
    summary: "Find all keys matching the given pattern",
    since: "1.0.0",
    handler: (ctx, argv) => keys.keys(scopeOf(ctx.db), argv[1]),
  },
  {
    name: "scan",
    arity: -2,
    flags: ["readonly"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "generic",
    summary: "Incrementally iterate the keys space",
    since: "2.8.0",
    handler: (ctx, argv) => {
      const { cursor, ...options } = parseScanArgs(argv, 1, true);
      const [next, found] = keys.scan(scopeOf(ctx.db), cursor, options);
      return [asciiBytes(String(next)), found] as Reply;
    },
  },
  {
    name: "randomkey",
    arity: 1,
    flags: ["readonly"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "generic",
    summary: "Return a random key from the keyspace",
    since: "1.0.0",
    handler: (ctx) => keys.randomKey(scopeOf(ctx.db)),
  },
  {
    name: "rename",
    arity: 3,
    flags: ["write"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    group: "generic",
    summary: "Rename a key",
    since: "1.0.0",
    handler: (ctx, argv) => {
      keys.rename(scopeOf(ctx.db), argv[1], argv[2], false);
      return OK;
    },
  },
  {
    name: "renamenx",
    arity: 3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    group: "generic",
    summary: "Rename a key, only if the new key does not exist",
    since: "1.0.0",
    handler: (ctx, argv) => keys.rename(scopeOf(ctx.db), argv[1], argv[2], true) ? 1 : 0,
  },
  {
    name: "copy",
    arity: -3,
    flags: ["write", "denyoom"],
    firstKey: 1,
    lastKey: 2,
    step: 1,
    group: "generic",
    summary: "Copy a key",
    since: "6.2.0",
    handler: (ctx, argv) => {
      const options = parseCopyOptions(argv);
      return keys.copy(scopeOf(ctx.db), argv[1], argv[2], options) ? 1 : 0;
    },
  },
  {
    name: "move",
    arity: 3,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "generic",
    summary: "Move a key to another database",
    since: "1.0.0",
    handler: (ctx, argv) => keys.move(scopeOf(ctx.db), argv[1], dbIndexArg(argv[2])) ? 1 : 0,
  },
  expireCommand("expire", "ex", "1.0.0", "Set a key's time to live in seconds"),
  expireCommand("pexpire", "px", "2.6.0", "Set a key's time to live in milliseconds"),
  expireCommand("expireat", "exat", "1.2.0", "Set the expiration for a key as a UNIX timestamp"),
  expireCommand(
    "pexpireat",
    "pxat",
    "2.6.0",
    "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
  ),
  expireReadCommand("ttl", keys.ttl, "1.0.0", "Get the time to live for a key in seconds"),
  expireReadCommand("pttl", keys.pttl, "2.6.0", "Get the time to live for a key in milliseconds"),
  expireReadCommand(
    "expiretime",
    keys.expireTime,
    "7.0.0",
    "Get the expiration Unix timestamp for a key",
  ),
  expireReadCommand(
    "pexpiretime",
    keys.pexpireTime,
    "7.0.0",
    "Get the expiration Unix timestamp for a key in milliseconds",
  ),
  {
    name: "persist",
    arity: 2,
    flags: ["write", "fast"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "generic",
    summary: "Remove the expiration from a key",
    since: "2.2.0",
    handler: (ctx, argv) => keys.persist(scopeOf(ctx.db), argv[1]) ? 1 : 0,
  },
  {
    name: "dbsize",
    arity: 1,
    flags: ["readonly", "fast"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "server",
    summary: "Return the number of keys in the selected database",
    since: "1.0.0",
    handler: (ctx) => keys.dbSize(scopeOf(ctx.db)),
  },
  {
    name: "flushdb",
    arity: -1,
    flags: ["write"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "server",
    summary: "Remove all keys from the current database",
    since: "1.0.0",
    handler: flushHandler(keys.flushDb),
  },
  {
    name: "flushall",
    arity: -1,
    flags: ["write"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "server",
    summary: "Remove all keys from all databases",
    since: "1.0.0",
    handler: flushHandler((scope) => keys.flushAll(scope.store)),
  },
];
