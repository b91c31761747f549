/**
 * The embedded database: `Db`, a synchronous handle on one SQLite file with Redis's data types.
 * Each method is named after its Redis command and delegates to the data type's module.
 *
 * @module
 */

import { runCommand } from "../commands/dispatch.ts";
import { type JsReply, toJs } from "../commands/js_reply.ts";
import type { Reply } from "../resp/reply.ts";
import { argBytes, type Bytes, toBytes, toText } from "./bytes.ts";
import { ERR, RedisError } from "./errors.ts";
import { expireAtFrom, type ExpireUnit } from "./expiry.ts";
import type { Scope } from "./keyspace.ts";
import { type DbOptions, Store } from "./store.ts";
import * as strings from "./strings.ts";

export type { DbOptions };

/** Options of {@linkcode Db.set}, as SET's arguments. */
export interface SetOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this unix time, in seconds. */
  exat?: number;
  /** Expire at this unix time, in milliseconds. */
  pxat?: number;
  /** Only set the key if it does not exist. */
  nx?: boolean;
  /** Only set the key if it already exists. */
  xx?: boolean;
  /** Keep the key's time to live. */
  keepttl?: boolean;
  /** Return the previous value instead of "OK". */
  get?: boolean;
}

/** The number of logical databases (Redis's default `databases 16`). */
export const DATABASES = 16;

let scopeAccess: (db: Db) => Scope;

/**
 * A Redlite database: Redis's data types in one SQLite file, used synchronously in-process.
 *
 * @example
 * ```ts
 * import { Db } from "@redlite/redlite";
 * const db = Db.openMemory();
 * db.set("greeting", "hello");
 * db.get("greeting"); // "hello"
 * db.close();
 * ```
 */
export class Db {
  readonly #scope: { store: Store; index: number };
  readonly #owner: boolean;

  static {
    scopeAccess = (db) => db.#scope;
  }

  private constructor(store: Store, index: number, owner: boolean) {
    this.#scope = { store, index };
    this.#owner = owner;
  }

  /**
   * Opens a database file, creating it when missing. Throws when the file is not a SQLite
   * database or was written by a newer Redlite.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.open(await Deno.makeTempFile({ suffix: ".db" }), { durability: "full" });
   * db.close();
   * ```
   */
  static open(path: string, options: DbOptions = {}): Db {
    return new Db(Store.open(path, options), 0, true);
  }

  /**
   * Opens a database that lives in memory and disappears when closed.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.close();
   * ```
   */
  static openMemory(options: DbOptions = {}): Db {
    return new Db(Store.open(":memory:", options), 0, true);
  }

  /**
   * The file this database lives in (`:memory:` for an in-memory one).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * Db.openMemory().path; // ":memory:"
   * ```
   */
  get path(): string {
    return this.#scope.store.path;
  }

  /**
   * Closes the database. Closing a session only detaches it; closing the handle from `open`
   * closes the file for all of its sessions.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * Db.openMemory().close();
   * ```
   */
  close(): void {
    if (this.#owner) this.#scope.store.close();
  }

  /**
   * Whether the database is open.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.close();
   * db.isOpen; // false
   * ```
   */
  get isOpen(): boolean {
    return this.#scope.store.sql.isOpen;
  }

  /**
   * The selected logical database, 0-15.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * Db.openMemory().selected; // 0
   * ```
   */
  get selected(): number {
    return this.#scope.index;
  }

  /**
   * SELECT: switches this handle to logical database `index` (0-15).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.select(5); // "OK"
   * ```
   */
  select(index: number): "OK" {
    if (!Number.isInteger(index)) throw new RedisError(ERR.notInteger);
    if (index < 0 || index >= DATABASES) throw new RedisError(ERR.dbIndex);
    this.#scope.index = index;
    return "OK";
  }

  /**
   * Another handle on the same connection with its own selected database (as each Redis client
   * has its own). Starts on this handle's database.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * const other = db.session();
   * other.select(1);
   * db.selected; // 0
   * ```
   */
  session(): Db {
    return new Db(this.#scope.store, this.#scope.index, false);
  }

  /**
   * Runs `fn` atomically: every write in it commits together or not at all. Transactions nest
   * (as savepoints). If `fn` throws, its writes are rolled back and the error rethrown.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.transaction((tx) => {
   *   tx.set("a", "1");
   *   tx.set("b", "2");
   * });
   * ```
   */
  transaction<T>(fn: (db: Db) => T): T {
    return this.#scope.store.write(() => fn(this));
  }

  /**
   * Runs any command of the command table, as a client would send it, and returns the reply as
   * JavaScript values in RESP3's shape (maps as objects, doubles as numbers). Errors are thrown.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.command("SET", "k", "v", "EX", 10); // "OK"
   * db.command("GET", "k"); // "v"
   * ```
   */
  command(name: string, ...args: (Bytes | number | bigint)[]): JsReply {
    return toJs(this.#run(name, args), false);
  }

  /**
   * Like {@linkcode Db.command}, with bulk strings as bytes: binary-safe reads of every type.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", new Uint8Array([0, 255]));
   * db.commandBytes("GET", "k"); // Uint8Array [0, 255]
   * ```
   */
  commandBytes(name: string, ...args: (Bytes | number | bigint)[]): JsReply {
    return toJs(this.#run(name, args), true);
  }

  #run(name: string, args: (Bytes | number | bigint)[]): Reply {
    const argv = [toBytes(name), ...args.map(argBytes)];
    const reply = runCommand({ db: this, protocol: 3 }, argv);
    if (reply instanceof Promise) {
      throw new RedisError("ERR this command blocks; run it on the server or use its async method");
    }
    return reply;
  }

  // #region strings

  /**
   * GET: the value of a string key, or null when it is missing or expired.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "v");
   * db.get("k"); // "v"
   * db.get("missing"); // null
   * ```
   */
  get(key: Bytes): string | null {
    const value = strings.get(this.#scope, toBytes(key));
    return value === null ? null : toText(value);
  }

  /**
   * GET, binary-safe: the value as bytes.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set(new Uint8Array([0]), new Uint8Array([255]));
   * db.getBytes(new Uint8Array([0])); // Uint8Array [255]
   * ```
   */
  getBytes(key: Bytes): Uint8Array | null {
    return strings.get(this.#scope, toBytes(key));
  }

  /**
   * SET: writes a string value, replacing a key of any type. Returns "OK", or null when NX or
   * XX prevented the write; with `get: true`, the previous value instead.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("a", "1"); // "OK"
   * db.set("a", "2", { nx: true }); // null
   * db.set("s", "v", { px: 30 }); // "OK", expires in 30 ms
   * db.set("a", "3", { get: true }); // "1"
   * ```
   */
  set(key: Bytes, value: Bytes, options: SetOptions & { get: true }): string | null;
  /**
   * SET: writes a string value, replacing a key of any type. Returns "OK", or null when NX or
   * XX prevented the write.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("a", "1", { ex: 60 }); // "OK"
   * ```
   */
  set(key: Bytes, value: Bytes, options?: SetOptions): "OK" | null;
  set(key: Bytes, value: Bytes, options?: SetOptions): string | null {
    const scope = this.#scope;
    if (options === undefined) {
      return strings.set(scope, toBytes(key), toBytes(value)) ? "OK" : null;
    }
    const resolved = resolveSetOptions(options);
    if (options.get) {
      const previous = strings.setAndGet(scope, toBytes(key), toBytes(value), resolved);
      return previous === null ? null : toText(previous);
    }
    return strings.set(scope, toBytes(key), toBytes(value), resolved) ? "OK" : null;
  }

  // #endregion strings
  // #region keys
  // #endregion keys
  // #region hashes
  // #endregion hashes
  // #region lists
  // #endregion lists
  // #region sets
  // #endregion sets
  // #region zsets
  // #endregion zsets
}

/**
 * The scope (store and selected database) of a handle, for the command table and the server.
 *
 * @example
 * ```ts
 * const scope = scopeOf(Db.openMemory());
 * scope.index; // 0
 * ```
 */
export function scopeOf(db: Db): Scope {
  return scopeAccess(db);
}

const EXPIRE_UNITS: readonly ExpireUnit[] = ["ex", "px", "exat", "pxat"];

function resolveSetOptions(options: SetOptions): strings.SetOptions {
  const units = EXPIRE_UNITS.filter((unit) => options[unit] !== undefined);
  if (units.length > 1 || (options.nx && options.xx) || (options.keepttl && units.length > 0)) {
    throw new RedisError(ERR.syntax);
  }
  const resolved: strings.SetOptions = { nx: options.nx, xx: options.xx, keepTtl: options.keepttl };
  if (units.length === 1) {
    const amount = options[units[0]]!;
    if (!Number.isSafeInteger(amount)) throw new RedisError(ERR.notInteger);
    resolved.expireAt = expireAtFrom(units[0], amount, "set");
  }
  return resolved;
}
