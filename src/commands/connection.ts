/**
 * The connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO and CLIENT. Those that
 * change the connection need the server (`ctx.client`); run in-process they answer with an error.
 *
 * @module
 */

import { toText, upperAscii } from "../db/bytes.ts";
import { DATABASES } from "../db/db.ts";
import { ERR, RedisError } from "../db/errors.ts";
import { parseInt64 } from "../db/numbers.ts";
import { MapReply, OK, SimpleString, VerbatimReply } from "../resp/reply.ts";
import { REDIS_VERSION } from "../version.ts";
import { int64Arg, option, syntaxError } from "./args.ts";
import type { ClientHandle, CommandContext, CommandSpec } from "./types.ts";

/** Key positions of a command without keys. */
export const NO_KEYS = { firstKey: 0, lastKey: 0, step: 0 } as const;

/** Raised by commands that need a connection when run in-process (`db.command("CLIENT", ...)`). */
export const SERVER_ONLY: RedisError = new RedisError(
  "ERR this command is only available on the server",
);

/**
 * The connection a command runs on, or the server-only error in-process.
 *
 * @example
 * ```ts
 * const client = clientOf(ctx);
 * ```
 */
export function clientOf(ctx: CommandContext): ClientHandle {
  if (ctx.client === undefined) throw SERVER_ONLY;
  return ctx.client;
}

const encoder = new TextEncoder();
const PONG = new SimpleString("PONG");
const PONG_WORD = encoder.encode("pong");
const RESET = new SimpleString("RESET");
const WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

/** Redis's rule for client names and library attributes: printable ASCII without spaces. */
function validName(value: Uint8Array): boolean {
  for (const byte of value) if (byte < 33 || byte > 126) return false;
  return true;
}

function checkName(value: Uint8Array): string {
  if (!validName(value)) {
    throw new RedisError(
      "ERR Client names cannot contain spaces, newlines or special characters.",
    );
  }
  return toText(value);
}

/**
 * Checks a username and password as Redis's default user does: with no password configured
 * any password is accepted for `default`; otherwise it must be the configured one.
 */
function authenticate(client: ClientHandle, username: Uint8Array, password: Uint8Array): void {
  const server = client.server;
  const valid = toText(username) === "default" &&
    (!server.passwordRequired || server.checkPassword(password));
  if (!valid) throw new RedisError(WRONGPASS);
  client.authenticated = true;
}

function auth(ctx: CommandContext, argv: Uint8Array[]): SimpleString {
  if (argv.length > 3) syntaxError();
  const client = clientOf(ctx);
  if (argv.length === 2) {
    if (!client.server.passwordRequired) {
      throw new RedisError(
        "ERR AUTH <password> called without any password configured for the default user. " +
          "Are you sure your configuration is correct?",
      );
    }
    authenticate(client, encoder.encode("default"), argv[1]);
  } else authenticate(client, argv[1], argv[2]);
  return OK;
}

function hello(ctx: CommandContext, argv: Uint8Array[]): MapReply {
  const client = clientOf(ctx);
  let version = 0;
  if (argv.length >= 2) {
    const parsed = parseInt64(argv[1]);
    if (parsed === null) {
      throw new RedisError("ERR Protocol version is not an integer or out of range");
    }
    if (parsed < 2 || parsed > 3) throw new RedisError("NOPROTO unsupported protocol version");
    version = Number(parsed);
  }
  let credentials: [Uint8Array, Uint8Array] | null = null;
  let name: string | null = null;
  for (let i = 2; i < argv.length; i++) {
    const more = argv.length - 1 - i;
    const word = option(argv[i]);
    if (word === "AUTH" && more >= 2) {
      credentials = [argv[i + 1], argv[i + 2]];
      i += 2;
    } else if (word === "SETNAME" && more >= 1) {
      name = checkName(argv[++i]);
    } else {
      throw new RedisError(`ERR Syntax error in HELLO option '${toText(argv[i])}'`);
    }
  }
  if (credentials !== null) authenticate(client, credentials[0], credentials[1]);
  if (!client.authenticated && client.server.passwordRequired) {
    throw new RedisError(
      "NOAUTH HELLO must be called with the client already authenticated, otherwise the " +
        "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and " +
        "select the RESP protocol version at the same time",
    );
  }
  if (name !== null) client.name = name;
  if (version !== 0) client.protocol = version as 2 | 3;
  return new MapReply([
    [encoder.encode("server"), encoder.encode("redis")],
    [encoder.encode("version"), encoder.encode(REDIS_VERSION)],
    [encoder.encode("proto"), client.protocol],
    [encoder.encode("id"), client.id],
    [encoder.encode("mode"), encoder.encode("standalone")],
    [encoder.encode("role"), encoder.encode("master")],
    [encoder.encode("modules"), []],
  ]);
}

function select(ctx: CommandContext, argv: Uint8Array[]): SimpleString {
  const index = int64Arg(argv[1]);
  if (index < -(2 ** 31) || index >= 2 ** 31) {
    throw new RedisError(
      "ERR value is out of range, value must between -2147483648 and 2147483647",
    );
  }
  if (index < 0 || index >= DATABASES) throw new RedisError(ERR.dbIndex);
  ctx.db.select(Number(index));
  return OK;
}

function reset(ctx: CommandContext): SimpleString {
  const client = clientOf(ctx);
  client.transaction.reset();
  client.server.pubsub.forget(client.subscriptions);
  ctx.db.select(0);
  client.protocol = 2;
  client.name = "";
  client.noEvict = false;
  client.noTouch = false;
  client.authenticated = !client.server.passwordRequired;
  return RESET;
}

// CLIENT KILL's filters (the new form): every one given must match.
interface KillFilter {
  id?: number;
  type?: string;
  user?: string;
  addr?: string;
  laddr?: string;
  skipMe: boolean;
}

const CLIENT_TYPES = ["normal", "master", "slave", "replica", "pubsub"];

function parseKillFilter(argv: Uint8Array[]): KillFilter {
  const filter: KillFilter = { skipMe: true };
  if ((argv.length - 2) % 2 !== 0) syntaxError();
  for (let i = 2; i < argv.length; i += 2) {
    const name = option(argv[i]);
    const value = toText(argv[i + 1]);
    if (name === "ID") {
      const id = parseInt64(argv[i + 1]);
      if (id === null || id <= 0) {
        throw new RedisError("ERR client-id should be greater than 0");
      }
      filter.id = Number(id);
    } else if (name === "TYPE") {
      if (!CLIENT_TYPES.includes(value.toLowerCase())) {
        throw new RedisError(`ERR Unknown client type '${value}'`);
      }
      filter.type = value.toLowerCase();
    } else if (name === "USER") {
      if (value !== "default") throw new RedisError(`ERR No such user '${value}'`);
      filter.user = value;
    } else if (name === "ADDR") filter.addr = value;
    else if (name === "LADDR") filter.laddr = value;
    else if (name === "SKIPME") {
      const answer = value.toLowerCase();
      if (answer !== "yes" && answer !== "no") syntaxError();
      filter.skipMe = answer === "yes";
    } else syntaxError();
  }
  return filter;
}

/** CLIENT LIST's and CLIENT KILL's type of a client: `pubsub` while subscribed, else `normal`. */
function clientType(client: ClientHandle): string {
  return client.subscriptions.active ? "pubsub" : "normal";
}

function killMatches(client: ClientHandle, me: ClientHandle, filter: KillFilter): boolean {
  if (filter.skipMe && client === me) return false;
  if (filter.id !== undefined && client.id !== filter.id) return false;
  if (filter.type !== undefined && filter.type !== clientType(client)) return false;
  if (filter.addr !== undefined && client.address !== filter.addr) return false;
  if (filter.laddr !== undefined && client.localAddress !== filter.laddr) return false;
  return true;
}

function clientKill(ctx: CommandContext, argv: Uint8Array[]): number | SimpleString {
  const me = clientOf(ctx);
  if (argv.length === 3) {
    // The old form, CLIENT KILL addr:port: OK or an error, and it may kill the caller.
    const addr = toText(argv[2]);
    const target = me.server.clients().find((client) => client.address === addr);
    if (target === undefined) throw new RedisError("ERR No such client");
    target.kill();
    return OK;
  }
  const filter = parseKillFilter(argv);
  let killed = 0;
  for (const client of me.server.clients()) {
    if (!killMatches(client, me, filter)) continue;
    client.kill();
    killed++;
  }
  return killed;
}

// As Redis 7.0's CLIENT LIST: TYPE with one type, or ID with ids (each listed where it is
// given, again if repeated; an id that matches no client, even 0 or negative, lists nothing).
function clientList(ctx: CommandContext, argv: Uint8Array[]): VerbatimReply {
  const me = clientOf(ctx);
  let clients = me.server.clients();
  const filter = argv.length > 2 ? option(argv[2]) : "";
  if (argv.length === 4 && filter === "TYPE") {
    const type = toText(argv[3]).toLowerCase();
    if (!CLIENT_TYPES.includes(type)) {
      throw new RedisError(`ERR Unknown client type '${toText(argv[3])}'`);
    }
    clients = clients.filter((client) => clientType(client) === type);
  } else if (argv.length > 3 && filter === "ID") {
    const byId = new Map(clients.map((client) => [client.id, client]));
    const ids = argv.slice(3).map((arg) => int64Arg(arg, "ERR Invalid client ID"));
    clients = ids.flatMap((id) => byId.get(Number(id)) ?? []);
  } else if (argv.length !== 2) syntaxError();
  const text = clients.map((client) => client.describe() + "\n").join("");
  return new VerbatimReply("txt", encoder.encode(text));
}

function clientSetinfo(ctx: CommandContext, argv: Uint8Array[]): SimpleString {
  const client = clientOf(ctx);
  const attribute = toText(argv[2]);
  const which = upperAscii(argv[2]);
  if (which !== "LIB-NAME" && which !== "LIB-VER") {
    throw new RedisError(`ERR Unrecognized option '${attribute}'`);
  }
  if (!validName(argv[3])) {
    throw new RedisError(
      `ERR ${attribute} cannot contain spaces, newlines or special characters.`,
    );
  }
  if (which === "LIB-NAME") client.libName = toText(argv[3]);
  else client.libVersion = toText(argv[3]);
  return OK;
}

function onOff(arg: Uint8Array): boolean {
  const word = option(arg);
  if (word !== "ON" && word !== "OFF") syntaxError();
  return word === "ON";
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: the reason is checked before the id, as Redis does.
function clientUnblock(ctx: CommandContext, argv: Uint8Array[]): number {
  if (argv.length > 4) {
    throw new RedisError(
      `ERR unknown subcommand or wrong number of arguments for '${
        toText(argv[1])
      }'. Try CLIENT HELP.`,
    );
  }
  let error = false;
  if (argv.length === 4) {
    const reason = option(argv[3]);
    if (reason !== "TIMEOUT" && reason !== "ERROR") {
      throw new RedisError("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
    }
    error = reason === "ERROR";
  }
  const id = int64Arg(argv[2]);
  return clientOf(ctx).server.unblockClient(Number(id), error) ? 1 : 0;
}

const CLIENT_HELP = [
  "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are:",
  "    * ADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made from the specified address",
  "    * LADDR (<ip:port>|<unixsocket>:0)",
  "      Kill connections made to specified local address",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Kill connections by type.",
  "    * USER <username>",
  "      Kill connections authenticated by <username>.",
  "    * SKIPME (YES|NO)",
  "      Skip killing current connection (default: yes).",
  "    * ID <client-id>",
  "      Kill connections by client id.",
  "LIST [options ...]",
  "    Return information about client connections. Options:",
  "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
  "      Return clients of specified type.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
  "NO-TOUCH (ON|OFF)",
  "    Will not touch LRU/LFU stats when this mode is on.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "SETINFO <option> <value>",
  "    Set client meta attr. Options are:",
  "    * LIB-NAME: the client lib name.",
  "    * LIB-VER: the client lib version.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "HELP",
  "    Print this help.",
];

/**
 * Redis's HELP reply: lines as simple strings.
 *
 * @example
 * ```ts
 * helpReply(["PING", "    Ping."]);
 * ```
 */
export function helpReply(lines: readonly string[]): SimpleString[] {
  return lines.map((line) => new SimpleString(line));
}

const CONNECTION_FAST = ["loading", "stale", "fast"] as const;
const NO_AUTH = ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"] as const;
const CLIENT_FLAGS = ["noscript", "loading", "stale"] as const;

function clientCommand(
  name: string,
  arity: number,
  summary: string,
  since: string,
  handler: CommandSpec["handler"],
  admin = false,
): CommandSpec {
  return {
    name,
    arity,
    flags: admin ? ["admin", ...CLIENT_FLAGS] : [...CLIENT_FLAGS],
    ...NO_KEYS,
    group: "connection",
    summary,
    since,
    handler,
  };
}

/** The connection commands. */
export const connectionCommands: CommandSpec[] = [
  {
    name: "ping",
    arity: -1,
    flags: ["fast"],
    ...NO_KEYS,
    group: "connection",
    summary: "Ping the server",
    since: "1.0.0",
    handler: (ctx, argv) => {
      if (argv.length > 2) throw new RedisError("ERR wrong number of arguments for 'ping' command");
      // A subscribed RESP2 client gets a message-like array: its replies are messages.
      if (ctx.protocol === 2 && ctx.client?.subscriptions.active) {
        return [PONG_WORD, argv.length === 2 ? argv[1] : new Uint8Array(0)];
      }
      return argv.length === 2 ? argv[1] : PONG;
    },
  },
  {
    name: "echo",
    arity: 2,
    flags: [...CONNECTION_FAST],
    ...NO_KEYS,
    group: "connection",
    summary: "Echo the given string",
    since: "1.0.0",
    handler: (_ctx, argv) => argv[1],
  },
  {
    name: "quit",
    arity: -1,
    flags: [...NO_AUTH],
    ...NO_KEYS,
    group: "connection",
    summary: "Close the connection",
    since: "1.0.0",
    handler: (ctx) => {
      clientOf(ctx).closeAfterReply();
      return OK;
    },
  },
  {
    name: "reset",
    arity: 1,
    flags: [...NO_AUTH],
    ...NO_KEYS,
    group: "connection",
    summary: "Reset the connection",
    since: "6.2.0",
    handler: reset,
  },
  {
    name: "select",
    arity: 2,
    flags: [...CONNECTION_FAST],
    ...NO_KEYS,
    group: "connection",
    summary: "Change the selected database for the current connection",
    since: "1.0.0",
    handler: select,
  },
  {
    name: "auth",
    arity: -2,
    flags: [...NO_AUTH],
    ...NO_KEYS,
    group: "connection",
    summary: "Authenticate to the server",
    since: "1.0.0",
    handler: auth,
  },
  {
    name: "hello",
    arity: -1,
    flags: [...NO_AUTH],
    ...NO_KEYS,
    group: "connection",
    summary: "Handshake with Redis",
    since: "6.0.0",
    handler: hello,
  },
  {
    name: "client",
    arity: -2,
    flags: [],
    ...NO_KEYS,
    group: "connection",
    summary: "A container for client connection commands",
    since: "2.4.0",
    subcommands: [
      clientCommand(
        "id",
        2,
        "Returns the client ID for the current connection",
        "5.0.0",
        (ctx) => clientOf(ctx).id,
      ),
      clientCommand(
        "setname",
        3,
        "Set the current connection name",
        "2.6.9",
        (ctx, argv) => {
          const client = clientOf(ctx);
          client.name = checkName(argv[2]);
          return OK;
        },
      ),
      clientCommand(
        "getname",
        2,
        "Get the current connection name",
        "2.6.9",
        (ctx) => {
          const name = clientOf(ctx).name;
          return name === "" ? null : encoder.encode(name);
        },
      ),
      clientCommand(
        "setinfo",
        4,
        "Set client or connection specific info",
        "7.2.0",
        clientSetinfo,
      ),
      clientCommand(
        "list",
        -2,
        "Get the list of client connections",
        "2.4.0",
        clientList,
        true,
      ),
      clientCommand(
        "info",
        2,
        "Returns information about the current client connection.",
        "6.2.0",
        (ctx) => new VerbatimReply("txt", encoder.encode(clientOf(ctx).describe() + "\n")),
      ),
      clientCommand("kill", -3, "Kill the connection of a client", "2.4.0", clientKill, true),
      clientCommand(
        "no-evict",
        3,
        "Set client eviction mode for the current connection",
        "7.0.0",
        (ctx, argv) => {
          clientOf(ctx).noEvict = onOff(argv[2]);
          return OK;
        },
        true,
      ),
      clientCommand(
        "no-touch",
        3,
        "Controls whether commands sent by the client will alter the LRU/LFU of the keys they access.",
        "7.2.0",
        (ctx, argv) => {
          clientOf(ctx).noTouch = onOff(argv[2]);
          return OK;
        },
      ),
      clientCommand(
        "unblock",
        -3,
        "Unblock a client blocked in a blocking command from a different connection",
        "5.0.0",
        clientUnblock,
        true,
      ),
      {
        ...clientCommand(
          "help",
          2,
          "Show helpful text about the different subcommands",
          "5.0.0",
          () => helpReply(CLIENT_HELP),
        ),
        flags: ["loading", "stale"],
      },
    ],
  },
];
