/**
 * The waits of blocking commands (BLPOP, BLMOVE, BZPOPMIN, XREAD BLOCK, WAIT, ...): clients
 * waiting per key, served in the order they blocked, as Redis's blocked.c does.
 *
 * A write command run by any client of the server signals the keys it names (the command
 * table's key positions) when someone waits on them; right after the command, in the same
 * write transaction, the clients waiting on a signalled key are tried in order, each popping
 * in its own turn, until the key has nothing left for them. Their replies go out after that
 * transaction commits. Waiting costs nothing but a map entry and a timer: no polling per
 * client. Writes that do not come through the server's connections (another process on the
 * same file, or the embedding application's own `Db` calls) are noticed by a check of
 * `PRAGMA data_version` and of the store's commits every {@linkcode EXTERNAL_CHECK_MS}
 * milliseconds while anyone waits on a key; every waited key is then tried.
 *
 * @module
 */

import { asciiText, dbKeyString, upperAscii } from "../db/bytes.ts";
import { RedisError } from "../db/errors.ts";
import { findKey } from "../db/keyspace.ts";
import type { Store } from "../db/store.ts";
import { keyPositions } from "../commands/server.ts";
import type { BlockRequest, CommandSpec } from "../commands/types.ts";
import type { Reply } from "../resp/reply.ts";

/**
 * How often writes made outside the server's connections are looked for, in milliseconds.
 *
 * @example
 * ```ts
 * const latest = Date.now() + EXTERNAL_CHECK_MS; // when another process's push is seen at the latest
 * ```
 */
export const EXTERNAL_CHECK_MS = 100;

/** Node's timers take at most this many milliseconds; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const UNBLOCKED = new RedisError("UNBLOCKED client unblocked via CLIENT UNBLOCK");

/**
 * What the registry needs from a client that blocks.
 *
 * @example
 * ```ts
 * const client: BlockedClient = connection; // a server connection is one
 * ```
 */
export interface BlockedClient {
  /** Its CLIENT ID. */
  readonly id: number;
  /** Its selected database: the keys it waits on are there. */
  readonly selectedDb: number;
  /** Whether it still waits for the blocking command's reply (not after its batch failed). */
  readonly blocked: boolean;
  /** Calls `listener` when the connection closes. */
  onClose(listener: () => void): void;
}

interface Waiter {
  readonly client: BlockedClient;
  readonly request: BlockRequest;
  /** The ids of the keys it waits on. */
  readonly keyIds: readonly string[];
  readonly resolve: (reply: Reply) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** When its timeout ends (unix ms); undefined for a wait without one. */
  deadline?: number;
}

/** A signalled key: its database and bytes. */
interface ReadyKey {
  readonly db: number;
  readonly key: Uint8Array;
}

/**
 * The registry of blocked clients of one server.
 *
 * @example
 * ```ts
 * const blocking = new Blocking(store);
 * const reply = blocking.block(client, { keys: [key], timeout: 1000, timeoutReply: NULL_ARRAY });
 * ```
 */
export class Blocking {
  readonly #store: Store;
  // The clients waiting on each key, in the order they blocked.
  readonly #byKey = new Map<string, Set<Waiter>>();
  readonly #byClient = new Map<number, Waiter>();
  // Clients whose closing is watched already (one listener per connection, not per wait).
  readonly #watched = new Set<number>();
  #ready = new Map<string, ReadyKey>();
  // Served in the running write transaction: answered once it commits.
  #served: [Waiter, Reply][] = [];
  // Blocked in the running batch: forgotten if the batch fails.
  #added: Waiter[] = [];
  #timed = 0;
  #batchRunning = false;
  #externalWrite = false;
  #dataVersion = 0;
  #checkTimer: ReturnType<typeof setInterval> | undefined;
  readonly #stopCommitListener: () => void;

  /** @param store the store the server's clients work on */
  constructor(store: Store) {
    this.#store = store;
    this.#stopCommitListener = store.onCommit(() => {
      if (!this.#batchRunning && this.#checkTimer !== undefined) this.#externalWrite = true;
    });
  }

  /** How many clients are blocked (INFO's `blocked_clients`). */
  get blockedClients(): number {
    return this.#byClient.size;
  }

  /** How many blocked clients have a timeout (INFO's `clients_in_timeout_table`). */
  get timedClients(): number {
    return this.#timed;
  }

  /** Whether the client is blocked. */
  isBlocked(clientId: number): boolean {
    return this.#byClient.has(clientId);
  }

  /**
   * Blocks `client` as `request` says. The promise is the reply: what a write to one of its
   * keys served it, its timeout reply, or CLIENT UNBLOCK's.
   */
  block(client: BlockedClient, request: BlockRequest): Promise<Reply> {
    return new Promise((resolve) => {
      const keyIds = request.keys.map((key) => dbKeyString(client.selectedDb, key));
      const waiter: Waiter = { client, request, keyIds, resolve, timer: undefined };
      if (request.timeout > 0) waiter.deadline = Date.now() + request.timeout;
      this.#register(waiter);
      if (this.#batchRunning) this.#added.push(waiter);
      if (!this.#watched.has(client.id)) {
        this.#watched.add(client.id);
        client.onClose(() => {
          this.#watched.delete(client.id);
          const current = this.#byClient.get(client.id);
          if (current !== undefined) this.#remove(current);
        });
      }
    });
  }

  // Puts a waiter in the registry: last in line on each of its keys, its timeout armed.
  #register(waiter: Waiter): void {
    for (const id of waiter.keyIds) {
      let waiters = this.#byKey.get(id);
      if (waiters === undefined) this.#byKey.set(id, waiters = new Set());
      waiters.add(waiter);
    }
    this.#byClient.set(waiter.client.id, waiter);
    if (waiter.deadline !== undefined) {
      this.#timed++;
      this.#arm(waiter, waiter.deadline);
    }
    if (waiter.keyIds.length > 0) this.#startExternalChecks();
  }

  #arm(waiter: Waiter, deadline: number): void {
    const delay = Math.max(0, deadline - Date.now());
    waiter.timer = setTimeout(() => {
      if (delay > MAX_TIMER_MS) return this.#arm(waiter, deadline);
      this.#remove(waiter);
      waiter.resolve(waiter.request.timeoutReply);
    }, Math.min(delay, MAX_TIMER_MS));
  }

  /**
   * CLIENT UNBLOCK: ends a blocked client's wait with its timeout reply, or with the UNBLOCKED
   * error. False when the client is not blocked.
   */
  unblock(clientId: number, error: boolean): boolean {
    const waiter = this.#byClient.get(clientId);
    if (waiter === undefined) return false;
    this.#remove(waiter);
    waiter.resolve(error ? UNBLOCKED : waiter.request.timeoutReply);
    return true;
  }

  /** The server starts running a batch of commands. */
  batchStarted(): void {
    this.#batchRunning = true;
  }

  /**
   * Called after every command of a batch's write phase: signals the keys a write command
   * named, then serves the clients waiting on them (in the batch's transaction).
   */
  afterCommand(db: number, spec: CommandSpec, argv: Uint8Array[]): void {
    if (this.#byKey.size === 0) return;
    this.signalWrite(db, spec, argv);
    this.serveReady();
  }

  /**
   * Signals the keys of a write command (its key positions in the command table) without
   * serving anyone yet: for the commands EXEC runs, whose waiting clients Redis serves once
   * EXEC is over (the {@linkcode afterCommand} of EXEC itself).
   */
  signalWrite(db: number, spec: CommandSpec, argv: Uint8Array[]): void {
    if (this.#byKey.size === 0 || !spec.flags.includes("write")) return;
    for (const position of keyPositions(spec, argv)) this.signal(db, argv[position]);
    // FLUSHDB and FLUSHALL delete every key: the clients that care (XREADGROUP) are told.
    if (spec.name === "flushdb" || spec.name === "flushall") {
      this.#signalAll(spec.name === "flushdb" ? db : null);
    }
    // MOVE and COPY ... DB write their key into another database.
    if (spec.name === "move") this.signal(Number(asciiText(argv[2])), argv[1]);
    if (spec.name === "copy") {
      const option = argv.findIndex((arg, i) => i > 2 && upperAscii(arg) === "DB");
      if (option > 0 && option + 1 < argv.length) {
        this.signal(Number(asciiText(argv[option + 1])), argv[2]);
      }
    }
  }

  /**
   * Marks a key as written: the clients waiting on it are tried at the next
   * {@linkcode serveReady}. For writes the command table's key positions do not show (the
   * commands of MULTI/EXEC, MOVE's destination database, ...).
   */
  signal(db: number, key: Uint8Array): void {
    const id = dbKeyString(db, key);
    if (this.#byKey.has(id) && !this.#ready.has(id)) this.#ready.set(id, { db, key });
  }

  /**
   * Serves the clients waiting on the signalled keys, in the order the keys were signalled and,
   * for each key, in the order the clients blocked. Runs in a write transaction; the replies
   * wait for {@linkcode batchDone}.
   */
  serveReady(): void {
    while (this.#ready.size > 0) {
      // Keys signalled while serving (BLMOVE's destination) are served in the next round.
      const ready = this.#ready;
      this.#ready = new Map();
      for (const [id, { db, key }] of ready) this.#serveKey(id, db, key);
    }
  }

  #serveKey(id: string, db: number, key: Uint8Array): void {
    const waiters = this.#byKey.get(id);
    if (waiters === undefined) return;
    const scope = { store: this.#store, index: db };
    let type = findKey(scope, key)?.type;
    for (const waiter of waiters) {
      if (waiter.request.type !== type && !waiter.request.anyType) continue;
      const reply = this.#attempt(waiter, key);
      if (reply === undefined) continue;
      this.#remove(waiter);
      this.#served.push([waiter, reply]);
      for (const written of waiter.request.writes ?? []) this.signal(db, written);
      type = findKey(scope, key)?.type;
    }
  }

  #attempt(waiter: Waiter, key: Uint8Array): Reply | undefined {
    try {
      return this.#store.guard(() => waiter.request.serve!(key));
    } catch (error) {
      if (error instanceof RedisError) return error;
      throw error;
    }
  }

  /**
   * The batch is over: the clients served in it get their replies. When its transaction
   * failed, nothing it served happened: a client that blocked before the batch goes back to
   * waiting (last in line), one that blocked in it gets `error` with the rest of its batch's
   * replies, and clients that blocked in it and are not waiting any more are forgotten.
   */
  batchDone(error?: RedisError): void {
    this.#batchRunning = false;
    const served = this.#served;
    const added = this.#added;
    this.#served = [];
    this.#added = [];
    this.#ready.clear();
    if (error === undefined) {
      for (const [waiter, reply] of served) waiter.resolve(reply);
      return;
    }
    for (const waiter of added) if (!waiter.client.blocked) this.#remove(waiter);
    const blockedInBatch = new Set(added);
    for (const [waiter] of served) {
      if (blockedInBatch.has(waiter)) waiter.resolve(error);
      else if (this.#watched.has(waiter.client.id)) this.#register(waiter);
    }
  }

  #remove(waiter: Waiter): void {
    if (this.#byClient.get(waiter.client.id) !== waiter) return;
    this.#byClient.delete(waiter.client.id);
    if (waiter.request.timeout > 0) this.#timed--;
    clearTimeout(waiter.timer);
    for (const id of waiter.keyIds) {
      const waiters = this.#byKey.get(id);
      if (waiters === undefined) continue;
      waiters.delete(waiter);
      if (waiters.size === 0) this.#byKey.delete(id);
    }
    if (this.#byKey.size === 0) this.#stopExternalChecks();
  }

  // Signals every key waited on in database `db` (null: in all of them).
  #signalAll(db: number | null): void {
    for (const [id, waiters] of this.#byKey) {
      const keyDb = Number(id.slice(0, id.indexOf(":")));
      if (db !== null && keyDb !== db) continue;
      const [first] = waiters;
      this.#ready.set(id, { db: keyDb, key: first.request.keys[first.keyIds.indexOf(id)] });
    }
  }

  #startExternalChecks(): void {
    if (this.#checkTimer !== undefined) return;
    this.#dataVersion = this.#readDataVersion();
    this.#externalWrite = false;
    this.#checkTimer = setInterval(() => this.#checkExternalWrites(), EXTERNAL_CHECK_MS);
    Deno.unrefTimer(this.#checkTimer);
  }

  #stopExternalChecks(): void {
    clearInterval(this.#checkTimer);
    this.#checkTimer = undefined;
  }

  #readDataVersion(): number {
    return Number(this.#store.values("PRAGMA data_version")?.[0] ?? 0);
  }

  // Another process committed to the file, or the application wrote through its own Db: any
  // waited key may have changed, so all are tried.
  #checkExternalWrites(): void {
    const version = this.#readDataVersion();
    if (version === this.#dataVersion && !this.#externalWrite) return;
    this.#dataVersion = version;
    this.#externalWrite = false;
    this.#signalAll(null);
    this.#batchRunning = true;
    let failure: RedisError | undefined;
    try {
      this.#store.write(() => this.serveReady());
    } catch (error) {
      failure = error instanceof RedisError ? error : new RedisError(`ERR ${String(error)}`);
    }
    this.batchDone(failure);
  }

  /** Stops watching for writes; the server is closing (its clients' closing ends their waits). */
  close(): void {
    this.#stopExternalChecks();
    this.#stopCommitListener();
  }
}
