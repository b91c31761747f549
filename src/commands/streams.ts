/**
 * The stream commands: XADD, XRANGE, XREAD, consumer groups (XGROUP, XREADGROUP, XACK,
 * XPENDING, XCLAIM, XAUTOCLAIM), XINFO and the rest. XREAD and XREADGROUP with BLOCK wait on
 * the server (`blockOrAnswer`) when no entries are there.
 *
 * @module
 */

import { asciiBytes, equalBytes, toText } from "../db/bytes.ts";
import { scopeOf } from "../db/db.ts";
import { RedisError, wrongArity } from "../db/errors.ts";
import { findKey, KeyType } from "../db/keyspace.ts";
import { decodeItems } from "../db/length_prefixed.ts";
import {
  checkEntriesRead,
  type ClaimArgs,
  type ClaimedEntry,
  type DeliveryTime,
  type PendingRead,
  xack,
  xautoclaim,
  xclaim,
  xgroupCreate,
  xgroupCreateconsumer,
  xgroupDelconsumer,
  xgroupDestroy,
  xgroupSetid,
  xpendingRange,
  xpendingSummary,
  xreadgroup,
} from "../db/stream_groups.ts";
import {
  cStringText,
  formatId,
  groupIdArg,
  groupReadAfterArg,
  INVALID_ID,
  type ParsedId,
  parseId,
  rangeBound,
  readAfterArg,
  requireId,
  type StreamId,
} from "../db/stream_id.ts";
import { xinfoConsumers, xinfoGroups, xinfoStream } from "../db/stream_info.ts";
import { DEFAULT_NODE_LIMITS, type NodeLimits } from "../db/stream_nodes.ts";
import {
  checkMaxDeletedId,
  checkTrimCount,
  resolveTrim,
  type StreamEntry,
  TRIM_ERR,
  type TrimOptions,
  type TrimRequest,
  xadd,
  xdel,
  xlen,
  xrange,
  xread,
  xsetid,
  type XsetidOptions,
  xtrim,
} from "../db/streams.ts";
import type { Protocol } from "../resp/encoder.ts";
import { MapReply, NULL_ARRAY, OK, type Reply } from "../resp/reply.ts";
import { int64Arg, option, syntaxError } from "./args.ts";
import { blockOrAnswer, millisTimeoutArg } from "./blocking.ts";
import { helpReply } from "./connection.ts";
import type { CommandContext, CommandFlag, CommandSpec, Handler } from "./types.ts";

function streamCommand(
  name: string,
  arity: number,
  flags: CommandFlag[],
  summary: string,
  since: string,
  handler: Handler,
  keys?: (argv: Uint8Array[]) => number[],
): CommandSpec {
  const movable = keys !== undefined;
  return {
    name,
    arity,
    flags: movable ? [...flags, "movablekeys"] : flags,
    firstKey: movable ? 0 : 1,
    lastKey: movable ? 0 : 1,
    step: movable ? 0 : 1,
    group: "stream",
    summary,
    since,
    handler,
    ...(movable ? { keys } : {}),
  };
}

// #region replies

function entryReply(entry: StreamEntry): Reply {
  return [formatId(entry.id), decodeItems(entry.data)];
}

// An entry re-read from a pending list: null fields (a null array) once deleted from the stream.
function pendingReadReply(entry: PendingRead): Reply {
  return [formatId(entry.id), entry.data === null ? NULL_ARRAY : decodeItems(entry.data)];
}

function claimedReply(entry: ClaimedEntry): Reply {
  return entry.data === null ? formatId(entry.id) : entryReply(entry as StreamEntry);
}

// XREAD's and XREADGROUP's reply: a map of keys to entries in RESP3, pairs in RESP2, and a
// null array when no stream has any.
function streamsReply(streams: [Uint8Array, Reply[]][], protocol: Protocol): Reply {
  if (streams.length === 0) return NULL_ARRAY;
  return protocol === 3 ? new MapReply(streams) : streams;
}

function countText(value: number | bigint): Uint8Array {
  return asciiBytes(String(value));
}

function mapOf(pairs: [string, Reply][]): MapReply {
  return new MapReply(pairs.map(([name, value]) => [asciiBytes(name), value]));
}

// #endregion replies
// #region arguments

// Whether an argument is the one character `c` as a C string (Redis compares `arg[0]` and
// `arg[1] == '\0'`).
function isChar(arg: Uint8Array, c: string): boolean {
  return arg.length > 0 && arg[0] === c.charCodeAt(0) && (arg.length === 1 || arg[1] === 0);
}

function nodeLimits(ctx: CommandContext): NodeLimits {
  const server = ctx.client?.server;
  if (server === undefined) return DEFAULT_NODE_LIMITS;
  return {
    maxEntries: Number(server.configValue("stream-node-max-entries")),
    maxBytes: Number(server.configValue("stream-node-max-bytes")),
  };
}

// Redis's addReplySubcommandSyntaxError.
function subcommandSyntaxError(argv: Uint8Array[]): RedisError {
  return new RedisError(
    `ERR unknown subcommand or wrong number of arguments for '${
      cStringText(argv[1]).slice(0, 128)
    }'. Try ${toText(argv[0]).toUpperCase()} HELP.`,
  );
}

/** XADD's and XTRIM's options, as Redis's streamParseAddOrTrimArgsOrReply reads them. */
interface AddOrTrimArgs {
  trim?: TrimOptions;
  noMkStream: boolean;
  /** XADD: where the id is (the fields follow it). */
  idIndex: number;
  /** XADD: the id, null for `*`. */
  id: ParsedId | null;
}

// Errors of one argument come as it is read; the rest once all are (resolveTrim).
function parseAddOrTrim(argv: Uint8Array[], adding: boolean, limits: NodeLimits): AddOrTrimArgs {
  const request: TrimRequest = {};
  let noMkStream = false;
  let id: ParsedId | null = null;
  let i = 2;
  for (; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    if (adding && isChar(argv[i], "*")) break;
    const name = option(argv[i]);
    if ((name === "MAXLEN" || name === "MINID") && more > 0) {
      if (request.maxlen !== undefined || request.minid !== undefined) {
        throw new RedisError(TRIM_ERR.bothStrategies);
      }
      request.approx = false;
      if (more >= 2 && isChar(argv[i + 1], "~")) {
        request.approx = true;
        i++;
      } else if (more >= 2 && isChar(argv[i + 1], "=")) {
        i++;
      }
      i++;
      if (name === "MINID") {
        request.minid = requireId(argv[i]);
      } else {
        request.maxlen = Number(int64Arg(argv[i]));
        checkTrimCount("MAXLEN", request.maxlen);
      }
    } else if (name === "LIMIT" && more > 0) {
      request.limit = Number(int64Arg(argv[++i]));
      checkTrimCount("LIMIT", request.limit);
    } else if (adding && name === "NOMKSTREAM") {
      noMkStream = true;
    } else if (adding) {
      id = parseId(argv[i], { strict: true, seqWildcard: true });
      if (id === null) throw new RedisError(INVALID_ID);
      break;
    } else {
      syntaxError();
    }
  }
  return { trim: resolveTrim(request, adding, limits), noMkStream, idIndex: i, id };
}

// A COUNT argument: negative counts as 0, and 0 means no limit.
function countArg(arg: Uint8Array): number | null {
  const count = int64Arg(arg);
  return count <= 0 ? null : Number(count);
}

/** XREAD's and XREADGROUP's arguments. */
interface ReadArgs {
  count: number | null;
  /** BLOCK's timeout in milliseconds (0: for ever), null without BLOCK. */
  block: number | null;
  noAck: boolean;
  group: [Uint8Array, Uint8Array] | null;
  keys: Uint8Array[];
  ids: Uint8Array[];
}

function parseReadArgs(argv: Uint8Array[], groupRead: boolean): ReadArgs {
  const args: ReadArgs = {
    count: null,
    block: null,
    noAck: false,
    group: null,
    keys: [],
    ids: [],
  };
  let streams = 0;
  for (let i = 1; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const name = option(argv[i]);
    if (name === "BLOCK" && more > 0) {
      args.block = millisTimeoutArg(argv[++i]);
    } else if (name === "COUNT" && more > 0) {
      args.count = countArg(argv[++i]);
    } else if (name === "STREAMS" && more > 0) {
      streams = i + 1;
      if ((argv.length - streams) % 2 !== 0) {
        throw new RedisError(
          "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be " +
            "specified.",
        );
      }
      break;
    } else if (name === "GROUP" && more >= 2) {
      if (!groupRead) {
        throw new RedisError(
          "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
        );
      }
      args.group = [argv[i + 1], argv[i + 2]];
      i += 2;
    } else if (name === "NOACK") {
      if (!groupRead) {
        throw new RedisError(
          "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
        );
      }
      args.noAck = true;
    } else {
      syntaxError();
    }
  }
  if (streams === 0) syntaxError();
  if (groupRead && args.group === null) {
    throw new RedisError("ERR Missing GROUP option for XREADGROUP");
  }
  const half = (argv.length - streams) / 2;
  args.keys = argv.slice(streams, streams + half);
  args.ids = argv.slice(streams + half);
  return args;
}

// The keys of XREAD and XREADGROUP, as Redis's xreadGetKeys finds them.
function readKeys(argv: Uint8Array[]): number[] {
  for (let i = 1; i < argv.length; i++) {
    const name = option(argv[i]);
    if (name === "BLOCK" || name === "COUNT") {
      i++;
    } else if (name === "GROUP") {
      i += 2;
    } else if (name !== "NOACK") {
      if (name !== "STREAMS") return [];
      const count = argv.length - i - 1;
      if (count === 0 || count % 2 !== 0) return [];
      return Array.from({ length: count / 2 }, (_, k) => i + 1 + k);
    }
  }
  return [];
}

// Waits for entries on the keys as BLOCK asks; `serve` reads one key once written.
function blockForEntries(
  ctx: CommandContext,
  args: ReadArgs,
  serve: (key: Uint8Array, index: number) => Reply | undefined,
): Reply | Promise<Reply> {
  return blockOrAnswer(ctx, {
    keys: args.keys,
    timeout: args.block!,
    type: KeyType.stream,
    anyType: args.group !== null,
    serve: (key) => serve(key, args.keys.findIndex((candidate) => equalBytes(candidate, key))),
    timeoutReply: NULL_ARRAY,
  }, NULL_ARRAY);
}

function read(ctx: CommandContext, argv: Uint8Array[]): Reply | Promise<Reply> {
  const args = parseReadArgs(argv, false);
  const scope = scopeOf(ctx.db);
  // `$` is the last id when the command ran: a blocked read waits for entries after it.
  const after: StreamId[] = [];
  const requests = args.keys.map((key, i) => ({
    key,
    after: (lastId: StreamId) => after[i] = readAfterArg(args.ids[i], lastId),
  }));
  const reply = (streams: [Uint8Array, StreamEntry[]][]) =>
    streamsReply(streams.map(([key, entries]) => [key, entries.map(entryReply)]), ctx.protocol);
  const streams = xread(scope, requests, args.count);
  if (streams.length > 0 || args.block === null) return reply(streams);
  return blockForEntries(ctx, args, (key, i) => {
    const served = xread(scope, [{ key, after: () => after[i] }], args.count);
    return served.length === 0 ? undefined : reply(served);
  });
}

function readGroup(ctx: CommandContext, argv: Uint8Array[]): Reply | Promise<Reply> {
  const args = parseReadArgs(argv, true);
  const [group, consumer] = args.group!;
  const scope = scopeOf(ctx.db);
  const options = { count: args.count, noAck: args.noAck };
  const requests = args.keys.map((key, i) => ({
    key,
    after: () => groupReadAfterArg(args.ids[i]),
  }));
  const reply = (streams: [Uint8Array, PendingRead[]][]) =>
    streamsReply(
      streams.map(([key, entries]) => [key, entries.map(pendingReadReply)]),
      ctx.protocol,
    );
  const streams = xreadgroup(scope, group, consumer, requests, options);
  if (streams.length > 0 || args.block === null) return reply(streams);
  return blockForEntries(ctx, args, (key) => {
    // As Redis 7.0.15: a stream deleted or overwritten under a blocked XREADGROUP ends its wait.
    if (findKey(scope, key)?.type !== KeyType.stream) {
      throw new RedisError("UNBLOCKED the stream key no longer exists");
    }
    let served: [Uint8Array, PendingRead[]][];
    try {
      served = xreadgroup(scope, group, consumer, [{ key, after: () => null }], options);
    } catch (error) {
      if (!(error instanceof RedisError) || !error.message.startsWith("NOGROUP")) throw error;
      throw new RedisError(
        "NOGROUP the consumer group this client was blocked on no longer exists",
      );
    }
    return served.length === 0 ? undefined : reply(served);
  });
}

// #endregion arguments
// #region handlers

function add(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const limits = nodeLimits(ctx);
  const args = parseAddOrTrim(argv, true, limits);
  const fields = argv.slice(args.idIndex + 1);
  if (fields.length < 2 || fields.length % 2 !== 0) throw wrongArity("xadd");
  const id = xadd(scopeOf(ctx.db), argv[1], args.id, fields, {
    noMkStream: args.noMkStream,
    trim: args.trim,
    limits,
  });
  return id === null ? null : formatId(id);
}

function range(reverse: boolean): Handler {
  return (ctx, argv) => {
    const start = rangeBound(argv[reverse ? 3 : 2], "start");
    const end = rangeBound(argv[reverse ? 2 : 3], "end");
    let count: number | null = null;
    for (let i = 4; i < argv.length; i++) {
      if (option(argv[i]) !== "COUNT" || i + 1 >= argv.length) syntaxError();
      const value = int64Arg(argv[++i]);
      count = value < 0 ? 0 : Number(value);
    }
    const entries = xrange(scopeOf(ctx.db), argv[1], start, end, count, reverse);
    return entries === null ? NULL_ARRAY : entries.map(entryReply);
  };
}

function pending(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const scope = scopeOf(ctx.db);
  const [, key, group] = argv;
  if (argv.length !== 3 && (argv.length < 6 || argv.length > 9)) syntaxError();
  if (argv.length === 3) {
    const summary = xpendingSummary(scope, key, group);
    if (summary.count === 0) return [0, null, null, NULL_ARRAY];
    return [
      summary.count,
      formatId(summary.first!),
      formatId(summary.last!),
      summary.consumers.map(([name, count]) => [name, countText(count)]),
    ];
  }
  let at = 3;
  let minIdle = 0;
  if (option(argv[3]) === "IDLE") {
    minIdle = Number(int64Arg(argv[4]));
    if (argv.length < 8) syntaxError();
    at = 5;
  }
  const countValue = int64Arg(argv[at + 2]);
  const start = rangeBound(argv[at], "start");
  const end = rangeBound(argv[at + 1], "end");
  const entries = xpendingRange(scope, key, group, {
    start,
    end,
    count: countValue < 0 ? 0 : Number(countValue),
    minIdle,
    consumer: argv[at + 3],
  });
  return entries.map((entry) => [
    formatId(entry.id),
    entry.consumer,
    entry.idle,
    entry.deliveries,
  ]);
}

function claimArgs(argv: Uint8Array[]): ClaimArgs {
  const minIdle = int64Arg(argv[4], "ERR Invalid min-idle-time argument for XCLAIM");
  const args: ClaimArgs = { minIdle: minIdle < 0 ? 0n : BigInt(minIdle), ids: [] };
  let j = 5;
  for (; j < argv.length; j++) {
    const parsed = parseId(argv[j], { strict: true });
    if (parsed === null) break;
    args.ids.push(parsed.id);
  }
  let deliveryTime: DeliveryTime | undefined;
  for (; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const name = option(argv[j]);
    if (name === "FORCE") {
      args.force = true;
    } else if (name === "JUSTID") {
      args.justId = true;
    } else if (name === "IDLE" && more > 0) {
      const idle = int64Arg(argv[++j], "ERR Invalid IDLE option argument for XCLAIM");
      deliveryTime = { idle: BigInt(idle) };
    } else if (name === "TIME" && more > 0) {
      const time = int64Arg(argv[++j], "ERR Invalid TIME option argument for XCLAIM");
      deliveryTime = { time: BigInt(time) };
    } else if (name === "RETRYCOUNT" && more > 0) {
      const count = int64Arg(argv[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
      args.retryCount = count < 0 ? undefined : BigInt(count);
    } else if (name === "LASTID" && more > 0) {
      args.lastId = requireId(argv[++j]);
    } else {
      throw new RedisError(`ERR Unrecognized XCLAIM option '${cStringText(argv[j])}'`);
    }
  }
  args.deliveryTime = deliveryTime;
  return args;
}

// XAUTOCLAIM's COUNT: within 1 and LONG_MAX / 16, as Redis bounds it.
const AUTOCLAIM_COUNT_MAX = 576460752303423487n;

function autoclaim(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const minIdle = int64Arg(argv[4], "ERR Invalid min-idle-time argument for XAUTOCLAIM");
  const start = rangeBound(argv[5], "start");
  let count = 100;
  let justId = false;
  for (let j = 6; j < argv.length; j++) {
    const name = option(argv[j]);
    if (name === "COUNT" && j + 1 < argv.length) {
      const value = int64Arg(argv[++j], "ERR COUNT must be > 0");
      if (value < 1 || BigInt(value) > AUTOCLAIM_COUNT_MAX) {
        throw new RedisError("ERR COUNT must be > 0");
      }
      count = Number(value);
    } else if (name === "JUSTID") {
      justId = true;
    } else {
      syntaxError();
    }
  }
  const result = xautoclaim(
    scopeOf(ctx.db),
    argv[1],
    argv[2],
    argv[3],
    minIdle < 0 ? 0n : BigInt(minIdle),
    start,
    { count, justId },
  );
  return [
    formatId(result.next),
    result.claimed.map(claimedReply),
    result.deleted.map(formatId),
  ];
}

function setId(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const lastId = requireId(argv[2]);
  const options: XsetidOptions = {};
  for (let i = 3; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const name = option(argv[i]);
    if (name === "ENTRIESADDED" && more > 0) {
      const added = int64Arg(argv[++i]);
      if (added < 0) throw new RedisError("ERR entries_added must be positive");
      options.entriesAdded = BigInt(added);
    } else if (name === "MAXDELETEDID" && more > 0) {
      options.maxDeletedId = requireId(argv[++i]);
      checkMaxDeletedId(lastId, options.maxDeletedId);
    } else {
      syntaxError();
    }
  }
  xsetid(scopeOf(ctx.db), argv[1], lastId, options);
  return OK;
}

// #endregion handlers
// #region XGROUP

const XGROUP_HELP = [
  "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
  "HELP",
  "    Prints this help.",
];

const XINFO_HELP = [
  "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
  "HELP",
  "    Prints this help.",
];

function subcommand(
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
    firstKey: 2,
    lastKey: 2,
    step: 1,
    group: "stream",
    summary,
    since,
    handler,
  };
}

function helpSubcommand(lines: readonly string[]): CommandSpec {
  return {
    name: "help",
    arity: 2,
    flags: ["loading", "stale"],
    firstKey: 0,
    lastKey: 0,
    step: 0,
    group: "stream",
    summary: "Show helpful text about the different subcommands",
    since: "5.0.0",
    handler: () => helpReply(lines),
  };
}

// CREATE's and SETID's options after the id: MKSTREAM (CREATE) and ENTRIESREAD.
function groupOptions(
  argv: Uint8Array[],
  create: boolean,
): { mkStream: boolean; entriesRead: bigint } {
  const options = { mkStream: false, entriesRead: -1n };
  for (let i = 5; i < argv.length;) {
    const name = option(argv[i]);
    if (create && name === "MKSTREAM") {
      options.mkStream = true;
      i++;
    } else if (name === "ENTRIESREAD" && i + 1 < argv.length) {
      options.entriesRead = BigInt(int64Arg(argv[i + 1]));
      checkEntriesRead(options.entriesRead);
      i += 2;
    } else {
      throw subcommandSyntaxError(argv);
    }
  }
  return options;
}

const xgroupCommand: CommandSpec = {
  name: "xgroup",
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: "stream",
  summary: "A container for consumer groups commands",
  since: "5.0.0",
  subcommands: [
    subcommand(
      "create",
      -5,
      ["write", "denyoom"],
      "Create a consumer group.",
      "5.0.0",
      (ctx, argv) => {
        const options = groupOptions(argv, true);
        xgroupCreate(scopeOf(ctx.db), argv[2], argv[3], (lastId) => {
          if (argv.length > 8) throw subcommandSyntaxError(argv);
          return groupIdArg(argv[4], lastId, true);
        }, options);
        return OK;
      },
    ),
    subcommand(
      "setid",
      -5,
      ["write"],
      "Set a consumer group to an arbitrary last delivered ID value.",
      "5.0.0",
      (ctx, argv) => {
        const { entriesRead } = groupOptions(argv, false);
        xgroupSetid(scopeOf(ctx.db), argv[2], argv[3], (lastId) => {
          if (argv.length !== 5 && argv.length !== 7) throw subcommandSyntaxError(argv);
          return groupIdArg(argv[4], lastId, false);
        }, entriesRead);
        return OK;
      },
    ),
    subcommand(
      "destroy",
      4,
      ["write"],
      "Destroy a consumer group.",
      "5.0.0",
      (ctx, argv) => xgroupDestroy(scopeOf(ctx.db), argv[2], argv[3]) ? 1 : 0,
    ),
    subcommand(
      "createconsumer",
      5,
      ["write", "denyoom"],
      "Create a consumer in a consumer group.",
      "6.2.0",
      (ctx, argv) => xgroupCreateconsumer(scopeOf(ctx.db), argv[2], argv[3], argv[4]) ? 1 : 0,
    ),
    subcommand(
      "delconsumer",
      5,
      ["write"],
      "Delete a consumer from a consumer group.",
      "5.0.0",
      (ctx, argv) => xgroupDelconsumer(scopeOf(ctx.db), argv[2], argv[3], argv[4]),
    ),
    helpSubcommand(XGROUP_HELP),
  ],
};

// #endregion XGROUP
// #region XINFO

// XINFO STREAM's options: null without FULL, else FULL's COUNT (10 by default, 0: all).
function fullCount(argv: Uint8Array[]): number | null {
  const options = argv.length - 3;
  if (options === 0) return null;
  if (options !== 1 && options !== 3) throw subcommandSyntaxError(argv);
  if (option(argv[3]) !== "FULL") throw subcommandSyntaxError(argv);
  if (options === 1) return 10;
  if (option(argv[4]) !== "COUNT") throw subcommandSyntaxError(argv);
  const count = int64Arg(argv[5]);
  return count < 0 ? 10 : Number(count);
}

function optionalEntry(entry: StreamEntry | null): Reply {
  return entry === null ? null : entryReply(entry);
}

function nullable(value: bigint | null): Reply {
  return value === null ? null : value;
}

function streamInfo(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const info = xinfoStream(scopeOf(ctx.db), argv[2], () => fullCount(argv));
  const head: [string, Reply][] = [
    ["length", info.length],
    ["radix-tree-keys", info.radixTreeKeys],
    ["radix-tree-nodes", info.radixTreeNodes],
    ["last-generated-id", formatId(info.lastGeneratedId)],
    ["max-deleted-entry-id", formatId(info.maxDeletedEntryId)],
    ["entries-added", info.entriesAdded],
    ["recorded-first-entry-id", formatId(info.recordedFirstEntryId)],
  ];
  if (!("entries" in info)) {
    return mapOf([
      ...head,
      ["groups", info.groups],
      ["first-entry", optionalEntry(info.firstEntry)],
      ["last-entry", optionalEntry(info.lastEntry)],
    ]);
  }
  const groups = info.groups.map((group) =>
    mapOf([
      ["name", group.name],
      ["last-delivered-id", formatId(group.lastDeliveredId)],
      ["entries-read", nullable(group.entriesRead)],
      ["lag", nullable(group.lag)],
      ["pel-count", group.pelCount],
      [
        "pending",
        group.pending.map((p) => [formatId(p.id), p.consumer, p.deliveredAt, p.deliveries]),
      ],
      [
        "consumers",
        group.consumers.map((consumer) =>
          mapOf([
            ["name", consumer.name],
            ["seen-time", consumer.seenTime],
            ["pel-count", consumer.pelCount],
            ["pending", consumer.pending.map((p) => [formatId(p.id), p.deliveredAt, p.deliveries])],
          ])
        ),
      ],
    ])
  );
  return mapOf([...head, ["entries", info.entries.map(entryReply)], ["groups", groups]]);
}

const xinfoCommand: CommandSpec = {
  name: "xinfo",
  arity: -2,
  flags: [],
  firstKey: 0,
  lastKey: 0,
  step: 0,
  group: "stream",
  summary: "A container for stream introspection commands",
  since: "5.0.0",
  subcommands: [
    subcommand(
      "consumers",
      4,
      ["readonly"],
      "List the consumers in a consumer group",
      "5.0.0",
      (ctx, argv) =>
        xinfoConsumers(scopeOf(ctx.db), argv[2], argv[3]).map((consumer) =>
          mapOf([["name", consumer.name], ["pending", consumer.pending], ["idle", consumer.idle]])
        ),
    ),
    subcommand(
      "groups",
      3,
      ["readonly"],
      "List the consumer groups of a stream",
      "5.0.0",
      (ctx, argv) =>
        xinfoGroups(scopeOf(ctx.db), argv[2]).map((group) =>
          mapOf([
            ["name", group.name],
            ["consumers", group.consumers],
            ["pending", group.pending],
            ["last-delivered-id", formatId(group.lastDeliveredId)],
            ["entries-read", nullable(group.entriesRead)],
            ["lag", nullable(group.lag)],
          ])
        ),
    ),
    subcommand("stream", -3, ["readonly"], "Get information about a stream", "5.0.0", streamInfo),
    helpSubcommand(XINFO_HELP),
  ],
};

// #endregion XINFO

/** The stream commands. */
export const streamCommands: CommandSpec[] = [
  streamCommand(
    "xadd",
    -5,
    ["write", "denyoom", "fast"],
    "Appends a new entry to a stream",
    "5.0.0",
    add,
  ),
  streamCommand(
    "xlen",
    2,
    ["readonly", "fast"],
    "Return the number of entries in a stream",
    "5.0.0",
    (ctx, argv) => xlen(scopeOf(ctx.db), argv[1]),
  ),
  streamCommand(
    "xrange",
    -4,
    ["readonly"],
    "Return a range of elements in a stream, with IDs matching the specified IDs interval",
    "5.0.0",
    range(false),
  ),
  streamCommand(
    "xrevrange",
    -4,
    ["readonly"],
    "Return a range of elements in a stream, with IDs matching the specified IDs interval, in " +
      "reverse order (from greater to smaller IDs) compared to XRANGE",
    "5.0.0",
    range(true),
  ),
  streamCommand(
    "xdel",
    -3,
    ["write", "fast"],
    "Removes the specified entries from the stream. Returns the number of items actually " +
      "deleted, that may be different from the number of IDs passed in case certain IDs do not " +
      "exist.",
    "5.0.0",
    (ctx, argv) => xdel(scopeOf(ctx.db), argv[1], () => argv.slice(2).map(requireId)),
  ),
  streamCommand(
    "xtrim",
    -4,
    ["write"],
    "Trims the stream to (approximately if '~' is passed) a certain size",
    "5.0.0",
    (ctx, argv) => {
      const { trim } = parseAddOrTrim(argv, false, nodeLimits(ctx));
      return xtrim(scopeOf(ctx.db), argv[1], trim!);
    },
  ),
  streamCommand(
    "xread",
    -4,
    ["readonly", "blocking"],
    "Return never seen elements in multiple streams, with IDs greater than the ones reported by " +
      "the caller for each stream. Can block.",
    "5.0.0",
    read,
    readKeys,
  ),
  streamCommand(
    "xreadgroup",
    -7,
    ["write", "blocking"],
    "Return new entries from a stream using a consumer group, or access the history of the " +
      "pending entries for a given consumer. Can block.",
    "5.0.0",
    readGroup,
    readKeys,
  ),
  xgroupCommand,
  streamCommand(
    "xack",
    -4,
    ["write", "fast"],
    "Marks a pending message as correctly processed, effectively removing it from the pending " +
      "entries list of the consumer group. Return value of the command is the number of " +
      "messages successfully acknowledged, that is, the IDs we were actually able to resolve " +
      "in the PEL.",
    "5.0.0",
    (ctx, argv) => xack(scopeOf(ctx.db), argv[1], argv[2], () => argv.slice(3).map(requireId)),
  ),
  streamCommand(
    "xpending",
    -3,
    ["readonly"],
    "Return information and entries from a stream consumer group pending entries list, that " +
      "are messages fetched but never acknowledged.",
    "5.0.0",
    pending,
  ),
  streamCommand(
    "xclaim",
    -6,
    ["write", "fast"],
    "Changes (or acquires) ownership of a message in a consumer group, as if the message was " +
      "delivered to the specified consumer.",
    "5.0.0",
    (ctx, argv) =>
      xclaim(scopeOf(ctx.db), argv[1], argv[2], argv[3], () => claimArgs(argv)).map(claimedReply),
  ),
  streamCommand(
    "xautoclaim",
    -6,
    ["write", "fast"],
    "Changes (or acquires) ownership of messages in a consumer group, as if the messages were " +
      "delivered to the specified consumer.",
    "6.2.0",
    autoclaim,
  ),
  xinfoCommand,
  streamCommand(
    "xsetid",
    -3,
    ["write", "denyoom", "fast"],
    "An internal command for replicating stream values",
    "5.0.0",
    setId,
  ),
];
