/**
 * The server commands: COMMAND (generated from the command table), INFO, CONFIG, TIME, OBJECT,
 * SAVE, BGSAVE, LASTSAVE, SHUTDOWN and WAIT.
 *
 * @module
 */

import { scopeOf } from "../db/db.ts";
import { asciiText, toText } from "../db/bytes.ts";
import { ERR, RedisError } from "../db/errors.ts";
import { globMatch } from "../db/glob.ts";
import {
  DEFAULT_ENCODING_LIMITS,
  type EncodingLimits,
  encodingLimitsFrom,
  keyExists,
  objectEncoding,
  objectIdleTime,
  objectRefcount,
} from "../db/object.ts";
import { MapReply, OK, type Reply, SimpleString, VerbatimReply } from "../resp/reply.ts";
import { int64Arg, option, syntaxError } from "./args.ts";
import { blockOrAnswer } from "./blocking.ts";
import { clientOf, helpReply, NO_KEYS } from "./connection.ts";
import { aclCategories, commandDocs, commandInfo } from "./command_meta.ts";
import { COMMANDS } from "./table.ts";
import type { CommandContext, CommandSpec } from "./types.ts";

const encoder = new TextEncoder();

// #region COMMAND

/** A command or subcommand by its full lower-case name (`get`, `config|get`). */
function lookup(fullName: string): CommandSpec | undefined {
  const [name, sub] = fullName.split("|", 2);
  const spec = COMMANDS.get(name);
  if (sub === undefined || spec === undefined) return spec;
  return spec.subcommands?.find((candidate) => candidate.name === sub);
}

function allNames(): string[] {
  const names: string[] = [];
  for (const spec of COMMANDS.values()) {
    names.push(spec.name);
    for (const sub of spec.subcommands ?? []) names.push(`${spec.name}|${sub.name}`);
  }
  return names;
}

function commandList(argv: Uint8Array[]): Reply {
  if (argv.length === 2) return allNames().map((name) => encoder.encode(name));
  if (argv.length !== 5 || option(argv[2]) !== "FILTERBY") syntaxError();
  const kind = option(argv[3]);
  const value = argv[4];
  let names: string[];
  if (kind === "MODULE") names = [];
  else if (kind === "ACLCAT") {
    const category = `@${toText(value).toLowerCase()}`;
    names = allNames().filter((name) => aclCategories(lookup(name)!, name).includes(category));
  } else if (kind === "PATTERN") {
    names = allNames().filter((name) => globMatch(value, encoder.encode(name), true));
  } else syntaxError();
  return names.map((name) => encoder.encode(name));
}

/**
 * The positions of the keys of a command line, from the table's key positions (or the
 * command's own finder for `movablekeys` commands).
 *
 * @example
 * ```ts
 * keyPositions(COMMANDS.get("get")!, argv); // [1]
 * ```
 */
export function keyPositions(spec: CommandSpec, argv: Uint8Array[]): number[] {
  if (spec.keys !== undefined) return spec.keys(argv);
  if (spec.firstKey === 0) return [];
  const last = spec.lastKey < 0 ? argv.length + spec.lastKey : spec.lastKey;
  const positions: number[] = [];
  for (let i = spec.firstKey; i <= last && i < argv.length; i += spec.step) positions.push(i);
  return positions;
}

function commandGetKeys(argv: Uint8Array[]): Reply {
  const line = argv.slice(2);
  const spec = COMMANDS.get(asciiText(line[0]).toLowerCase());
  if (spec === undefined) throw new RedisError("ERR Invalid command specified");
  const target = spec.subcommands !== undefined && line.length > 1
    ? spec.subcommands.find((sub) => sub.name === asciiText(line[1]).toLowerCase()) ?? spec
    : spec;
  const arity = target.arity;
  if ((arity > 0 && line.length !== arity) || line.length < -arity) {
    throw new RedisError("ERR Invalid number of arguments specified for command");
  }
  const positions = keyPositions(target, line);
  if (positions.length === 0) throw new RedisError("ERR The command has no key arguments");
  return positions.map((position) => line[position]);
}

const COMMAND_HELP = [
  "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "HELP",
  "    Prints this help.",
];

const COMMAND_FLAGS = ["loading", "stale"] as const;

function commandSub(
  name: string,
  arity: number,
  summary: string,
  since: string,
  handler: CommandSpec["handler"],
): CommandSpec {
  return {
    name,
    arity,
    flags: [...COMMAND_FLAGS],
    ...NO_KEYS,
    group: "server",
    summary,
    since,
    handler,
  };
}

const commandCommand: CommandSpec = {
  name: "command",
  arity: -1,
  flags: [...COMMAND_FLAGS],
  ...NO_KEYS,
  group: "server",
  summary: "Get array of Redis command details",
  since: "2.8.13",
  handler: () => [...COMMANDS.values()].map((spec) => commandInfo(spec, spec.name)),
  subcommands: [
    commandSub("count", 2, "Get total number of Redis commands", "2.8.13", () => COMMANDS.size),
    commandSub(
      "info",
      -2,
      "Get array of specific Redis command details, or all when no argument is given.",
      "2.8.13",
      (_ctx, argv) => {
        if (argv.length === 2) {
          return [...COMMANDS.values()].map((spec) => commandInfo(spec, spec.name));
        }
        return argv.slice(2).map((arg) => {
          const name = toText(arg).toLowerCase();
          const spec = lookup(name);
          return spec === undefined ? null : commandInfo(spec, name);
        });
      },
    ),
    commandSub(
      "docs",
      -2,
      "Get array of specific Redis command documentation",
      "7.0.0",
      (_ctx, argv) => {
        const names = argv.length === 2
          ? [...COMMANDS.keys()]
          : argv.slice(2).map((arg) => toText(arg).toLowerCase());
        const entries: [Reply, Reply][] = [];
        for (const name of names) {
          const spec = lookup(name);
          if (spec !== undefined) entries.push([encoder.encode(name), commandDocs(spec, name)]);
        }
        return new MapReply(entries);
      },
    ),
    commandSub("list", -2, "Get an array of Redis command names", "7.0.0", (_ctx, argv) => {
      return commandList(argv);
    }),
    commandSub(
      "getkeys",
      -4,
      "Extract keys given a full Redis command",
      "2.8.13",
      (_ctx, argv) => commandGetKeys(argv),
    ),
    commandSub(
      "help",
      2,
      "Show helpful text about the different subcommands",
      "5.0.0",
      () => helpReply(COMMAND_HELP),
    ),
  ],
};

// #endregion COMMAND
// #region CONFIG

const CONFIG_HELP = [
  "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
  "HELP",
  "    Prints this help.",
];

const CONFIG_FLAGS = ["admin", "noscript", "loading", "stale"] as const;

function configSub(
  name: string,
  arity: number,
  summary: string,
  since: string,
  handler: CommandSpec["handler"],
): CommandSpec {
  return {
    name,
    arity,
    flags: [...CONFIG_FLAGS],
    ...NO_KEYS,
    group: "server",
    summary,
    since,
    handler,
  };
}

const configCommand: CommandSpec = {
  name: "config",
  arity: -2,
  flags: [],
  ...NO_KEYS,
  group: "server",
  summary: "A container for server configuration commands",
  since: "2.0.0",
  subcommands: [
    configSub("get", -3, "Get the values of configuration parameters", "2.0.0", (ctx, argv) => {
      const pairs = clientOf(ctx).server.configGet(argv.slice(2));
      return new MapReply(pairs.map(([name, value]) => [
        encoder.encode(name),
        encoder.encode(value),
      ]));
    }),
    configSub(
      "set",
      -4,
      "Set configuration parameters to the given values",
      "2.0.0",
      (ctx, argv) => {
        if (argv.length % 2 !== 0) syntaxError();
        const pairs: [Uint8Array, Uint8Array][] = [];
        for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i], argv[i + 1]]);
        clientOf(ctx).server.configSet(pairs);
        return OK;
      },
    ),
    configSub("resetstat", 2, "Reset the stats returned by INFO", "2.0.0", (ctx) => {
      clientOf(ctx).server.resetStats();
      return OK;
    }),
    configSub(
      "rewrite",
      2,
      "Rewrite the configuration file with the in memory configuration",
      "2.8.0",
      () => {
        throw new RedisError("ERR The server is running without a config file");
      },
    ),
    {
      ...configSub(
        "help",
        2,
        "Show helpful text about the different subcommands",
        "5.0.0",
        () => helpReply(CONFIG_HELP),
      ),
      flags: ["loading", "stale"],
    },
  ],
};

// #endregion CONFIG
// #region OBJECT

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

/** Redis 7.0's defaults of the parameters read in-process, without a server. */
const DEFAULT_CONFIG: Record<string, string> = {
  "maxmemory": "0",
  "maxmemory-policy": "noeviction",
};

function configOf(ctx: CommandContext, name: string): string {
  return ctx.client?.server.configValue(name) ?? DEFAULT_CONFIG[name];
}

/**
 * The limits that decide OBJECT ENCODING's (and KEYINFO's) answer: the server's configuration,
 * or Redis's defaults in-process.
 *
 * @example
 * ```ts
 * encodingLimits({ db: Db.openMemory(), protocol: 2 }).hashEntries; // 512
 * ```
 */
export function encodingLimits(ctx: CommandContext): EncodingLimits {
  const server = ctx.client?.server;
  if (server === undefined) return DEFAULT_ENCODING_LIMITS;
  return encodingLimitsFrom((name) => server.configValue(name));
}

function lfuPolicy(ctx: CommandContext): boolean {
  return configOf(ctx, "maxmemory-policy").endsWith("-lfu");
}

function objectSub(
  name: string,
  summary: string,
  since: string,
  handler: CommandSpec["handler"],
): CommandSpec {
  return {
    name,
    arity: 3,
    flags: ["readonly"],
    firstKey: 2,
    lastKey: 2,
    step: 1,
    group: "generic",
    summary,
    since,
    handler,
  };
}

const objectCommand: CommandSpec = {
  name: "object",
  arity: -2,
  flags: [],
  ...NO_KEYS,
  group: "generic",
  summary: "A container for object introspection commands",
  since: "2.2.3",
  subcommands: [
    objectSub(
      "encoding",
      "Inspect the internal encoding of a Redis object",
      "2.2.3",
      (ctx, argv) => {
        const encoding = objectEncoding(scopeOf(ctx.db), argv[2], encodingLimits(ctx));
        return encoding === null ? null : encoder.encode(encoding);
      },
    ),
    objectSub(
      "freq",
      "Get the logarithmic access frequency counter of a Redis object",
      "4.0.0",
      (ctx, argv) => {
        if (!keyExists(scopeOf(ctx.db), argv[2])) return null;
        if (!lfuPolicy(ctx)) {
          throw new RedisError(
            "ERR An LFU maxmemory policy is not selected, access frequency not tracked. " +
              "Please note that when switching between policies at runtime LRU and LFU data " +
              "will take some time to adjust.",
          );
        }
        return 0; // Redlite does not count reads: no key is more frequent than another
      },
    ),
    objectSub(
      "idletime",
      "Get the time since a Redis object was last accessed",
      "2.2.3",
      (ctx, argv) => {
        const idle = objectIdleTime(scopeOf(ctx.db), argv[2]);
        if (idle !== null && lfuPolicy(ctx)) {
          throw new RedisError(
            "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note " +
              "that when switching between policies at runtime LRU and LFU data will take " +
              "some time to adjust.",
          );
        }
        return idle;
      },
    ),
    objectSub(
      "refcount",
      "Get the number of references to the value of the key",
      "2.2.3",
      (ctx, argv) => {
        const policy = configOf(ctx, "maxmemory-policy");
        const shared = configOf(ctx, "maxmemory") === "0" ||
          !(policy.endsWith("-lru") || policy.endsWith("-lfu"));
        return objectRefcount(scopeOf(ctx.db), argv[2], shared);
      },
    ),
    {
      ...objectSub(
        "help",
        "Show helpful text about the different subcommands",
        "6.2.0",
        () => helpReply(OBJECT_HELP),
      ),
      arity: 2,
      flags: ["loading", "stale"],
      ...NO_KEYS,
    },
  ],
};

// #endregion OBJECT

function timeoutArg(arg: Uint8Array): number {
  const value = int64Arg(arg, "ERR timeout is not an integer or out of range");
  if (value < 0) throw new RedisError(ERR.negativeTimeout);
  return Number(value);
}

function wait(ctx: CommandContext, argv: Uint8Array[]): number | Promise<number> {
  const replicas = int64Arg(argv[1]);
  const timeout = timeoutArg(argv[2]);
  // No replicas ever acknowledge: as Redis without replicas, wait out the timeout (0: forever)
  // unless nobody is asked for.
  if (replicas <= 0) return 0;
  clientOf(ctx);
  return blockOrAnswer(ctx, { keys: [], timeout, timeoutReply: 0 }, 0) as number | Promise<number>;
}

function shutdown(ctx: CommandContext, argv: Uint8Array[]): Reply {
  const client = clientOf(ctx);
  let abort = false;
  let save = false;
  let noSave = false;
  for (let i = 1; i < argv.length; i++) {
    const word = option(argv[i]);
    if (word === "NOSAVE") noSave = true;
    else if (word === "SAVE") save = true;
    else if (word === "ABORT") abort = true;
    else if (word !== "NOW" && word !== "FORCE") syntaxError();
  }
  if ((save && noSave) || (abort && argv.length > 2)) syntaxError();
  if (abort) throw new RedisError("ERR No shutdown in progress.");
  if (save) client.server.save();
  client.server.shutdown();
  client.closeWithoutReply();
  return OK;
}

const ADMIN = ["admin", "noscript"] as const;

/** The server commands */
export const serverCommands: CommandSpec[] = [
  commandCommand,
  configCommand,
  objectCommand,
  {
    name: "info",
    arity: -1,
    flags: ["loading", "stale"],
    ...NO_KEYS,
    group: "server",
    summary: "Get information and statistics about the server",
    since: "1.0.0",
    handler: (ctx, argv) => {
      const sections = argv.slice(1).map((arg) => toText(arg).toLowerCase());
      const text = clientOf(ctx).server.info(ctx.db, sections);
      return new VerbatimReply("txt", encoder.encode(text));
    },
  },
  {
    name: "time",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    ...NO_KEYS,
    group: "server",
    summary: "Return the current server time",
    since: "2.6.0",
    handler: () => {
      const micros = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
      return [
        encoder.encode(String(micros / 1_000_000n)),
        encoder.encode(String(micros % 1_000_000n)),
      ];
    },
  },
  {
    name: "save",
    arity: 1,
    flags: [...ADMIN, "no_async_loading", "no_multi"],
    ...NO_KEYS,
    group: "server",
    summary: "Synchronously save the dataset to disk",
    since: "1.0.0",
    handler: (ctx) => {
      clientOf(ctx).server.save();
      return OK;
    },
  },
  {
    name: "bgsave",
    arity: -1,
    flags: [...ADMIN, "no_async_loading"],
    ...NO_KEYS,
    group: "server",
    summary: "Asynchronously save the dataset to disk",
    since: "1.0.0",
    handler: (ctx, argv) => {
      if (argv.length > 2 || (argv.length === 2 && option(argv[1]) !== "SCHEDULE")) syntaxError();
      clientOf(ctx).server.save();
      return new SimpleString("Background saving started");
    },
  },
  {
    name: "lastsave",
    arity: 1,
    flags: ["loading", "stale", "fast"],
    ...NO_KEYS,
    group: "server",
    summary: "Get the UNIX time stamp of the last successful save to disk",
    since: "1.0.0",
    handler: (ctx) => clientOf(ctx).server.lastSave,
  },
  {
    name: "shutdown",
    arity: -1,
    flags: [...ADMIN, "loading", "stale", "no_multi", "allow_busy"],
    ...NO_KEYS,
    group: "server",
    summary: "Synchronously save the dataset to disk and then shut down the server",
    since: "1.0.0",
    handler: shutdown,
  },
  {
    name: "wait",
    arity: 3,
    flags: ["noscript"],
    ...NO_KEYS,
    group: "generic",
    summary:
      "Wait for the synchronous replication of all the write commands sent in the context of the current connection",
    since: "3.0.0",
    handler: wait,
  },
];
