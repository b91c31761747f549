/**
 * The shape of the command table: what every command declares (name, arity, flags, key
 * positions, documentation) and the handler that parses its arguments and calls `src/db`.
 *
 * @module
 */

import type { Db } from "../db/db.ts";
import type { Protocol } from "../resp/encoder.ts";
import type { Reply } from "../resp/reply.ts";
import type { PubSub, Subscriptions } from "../server/pubsub.ts";

/**
 * Redis's command flags (COMMAND INFO reports them). `write` commands change data, `readonly`
 * ones only read; `fast` ones are O(1) or O(log n); `blocking` ones may wait for data;
 * `noscript`, `loading`, `stale`, `no_auth`, `pubsub`, `admin`, `denyoom` as in Redis.
 */
export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "no_mandatory_keys"
  | "no_multi"
  | "no_async_loading"
  | "movablekeys"
  | "allow_busy";

/**
 * What a handler runs with: the session it works on, the protocol version of the caller, and
 * (on the server) the connection.
 */
export interface CommandContext {
  /** The session handle: its selected database is where keys live. */
  readonly db: Db;
  /** The caller's protocol version: RESP2 or RESP3 shape of replies. In-process: 2. */
  readonly protocol: Protocol;
  /** The server's per-connection state; undefined when run in-process by `db.command()`. */
  readonly client?: ClientHandle;
  /**
   * True while the command runs where it must not wait (inside MULTI/EXEC): blocking commands
   * then answer at once, as their non-blocking forms (Redis's `CLIENT_DENY_BLOCKING`).
   */
  readonly denyBlocking?: boolean;
}

/**
 * What a blocking command waits for (BLPOP, BZPOPMIN, XREAD BLOCK, WAIT, ...): writes to its
 * keys, its timeout, or CLIENT UNBLOCK.
 */
export interface BlockRequest {
  /** The keys of the client's selected database it waits on (none: only the timeout ends it). */
  readonly keys: readonly Uint8Array[];
  /** How long to wait, in milliseconds; 0 waits for ever. */
  readonly timeout: number;
  /** The type of key that can serve it (`KeyType.list`, `.zset`, `.stream`). */
  readonly type?: number;
  /**
   * Whether `serve` is called for a key of any type, or none (XREADGROUP: a stream deleted or
   * overwritten ends the wait with an error).
   */
  readonly anyType?: boolean;
  /** Keys that serving it writes besides the one it popped from (BLMOVE's destination). */
  readonly writes?: readonly Uint8Array[];
  /**
   * Called after a write to one of the keys, in the server's write transaction: the reply when
   * the key now serves the client (what it popped), or undefined to go on waiting. Throwing a
   * `RedisError` that wrote nothing ends the wait with that error.
   */
  readonly serve?: (key: Uint8Array) => Reply | undefined;
  /** The reply when the timeout passes, or CLIENT UNBLOCK ... TIMEOUT. */
  readonly timeoutReply: Reply;
}

/**
 * What connection and server commands need from the connection they run on. The server fills
 * it in; in-process calls have none, and server-only commands answer with an error there.
 */
export interface ClientHandle {
  /** The connection's id (CLIENT ID). */
  readonly id: number;
  /** The protocol version of replies: 2, or 3 after `HELLO 3`. */
  protocol: Protocol;
  /** The name given by CLIENT SETNAME or HELLO SETNAME ("" when none). */
  name: string;
  /** The client library's name and version (CLIENT SETINFO LIB-NAME / LIB-VER). */
  libName: string;
  /** The client library's version. */
  libVersion: string;
  /** Whether the connection passed AUTH (always true when no password is set). */
  authenticated: boolean;
  /** CLIENT NO-EVICT. */
  noEvict: boolean;
  /** CLIENT NO-TOUCH. */
  noTouch: boolean;
  /** The server the connection belongs to. */
  readonly server: ServerHandle;
  /** The remote address, `ip:port`. */
  readonly address: string;
  /** The local address, `ip:port`. */
  readonly localAddress: string;
  /** Closes the connection once the reply of the running command is written (QUIT, KILL). */
  closeAfterReply(): void;
  /** CLIENT KILL: closes the connection now, or after the running batch if it is in one. */
  kill(): void;
  /** Closes the connection without sending the running command's reply (SHUTDOWN). */
  closeWithoutReply(): void;
  /** Calls `listener` when the connection closes (a blocked command gives up waiting). */
  onClose(listener: () => void): void;
  /** One line of CLIENT LIST / CLIENT INFO, without its newline. */
  describe(): string;
  /** Waits as `request` says; the promise is the command's reply. */
  block(request: BlockRequest): Promise<Reply>;
  /** Its channels, patterns and shard channels (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE). */
  readonly subscriptions: Subscriptions;
  /** The connection's MULTI state and watched keys. */
  readonly transaction: TransactionHandle;
  /**
   * Whether a blocking command must answer at once, as if its timeout had passed (inside EXEC:
   * Redis's CLIENT_DENY_BLOCKING).
   */
  readonly denyBlocking: boolean;
}

/** What the transaction commands (MULTI, EXEC, DISCARD, WATCH, UNWATCH) do on a connection. */
export interface TransactionHandle {
  /** MULTI: starts queueing; throws when already in MULTI. */
  multi(): void;
  /** EXEC: runs the queue and returns its replies (a null array when a watched key changed). */
  exec(): Reply;
  /** DISCARD: drops the queue and the watched keys; throws outside MULTI. */
  discard(): void;
  /** RESET: out of MULTI, nothing watched. */
  reset(): void;
  /** WATCH: watches keys of the selected database; throws inside MULTI. */
  watch(keys: readonly Uint8Array[]): void;
  /** UNWATCH: forgets every watched key. */
  unwatch(): void;
}

/** What server commands need from the server: clients, configuration, statistics. */
export interface ServerHandle {
  /** Every connected client, in connection order. */
  clients(): readonly ClientHandle[];
  /** Whether a password is required (`requirepass`). */
  readonly passwordRequired: boolean;
  /** Whether `password` is the configured one. */
  checkPassword(password: Uint8Array): boolean;
  /** The INFO text of the named sections (lower case; `default`, `all`, `everything` allowed). */
  info(db: Db, sections: readonly string[]): string;
  /** CONFIG GET: every parameter matching one of the glob patterns, with its value. */
  configGet(patterns: readonly Uint8Array[]): [string, string][];
  /** CONFIG SET: sets all parameters or none; throws Redis's error. */
  configSet(pairs: readonly [Uint8Array, Uint8Array][]): void;
  /** A parameter's current value. */
  configValue(name: string): string;
  /** CONFIG RESETSTAT. */
  resetStats(): void;
  /** SAVE / BGSAVE: checkpoints the write-ahead log into the database file. */
  save(): void;
  /** Unix time in seconds of the last successful save (LASTSAVE). */
  readonly lastSave: number;
  /** SHUTDOWN: stops the server once the running batch is answered. */
  shutdown(): void;
  /**
   * CLIENT UNBLOCK: ends the wait of the blocked client `id` with its timeout reply, or with
   * the UNBLOCKED error; false when no such client is blocked.
   */
  unblockClient(id: number, error: boolean): boolean;
  /** The registries of publish/subscribe. */
  readonly pubsub: PubSub;
}

/** A command handler: `argv[0]` is the command name as sent, the rest its arguments. */
export type Handler = (ctx: CommandContext, argv: Uint8Array[]) => Reply | Promise<Reply>;

/** One command of the table (or one subcommand of a container command such as CONFIG). */
export interface CommandSpec {
  /** Lower-case name (`get`); for a subcommand, its own name (`get` of `config`). */
  readonly name: string;
  /** Redis's arity: the exact argument count including the name, or -N for at least N. */
  readonly arity: number;
  /** Redis's flags. */
  readonly flags: readonly CommandFlag[];
  /** Position of the first key in argv (0: no keys). */
  readonly firstKey: number;
  /** Position of the last key (-1: the last argument, -2: the one before it, ...). */
  readonly lastKey: number;
  /** Distance between keys. */
  readonly step: number;
  /** Redis's group for COMMAND DOCS: `string`, `generic`, `hash`, `list`, `set`, `sorted-set`, `stream`, `connection`, `server`, `pubsub`, `transactions`, `bitmap`. */
  readonly group: string;
  /** One line of what it does, as COMMAND DOCS summary. */
  readonly summary: string;
  /** The Redis version that introduced it. */
  readonly since: string;
  /** Subcommands of a container command (CONFIG GET, CLIENT LIST, ...). */
  readonly subcommands?: readonly CommandSpec[];
  /**
   * COMMAND DOCS's complexity and arguments, for a command Redis does not have (Redis's own
   * commands are described by the metadata recorded from redis-server).
   */
  readonly docs?: CommandDocs;
  /** Finds the keys of a command whose keys are not at fixed positions (`movablekeys`). */
  readonly keys?: (argv: Uint8Array[]) => number[];
  /** Parses arguments and runs the command; container commands dispatch to subcommands instead. */
  readonly handler?: Handler;
}

/**
 * One argument of a command as COMMAND DOCS describes it (Redis's `arguments` entries): its name
 * and type, the token before it, whether it is optional or repeated, and the arguments of a
 * `oneof` or `block`.
 */
export type ArgumentDoc = {
  /** The argument's name. */
  readonly name: string;
  /** Its type. */
  readonly type:
    | "string"
    | "integer"
    | "double"
    | "key"
    | "pattern"
    | "unix-time"
    | "pure-token"
    | "oneof"
    | "block";
  /** The index of its key specification (a `key` argument). */
  readonly key_spec_index?: number;
  /** The word that precedes it (or that it is, for a `pure-token`). */
  readonly token?: string;
  /** `optional`, `multiple`, `multiple_token`. */
  readonly flags?: readonly ("optional" | "multiple" | "multiple_token")[];
  /** The choices of a `oneof`, the parts of a `block`. */
  readonly arguments?: readonly ArgumentDoc[];
};

/** What COMMAND DOCS says of a command besides its summary, version and group. */
export interface CommandDocs {
  /** The time complexity, in Redis's words (`O(1)`, `O(N) where N is ...`). */
  readonly complexity: string;
  /** The arguments after the command's name (and a container's subcommand name). */
  readonly arguments?: readonly ArgumentDoc[];
}
