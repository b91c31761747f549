/**
 * The RESP server: accepts connections, runs their commands through the command table in
 * batches (group commit), and keeps the state that server commands report.
 *
 * @module
 */

import { type Db, scopeOf } from "../db/db.ts";
import { RedisError } from "../db/errors.ts";
import { PartialWriteError, type Store } from "../db/store.ts";
import type { ServerHandle } from "../commands/types.ts";
import { type DecoderLimits, DEFAULT_LIMITS } from "../resp/decoder.ts";
import { Blocking } from "./blocking.ts";
import { Config } from "./config.ts";
import { Connection } from "./connection.ts";
import { infoText } from "./info.ts";
import { PubSub, pubsubOutputLimit } from "./pubsub.ts";
import { storageErrorReply } from "./faults.ts";
import { WatchRegistry } from "./transactions.ts";
import { isLoopbackClient, Password, PROTECTED_MODE_DENIED } from "./security.ts";

/** How {@linkcode Server} listens and whom it lets in. */
export interface ServerOptions {
  /** The address to listen on (default `127.0.0.1`). */
  hostname?: string;
  /** The port (default 6767; 0 picks a free one). */
  port?: number;
  /** The password clients must give with AUTH or HELLO (Redis's `requirepass`). */
  password?: string;
  /** The most clients connected at once (Redis's `maxclients`, default 10000). */
  maxClients?: number;
  /**
   * Redis's protected mode (default true): while no password is set, clients that are not on
   * the loopback interface get Redis's `DENIED` error and are disconnected.
   */
  protectedMode?: boolean;
  /** Serve RESP over TLS with this certificate chain and private key (PEM text). */
  tls?: { cert: string; key: string };
  /** Where messages about the server go (default: nowhere). */
  log?: (message: string) => void;
}

/** Counters that INFO reports and CONFIG RESETSTAT clears. */
export interface ServerStats {
  /** Connections accepted. */
  connections: number;
  /** Connections refused because of `maxclients` or protected mode. */
  rejected: number;
  /** Commands run. */
  commands: number;
  /** Bytes read from clients. */
  inputBytes: number;
  /** Bytes written to clients. */
  outputBytes: number;
}

function newStats(): ServerStats {
  return { connections: 0, rejected: 0, commands: 0, inputBytes: 0, outputBytes: 0 };
}

const MAX_CLIENTS_ERROR = new TextEncoder().encode("-ERR max number of clients reached\r\n");

/**
 * A running server on an open database.
 *
 * @example
 * ```ts
 * const server = Server.listen(Db.openMemory(), { port: 0 });
 * await server.close();
 * ```
 */
export class Server implements ServerHandle {
  /** The database clients work on (each client has its own session of it). */
  readonly db: Db;
  /** The SQLite store behind it. */
  readonly store: Store;
  /** CONFIG GET / SET. */
  readonly config: Config;
  /** The counters INFO reports. */
  stats: ServerStats = newStats();
  /** The clients blocked by BLPOP, XREAD BLOCK, WAIT and the rest, and what wakes them. */
  readonly blocking: Blocking;
  /** Limits of the protocol decoder, shared by every client (CONFIG SET changes them). */
  readonly limits: DecoderLimits = { ...DEFAULT_LIMITS };
  /** Channels, patterns and their subscribers. */
  readonly pubsub: PubSub = new PubSub();
  /** The keys clients WATCH. */
  readonly watches: WatchRegistry;
  /** When the server started (ms). */
  readonly startedAt: number = Date.now();
  /** The address it listens on. */
  readonly addr: Deno.NetAddr;
  /** Resolves when the server has stopped. */
  readonly finished: Promise<void>;

  lastSave: number = Math.floor(Date.now() / 1000);
  readonly #listener: Deno.Listener;
  readonly #clients = new Map<number, Connection>();
  readonly #log: (message: string) => void;
  #nextId = 0;
  #password: Password | null = null;
  #queue: Connection[] = [];
  #scheduled = false;
  #batchTime = Date.now();
  #afterBatch: (() => void)[] = [];
  #closing: Promise<void> | null = null;
  // Closes clients idle longer than `timeout` seconds, as Redis's clientsCron does.
  readonly #idleTimer: ReturnType<typeof setInterval>;
  #shutdownRequested = false;

  private constructor(db: Db, listener: Deno.Listener, options: ServerOptions) {
    this.db = db;
    this.store = scopeOf(db).store;
    this.blocking = new Blocking(this.store);
    this.watches = new WatchRegistry(this.store);
    this.#listener = listener;
    this.addr = listener.addr as Deno.NetAddr;
    this.#log = options.log ?? (() => {});
    this.config = new Config(this.#configOverrides(options));
    this.#applyConfig();
    this.#idleTimer = setInterval(() => this.#closeIdleClients(), 1000);
    Deno.unrefTimer(this.#idleTimer);
    this.finished = this.#accept();
  }

  #closeIdleClients(): void {
    const timeout = Number(this.config.get("timeout"));
    if (timeout <= 0) return;
    const limit = Date.now() - timeout * 1000;
    for (const client of this.#clients.values()) {
      // As Redis: subscribers wait for messages and blocked clients for their reply, however
      // long (a blocking command has a timeout of its own); they are never idle.
      if (client.subscriptions.active || client.blocked) continue;
      if (client.waitingForInput && client.lastInteraction < limit) client.kill();
    }
  }

  /**
   * Starts listening. Throws when the address is in use or not permitted.
   *
   * @example
   * ```ts
   * const server = Server.listen(Db.openMemory(), { hostname: "127.0.0.1", port: 0 });
   * server.addr.port; // the port it picked
   * await server.close();
   * ```
   */
  static listen(db: Db, options: ServerOptions = {}): Server {
    const address = { hostname: options.hostname ?? "127.0.0.1", port: options.port ?? 6767 };
    const listener = options.tls === undefined
      ? Deno.listen(address)
      : Deno.listenTls({ ...address, cert: options.tls.cert, key: options.tls.key });
    return new Server(db, listener, options);
  }

  #configOverrides(options: ServerOptions): Record<string, string> {
    const path = this.store.path;
    const slash = path.lastIndexOf("/");
    const overrides: Record<string, string> = {
      port: String(this.addr.port),
      bind: this.addr.hostname,
      requirepass: options.password ?? "",
      maxclients: String(options.maxClients ?? 10000),
      "protected-mode": options.protectedMode === false ? "no" : "yes",
      // Redlite writes every change to its file at once: no snapshots, no append-only file.
      save: "",
      appendonly: "no",
    };
    if (path !== ":memory:") {
      overrides.dir = slash < 0 ? "." : path.slice(0, slash) || "/";
      overrides.dbfilename = path.slice(slash + 1);
    }
    return overrides;
  }

  // The parameters that mean something here take effect now and whenever CONFIG SET changes them.
  #applyConfig(): void {
    const apply: Record<string, (value: string) => void> = {
      requirepass: (value) => {
        this.#password = value === "" ? null : new Password(new TextEncoder().encode(value));
      },
      "proto-max-bulk-len": (value) => {
        this.limits.maxBulkLength = Number(value);
      },
      "client-query-buffer-limit": (value) => {
        this.limits.maxQueryBuffer = Number(value);
      },
      "client-output-buffer-limit": (value) => {
        const limit = pubsubOutputLimit(value);
        if (limit !== null) this.pubsub.outputLimit = limit;
      },
    };
    for (const [name, listener] of Object.entries(apply)) {
      listener(this.config.get(name));
      this.config.listen(name, listener);
    }
  }

  /** Whether clients must authenticate. */
  get passwordRequired(): boolean {
    return this.#password !== null;
  }

  /** Whether `password` is the configured one (compared in constant time). */
  checkPassword(password: Uint8Array): boolean {
    return this.#password !== null && this.#password.matches(password);
  }

  /** Every connected client, in connection order. */
  clients(): readonly Connection[] {
    return [...this.#clients.values()];
  }

  /** INFO's text for the sections asked for. */
  info(db: Db, sections: readonly string[]): string {
    return infoText(this, db, sections);
  }

  /** CONFIG GET. */
  configGet(patterns: readonly Uint8Array[]): [string, string][] {
    return this.config.matching(patterns);
  }

  /** CONFIG SET. */
  configSet(pairs: readonly [Uint8Array, Uint8Array][]): void {
    this.config.set(pairs);
  }

  /** A parameter's current value. */
  configValue(name: string): string {
    return this.config.get(name);
  }

  /** CONFIG RESETSTAT. */
  resetStats(): void {
    this.stats = newStats();
  }

  /**
   * SAVE and BGSAVE: a checkpoint of the write-ahead log into the database file, after the
   * running batch commits.
   */
  save(): void {
    const checkpoint = () => {
      this.store.checkpoint();
      this.lastSave = Math.floor(Date.now() / 1000);
    };
    if (this.store.inTransaction) this.#afterBatch.push(checkpoint);
    else checkpoint();
  }

  /** SHUTDOWN: stops the server once the running batch is answered. */
  shutdown(): void {
    this.#shutdownRequested = true;
  }

  /** CLIENT UNBLOCK. */
  unblockClient(id: number, error: boolean): boolean {
    return this.blocking.unblock(id, error);
  }

  /** Logs a message about the server. */
  log(message: string): void {
    this.#log(message);
  }

  /**
   * The reply for an error a command threw: Redis's errors as they are, a fault of the storage
   * (full disk, busy lock) as {@linkcode storageErrorReply} words it, anything else as `ERR`
   * with its message. Rethrows when SQLite has given up the batch's transaction or a command
   * failed after writing, so that the whole batch fails rather than commit half of it.
   */
  errorReply(error: unknown): RedisError {
    if (error instanceof RedisError) return error;
    if (error instanceof PartialWriteError) throw error;
    if (this.store.inTransaction && !this.store.sql.isTransaction) throw error;
    const reply = this.#storageError(error);
    this.log(`command failed: ${reply.message}`);
    return reply;
  }

  #storageError(error: unknown): RedisError {
    const busyTimeout = this.store.get("PRAGMA busy_timeout")?.timeout;
    return storageErrorReply(error, Number(busyTimeout ?? 0));
  }

  /** When the running batch (or the last one) started, in ms: one clock read per batch. */
  get batchTime(): number {
    return this.#batchTime;
  }

  /** Queues a client whose commands are ready; they run in the next batch. */
  enqueue(connection: Connection): void {
    this.#queue.push(connection);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // A microtask runs once every read that completed in this turn of the event loop has queued
    // its client: all of them share one batch.
    queueMicrotask(this.#runBatch);
  }

  // Runs every queued client's commands. Reads run as they come; from the first write on, the
  // rest of the batch runs in one write transaction, and every reply waits for its COMMIT.
  #runBatch = (): void => {
    this.#scheduled = false;
    this.#batchTime = Date.now();
    const batch = this.#queue;
    this.#queue = [];
    let next = 0;
    let failure: RedisError | undefined;
    this.blocking.batchStarted();
    try {
      this.store.readBatch(() => {
        while (next < batch.length && batch[next].process(false)) next++;
      });
      if (next < batch.length) {
        this.store.writeBatch(() => {
          for (; next < batch.length; next++) batch[next].process(true);
        });
      }
    } catch (error) {
      // Nothing of the batch's write transaction was committed: every reply that depended on
      // it becomes this error.
      const reply = this.#storageError(error);
      this.log(`a batch could not be committed: ${reply.message}`);
      for (const connection of batch) connection.writeFailed(reply);
      failure = reply;
    }
    this.store.endBatch();
    this.blocking.batchDone(failure);
    const afterBatch = this.#afterBatch;
    this.#afterBatch = [];
    for (const task of afterBatch) task();
    for (const connection of batch) connection.batchDone();
    if (this.#shutdownRequested) this.close();
  };

  /** Forgets a client whose connection is closed. */
  forget(connection: Connection): void {
    this.#clients.delete(connection.id);
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        if (this.#clients.size >= Number(this.config.get("maxclients"))) {
          this.#refuse(conn, MAX_CLIENTS_ERROR);
          continue;
        }
        if (this.#protectedModeRefuses(conn)) {
          this.#refuse(conn, PROTECTED_MODE_DENIED);
          continue;
        }
        if ("setNoDelay" in conn) (conn as Deno.TcpConn).setNoDelay(true);
        this.stats.connections++;
        const connection = new Connection(this, conn, ++this.#nextId);
        this.#clients.set(connection.id, connection);
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
    await this.#closing;
  }

  // Redis's protected mode: no password, and a client from outside the loopback interface.
  #protectedModeRefuses(conn: Deno.Conn): boolean {
    return this.#password === null && this.config.get("protected-mode") === "yes" &&
      !isLoopbackClient(conn.remoteAddr);
  }

  // Sends a refused connection its error (best effort, as Redis does) and ends it: our side
  // first, then whatever the client still sends is read and dropped until it closes, so that
  // the error is not lost to a reset. At most a second (a TLS client that never completes its
  // handshake, a client that never closes).
  #refuse(conn: Deno.Conn, error: Uint8Array): void {
    this.stats.rejected++;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      try {
        conn.close();
      } catch {
        // already closed
      }
    };
    const timer = setTimeout(close, 1000);
    Deno.unrefTimer(timer);
    (async () => {
      await conn.write(error);
      await conn.closeWrite();
      const sink = new Uint8Array(4096);
      while (!closed && await conn.read(sink) !== null);
    })().catch(() => {}).finally(close);
  }

  /**
   * Stops the server: stops accepting, lets every client finish the batch it is in, closes
   * the connections. The database stays open.
   *
   * @example
   * ```ts
   * await Server.listen(Db.openMemory(), { port: 0 }).close();
   * ```
   */
  close(): Promise<void> {
    if (this.#closing === null) {
      clearInterval(this.#idleTimer);
      this.blocking.close();
      try {
        this.#listener.close();
      } catch {
        // already closed
      }
      const clients = this.clients();
      for (const client of clients) client.shutdown();
      this.#closing = Promise.all(clients.map((client) => client.done)).then(() => {});
    }
    return this.#closing;
  }
}
