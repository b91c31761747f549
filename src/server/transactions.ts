/**
 * MULTI/EXEC/DISCARD and WATCH/UNWATCH on the server, as Redis 7.0's `multi.c`.
 *
 * A connection in MULTI queues its commands ({@linkcode ClientTransaction.enqueue}); EXEC runs
 * them one after the other inside the server's batch, so inside one SQLite transaction, with no
 * other client's command between them, and its reply goes out after the COMMIT as every reply of
 * the batch does. An EXEC whose commands write waits for the batch's write transaction
 * ({@linkcode ClientTransaction.needsWrite}).
 *
 * WATCH records the version of each key (the `version` column of the keys table, which every
 * write changes; absent for a missing or expired key). A key is "touched" when that state is no
 * longer the one recorded:
 * - after each write command of any client of this server, on the command's keys
 *   ({@linkcode WatchRegistry.afterCommand}): a key created and deleted again by two commands
 *   is caught, as Redis's `signalModifiedKey` catches it;
 * - at EXEC, for every watched key: catches what no command of this server named (expiry,
 *   FLUSHDB, FLUSHALL, MOVE or COPY into another database) and the writes of other processes on
 *   the same file. The one change this misses is a key of another process (or of the embedded
 *   `Db` used beside the server) that was created and deleted again between WATCH and EXEC.
 *
 * @module
 */

import { dbKeyString, upperAscii } from "../db/bytes.ts";
import { RedisError } from "../db/errors.ts";
import { findKey } from "../db/keyspace.ts";
import type { Store } from "../db/store.ts";
import { keyPositions } from "../commands/server.ts";
import { COMMANDS } from "../commands/table.ts";
import type { CommandSpec, TransactionHandle } from "../commands/types.ts";
import { NULL_ARRAY, QUEUED, type Reply } from "../resp/reply.ts";
import type { Connection } from "./connection.ts";

const EXEC_ABORT = new RedisError("EXECABORT Transaction discarded because of previous errors.");
const NOAUTH = new RedisError("NOAUTH Authentication required.");
const NOT_IN_MULTI = new RedisError("ERR Command not allowed inside a transaction");

/** The commands a connection in MULTI runs at once instead of queueing (as Redis's processCommand). */
const RUN_IN_MULTI: ReadonlySet<CommandSpec | undefined> = new Set(
  ["exec", "discard", "multi", "watch", "quit", "reset"].map((name) => COMMANDS.get(name)),
);

const EXEC = COMMANDS.get("exec");

/** A key's state for WATCH: its version, or null when it is missing or expired. */
type KeyState = number | null;

function keyState(store: Store, db: number, key: Uint8Array): KeyState {
  return findKey({ store, index: db }, key)?.version ?? null;
}

interface WatchedKey {
  readonly db: number;
  readonly key: Uint8Array;
  readonly state: KeyState;
}

/**
 * The server's index of watched keys: which connections watch each key, so that a write
 * command can mark them dirty as Redis's `touchWatchedKey` does.
 *
 * @example
 * ```ts
 * const registry = new WatchRegistry(store);
 * registry.afterCommand(0, COMMANDS.get("set")!, argv); // after SET ran
 * ```
 */
export class WatchRegistry {
  readonly #store: Store;
  readonly #watchers = new Map<string, Set<ClientTransaction>>();

  /** @param store the store whose keys are watched */
  constructor(store: Store) {
    this.#store = store;
  }

  /** How many distinct keys are watched (by anyone). */
  get size(): number {
    return this.#watchers.size;
  }

  /**
   * After a command ran on database `db`: when it is a write, every connection watching one of
   * its keys whose state is no longer the one it recorded is marked dirty. Costs nothing while
   * nobody watches.
   *
   * @example
   * ```ts
   * registry.afterCommand(connection.db.selected, spec, argv);
   * ```
   */
  afterCommand(db: number, spec: CommandSpec, argv: Uint8Array[]): void {
    if (this.#watchers.size === 0 || !spec.flags.includes("write")) return;
    for (const position of keyPositions(spec, argv)) {
      const key = argv[position];
      const id = dbKeyString(db, key);
      const watchers = this.#watchers.get(id);
      if (watchers === undefined) continue;
      const state = keyState(this.#store, db, key);
      for (const watcher of [...watchers]) watcher.touched(id, state);
    }
  }

  /** The current state of a key, as WATCH records it. */
  state(db: number, key: Uint8Array): KeyState {
    return keyState(this.#store, db, key);
  }

  /** Records that `watcher` watches the key `id`. */
  add(id: string, watcher: ClientTransaction): void {
    let watchers = this.#watchers.get(id);
    if (watchers === undefined) this.#watchers.set(id, watchers = new Set());
    watchers.add(watcher);
  }

  /** Forgets that `watcher` watches the key `id`. */
  remove(id: string, watcher: ClientTransaction): void {
    const watchers = this.#watchers.get(id);
    if (watchers === undefined) return;
    watchers.delete(watcher);
    if (watchers.size === 0) this.#watchers.delete(id);
  }
}

/**
 * One connection's MULTI state (its queue, and whether a queueing error or a touched watched
 * key makes EXEC fail) and its watched keys.
 *
 * @example
 * ```ts
 * const transaction = new ClientTransaction(connection);
 * transaction.multi();
 * ```
 */
export class ClientTransaction implements TransactionHandle {
  readonly #client: Connection;
  // The queued commands; null outside MULTI.
  #queue: { spec: CommandSpec; argv: Uint8Array[] }[] | null = null;
  // A queued command writes: EXEC runs in the batch's write transaction.
  #writes = false;
  // Redis's CLIENT_DIRTY_EXEC: a command was refused while queueing.
  #queueFailed = false;
  // Redis's CLIENT_DIRTY_CAS: a watched key was touched.
  #dirty = false;
  #executing = false;
  readonly #watched = new Map<string, WatchedKey>();
  #closeListener = false;

  /** @param client the connection it belongs to */
  constructor(client: Connection) {
    this.#client = client;
  }

  /** Whether the connection is in MULTI (CLIENT LIST flag `x`). */
  get active(): boolean {
    return this.#queue !== null;
  }

  /** Whether a watched key was touched (CLIENT LIST flag `d`). */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** The queued commands, -1 outside MULTI (CLIENT LIST `multi=`). */
  get queued(): number {
    return this.#queue === null ? -1 : this.#queue.length;
  }

  /** Whether EXEC is running the queue: blocking commands must not block (Redis's CLIENT_DENY_BLOCKING). */
  get executing(): boolean {
    return this.#executing;
  }

  /** Whether `spec` is to be queued rather than run: in MULTI, all but EXEC, DISCARD, MULTI, WATCH, QUIT, RESET. */
  queues(spec: CommandSpec): boolean {
    return this.#queue !== null && !RUN_IN_MULTI.has(spec);
  }

  /**
   * Queues a command and answers `+QUEUED`, or refuses it (NOAUTH, a command not allowed in a
   * transaction) with an error that makes EXEC fail.
   */
  enqueue(spec: CommandSpec, argv: Uint8Array[]): Reply {
    const client = this.#client;
    client.lastCommand = spec;
    client.lastCommandName = argv[0];
    if (
      !client.authenticated && client.server.passwordRequired && !spec.flags.includes("no_auth")
    ) {
      return this.rejected(argv, NOAUTH);
    }
    if (spec.flags.includes("no_multi")) return this.rejected(argv, NOT_IN_MULTI);
    // As Redis: once EXEC is bound to fail, nothing more is kept, but the answer is the same.
    if (!this.#queueFailed) {
      this.#queue!.push({ spec, argv });
      if (spec.flags.includes("write")) this.#writes = true;
    }
    return QUEUED;
  }

  /**
   * A command refused before it ran (unknown, wrong arity, NOAUTH): in MULTI, EXEC will fail.
   * EXEC itself refused ends the transaction and says why. Returns the error to send.
   */
  rejected(argv: Uint8Array[], error: RedisError): RedisError {
    if (this.#queue !== null) this.#queueFailed = true;
    if (upperAscii(argv[0]) !== "EXEC") return error;
    this.#discard();
    const reason = error.message.startsWith("ERR ") ? error.message.slice(4) : error.message;
    return new RedisError(`EXECABORT Transaction discarded because of: ${reason}`);
  }

  /** Whether `spec` must run in the batch's write transaction: EXEC of a queue that writes. */
  needsWrite(spec: CommandSpec): boolean {
    return this.#writes && spec === EXEC;
  }

  /** MULTI. */
  multi(): void {
    if (this.#queue !== null) throw new RedisError("ERR MULTI calls can not be nested");
    this.#queue = [];
  }

  /** EXEC: the replies of the queued commands, or null when a watched key was touched. */
  exec(): Reply {
    const queue = this.#queue;
    if (queue === null) throw new RedisError("ERR EXEC without MULTI");
    if (this.#queueFailed) {
      this.#discard();
      throw EXEC_ABORT;
    }
    if (this.#dirty || this.#watchedChanged()) {
      this.#discard();
      return NULL_ARRAY;
    }
    this.#unwatchAll();
    this.#executing = true;
    try {
      return queue.map(({ spec, argv }) => this.#client.runQueued(spec, argv));
    } finally {
      this.#executing = false;
      this.#discard();
    }
  }

  /** DISCARD. */
  discard(): void {
    if (this.#queue === null) throw new RedisError("ERR DISCARD without MULTI");
    this.#discard();
  }

  /** RESET, and a connection closing: out of MULTI, nothing watched. */
  reset(): void {
    this.#discard();
  }

  /** WATCH: records the state of each key of the selected database. */
  watch(keys: readonly Uint8Array[]): void {
    if (this.#queue !== null) throw new RedisError("ERR WATCH inside MULTI is not allowed");
    const registry = this.#client.server.watches;
    const db = this.#client.db.selected;
    if (!this.#closeListener) {
      this.#closeListener = true;
      this.#client.onClose(() => this.#unwatchAll());
    }
    for (const key of keys) {
      const id = dbKeyString(db, key);
      if (this.#watched.has(id)) continue;
      this.#watched.set(id, { db, key, state: registry.state(db, key) });
      registry.add(id, this);
    }
  }

  /** UNWATCH. */
  unwatch(): void {
    this.#unwatchAll();
    this.#dirty = false;
  }

  /** A write command left the watched key `id` in `state`: dirty if that is not the one recorded. */
  touched(id: string, state: KeyState): void {
    const watched = this.#watched.get(id);
    if (watched === undefined || watched.state === state) return;
    this.#dirty = true;
    // As Redis 7.0: once dirty, nothing more needs watching until EXEC.
    this.#unwatchAll();
  }

  #watchedChanged(): boolean {
    const registry = this.#client.server.watches;
    for (const { db, key, state } of this.#watched.values()) {
      if (registry.state(db, key) !== state) return true;
    }
    return false;
  }

  #discard(): void {
    this.#queue = null;
    this.#writes = false;
    this.#queueFailed = false;
    this.#dirty = false;
    this.#unwatchAll();
  }

  #unwatchAll(): void {
    if (this.#watched.size === 0) return;
    const registry = this.#client.server.watches;
    for (const id of this.#watched.keys()) registry.remove(id, this);
    this.#watched.clear();
  }
}
