/**
 * The SQLite connection behind a Redlite database: pragmas, schema, cached prepared statements,
 * write transactions with nesting, and the active expiration cycle. One Store is shared by a
 * `Db` and all of its sessions.
 *
 * @module
 */

import {
  DatabaseSync,
  type SQLInputValue,
  type SQLOutputValue,
  type StatementSync,
} from "node:sqlite";
import { KeyCache, MOST_CACHED_KEYS } from "./key_cache.ts";
import type { KeyMeta } from "./keyspace.ts";
import { migrate, requireCurrentSchema } from "./schema.ts";

/** How a database is opened. */
export interface DbOptions {
  /**
   * `"normal"` (the default): WAL with `synchronous=NORMAL`, durable against a crash of the
   * process. `"full"`: `synchronous=FULL`, durable against a crash of the machine too.
   */
  durability?: "normal" | "full";
  /** How long a write waits for another process's lock, in ms (default 5000). */
  busyTimeout?: number;
  /** Remove expired keys in the background (default true). */
  activeExpire?: boolean;
  /** Open the file read-only. */
  readOnly?: boolean;
}

/** The longest delay a timer takes (2^31 - 1 ms, about 24.8 days): the cycle's longest interval. */
export const MAX_TIMER_DELAY = 2 ** 31 - 1;

/** A row of a query, as an object with column names as keys. */
export type Row = Record<string, SQLInputValue>;

// Node's `statement.setReturnArrays()` (Node 24), which Deno has and its bundled types lack.
type ArrayModeStatement = StatementSync & { setReturnArrays(enabled: boolean): void };

/** A row of a query as its column values in order: cheaper to build than a {@linkcode Row}. */
export type Values = SQLOutputValue[];

// How a statement uses what the key cache of a batch keeps: the keys table (read, or written);
// the lists table, whose end chunks the batch may write late, and the hashes table, whose fields'
// values the batch may write late (a statement that names either table first makes those
// writes, and the batch then forgets the chunks); the hashes, sets and zsets tables, whose
// fields, members and scores the batch may know (a statement that writes one of them makes the
// batch forget them).
const CACHE_UNUSED = 0;
const KEYS_READ = 1;
const KEYS_WRITTEN = 2;
const LISTS_USED = 4;
const HASHES_USED = 8;
const ELEMENTS_WRITTEN = 16;
const KEYS_USED = KEYS_READ | KEYS_WRITTEN;

const WRITING_SQL = /\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b/i;

function cacheUse(sql: string): number {
  let use = CACHE_UNUSED;
  if (/\blists\b/i.test(sql)) use |= LISTS_USED;
  const hashes = /\bhashes\b/i.test(sql);
  if (hashes) use |= HASHES_USED;
  const writes = WRITING_SQL.test(sql);
  if (writes && (hashes || /\b(sets|zsets)\b/i.test(sql))) use |= ELEMENTS_WRITTEN;
  if (/\bkeys\b/i.test(sql)) use |= writes ? KEYS_WRITTEN : KEYS_READ;
  return use;
}

/**
 * The SQL that SQLite prepares for a statement's text: a LIMIT given as a bare parameter (`LIMIT
 * ?`) becomes `LIMIT +?`, the same value. SQLite's planner reads a bare LIMIT parameter's
 * bound value, so every new binding of it expires the statement and the next run prepares it
 * again: 2 to 3 µs per run for a one-row lookup, more for a longer statement. Through `+?` the
 * planner does not read it.
 *
 * @example
 * ```ts
 * preparedSql("SELECT value FROM lists WHERE key_id = ? LIMIT ? OFFSET ?");
 * // "SELECT value FROM lists WHERE key_id = ? LIMIT +? OFFSET ?"
 * ```
 */
export function preparedSql(sql: string): string {
  return sql.replace(/\b(LIMIT\s+)\?/gi, "$1+?");
}

/** A prepared statement and how it uses what the key cache keeps ({@linkcode cacheUse}). */
interface Prepared {
  readonly statement: StatementSync;
  readonly cacheUse: number;
}

/** How many pages the WAL holds before a commit copies them into the database file. */
export const WAL_CHECKPOINT_PAGES = 10_000;

const CHECKPOINT_SQL = "PRAGMA wal_checkpoint(TRUNCATE)";
/** How long {@linkcode Store.checkpoint} waits between two tries. */
const CHECKPOINT_RETRY_MS = 2;
// What Atomics.wait sleeps on (nothing ever wakes it: it times out).
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

// What a write changed: how many rows, and the id of the last row inserted.
const COUNTS_SQL = "SELECT changes(), last_insert_rowid()";

const FLUSH_SIZE_SQL = "UPDATE keys SET size = ?, version = ?, updated_at = ? WHERE id = ?";
const FLUSH_VALUE_SQL =
  "UPDATE keys SET value = ?, expire_at = ?, version = ?, updated_at = ? WHERE id = ?";
// Triggers that record every write of a key (HISTORY) or index a value at once (FTS): a batch
// with either keeps no write back.
const RECORDING_TRIGGERS_SQL =
  "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'trigger' " +
  "AND (name GLOB 'history_*' OR name GLOB 'fts_*'))";
// What tells whether the database may have changed since a point: the rows this connection has
// changed, ever (triggers' too, and rolled back ones), and the count of other connections'
// commits (read inside a transaction, its snapshot's). Two statements: as table-valued
// functions in one, the pragmas cost three times as much.
const TOTAL_CHANGES_SQL = "SELECT total_changes()";
const DATA_VERSION_SQL = "PRAGMA data_version";
const SCHEMA_VERSION_SQL = "PRAGMA schema_version";

/**
 * Thrown out of a batch of writes ({@linkcode Store.writeBatch}) when a command failed after
 * it had changed something: without a savepoint per command its changes cannot be undone
 * alone, so the whole batch rolls back. Commands check their arguments and types before they
 * write, so this means a failure of SQLite itself (a full disk, an I/O error) or a bug.
 *
 * @example
 * ```ts
 * new PartialWriteError(new Error("disk I/O error")).message;
 * // "a command failed after writing: disk I/O error"
 * ```
 */
export class PartialWriteError extends Error {
  /** SQLite's result code when SQLite failed (as `node:sqlite` errors carry it). */
  readonly errcode?: number;

  /** @param cause what the command threw */
  constructor(cause: unknown) {
    super(`a command failed after writing: ${(cause as Error)?.message ?? String(cause)}`, {
      cause,
    });
    this.name = "PartialWriteError";
    const errcode = (cause as { errcode?: unknown } | null)?.errcode;
    if (typeof errcode === "number") this.errcode = errcode;
  }
}

/**
 * A callback run after each commit of a write transaction, with the store: blocking
 * commands and WATCH use it.
 */
export type CommitListener = () => void;

/**
 * The SQLite connection and what every data module needs from it.
 *
 * @example
 * ```ts
 * const store = Store.open(":memory:");
 * store.write(() => store.run("INSERT INTO keys (db, key, type, version, created_at, updated_at) VALUES (0, x'61', 1, 1, 0, 0)"));
 * store.close();
 * ```
 */
export class Store {
  /** The connection. */
  readonly sql: DatabaseSync;
  /** The file, or `:memory:`. */
  readonly path: string;
  readonly #statements = new Map<string, Prepared>();
  // The same SQL prepared to return rows as arrays (a statement has one mode).
  readonly #arrayStatements = new Map<string, Prepared>();
  // The key cache of the running batch, null outside one (and in a batch that keeps no write back).
  #keyCache: KeyCache | null = null;
  // Set when a batch begins: the cache is taken up when a command first asks for it, so that a
  // batch that never reads the database (PING) costs no statement for it.
  #keyCacheOffered = false;
  // A write kept back counts as a change of the command (guard) and of the transaction.
  readonly #idleKeyCache = new KeyCache(() => this.#changed());
  // The change marks (#changeMarks) at the end of the server batch whose key cache the next
  // batch may use: null when the cache holds nothing from a batch that ended.
  #keptCacheMarks: [changes: number, dataVersion: number] | null = null;
  // The schema version at which triggers were last looked for, and whether they allow the cache.
  #checkedSchema = -1;
  #keyCacheAllowed = false;
  // Other connections' commits (`PRAGMA data_version`) as of that look, when known; -1 otherwise.
  #checkedSchemaAt = -1;
  #depth = 0;
  // Statements that changed something, ever: tells whether a failed command had written.
  #changes = 0;
  // Inside writeBatch: nested writes take no savepoint.
  #batch = false;
  #lastVersion = 0;
  readonly #versionOffset = Math.floor(Math.random() * 1024);
  #expireTimer: ReturnType<typeof setTimeout> | undefined;
  #expireEnabled = false;
  #expireInterval = 100;
  readonly #cycleTasks = new Set<(now: number) => void>();
  #commitListeners = new Set<CommitListener>();
  /** Set when a write transaction changed something, cleared after the commit listeners ran. */
  #dirty = false;

  private constructor(sql: DatabaseSync, path: string) {
    this.sql = sql;
    this.path = path;
  }

  /**
   * Opens (or creates) a database file and brings its schema up to date. Throws a clear error
   * when the file is not a SQLite database or was written by a newer Redlite; the file is never
   * rewritten in that case.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:", { durability: "full" });
   * store.close();
   * ```
   */
  static open(path: string, options: DbOptions = {}): Store {
    let sql: DatabaseSync;
    try {
      sql = new DatabaseSync(path, { readOnly: options.readOnly ?? false });
    } catch (error) {
      throw new Error(`cannot open ${path}: ${(error as Error).message}`, { cause: error });
    }
    try {
      sql.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeout ?? 5000)}`);
      // Reading the schema first: a file that is not a database fails here, before any write.
      sql.prepare("SELECT count(*) FROM sqlite_schema").get();
      if (path !== ":memory:" && !options.readOnly) sql.exec("PRAGMA journal_mode = WAL");
      sql.exec(`PRAGMA synchronous = ${options.durability === "full" ? "FULL" : "NORMAL"}`);
      sql.exec("PRAGMA temp_store = MEMORY");
      // A checkpoint every 10,000 WAL pages (40 MB) instead of SQLite's 1,000: it copies each
      // page once however often it was written since, so writes of random keys, each dirtying
      // a page of its own, cost less. (The WAL file goes when the last connection closes.)
      sql.exec(`PRAGMA wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
      // 32 MB of page cache: the server on a 10-million-key file stays under 200 MB resident, and
      // the pages beyond it come from the operating system's cache.
      sql.exec("PRAGMA cache_size = -32768");
      if (options.readOnly) requireCurrentSchema(sql);
      else migrate(sql);
    } catch (error) {
      sql.close();
      const message = (error as Error).message;
      if (/file is not a database|file is encrypted/.test(message)) {
        throw new Error(`cannot open ${path}: it is not a SQLite database`, { cause: error });
      }
      throw new Error(`cannot open ${path}: ${message}`, { cause: error });
    }
    const store = new Store(sql, path);
    if (options.activeExpire ?? !options.readOnly) store.setActiveExpire(true);
    return store;
  }

  /**
   * A cached prepared statement for the SQL text.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.statement("SELECT count(*) AS n FROM keys").get(); // { n: 0 }
   * ```
   */
  statement(sql: string): StatementSync {
    let prepared = this.#statements.get(sql);
    if (prepared === undefined) {
      prepared = { statement: this.sql.prepare(preparedSql(sql)), cacheUse: cacheUse(sql) };
      this.#statements.set(sql, prepared);
    }
    if (prepared.cacheUse !== CACHE_UNUSED && this.#keyCache !== null) {
      this.#beforeCached(prepared.cacheUse);
    }
    return prepared.statement;
  }

  /**
   * A cached prepared statement for the SQL text that returns rows as arrays of column values
   * (what {@linkcode values}, {@linkcode change} and {@linkcode changeReturning} run).
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.arrayStatement("SELECT 1, 2").get(); // [1, 2]
   * ```
   */
  arrayStatement(sql: string): StatementSync {
    const prepared = this.#arrayPrepared(sql);
    if (prepared.cacheUse !== CACHE_UNUSED && this.#keyCache !== null) {
      this.#beforeCached(prepared.cacheUse);
    }
    return prepared.statement;
  }

  #arrayPrepared(sql: string): Prepared {
    let prepared = this.#arrayStatements.get(sql);
    if (prepared === undefined) {
      const statement = this.sql.prepare(preparedSql(sql));
      (statement as ArrayModeStatement).setReturnArrays(true);
      prepared = { statement, cacheUse: cacheUse(sql) };
      this.#arrayStatements.set(sql, prepared);
    }
    return prepared;
  }

  // Before a statement outside the key cache (see cacheUse): one of the keys table reads the
  // kept-back writes, and whatever it writes, the cache no longer knows. One naming the lists or
  // hashes table sees the batch's list chunks and field writes made (and the batch forgets the
  // chunks: the statement may change them). One that writes
  // the hashes, sets or zsets table makes the batch forget the elements it knew, once its field
  // writes are made (a later HSET of a forgotten field writes at once).
  #beforeCached(use: number): void {
    const cache = this.#keyCache!;
    if (
      (use & KEYS_USED) !== 0 ||
      ((use & LISTS_USED) !== 0 && cache.hasListEnds) ||
      ((use & (HASHES_USED | ELEMENTS_WRITTEN)) !== 0 && cache.hasPendingFields)
    ) {
      this.#flushPending();
    }
    if ((use & KEYS_WRITTEN) !== 0) cache.clear();
    else if ((use & ELEMENTS_WRITTEN) !== 0) cache.forgetElements();
    if ((use & LISTS_USED) !== 0) cache.forgetListEnds();
  }

  #flushPending(): void {
    const cache = this.#keyCache;
    if (
      cache === null || !(cache.hasPending || cache.hasListEnds || cache.hasPendingFields)
    ) return;
    try {
      for (const write of cache.takePending()) {
        if (write.value === undefined) {
          this.#arrayPrepared(FLUSH_SIZE_SQL).statement
            .get(write.size, write.version, write.updatedAt, write.id);
        } else {
          this.#arrayPrepared(FLUSH_VALUE_SQL).statement
            .get(write.value, write.expireAt, write.version, write.updatedAt, write.id);
        }
      }
      for (const [sql, ...params] of cache.takeChunkWrites()) {
        this.#arrayPrepared(sql).statement.get(...params);
      }
      for (const write of cache.takePendingFields()) {
        this.#arrayPrepared(write.sql).statement.get(write.value, write.id, write.field);
      }
    } catch (error) {
      // Commands were answered as if these writes were done: the whole batch must fail.
      throw new PartialWriteError(error);
    }
  }

  /**
   * The key cache of the running batch ({@linkcode writeBatch}, {@linkcode readBatch}), or null:
   * outside a batch, and in a batch where HISTORY or FTS triggers record every write.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.keyCache; // null
   * ```
   */
  get keyCache(): KeyCache | null {
    if (this.#keyCacheOffered) {
      this.#keyCacheOffered = false;
      if (this.#keyCacheFits()) this.#keyCache = this.#idleKeyCache;
    }
    return this.#keyCache;
  }

  /**
   * Runs a query of one key's row by name that the key cache had no entry for, without flushing
   * the kept-back writes: none of them is that key's. Only for the finders of `keyspace.ts`.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.valuesBesideCache("SELECT id FROM keys WHERE db = ? AND key = ?", 0, new Uint8Array([107])); // undefined
   * ```
   */
  valuesBesideCache(sql: string, ...params: SQLInputValue[]): Values | undefined {
    return this.#arrayPrepared(sql).statement.get(...params) as Values | undefined;
  }

  /**
   * Runs the INSERT of a new key's row without emptying the key cache (a new key changes no
   * cached one); returns the row's id, or null when it inserted nothing (`ON CONFLICT DO
   * NOTHING`). Only for the modules that create keys by name.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.write(() => store.insertBesideCache("INSERT INTO keys (db, key, type, version, created_at, updated_at) VALUES (0, x'61', 1, 1, 0, 0)")); // 1
   * ```
   */
  insertBesideCache(sql: string, ...params: SQLInputValue[]): number | null {
    this.#arrayPrepared(sql).statement.get(...params);
    const [changes, id] = this.#counts();
    if (changes === 0) return null;
    this.#changed();
    return id as number;
  }

  /**
   * {@linkcode change} beside the key cache: a write of a table's rows that no write the batch
   * keeps back is for, and that leaves what the cache knows true (HSET and SADD writing an element
   * they then record as present). Counts as a change.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.write(() => store.writeBesideCache("INSERT INTO sets (key_id, member) VALUES (1, x'61')"));
   * ```
   */
  writeBesideCache(sql: string, ...params: SQLInputValue[]): void {
    this.#arrayPrepared(sql).statement.get(...params);
    this.#changed();
  }

  /**
   * Runs a write of one key's row by name that the key cache had no entry for (so none of the
   * kept-back writes is that key's) without emptying the cache, and returns how many rows it
   * changed: for a write of a key the batch does not cache.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.write(() => store.runBesideCache("UPDATE keys SET version = 2 WHERE db = 0 AND key = x'61'")); // 0
   * ```
   */
  runBesideCache(sql: string, ...params: SQLInputValue[]): number {
    this.#arrayPrepared(sql).statement.get(...params);
    const changes = this.#counts()[0] as number;
    if (changes > 0) this.#changed();
    return changes;
  }

  /**
   * Caches a key's metadata for the rest of the batch, when one runs (a bounded number of keys:
   * beyond it the cache is flushed and starts again).
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.rememberKey(0, new Uint8Array([107]), { id: 1, type: 2, size: 1, expireAt: null, version: 1 });
   * ```
   */
  rememberKey(db: number, key: Uint8Array, meta: KeyMeta, value?: Uint8Array): void {
    const cache = this.#keyCache;
    if (cache === null) return;
    if (cache.size >= MOST_CACHED_KEYS) {
      this.#flushPending();
      cache.clear();
    }
    cache.remember(db, key, meta, value);
  }

  /**
   * The first row of a query as its column values in order, or undefined: the cheaper form of
   * {@linkcode get} for hot paths.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.values("SELECT 1, 'a'"); // [1, "a"]
   * ```
   */
  values(sql: string, ...params: SQLInputValue[]): Values | undefined {
    return this.arrayStatement(sql).get(...params) as Values | undefined;
  }

  /**
   * All rows of a query as arrays of their column values: the cheaper form of {@linkcode all}
   * for long results (LRANGE, ZRANGE).
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.allValues("SELECT 1, 'a' UNION SELECT 2, 'b'"); // [[1, "a"], [2, "b"]]
   * ```
   */
  allValues(sql: string, ...params: SQLInputValue[]): Values[] {
    return this.arrayStatement(sql).all(...params) as unknown as Values[];
  }

  /**
   * Runs a writing statement whose change count is not needed (an INSERT or an UPDATE known to
   * hit its row): cheaper than {@linkcode run}, which builds a result object. Counts as a change.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.write(() => store.change("UPDATE keys SET size = 0 WHERE id = ?", 1));
   * ```
   */
  change(sql: string, ...params: SQLInputValue[]): void {
    this.arrayStatement(sql).get(...params);
    this.#changed();
  }

  /**
   * Runs a writing statement with a RETURNING clause and returns its first row's values, or
   * undefined when it changed nothing: {@linkcode runReturning} with the row as an array.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.write(() => store.changeReturning("DELETE FROM keys WHERE id = ? RETURNING key", 1)); // undefined
   * ```
   */
  changeReturning(sql: string, ...params: SQLInputValue[]): Values | undefined {
    const row = this.arrayStatement(sql).get(...params) as Values | undefined;
    if (row !== undefined) this.#changed();
    return row;
  }

  /**
   * The first row of a query, or undefined.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.get("SELECT 1 AS one"); // { one: 1 }
   * ```
   */
  get(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.statement(sql).get(...params) as Row | undefined;
  }

  /**
   * All rows of a query.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.all("SELECT 1 AS one UNION SELECT 2"); // [{ one: 1 }, { one: 2 }]
   * ```
   */
  all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.statement(sql).all(...params) as Row[];
  }

  /**
   * Runs a statement and returns how many rows it changed.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.run("DELETE FROM keys"); // 0
   * ```
   */
  run(sql: string, ...params: SQLInputValue[]): number {
    this.arrayStatement(sql).get(...params);
    const changes = this.#counts()[0] as number;
    if (changes > 0) this.#changed();
    return changes;
  }

  /**
   * Runs a writing statement with a RETURNING clause and returns its first row, or undefined
   * when it changed nothing: one statement that writes and reads back (`UPDATE ... RETURNING`).
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.runReturning("DELETE FROM keys WHERE id = ? RETURNING key", 1); // undefined
   * ```
   */
  runReturning(sql: string, ...params: SQLInputValue[]): Row | undefined {
    const row = this.statement(sql).get(...params) as Row | undefined;
    if (row !== undefined) this.#changed();
    return row;
  }

  /**
   * Runs an INSERT and returns the new row's id.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.write(() => store.insert("INSERT INTO keys (db, key, type, version, created_at, updated_at) VALUES (0, x'61', 1, 1, 0, 0)")); // 1
   * ```
   */
  insert(sql: string, ...params: SQLInputValue[]): number {
    this.arrayStatement(sql).get(...params);
    this.#changed();
    return this.#counts()[1] as number;
  }

  // node:sqlite's run() costs about as much again as the statement, building its result object;
  // the store runs writes with get() and asks SQLite for the counts when it needs them: how many
  // rows the last statement changed, and the last row id it inserted.
  #counts(): Values {
    return this.#arrayPrepared(COUNTS_SQL).statement.get() as unknown as Values;
  }

  // BEGIN, COMMIT and the like (run() would build a result object for nothing).
  #control(sql: string): void {
    this.#arrayPrepared(sql).statement.get();
  }

  /**
   * Copies the write-ahead log into the database file and empties it (a TRUNCATE checkpoint;
   * outside a transaction). Another connection's checkpoint (the CLI server's background one)
   * holds the checkpoint lock for a few milliseconds at a time, and SQLite does not wait for
   * that lock: this tries again until the busy timeout. Returns whether the log was emptied.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.checkpoint(); // true: an in-memory database has no log
   * ```
   */
  checkpoint(): boolean {
    if (this.path === ":memory:") return true;
    const timeout = Number(this.get("PRAGMA busy_timeout")?.timeout ?? 0);
    const deadline = Date.now() + timeout;
    for (;;) {
      const [busy] = this.#arrayPrepared(CHECKPOINT_SQL).statement.get() as unknown as Values;
      if (busy === 0) return true;
      if (Date.now() >= deadline) return false;
      Atomics.wait(PAUSE, 0, 0, CHECKPOINT_RETRY_MS);
    }
  }

  /** Whether a transaction is open. */
  get inTransaction(): boolean {
    return this.#depth > 0;
  }

  /**
   * Runs `fn` atomically: in a `BEGIN IMMEDIATE` transaction, or in a SAVEPOINT when one is
   * already open. If `fn` throws, its changes are rolled back and the error rethrown.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.write(() => store.write(() => store.run("DELETE FROM keys")));
   * ```
   */
  write<T>(fn: () => T): T {
    if (this.#depth > 0) return this.#batch ? fn() : this.#nested(fn);
    this.#control("BEGIN IMMEDIATE");
    this.#depth = 1;
    let result: T;
    try {
      result = fn();
      this.#flushPending();
    } catch (error) {
      this.#endKeyCache();
      this.#depth = 0;
      this.#dirty = false;
      if (this.sql.isTransaction) this.#control("ROLLBACK");
      throw error;
    }
    this.#endKeyCache(true);
    try {
      this.#control("COMMIT");
    } catch (error) {
      // The cache kept for the next batch holds what this transaction wrote.
      this.#forgetKeptKeyCache();
      this.#depth = 0;
      this.#dirty = false;
      if (this.sql.isTransaction) this.#control("ROLLBACK");
      throw error;
    }
    this.#depth = 0;
    this.#afterCommit();
    return result;
  }

  /**
   * Runs SQL that changes the schema (HISTORY and FTS create and drop their triggers): what the
   * running batch kept back is written first, and the batch keeps nothing back from then on, as
   * the new triggers may record every write.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.execSchema("CREATE TRIGGER IF NOT EXISTS t AFTER DELETE ON keys BEGIN SELECT 1; END");
   * ```
   */
  execSchema(sql: string): void {
    this.#flushPending();
    this.#endKeyCache();
    this.#forgetKeptKeyCache();
    this.#checkedSchema = -1;
    this.#checkedSchemaAt = -1;
    this.sql.exec(sql);
  }

  // Ends the transaction's use of the key cache. With `keep` (the transaction's statements all
  // ran, its kept-back writes are written, and it is about to commit), the cache stays for the
  // next server batch with the change marks of this point: that batch uses it only when the marks
  // have not moved (#keyCacheFits), so that hot keys cost no lookup from batch to batch.
  // Otherwise it is emptied.
  #endKeyCache(keep = false): void {
    this.#keyCacheOffered = false;
    const cache = this.#keyCache;
    if (cache === null) return;
    this.#keyCache = null;
    if (keep && cache.keepable) {
      this.#keptCacheMarks = this.#changeMarks();
      cache.endTransaction();
      return;
    }
    cache.clear();
    this.#keptCacheMarks = null;
  }

  // This connection's changed rows and other connections' commits, as SQLite counts them now.
  #changeMarks(): [changes: number, dataVersion: number] {
    return [
      this.valuesBesideCache(TOTAL_CHANGES_SQL)![0] as number,
      this.valuesBesideCache(DATA_VERSION_SQL)![0] as number,
    ];
  }

  // Empties the cache an earlier batch kept.
  #forgetKeptKeyCache(): void {
    if (this.#keptCacheMarks === null) return;
    this.#keptCacheMarks = null;
    this.#idleKeyCache.clear();
  }

  // Whether a batch may keep writes back: not while HISTORY or FTS triggers exist (looked for
  // again only when the schema changed). What a cache kept from an earlier batch knows is still
  // true when neither this connection (anything it ran in between: a command outside a batch,
  // an expiry, an embedded call) nor another one has changed a row since that batch ended; else
  // it is emptied first.
  //
  // The schema needs no look while `data_version` stands where it stood at the last look: another
  // connection's schema change is a commit, which moves it, and this connection changes its schema
  // through execSchema only, which forgets the look.
  #keyCacheFits(): boolean {
    const kept = this.#keptCacheMarks;
    let dataVersion = -1;
    if (kept !== null) {
      const [changes, version] = this.#changeMarks();
      dataVersion = version;
      if (changes !== kept[0] || version !== kept[1]) this.#forgetKeptKeyCache();
    }
    if (dataVersion === -1 || dataVersion !== this.#checkedSchemaAt) {
      const version = this.valuesBesideCache(SCHEMA_VERSION_SQL)![0] as number;
      if (version !== this.#checkedSchema) {
        this.#checkedSchema = version;
        this.#keyCacheAllowed = this.valuesBesideCache(RECORDING_TRIGGERS_SQL)![0] === 0;
      }
      this.#checkedSchemaAt = dataVersion;
    }
    return this.#keyCacheAllowed;
  }

  /**
   * Runs many commands in one write transaction (group commit), where a savepoint per command
   * would cost as much as a statement: `fn` runs each command through {@linkcode guard}, which
   * lets a command's own error (it wrote nothing) go back to it, and turns a failure after a
   * write into a {@linkcode PartialWriteError} that rolls the whole batch back.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.writeBatch(() => {
   *   store.guard(() => store.run("DELETE FROM keys WHERE id = 1"));
   * });
   * ```
   */
  writeBatch<T>(fn: () => T): T {
    if (this.#depth > 0) throw new Error("writeBatch inside a transaction");
    this.#batch = true;
    try {
      return this.write(() => {
        this.#keyCacheOffered = true;
        return fn();
      });
    } finally {
      this.#batch = false;
    }
  }

  /**
   * Runs one command of a {@linkcode writeBatch}: rethrows its error as it is when the command
   * changed nothing, as a {@linkcode PartialWriteError} when it did. Outside a batch, just runs
   * `fn` (its writes have their own transaction or savepoint).
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.guard(() => store.get("SELECT 1 AS one")); // { one: 1 }
   * ```
   */
  guard<T>(fn: () => T): T {
    if (!this.#batch) return fn();
    const before = this.#changes;
    try {
      return fn();
    } catch (error) {
      if (this.#changes !== before && !(error instanceof PartialWriteError)) {
        throw new PartialWriteError(error);
      }
      throw error;
    }
  }

  /**
   * Runs writes that {@linkcode guard} does not count: removing a key whose time has passed,
   * found on the way to a write. The key was gone for every reader already, so a command that
   * fails after it has changed nothing (as Redis's LSET on an expired key deletes it and
   * answers "no such key").
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.write(() => store.uncounted(() => deleteKeyRow(store, 1, 1)));
   * ```
   */
  uncounted<T>(fn: () => T): T {
    const before = this.#changes;
    try {
      return fn();
    } finally {
      this.#changes = before;
    }
  }

  /**
   * Runs `fn`, whose statements only read, in one read transaction: its reads see one
   * snapshot and cost less than each in its own. A write inside it (rare: a write belongs in
   * {@linkcode write}) turns it into a write transaction. Inside a transaction, just runs `fn`.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.read(() => store.get("SELECT count(*) AS n FROM keys")); // { n: 0 }
   * ```
   */
  read<T>(fn: () => T): T {
    if (this.#depth > 0) return fn();
    this.#control("BEGIN");
    this.#depth = 1;
    let result: T;
    try {
      result = fn();
      this.#flushPending();
    } catch (error) {
      this.#endKeyCache();
      this.#depth = 0;
      this.#dirty = false;
      if (this.sql.isTransaction) this.#control("ROLLBACK");
      throw error;
    }
    this.#endKeyCache(true);
    this.#depth = 0;
    try {
      if (this.sql.isTransaction) this.#control("COMMIT");
    } catch (error) {
      // A read batch that wrote (rare) and could not commit: its cache knows those writes.
      this.#forgetKeptKeyCache();
      throw error;
    }
    this.#afterCommit();
    return result;
  }

  /**
   * {@linkcode read} for a batch of commands (the server's reads before its first write): the
   * batch's key cache ({@linkcode keyCache}) serves the keys it already found for as long as the
   * snapshot lasts.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.readBatch(() => store.get("SELECT count(*) AS n FROM keys")); // { n: 0 }
   * ```
   */
  readBatch<T>(fn: () => T): T {
    if (this.#depth > 0) throw new Error("readBatch inside a transaction");
    return this.read(() => {
      this.#keyCacheOffered = true;
      return fn();
    });
  }

  /**
   * Ends a server batch: its reads ({@linkcode readBatch}) and its writes ({@linkcode writeBatch}).
   * The keys it used more than once are cached from their first use in the next batch.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.writeBatch(() => store.get("SELECT count(*) AS n FROM keys"));
   * store.endBatch();
   * ```
   */
  endBatch(): void {
    this.#idleKeyCache.endBatch();
  }

  #nested<T>(fn: () => T): T {
    // What a read batch's cache kept back goes in before the savepoint, which may roll back to
    // here; after a rollback, the cache may know rows that are gone, and forgets them all.
    this.#flushPending();
    this.#control("SAVEPOINT nested");
    this.#depth++;
    try {
      const result = fn();
      this.#control("RELEASE nested");
      return result;
    } catch (error) {
      this.#control("ROLLBACK TO nested");
      this.#control("RELEASE nested");
      this.#keyCache?.clear();
      throw error;
    } finally {
      this.#depth--;
    }
  }

  // A statement outside a transaction committed on its own; inside one, the commit comes later.
  #changed(): void {
    this.#changes++;
    this.#dirty = true;
    if (this.#depth === 0) this.#afterCommit();
  }

  #afterCommit(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    for (const listener of this.#commitListeners) listener();
  }

  /**
   * Calls `listener` after every commit that changed something. Returns a function that removes it.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * const stop = store.onCommit(() => console.log("committed"));
   * stop();
   * ```
   */
  onCommit(listener: CommitListener): () => void {
    this.#commitListeners.add(listener);
    return () => this.#commitListeners.delete(listener);
  }

  /**
   * A new version number for a key: larger than any this store handed out before, and tied to
   * the clock so that a key deleted and created again does not repeat an old version. Each store
   * starts at its own random offset within the millisecond, so that two processes writing the
   * same key in the same millisecond rarely hand out the same version (WATCH compares them).
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.nextVersion() < store.nextVersion(); // true
   * store.nextVersion(Date.now()); // a command that read the clock already passes its time
   * ```
   */
  nextVersion(now: number = Date.now()): number {
    const candidate = now * 1024 + this.#versionOffset;
    this.#lastVersion = candidate > this.#lastVersion ? candidate : this.#lastVersion + 1;
    return this.#lastVersion;
  }

  /**
   * Removes up to `limit` keys whose time has passed, through the expiry index; returns how
   * many it removed.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.removeExpired(Date.now(), 100); // 0
   * ```
   */
  removeExpired(now: number, limit: number): number {
    const sql = "SELECT id, type FROM keys WHERE expire_at <= ? ORDER BY expire_at LIMIT ?";
    // Look without the write lock first: most cycles find nothing to do.
    if (this.get(sql, now, 1) === undefined) return 0;
    return this.write(() => {
      const rows = this.all(sql, now, limit);
      for (const row of rows) deleteKeyRow(this, row.id as number, row.type as number);
      return rows.length;
    });
  }

  /**
   * The active expiration cycle (AUTOVACUUM): whether it runs, and every how many ms.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.activeExpire; // { enabled: true, interval: 100 }
   * ```
   */
  get activeExpire(): { enabled: boolean; interval: number } {
    return { enabled: this.#expireEnabled, interval: this.#expireInterval };
  }

  /**
   * Starts or stops the active expiration cycle, or changes its interval (ms, from 1 to
   * {@linkcode MAX_TIMER_DELAY}). A change takes effect at once.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * store.setActiveExpire(true, 1000);
   * ```
   */
  setActiveExpire(enabled: boolean, interval: number = this.#expireInterval): void {
    if (!Number.isSafeInteger(interval) || interval < 1 || interval > MAX_TIMER_DELAY) {
      throw new RangeError(
        `the expiration cycle's interval must be a positive integer: ${interval}`,
      );
    }
    this.#expireInterval = interval;
    this.#expireEnabled = enabled;
    if (this.#expireTimer !== undefined) clearTimeout(this.#expireTimer);
    this.#expireTimer = undefined;
    if (enabled && this.sql.isOpen) this.#scheduleCycle(interval);
  }

  /**
   * Runs `task` with the time at the end of every cycle of the active expiration cycle (history
   * retention uses it). Returns a function that removes it.
   *
   * @example
   * ```ts
   * const store = Store.open(":memory:");
   * const stop = store.onCycle((now) => {});
   * stop();
   * ```
   */
  onCycle(task: (now: number) => void): () => void {
    this.#cycleTasks.add(task);
    return () => this.#cycleTasks.delete(task);
  }

  // As Redis's active expire cycle: every interval (100 ms by default, Redis's hz 10), remove a
  // bounded batch of expired keys, and go again at once while batches come back full.
  #scheduleCycle(delay: number): void {
    const timer = setTimeout(this.#cycle, delay);
    Deno.unrefTimer(timer);
    this.#expireTimer = timer;
  }

  #cycle = (): void => {
    this.#expireTimer = undefined;
    if (!this.sql.isOpen || !this.#expireEnabled) return;
    let removed = 0;
    try {
      if (!this.inTransaction) {
        const now = Date.now();
        removed = this.removeExpired(now, 200);
        for (const task of this.#cycleTasks) task(now);
      }
    } catch {
      // A busy or read-only file: try again next cycle.
    }
    this.#scheduleCycle(removed === 200 ? 0 : this.#expireInterval);
  };

  /**
   * Closes the connection (and stops the expiration cycle). Closing twice is harmless.
   *
   * @example
   * ```ts
   * Store.open(":memory:").close();
   * ```
   */
  close(): void {
    if (this.#expireTimer !== undefined) clearTimeout(this.#expireTimer);
    this.#expireTimer = undefined;
    if (!this.sql.isOpen) return;
    this.#statements.clear();
    this.sql.close();
  }
}

/**
 * The tables holding each type's elements (rows keyed by `key_id`), by the type's number in the
 * keys table. Strings have none: their value is in the keys row.
 */
export const ELEMENT_TABLES: Readonly<Record<number, readonly string[]>> = {
  2: ["hashes"],
  3: ["lists"],
  4: ["sets"],
  5: ["zsets"],
  6: [
    "streams",
    "stream_meta",
    "stream_nodes",
    "stream_groups",
    "stream_consumers",
    "stream_pending",
  ],
};

/** Every element table, for statements that clear all types at once (FLUSHDB, FLUSHALL). */
export const ALL_ELEMENT_TABLES: readonly string[] = Object.values(ELEMENT_TABLES).flat();

/**
 * Deletes a key's row and its elements. Must run inside a write transaction.
 *
 * @example
 * ```ts
 * const store = Store.open(":memory:");
 * store.write(() => deleteKeyRow(store, 1, 2));
 * ```
 */
export function deleteKeyRow(store: Store, id: number, type: number): void {
  for (const table of ELEMENT_TABLES[type] ?? []) {
    store.run(`DELETE FROM ${table} WHERE key_id = ?`, id);
  }
  store.run("DELETE FROM keys WHERE id = ?", id);
}

/**
 * Deletes a key found expired by a write (lazy expiration): {@linkcode deleteKeyRow}, not
 * counted as a change of the command that found it ({@linkcode Store.uncounted}). Must run
 * inside a write transaction.
 *
 * @example
 * ```ts
 * const store = Store.open(":memory:");
 * store.write(() => deleteExpiredKeyRow(store, 1, 2));
 * ```
 */
export function deleteExpiredKeyRow(store: Store, id: number, type: number): void {
  store.uncounted(() => deleteKeyRow(store, id, type));
}
