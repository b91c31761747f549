/**
 * Redlite's own commands, beyond Redis: KEYINFO, VACUUM, AUTOVACUUM, HISTORY (per-key history
 * and time travel) and full-text search (FTS, FTSEARCH). Redis does not know them, so the
 * differential tests leave them out; COMMAND INFO and COMMAND DOCS describe them from this table.
 *
 * @module
 */

import { scopeOf } from "../db/db.ts";
import { ERR, RedisError } from "../db/errors.ts";
import { storedExpireAt } from "../db/expiry.ts";
import * as history from "../db/history.ts";
import { keyinfo } from "../db/keyinfo.ts";
import * as search from "../db/search.ts";
import { MAX_TIMER_DELAY } from "../db/store.ts";
import { vacuum } from "../db/vacuum.ts";
import { DoubleReply, MapReply, OK, type Reply, SetReply } from "../resp/reply.ts";
import { int64Arg, option, syntaxError } from "./args.ts";
import { helpReply } from "./connection.ts";
import { encodingLimits } from "./server.ts";
import type { ArgumentDoc, CommandContext, CommandDocs, CommandSpec } from "./types.ts";

const encoder = new TextEncoder();

// Commands without keys. (Not connection.ts's constant: this module may be evaluated first.)
const NO_KEYS = { firstKey: 0, lastKey: 0, step: 0 } as const;

/** The Redlite version that introduced these commands (COMMAND DOCS' `since`). */
const SINCE = "0.1.0";

// COMMAND DOCS's arguments that several commands share.
const KEY_ARG: ArgumentDoc = { name: "key", type: "key", key_spec_index: 0 };
const PATTERN_ARG: ArgumentDoc = { name: "pattern", type: "pattern" };
const CONTAINER_DOCS: CommandDocs = { complexity: "Depends on subcommand." };
const HELP_DOCS: CommandDocs = { complexity: "O(1)" };

// An optional argument that follows its token (`COUNT <count>`).
function optionalArg(token: string, name: string, type: ArgumentDoc["type"]): ArgumentDoc {
  return { name, type, token, flags: ["optional"] };
}

/** A map reply with ASCII names: a map in RESP3, a flat array of names and values in RESP2. */
function fields(entries: [string, Reply][]): MapReply {
  return new MapReply(entries.map(([name, value]) => [encoder.encode(name), value]));
}

// A count or amount that must be positive (RETENTION, MAXVERSIONS): Redis's words for it.
function positiveArg(arg: Uint8Array): number {
  const value = int64Arg(arg);
  if (value <= 0) throw new RedisError(ERR.positive);
  return Number(value);
}

// A count that may be zero (COUNT, LIMIT).
function countArg(arg: Uint8Array): number {
  const value = int64Arg(arg);
  if (value < 0) throw new RedisError(ERR.positive);
  return Number(value);
}

// #region KEYINFO, VACUUM, AUTOVACUUM

const keyinfoCommand: CommandSpec = {
  name: "keyinfo",
  arity: 2,
  flags: ["readonly", "fast"],
  firstKey: 1,
  lastKey: 1,
  step: 1,
  group: "generic",
  summary:
    "Returns a key's type, time to live, creation and write times, version, size and encoding",
  since: SINCE,
  docs: { complexity: "O(1)", arguments: [KEY_ARG] },
  handler: (ctx, argv) => {
    const info = keyinfo(scopeOf(ctx.db), argv[1], encodingLimits(ctx));
    if (info === null) return null;
    return fields([
      ["type", encoder.encode(info.type)],
      ["ttl", info.ttl],
      ["created_at", info.createdAt],
      ["updated_at", info.updatedAt],
      ["version", info.version],
      ["size", info.size],
      ["encoding", encoder.encode(info.encoding)],
    ]);
  },
};

// On the server VACUUM arrives inside its batch's transaction, where SQLite cannot vacuum: it
// runs once the batch has committed (the server waits for it, as for a blocked command).
function vacuumHandler(ctx: CommandContext): Reply | Promise<Reply> {
  const store = scopeOf(ctx.db).store;
  if (!store.inTransaction || ctx.client === undefined) return vacuum(store);
  return new Promise((resolve, reject) => {
    setTimeout(() => {
      try {
        resolve(vacuum(store));
      } catch (error) {
        reject(error);
      }
    }, 0);
  });
}

const vacuumCommand: CommandSpec = {
  name: "vacuum",
  arity: 1,
  flags: ["write", "admin", "noscript", "no_multi"],
  ...NO_KEYS,
  group: "server",
  summary: "Removes every expired key of every database, then reclaims the free space of the file",
  since: SINCE,
  docs: { complexity: "O(N) where N is the size of the database file" },
  handler: vacuumHandler,
};

function autovacuum(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const store = scopeOf(ctx.db).store;
  const { enabled, interval } = store.activeExpire;
  if (argv.length === 1) {
    return fields([["enabled", enabled ? 1 : 0], ["interval_ms", interval]]);
  }
  const word = option(argv[1]);
  if (word === "ON" && argv.length === 2) store.setActiveExpire(true);
  else if (word === "OFF" && argv.length === 2) store.setActiveExpire(false);
  else if (word === "INTERVAL" && argv.length === 3) {
    store.setActiveExpire(enabled, intervalArg(argv[2]));
  } else syntaxError();
  return OK;
}

function intervalArg(arg: Uint8Array): number {
  const value = int64Arg(arg);
  if (value < 1 || value > MAX_TIMER_DELAY) {
    throw new RedisError(`ERR interval must be between 1 and ${MAX_TIMER_DELAY} ms`);
  }
  return Number(value);
}

const autovacuumCommand: CommandSpec = {
  name: "autovacuum",
  arity: -1,
  flags: ["admin", "noscript", "loading", "stale"],
  ...NO_KEYS,
  group: "server",
  summary: "Shows, starts, stops or paces the background removal of expired keys",
  since: SINCE,
  docs: {
    complexity: "O(1)",
    arguments: [{
      name: "setting",
      type: "oneof",
      flags: ["optional"],
      arguments: [
        { name: "on", type: "pure-token", token: "ON" },
        { name: "off", type: "pure-token", token: "OFF" },
        { name: "milliseconds", type: "integer", token: "INTERVAL" },
      ],
    }],
  },
  handler: autovacuum,
};

// #endregion KEYINFO, VACUUM, AUTOVACUUM
// #region HISTORY

const HISTORY_HELP = [
  "HISTORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENABLE <key> [RETENTION <ms>] [MAXVERSIONS <count>]",
  "    Record the states of <key> from now on (its current one first), keeping those of the",
  "    last <ms> milliseconds and at most <count> of them. On a tracked key, change the bounds.",
  "DISABLE <key>",
  "    Stop recording the states of <key> and forget them.",
  "GET <key> [COUNT <count>] [FROM <unix-time-milliseconds>] [TO <unix-time-milliseconds>]",
  "    Return the recorded states of <key>, newest first: version, timestamp, type and value;",
  "    those that began between FROM and TO, at most <count> of them.",
  "AT <key> <unix-time-milliseconds>",
  "    Return the value <key> had at that time, or null when it did not exist.",
  "CLEAR <key>",
  "    Forget the recorded states of <key> but its current one.",
  "HELP",
  "    Print this help.",
];

function historyValue(state: history.HistoryValue): Reply {
  switch (state.type) {
    case "string":
      return state.value;
    case "hash":
      return new MapReply(state.value);
    case "list":
      return state.value;
    case "set":
      return new SetReply(state.value);
    case "zset":
      return new MapReply(state.value.map(([member, score]) => [member, new DoubleReply(score)]));
    default:
      return null;
  }
}

function historyEntry(entry: history.HistoryEntry): Reply {
  return fields([
    ["version", entry.version],
    ["timestamp", entry.timestamp],
    ["type", encoder.encode(entry.type)],
    ["value", historyValue(entry)],
  ]);
}

function historyEnable(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const policy: history.HistoryPolicy = {};
  for (let i = 3; i < argv.length; i += 2) {
    const word = option(argv[i]);
    if (i + 1 >= argv.length) syntaxError();
    if (word === "RETENTION") policy.retention = positiveArg(argv[i + 1]);
    else if (word === "MAXVERSIONS") policy.maxVersions = positiveArg(argv[i + 1]);
    else syntaxError();
  }
  history.historyEnable(scopeOf(ctx.db), argv[2], policy);
  return OK;
}

// HISTORY GET key [COUNT count] [FROM unix-ms] [TO unix-ms], options in any order, the last of
// a repeated one winning; every option is read before anything is.
function historyGet(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const range: history.HistoryRange = {};
  for (let i = 3; i < argv.length; i += 2) {
    const word = option(argv[i]);
    if (i + 1 >= argv.length) syntaxError();
    if (word === "COUNT") range.count = countArg(argv[i + 1]);
    else if (word === "FROM") range.from = storedExpireAt(int64Arg(argv[i + 1]));
    else if (word === "TO") range.to = storedExpireAt(int64Arg(argv[i + 1]));
    else syntaxError();
  }
  return history.historyGet(scopeOf(ctx.db), argv[2], range).map(historyEntry);
}

function historyAt(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const at = storedExpireAt(int64Arg(argv[3]));
  const state = history.historyAt(scopeOf(ctx.db), argv[2], at);
  return state === null ? null : historyValue(state);
}

function historySub(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  summary: string,
  docs: CommandDocs,
  handler: CommandSpec["handler"],
): CommandSpec {
  return {
    name,
    arity,
    flags,
    firstKey: 2,
    lastKey: 2,
    step: 1,
    group: "generic",
    summary,
    since: SINCE,
    docs,
    handler,
  };
}

const historyCommand: CommandSpec = {
  name: "history",
  arity: -2,
  flags: [],
  ...NO_KEYS,
  group: "generic",
  summary: "A container for per-key history and time-travel commands",
  since: SINCE,
  docs: CONTAINER_DOCS,
  subcommands: [
    historySub(
      "enable",
      -3,
      ["write"],
      "Starts recording a key's states, or changes how many are kept",
      {
        complexity: "O(N) where N is the number of elements of the key (its state is recorded)",
        arguments: [
          KEY_ARG,
          optionalArg("RETENTION", "milliseconds", "integer"),
          optionalArg("MAXVERSIONS", "count", "integer"),
        ],
      },
      historyEnable,
    ),
    historySub(
      "disable",
      3,
      ["write"],
      "Stops recording a key's states and forgets them",
      { complexity: "O(N) where N is the number of recorded states", arguments: [KEY_ARG] },
      (ctx, argv) => history.historyDisable(scopeOf(ctx.db), argv[2]) ? 1 : 0,
    ),
    historySub(
      "get",
      -3,
      ["readonly"],
      "Returns a key's recorded states, newest first",
      {
        complexity: "O(N) where N is the number of elements of the states returned",
        arguments: [
          KEY_ARG,
          optionalArg("COUNT", "count", "integer"),
          optionalArg("FROM", "unix-time-milliseconds", "unix-time"),
          optionalArg("TO", "unix-time-milliseconds", "unix-time"),
        ],
      },
      historyGet,
    ),
    historySub(
      "at",
      4,
      ["readonly"],
      "Returns the value a key had at a unix time in milliseconds",
      {
        complexity:
          "O(log(N)+M) where N is the number of recorded states and M the number of elements of the state returned",
        arguments: [KEY_ARG, { name: "unix-time-milliseconds", type: "unix-time" }],
      },
      historyAt,
    ),
    historySub(
      "clear",
      3,
      ["write"],
      "Forgets a key's recorded states but its current one",
      { complexity: "O(N) where N is the number of recorded states", arguments: [KEY_ARG] },
      (ctx, argv) => history.historyClear(scopeOf(ctx.db), argv[2]),
    ),
    {
      ...historySub(
        "help",
        2,
        ["loading", "stale"],
        "Show helpful text about the different subcommands",
        HELP_DOCS,
        () => helpReply(HISTORY_HELP),
      ),
      ...NO_KEYS,
    },
  ],
};

// #endregion HISTORY
// #region FTS, FTSEARCH

const FTS_HELP = [
  "FTS <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENABLE <pattern>",
  "    Index the string values and hash fields of the keys matching <pattern> in this",
  "    database, now and from now on.",
  "DISABLE <pattern>",
  "    Stop indexing the keys of <pattern>; drop those no other pattern covers.",
  "LIST",
  "    Return the patterns indexed in this database.",
  "REINDEX",
  "    Rebuild this database's index from its keys; return how many documents it holds.",
  "HELP",
  "    Print this help.",
];

function ftsSub(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  summary: string,
  docs: CommandDocs,
  handler: CommandSpec["handler"],
): CommandSpec {
  return { name, arity, flags, ...NO_KEYS, group: "generic", summary, since: SINCE, docs, handler };
}

const ftsCommand: CommandSpec = {
  name: "fts",
  arity: -2,
  flags: [],
  ...NO_KEYS,
  group: "generic",
  summary: "A container for full-text index commands",
  since: SINCE,
  docs: CONTAINER_DOCS,
  subcommands: [
    ftsSub(
      "enable",
      3,
      ["write"],
      "Indexes the strings and hash fields of the keys matching a pattern",
      {
        complexity: "O(N) where N is the number of keys matching the pattern and their fields",
        arguments: [PATTERN_ARG],
      },
      (ctx, argv) => search.ftsEnable(scopeOf(ctx.db), argv[2]),
    ),
    ftsSub(
      "disable",
      3,
      ["write"],
      "Stops indexing the keys matching a pattern",
      {
        complexity: "O(N) where N is the number of documents indexed in the database",
        arguments: [PATTERN_ARG],
      },
      (ctx, argv) => search.ftsDisable(scopeOf(ctx.db), argv[2]),
    ),
    ftsSub(
      "list",
      2,
      ["readonly"],
      "Returns the patterns indexed in the selected database",
      { complexity: "O(N) where N is the number of patterns" },
      (ctx) => search.ftsList(scopeOf(ctx.db)),
    ),
    ftsSub(
      "reindex",
      2,
      ["write"],
      "Rebuilds the selected database's full-text index",
      { complexity: "O(N) where N is the number of documents indexed in the database" },
      (ctx) => search.ftsReindex(scopeOf(ctx.db)),
    ),
    ftsSub(
      "help",
      2,
      ["loading", "stale"],
      "Show helpful text about the different subcommands",
      HELP_DOCS,
      () => helpReply(FTS_HELP),
    ),
  ],
};

/** FTSEARCH's default HIGHLIGHT tags. */
const DEFAULT_TAGS: [Uint8Array, Uint8Array] = [encoder.encode("<b>"), encoder.encode("</b>")];

function ftsearch(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const options: search.SearchOptions = {};
  let withScores = false;
  for (let i = 2; i < argv.length; i++) {
    const word = option(argv[i]);
    if (word === "LIMIT" && i + 1 < argv.length) {
      options.limit = countArg(argv[++i]);
    } else if (word === "WITHSCORES") {
      withScores = true;
    } else if (word === "HIGHLIGHT") {
      options.highlight = DEFAULT_TAGS;
      if (i + 1 < argv.length && option(argv[i + 1]) === "TAGS") {
        if (i + 3 >= argv.length) syntaxError();
        options.highlight = [argv[i + 2], argv[i + 3]];
        i += 3;
      }
    } else {
      syntaxError();
    }
  }
  return search.ftsearch(scopeOf(ctx.db), argv[1], options).map((result) => {
    const entries: [string, Reply][] = [["key", result.key], ["field", result.field]];
    if (withScores) entries.push(["score", new DoubleReply(result.score)]);
    if (result.highlight !== undefined) entries.push(["highlight", result.highlight]);
    return fields(entries);
  });
}

const ftsearchCommand: CommandSpec = {
  name: "ftsearch",
  arity: -2,
  flags: ["readonly"],
  ...NO_KEYS,
  group: "generic",
  summary: "Returns the indexed strings and hash fields matching a full-text query, best first",
  since: SINCE,
  docs: {
    complexity: "O(N) where N is the number of documents matching the query",
    arguments: [
      { name: "query", type: "string" },
      optionalArg("LIMIT", "count", "integer"),
      { name: "withscores", type: "pure-token", token: "WITHSCORES", flags: ["optional"] },
      {
        name: "highlight",
        type: "block",
        token: "HIGHLIGHT",
        flags: ["optional"],
        arguments: [{
          name: "tags",
          type: "block",
          token: "TAGS",
          flags: ["optional"],
          arguments: [{ name: "open", type: "string" }, { name: "close", type: "string" }],
        }],
      },
    ],
  },
  handler: ftsearch,
};

// #endregion FTS, FTSEARCH

/** Redlite's own commands. */
export const redliteCommands: CommandSpec[] = [
  keyinfoCommand,
  vacuumCommand,
  autovacuumCommand,
  historyCommand,
  ftsCommand,
  ftsearchCommand,
];
