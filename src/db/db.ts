/**
 * The embedded database: `Db`, a synchronous handle on one SQLite file with Redis's data types.
 * Each method is named after its Redis command and delegates to the data type's module.
 *
 * @module
 */

import { runCommand } from "../commands/dispatch.ts";
import { type JsReply, toJs } from "../commands/js_reply.ts";
import type { Reply } from "../resp/reply.ts";
import { elementScanArgs, fieldValueArgs, pairsObject } from "./api_args.ts";
import { argBytes, type Bytes, textOrNull, toBytes, toText, transientBytes } from "./bytes.ts";
import type { BitRange } from "./bits.ts";
import { ERR, RedisError, wrongArity } from "./errors.ts";
import { expireAtFrom, expireCommandTime, type ExpireUnit, storedExpireAt } from "./expiry.ts";
import * as hashes from "./hashes.ts";
import { DATABASES, requireDbIndex, type Scope } from "./keyspace.ts";
import type { LcsMatch } from "./lcs.ts";
import { parseLongDouble } from "./long_double.ts";
import { type DbOptions, MAX_TIMER_DELAY, Store } from "./store.ts";
import * as keys from "./keys.ts";
import * as lists from "./lists.ts";
import { checkInteger, type Int64, toInt64 } from "./numbers.ts";
import * as sets from "./sets.ts";
import * as stream_groups from "./stream_groups.ts";
import {
  groupIdArg,
  groupReadAfterArg,
  idText,
  rangeBound,
  readAfterArg,
  requireId,
} from "./stream_id.ts";
import * as stream_info from "./stream_info.ts";
import { DEFAULT_NODE_LIMITS } from "./stream_nodes.ts";
import * as history from "./history.ts";
import { keyinfo } from "./keyinfo.ts";
import { DEFAULT_ENCODING_LIMITS } from "./object.ts";
import {
  type AutovacuumOptions,
  type AutovacuumStatus,
  type FtsearchOptions,
  type FtsearchResult,
  type HistoryEnableOptions,
  type HistoryEntry,
  historyEntry,
  type HistoryGetOptions,
  type HistoryState,
  historyState,
  type KeyInfo,
  searchResult,
} from "./redlite_api.ts";
import * as search from "./search.ts";
import { vacuum } from "./vacuum.ts";
import * as streams from "./streams.ts";
import * as sapi from "./streams_api.ts";
import type {
  PendingStreamEntry,
  StreamEntry,
  StreamIds,
  XaddOptions,
  XautoclaimOptions,
  XautoclaimResult,
  XclaimOptions,
  XgroupCreateOptions,
  XgroupSetidOptions,
  XinfoConsumer,
  XinfoGroup,
  XinfoStream,
  XinfoStreamFull,
  XinfoStreamFullOptions,
  XpendingEntry,
  XpendingRange,
  XpendingSummary,
  XrangeOptions,
  XreadgroupOptions,
  XreadOptions,
  XsetidOptions,
  XtrimOptions,
} from "./streams_api.ts";
import * as strings from "./strings.ts";
import * as sorting from "./sort.ts";
import * as zsets from "./zsets.ts";
import * as zapi from "./zsets_api.ts";
import type {
  LexBound,
  Limit,
  ScoreBound,
  ScoredPair,
  ScoreMembers,
  SortOptions,
  WithScores,
  ZaddOptions,
  ZcombineOptions,
  ZrangeByScoreOptions,
  ZrangeOptions,
} from "./zsets_api.ts";

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

/** Options of {@linkcode Db.getex}: a new time to live (one of them), or `persist`. */
export interface GetexOptions {
  /** Expire after this many seconds. */
  ex?: number;
  /** Expire after this many milliseconds. */
  px?: number;
  /** Expire at this unix time, in seconds. */
  exat?: number;
  /** Expire at this unix time, in milliseconds. */
  pxat?: number;
  /** Remove the time to live. */
  persist?: boolean;
}

/** The unit of a BITCOUNT or BITPOS range: bytes (Redis's default) or bits. */
export type BitUnit = "BYTE" | "BIT";

/** BITOP's operations. */
export type BitOp = "AND" | "OR" | "XOR" | "NOT";

export type { LcsMatch };

/** {@linkcode Db.lcs} with `idx`: the runs of the longest common subsequence and its length. */
export interface LcsIdxResult {
  /** The matching runs, last first (as Redis replies), each with its length. */
  matches: LcsMatch[];
  /** The length of the longest common subsequence. */
  len: number;
}

export { DATABASES };

/** Conditions of {@linkcode Db.expire} and its siblings (Redis 7.0): at most one of nx, gt, lt; xx goes with gt or lt. */
export interface ExpireOptions {
  /** Only when the key has no time to live. */
  nx?: boolean;
  /** Only when the key has a time to live. */
  xx?: boolean;
  /** Only when the new time is later than the current one (no time to live counts as infinite). */
  gt?: boolean;
  /** Only when the new time is earlier than the current one (no time to live counts as infinite). */
  lt?: boolean;
}

/** Options of {@linkcode Db.scan}. */
export interface ScanOptions {
  /** Only keys matching this glob pattern. */
  match?: Bytes;
  /** How many keys to examine in this step (a hint): 10 by default. */
  count?: number;
  /** Only keys of this type (`"string"`, `"hash"`, ...). */
  type?: string;
}

/** Options of {@linkcode Db.copy}. */
export interface CopyOptions {
  /** The database to copy to (default: the selected one). */
  db?: number;
  /** Replace an existing key of the new name. */
  replace?: boolean;
}

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
    return Db.#owning(Store.open(path, options));
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
    return Db.#owning(Store.open(":memory:", options));
  }

  // The handle that owns its store; the store's active cycle applies history retention.
  static #owning(store: Store): Db {
    history.applyRetentionInCycle(store);
    return new Db(store, 0, true);
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
    // The key is bound to one statement and not kept (a server batch's key cache copies it).
    const value = strings.get(this.#scope, transientBytes(key));
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
      // The key is bound to the statements of this SET and not kept.
      return strings.set(scope, transientBytes(key), toBytes(value)) ? "OK" : null;
    }
    const resolved = resolveSetOptions(options);
    if (options.get) {
      const previous = strings.setAndGet(scope, toBytes(key), toBytes(value), resolved);
      return previous === null ? null : toText(previous);
    }
    return strings.set(scope, toBytes(key), toBytes(value), resolved) ? "OK" : null;
  }

  /**
   * SETNX: sets a string value only when the key does not exist. Returns 1 when it did, 0 when
   * the key existed.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.setnx("k", "1"); // 1
   * db.setnx("k", "2"); // 0
   * ```
   */
  setnx(key: Bytes, value: Bytes): number {
    return strings.set(this.#scope, toBytes(key), toBytes(value), { nx: true }) ? 1 : 0;
  }

  /**
   * SETEX: sets a string value that expires after `seconds`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.setex("session", 60, "data"); // "OK"
   * ```
   */
  setex(key: Bytes, seconds: number, value: Bytes): "OK" {
    return this.#setWithExpire("ex", key, seconds, value, "setex");
  }

  /**
   * PSETEX: sets a string value that expires after `milliseconds`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.psetex("session", 1500, "data"); // "OK"
   * ```
   */
  psetex(key: Bytes, milliseconds: number, value: Bytes): "OK" {
    return this.#setWithExpire("px", key, milliseconds, value, "psetex");
  }

  #setWithExpire(unit: ExpireUnit, key: Bytes, amount: number, value: Bytes, name: string): "OK" {
    const expireAt = expireAtFrom(unit, toInt64(amount), name);
    strings.set(this.#scope, toBytes(key), toBytes(value), { expireAt });
    return "OK";
  }

  /**
   * GETSET: sets a string value (removing the time to live) and returns the previous one, or
   * null. Throws WRONGTYPE, writing nothing, when the key holds another type.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.getset("k", "1"); // null
   * db.getset("k", "2"); // "1"
   * ```
   */
  getset(key: Bytes, value: Bytes): string | null {
    return textOrNull(strings.setAndGet(this.#scope, toBytes(key), toBytes(value)));
  }

  /**
   * GETDEL: the value of a string key, deleting the key; null when it is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "v");
   * db.getdel("k"); // "v"
   * db.get("k"); // null
   * ```
   */
  getdel(key: Bytes): string | null {
    return textOrNull(strings.getdel(this.#scope, toBytes(key)));
  }

  /**
   * GETEX: the value of a string key (null when missing), setting its time to live (`ex`, `px`,
   * `exat`, `pxat`) or removing it (`persist`). An `exat` or `pxat` in the past deletes the key.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "v");
   * db.getex("k", { ex: 60 }); // "v", and expires in a minute
   * db.getex("k", { persist: true }); // "v", and never expires
   * ```
   */
  getex(key: Bytes, options: GetexOptions = {}): string | null {
    const units = EXPIRE_UNITS.filter((unit) => options[unit] !== undefined);
    if (units.length > 1 || (options.persist && units.length > 0)) {
      throw new RedisError(ERR.syntax);
    }
    const change: strings.GetexOptions = { persist: options.persist };
    if (units.length === 1) {
      const amount = toInt64(options[units[0]]!);
      change.expireAt = (now) => expireAtFrom(units[0], amount, "getex", now);
    }
    return textOrNull(strings.getex(this.#scope, toBytes(key), change));
  }

  /**
   * MGET: the values of the keys, null for a key that is missing or not a string.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.mset({ x: "1", y: "2" });
   * db.mget("x", "y", "z"); // ["1", "2", null]
   * ```
   */
  mget(...keys: Bytes[]): (string | null)[] {
    return strings.mget(this.#scope, keys.map(toBytes)).map(textOrNull);
  }

  /**
   * MSET: sets several string values at once, atomically (replacing keys of any type and their
   * time to live). Takes an object, or key and value pairs for binary keys.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.mset({ x: "1", y: "2" }); // "OK"
   * db.mset([[new Uint8Array([0]), "binary key"]]); // "OK"
   * ```
   */
  mset(pairs: Record<string, Bytes> | [Bytes, Bytes][]): "OK" {
    strings.mset(this.#scope, bytePairs(pairs, "mset"));
    return "OK";
  }

  /**
   * MSETNX: sets several string values at once, only when none of the keys exists. Returns 1
   * when it set them, 0 when it set none.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.msetnx({ x: "1", y: "2" }); // 1
   * db.msetnx({ y: "3", z: "4" }); // 0
   * ```
   */
  msetnx(pairs: Record<string, Bytes> | [Bytes, Bytes][]): number {
    return strings.msetnx(this.#scope, bytePairs(pairs, "msetnx")) ? 1 : 0;
  }

  /**
   * INCR: adds 1 to the integer in a string key (a missing key counts as 0) and returns the
   * result. Throws `ERR value is not an integer or out of range` when the value is not a 64-bit
   * integer, and `ERR increment or decrement would overflow`. Results beyond 2^53 lose precision
   * as a `number`; `db.command("INCR", key)` returns them exactly, as a `bigint`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.incr("n"); // 1
   * db.incr("n"); // 2
   * ```
   */
  incr(key: Bytes): number {
    return Number(strings.incrby(this.#scope, toBytes(key), 1));
  }

  /**
   * DECR: subtracts 1 from the integer in a string key (a missing key counts as 0), as
   * {@linkcode Db.incr}.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.decr("n"); // -1
   * ```
   */
  decr(key: Bytes): number {
    return Number(strings.incrby(this.#scope, toBytes(key), -1));
  }

  /**
   * INCRBY: adds `increment` (an integer within 64 bits) to the integer in a string key, as
   * {@linkcode Db.incr}.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.incrby("n", 10); // 10
   * db.incrby("n", -3n); // 7
   * ```
   */
  incrby(key: Bytes, increment: number | bigint): number {
    return Number(strings.incrby(this.#scope, toBytes(key), toInt64(increment)));
  }

  /**
   * DECRBY: subtracts `decrement` (an integer within 64 bits) from the integer in a string key,
   * as {@linkcode Db.incr}. Throws `ERR decrement would overflow` for -2^63.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.decrby("n", 10); // -10
   * ```
   */
  decrby(key: Bytes, decrement: number | bigint): number {
    const amount = toInt64(decrement);
    if (amount === INT64_MIN) throw new RedisError("ERR decrement would overflow");
    return Number(strings.incrby(this.#scope, toBytes(key), negate(amount)));
  }

  /**
   * INCRBYFLOAT: adds `increment` to the number in a string key (a missing key counts as 0) and
   * returns the new value as Redis formats it: computed in 80-bit `long double` and printed with
   * 17 decimals, trailing zeros removed (three increments of 0.1 give "0.3"). The increment is a
   * number or its decimal text (`"1.5e3"`, `"inf"`). Throws `ERR value is not a valid float` and
   * `ERR increment would produce NaN or Infinity`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.incrbyfloat("price", 10.5); // "10.5"
   * db.incrbyfloat("price", "0.1"); // "10.6"
   * ```
   */
  incrbyfloat(key: Bytes, increment: number | string): string {
    const text = toBytes(String(increment));
    return toText(strings.incrbyfloat(this.#scope, toBytes(key), text));
  }

  /**
   * APPEND: appends to a string key (creating it) and returns the new length in bytes.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.append("log", "a"); // 1
   * db.append("log", "bc"); // 3
   * ```
   */
  append(key: Bytes, value: Bytes): number {
    return strings.append(this.#scope, toBytes(key), toBytes(value));
  }

  /**
   * STRLEN: the length in bytes of a string's value; 0 when the key is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "héllo");
   * db.strlen("k"); // 6
   * ```
   */
  strlen(key: Bytes): number {
    return strings.strlen(this.#scope, toBytes(key));
  }

  /**
   * GETRANGE: the bytes of a string from `start` to `end` inclusive, as text; negative indexes
   * count from the end. Empty for a missing key. For binary values use
   * `db.commandBytes("GETRANGE", key, start, end)`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "This is a string");
   * db.getrange("k", 0, 3); // "This"
   * db.getrange("k", -3, -1); // "ing"
   * ```
   */
  getrange(key: Bytes, start: number | bigint, end: number | bigint): string {
    const range = strings.getrange(this.#scope, toBytes(key), toInt64(start), toInt64(end));
    return toText(range);
  }

  /**
   * SETRANGE: overwrites a string from byte `offset` (padding with zero bytes, creating the key)
   * and returns the new length. Writing nothing creates no key.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "Hello World");
   * db.setrange("k", 6, "Redis"); // 11
   * db.get("k"); // "Hello Redis"
   * ```
   */
  setrange(key: Bytes, offset: number, value: Bytes): number {
    const start = toInt64(offset);
    if (start < 0) throw new RedisError("ERR offset is out of range");
    return strings.setrange(this.#scope, toBytes(key), Number(start), toBytes(value));
  }

  /**
   * LCS: the longest common subsequence of two strings (missing keys count as empty). With
   * `len: true`, its length; with `idx: true`, its matching runs (those of at least
   * `minmatchlen` bytes) and its length.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.mset({ a: "ohmytext", b: "mynewtext" });
   * db.lcs("a", "b"); // "mytext"
   * db.lcs("a", "b", { len: true }); // 6
   * db.lcs("a", "b", { idx: true, minmatchlen: 4 });
   * // { matches: [{ a: [4, 7], b: [5, 8], length: 4 }], len: 6 }
   * ```
   */
  lcs(key1: Bytes, key2: Bytes): string;
  /**
   * LCS with `len: true`: the length of the longest common subsequence.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.lcs("a", "b", { len: true }); // 0
   * ```
   */
  lcs(key1: Bytes, key2: Bytes, options: { len: true }): number;
  /**
   * LCS with `idx: true`: the matching runs of the longest common subsequence (those of at
   * least `minmatchlen` bytes) and its length.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.lcs("a", "b", { idx: true }); // { matches: [], len: 0 }
   * ```
   */
  lcs(key1: Bytes, key2: Bytes, options: { idx: true; minmatchlen?: number }): LcsIdxResult;
  lcs(
    key1: Bytes,
    key2: Bytes,
    options: { len?: boolean; idx?: boolean; minmatchlen?: number } = {},
  ): string | number | LcsIdxResult {
    if (options.len && options.idx) {
      throw new RedisError("ERR If you want both the length and indexes, please just use IDX.");
    }
    const minMatchLength = Math.max(0, Number(toInt64(options.minmatchlen ?? 0)));
    const result = strings.lcs(this.#scope, toBytes(key1), toBytes(key2), () => ({
      minMatchLength,
    }));
    if (options.len) return result.length;
    if (options.idx) return { matches: result.matches, len: result.length };
    return toText(result.sequence);
  }

  /**
   * SETBIT: sets (1) or clears (0) the bit at `offset` (counted from the most significant bit
   * of the first byte), growing the string with zero bytes as needed; returns the previous bit.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.setbit("bits", 7, 1); // 0
   * db.get("bits"); // "\u0001"
   * ```
   */
  setbit(key: Bytes, offset: number, value: number): number {
    const bitError = "ERR bit is not an integer or out of range";
    const position = bitOffset(offset);
    if (value !== 0 && value !== 1) throw new RedisError(bitError);
    return strings.setbit(this.#scope, toBytes(key), position, value);
  }

  /**
   * GETBIT: the bit at `offset`; 0 beyond the end of the string or for a missing key.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.setbit("bits", 3, 1);
   * db.getbit("bits", 3); // 1
   * db.getbit("bits", 100); // 0
   * ```
   */
  getbit(key: Bytes, offset: number): number {
    return strings.getbit(this.#scope, toBytes(key), bitOffset(offset));
  }

  /**
   * BITCOUNT: the number of set bits in a string, or in the range from `start` to `end`
   * (inclusive, in bytes or with `"BIT"` in bits; negative indexes count from the end).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "foobar");
   * db.bitcount("k"); // 26
   * db.bitcount("k", 1, 1); // 6
   * db.bitcount("k", 5, 30, "BIT"); // 17
   * ```
   */
  bitcount(key: Bytes): number;
  /**
   * BITCOUNT over a range of bytes, or of bits with `"BIT"`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.bitcount("k", 0, -1, "BIT"); // 0
   * ```
   */
  bitcount(key: Bytes, start: number | bigint, end: number | bigint, unit?: BitUnit): number;
  bitcount(key: Bytes, start?: number | bigint, end?: number | bigint, unit?: BitUnit): number {
    const range = bitRange(start, end, unit);
    return strings.bitcount(this.#scope, toBytes(key), () => range);
  }

  /**
   * BITPOS: the position of the first bit equal to `bit` in a string, or in the range from
   * `start` to `end` (inclusive, in bytes or with `"BIT"` in bits); -1 when there is none. Without
   * an end, looking for 0 in a string of only 1s finds the first bit after it.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", new Uint8Array([0xff, 0xf0, 0x00]));
   * db.bitpos("k", 0); // 12
   * db.bitpos("k", 1, 2); // -1
   * db.bitpos("k", 1, 0, 15, "BIT"); // 0
   * ```
   */
  bitpos(key: Bytes, bit: number, start?: number | bigint): number;
  /**
   * BITPOS within a range of bytes, or of bits with `"BIT"`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.bitpos("k", 1, 0, -1, "BIT"); // -1
   * ```
   */
  bitpos(
    key: Bytes,
    bit: number,
    start: number | bigint,
    end: number | bigint,
    unit?: BitUnit,
  ): number;
  bitpos(
    key: Bytes,
    bit: number,
    start?: number | bigint,
    end?: number | bigint,
    unit?: BitUnit,
  ): number {
    if (bit !== 0 && bit !== 1) throw new RedisError("ERR The bit argument must be 1 or 0.");
    const range = start === undefined ? undefined : {
      start: toInt64(start),
      end: end === undefined ? undefined : toInt64(end),
      unit: unitOf(unit),
    };
    return strings.bitpos(this.#scope, toBytes(key), bit, () => range);
  }

  /**
   * BITOP: combines the strings at `keys` with AND, OR, XOR (missing keys count as empty,
   * shorter strings are padded with zero bytes) or NOT (exactly one key), stores the result at
   * `destkey` and returns its length. An empty result deletes `destkey`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.mset({ a: "abc", b: "ab" });
   * db.bitop("AND", "dest", "a", "b"); // 3
   * db.bitop("NOT", "inverse", "a"); // 3
   * ```
   */
  bitop(operation: BitOp, destkey: Bytes, ...keys: Bytes[]): number {
    const name = operation.toLowerCase();
    if (name !== "and" && name !== "or" && name !== "xor" && name !== "not") {
      throw new RedisError(ERR.syntax);
    }
    if (keys.length === 0) throw wrongArity("bitop");
    if (name === "not" && keys.length !== 1) {
      throw new RedisError("ERR BITOP NOT must be called with a single source key.");
    }
    return strings.bitop(this.#scope, name, toBytes(destkey), keys.map(toBytes));
  }

  // #endregion strings
  // #region keys

  /**
   * DEL: deletes keys of any type; returns how many existed.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("x", "1");
   * db.del("x", "z"); // 1
   * ```
   */
  del(...keyNames: Bytes[]): number {
    return keys.del(this.#scope, keyNames.map(toBytes));
  }

  /**
   * UNLINK: as {@linkcode Db.del} (Redlite always deletes at once).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.unlink("x"); // 0
   * ```
   */
  unlink(...keyNames: Bytes[]): number {
    return keys.del(this.#scope, keyNames.map(toBytes));
  }

  /**
   * EXISTS: how many of the keys exist (a key named twice counts twice).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1");
   * db.exists("x", "y"); // 1
   * ```
   */
  exists(...keyNames: Bytes[]): number {
    return keys.exists(this.#scope, keyNames.map(toBytes));
  }

  /**
   * TOUCH: how many of the keys exist (Redlite keeps no access times to update).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.touch("x"); // 0
   * ```
   */
  touch(...keyNames: Bytes[]): number {
    return keys.exists(this.#scope, keyNames.map(toBytes));
  }

  /**
   * TYPE: the type of a key: `"string"`, `"hash"`, `"list"`, `"set"`, `"zset"`, `"stream"`, or
   * `"none"` when it is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1");
   * db.type("y"); // "string"
   * db.type("missing"); // "none"
   * ```
   */
  type(key: Bytes): string {
    return keys.type(this.#scope, toBytes(key));
  }

  /**
   * KEYS: the keys of the selected database matching a glob pattern (`*`, `?`, `[a-z]`,
   * `[^a]`, backslash escapes), in byte order.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("user:1", "a");
   * db.keys("user:*"); // ["user:1"]
   * ```
   */
  keys(pattern: Bytes): string[] {
    return keys.keys(this.#scope, toBytes(pattern)).map(toText);
  }

  /**
   * SCAN: one step of an iteration over the selected database's keys. Returns the cursor to
   * continue from (0 when the iteration is over) and the keys found in this step. A key that
   * exists during the whole iteration is returned at least once.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("user:1", "a");
   * let cursor = 0;
   * do {
   *   const [next, found] = db.scan(cursor, { match: "user:*", count: 100, type: "string" });
   *   cursor = next;
   *   console.log(found);
   * } while (cursor !== 0);
   * ```
   */
  scan(cursor: number, options: ScanOptions = {}): [number, string[]] {
    if (!Number.isSafeInteger(cursor) || cursor < 0) throw new RedisError("ERR invalid cursor");
    const count = options.count ?? 10;
    if (!Number.isSafeInteger(count)) throw new RedisError(ERR.notInteger);
    if (count < 1) throw new RedisError(ERR.syntax);
    const match = options.match === undefined ? null : toBytes(options.match);
    const [next, found] = keys.scan(this.#scope, cursor, {
      match: match !== null && match.length === 1 && match[0] === 42 ? null : match,
      count,
      type: options.type ?? null,
    });
    return [next, found.map(toText)];
  }

  /**
   * RANDOMKEY: a random key of the selected database, or null when it is empty.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.randomkey(); // null
   * db.set("a", "1");
   * db.randomkey(); // "a"
   * ```
   */
  randomkey(): string | null {
    const key = keys.randomKey(this.#scope);
    return key === null ? null : toText(key);
  }

  /**
   * RENAME: gives a key a new name, keeping its value and time to live, and replacing a key of
   * that name of any type. Throws `ERR no such key` when the key is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("old", "v");
   * db.rename("old", "new"); // "OK"
   * ```
   */
  rename(key: Bytes, newKey: Bytes): "OK" {
    keys.rename(this.#scope, toBytes(key), toBytes(newKey), false);
    return "OK";
  }

  /**
   * RENAMENX: renames a key only when the new name is free; returns whether it did. Throws
   * `ERR no such key` when the key is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("a", "1");
   * db.set("b", "2");
   * db.renamenx("a", "b"); // false
   * ```
   */
  renamenx(key: Bytes, newKey: Bytes): boolean {
    return keys.rename(this.#scope, toBytes(key), toBytes(newKey), true);
  }

  /**
   * COPY: copies a key (any type, with its time to live) to a new name, in this database or
   * another (`db`); an existing key of that name is replaced only with `replace`. Returns
   * whether it copied.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("a", "1");
   * db.copy("a", "b"); // true
   * db.copy("a", "b"); // false: b exists
   * db.copy("a", "a", { db: 3, replace: true }); // true
   * ```
   */
  copy(source: Bytes, destination: Bytes, options: CopyOptions = {}): boolean {
    const db = options.db === undefined ? undefined : requireDbIndex(options.db);
    return keys.copy(this.#scope, toBytes(source), toBytes(destination), {
      db,
      replace: options.replace,
    });
  }

  /**
   * MOVE: moves a key to another database; returns false when it is missing here or exists
   * there.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("a", "1");
   * db.move("a", 1); // true
   * ```
   */
  move(key: Bytes, db: number): boolean {
    return keys.move(this.#scope, toBytes(key), requireDbIndex(db));
  }

  /**
   * EXPIRE: sets a key's time to live in seconds; a time of zero or less deletes the key.
   * Returns false when the key is missing or a condition (`nx`, `xx`, `gt`, `lt`) did not hold.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1");
   * db.expire("y", 100); // true
   * db.expire("y", 50, { gt: true }); // false
   * ```
   */
  expire(key: Bytes, seconds: number, options?: ExpireOptions): boolean {
    return this.#expire(key, "ex", seconds, "expire", options);
  }

  /**
   * PEXPIRE: sets a key's time to live in milliseconds, as {@linkcode Db.expire}.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1");
   * db.pexpire("y", 1500); // true
   * ```
   */
  pexpire(key: Bytes, milliseconds: number, options?: ExpireOptions): boolean {
    return this.#expire(key, "px", milliseconds, "pexpire", options);
  }

  /**
   * EXPIREAT: sets the unix time (in seconds) when a key expires, as {@linkcode Db.expire}.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1");
   * db.expireat("y", Math.floor(Date.now() / 1000) + 60); // true
   * ```
   */
  expireat(key: Bytes, unixSeconds: number, options?: ExpireOptions): boolean {
    return this.#expire(key, "exat", unixSeconds, "expireat", options);
  }

  /**
   * PEXPIREAT: sets the unix time (in milliseconds) when a key expires, as
   * {@linkcode Db.expire}.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1");
   * db.pexpireat("y", Date.now() + 60_000); // true
   * ```
   */
  pexpireat(key: Bytes, unixMilliseconds: number, options?: ExpireOptions): boolean {
    return this.#expire(key, "pxat", unixMilliseconds, "pexpireat", options);
  }

  #expire(
    key: Bytes,
    unit: ExpireUnit,
    amount: number,
    command: string,
    options: ExpireOptions = {},
  ): boolean {
    if (!Number.isSafeInteger(amount)) throw new RedisError(ERR.notInteger);
    keys.checkExpireConditions(options);
    const when = expireCommandTime(unit, amount, command);
    return keys.expire(this.#scope, toBytes(key), when, options);
  }

  /**
   * TTL: a key's remaining time to live in seconds; -2 when the key is missing, -1 when it has
   * no time to live.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1", { ex: 100 });
   * db.ttl("y"); // 100
   * db.ttl("missing"); // -2
   * ```
   */
  ttl(key: Bytes): number {
    return keys.ttl(this.#scope, toBytes(key));
  }

  /**
   * PTTL: a key's remaining time to live in milliseconds; -2 when the key is missing, -1 when
   * it has no time to live.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1", { px: 5000 });
   * db.pttl("y"); // 5000 (or a little less)
   * ```
   */
  pttl(key: Bytes): number {
    return keys.pttl(this.#scope, toBytes(key));
  }

  /**
   * EXPIRETIME: the unix time in seconds when a key expires; -2 when the key is missing, -1
   * when it has no time to live.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1", { exat: 2_000_000_000 });
   * db.expiretime("y"); // 2000000000
   * ```
   */
  expiretime(key: Bytes): number {
    return keys.expireTime(this.#scope, toBytes(key));
  }

  /**
   * PEXPIRETIME: the unix time in milliseconds when a key expires; -2 when the key is missing,
   * -1 when it has no time to live.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1", { pxat: 2_000_000_000_000 });
   * db.pexpiretime("y"); // 2000000000000
   * ```
   */
  pexpiretime(key: Bytes): number {
    return keys.pexpireTime(this.#scope, toBytes(key));
  }

  /**
   * PERSIST: removes a key's time to live; returns false when the key is missing or has none.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("y", "1", { ex: 100 });
   * db.persist("y"); // true
   * ```
   */
  persist(key: Bytes): boolean {
    return keys.persist(this.#scope, toBytes(key));
  }

  /**
   * DBSIZE: the number of keys in the selected database.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("a", "1");
   * db.dbsize(); // 1
   * ```
   */
  dbsize(): number {
    return keys.dbSize(this.#scope);
  }

  /**
   * FLUSHDB: deletes every key of the selected database.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("a", "1");
   * db.flushdb(); // "OK"
   * db.dbsize(); // 0
   * ```
   */
  flushdb(): "OK" {
    keys.flushDb(this.#scope);
    return "OK";
  }

  /**
   * FLUSHALL: deletes every key of every database.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.flushall(); // "OK"
   * ```
   */
  flushall(): "OK" {
    keys.flushAll(this.#scope.store);
    return "OK";
  }

  // #endregion keys
  // #region hashes

  /**
   * HSET: sets one field, or several (an object, or pairs of field and value), creating the
   * hash when missing. Returns how many fields are new.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("user:1", "name", "Ada"); // 1
   * db.hset("user:1", { name: "Ada Lovelace", born: "1815" }); // 1
   * db.hset("user:1", [[new Uint8Array([0]), "binary field"]]); // 1
   * ```
   */
  hset(key: Bytes, field: Bytes, value: Bytes): number;
  /**
   * HSET with several fields: an object, or pairs of field and value (a Map works too).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { a: "1", b: "2" }); // 2
   * db.hset("h", new Map([["c", "3"]])); // 1
   * ```
   */
  hset(key: Bytes, fields: Record<string, Bytes> | Iterable<readonly [Bytes, Bytes]>): number;
  hset(
    key: Bytes,
    fieldOrFields: Bytes | Record<string, Bytes> | Iterable<readonly [Bytes, Bytes]>,
    value?: Bytes,
  ): number {
    return hashes.hset(this.#scope, toBytes(key), fieldValueArgs("hset", fieldOrFields, value));
  }

  /**
   * HSETNX: sets a field only when it does not exist yet. Returns whether it did.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hsetnx("h", "f", "1"); // true
   * db.hsetnx("h", "f", "2"); // false
   * ```
   */
  hsetnx(key: Bytes, field: Bytes, value: Bytes): boolean {
    return hashes.hsetnx(this.#scope, toBytes(key), toBytes(field), toBytes(value));
  }

  /**
   * HMSET: sets several fields, as {@linkcode Db.hset} does, and returns "OK".
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hmset("h", { a: "1", b: "2" }); // "OK"
   * ```
   */
  hmset(key: Bytes, fields: Record<string, Bytes> | Iterable<readonly [Bytes, Bytes]>): "OK" {
    hashes.hset(this.#scope, toBytes(key), fieldValueArgs("hmset", fields));
    return "OK";
  }

  /**
   * HGET: a field's value, or null when the key or the field is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", "f", "v");
   * db.hget("h", "f"); // "v"
   * db.hget("h", "missing"); // null
   * ```
   */
  hget(key: Bytes, field: Bytes): string | null {
    return textOrNull(hashes.hget(this.#scope, toBytes(key), toBytes(field)));
  }

  /**
   * HMGET: the values of the fields, null for each one missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { a: "1" });
   * db.hmget("h", "a", "b"); // ["1", null]
   * ```
   */
  hmget(key: Bytes, ...fields: Bytes[]): (string | null)[] {
    if (fields.length === 0) throw wrongArity("hmget");
    return hashes.hmget(this.#scope, toBytes(key), fields.map(toBytes)).map(textOrNull);
  }

  /**
   * HGETALL: every field and value as an object (empty for a missing key).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { a: "1", b: "2" });
   * db.hgetall("h"); // { a: "1", b: "2" }
   * ```
   */
  hgetall(key: Bytes): Record<string, string> {
    return pairsObject(hashes.hgetall(this.#scope, toBytes(key)));
  }

  /**
   * HDEL: removes fields; returns how many existed. A hash left empty is deleted.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { a: "1", b: "2" });
   * db.hdel("h", "a", "z"); // 1
   * ```
   */
  hdel(key: Bytes, ...fields: Bytes[]): number {
    if (fields.length === 0) throw wrongArity("hdel");
    return hashes.hdel(this.#scope, toBytes(key), fields.map(toBytes));
  }

  /**
   * HEXISTS: whether a field exists.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", "f", "v");
   * db.hexists("h", "f"); // true
   * ```
   */
  hexists(key: Bytes, field: Bytes): boolean {
    return hashes.hexists(this.#scope, toBytes(key), toBytes(field));
  }

  /**
   * HKEYS: every field (in byte order).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { b: "2", a: "1" });
   * db.hkeys("h"); // ["a", "b"]
   * ```
   */
  hkeys(key: Bytes): string[] {
    return hashes.hkeys(this.#scope, toBytes(key)).map(toText);
  }

  /**
   * HVALS: every value (in the byte order of their fields).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { b: "2", a: "1" });
   * db.hvals("h"); // ["1", "2"]
   * ```
   */
  hvals(key: Bytes): string[] {
    return hashes.hvals(this.#scope, toBytes(key)).map(toText);
  }

  /**
   * HLEN: the number of fields (0 for a missing key), in constant time.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { a: "1", b: "2" });
   * db.hlen("h"); // 2
   * ```
   */
  hlen(key: Bytes): number {
    return hashes.hlen(this.#scope, toBytes(key));
  }

  /**
   * HSTRLEN: the length in bytes of a field's value (0 when missing).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", "f", "héllo");
   * db.hstrlen("h", "f"); // 6
   * ```
   */
  hstrlen(key: Bytes, field: Bytes): number {
    return hashes.hstrlen(this.#scope, toBytes(key), toBytes(field));
  }

  /**
   * HINCRBY: adds an integer to a field's value (a missing field counts as 0) and returns the
   * result: a number, or a bigint beyond 2^53. Throws "ERR hash value is not an integer" and
   * "ERR increment or decrement would overflow" (64-bit) as Redis does.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hincrby("h", "visits", 1); // 1
   * db.hincrby("h", "visits", -5); // -4
   * ```
   */
  hincrby(key: Bytes, field: Bytes, increment: number | bigint): number | bigint {
    return hashes.hincrby(this.#scope, toBytes(key), toBytes(field), toInt64(increment));
  }

  /**
   * HINCRBYFLOAT: adds to a field's value in Redis's long double arithmetic and returns the
   * result as Redis prints it (a string: it may have more precision than a number). The
   * increment is a number or a decimal text such as "0.1" or "1e3".
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hincrbyfloat("h", "f", 0.1); // "0.1"
   * db.hincrbyfloat("h", "f", "0.2"); // "0.3"
   * ```
   */
  hincrbyfloat(key: Bytes, field: Bytes, increment: number | string): string {
    const parsed = parseLongDouble(toBytes(String(increment)));
    if (parsed === null) throw new RedisError(ERR.notFloat);
    return toText(hashes.hincrbyfloat(this.#scope, toBytes(key), toBytes(field), parsed));
  }

  /**
   * HRANDFIELD: a random field, or null when the key is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { a: "1", b: "2" });
   * db.hrandfield("h"); // "a" or "b"
   * ```
   */
  hrandfield(key: Bytes): string | null;
  /**
   * HRANDFIELD with a count: up to `count` distinct random fields, or for a negative count,
   * `-count` fields that may repeat.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { a: "1", b: "2" });
   * db.hrandfield("h", 5); // ["a", "b"] in some order
   * db.hrandfield("h", -3); // three fields, maybe repeated
   * ```
   */
  hrandfield(key: Bytes, count: number): string[];
  /**
   * HRANDFIELD with a count and WITHVALUES: random fields with their values, as pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { a: "1" });
   * db.hrandfield("h", 1, { withvalues: true }); // [["a", "1"]]
   * ```
   */
  hrandfield(key: Bytes, count: number, options: { withvalues: true }): [string, string][];
  hrandfield(
    key: Bytes,
    count?: number,
    options?: { withvalues?: boolean },
  ): string | null | string[] | [string, string][] {
    if (count === undefined) return textOrNull(hashes.hrandfield(this.#scope, toBytes(key)));
    const pairs = hashes.hrandfieldCount(this.#scope, toBytes(key), checkInteger(count));
    if (options?.withvalues) {
      return pairs.map(([field, value]): [string, string] => [toText(field), toText(value)]);
    }
    return pairs.map(([field]) => toText(field));
  }

  /**
   * HSCAN: one step of an iteration over a hash's fields. Returns the cursor to continue from
   * (0 when the iteration is over) and the fields found with their values. A field present
   * during the whole iteration is returned at least once.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.hset("h", { "user:1": "a", "user:2": "b", other: "c" });
   * let cursor = 0;
   * do {
   *   const [next, fields] = db.hscan("h", cursor, { match: "user:*", count: 100 });
   *   console.log(fields); // { "user:1": "a", "user:2": "b" }
   *   cursor = next;
   * } while (cursor !== 0);
   * ```
   */
  hscan(
    key: Bytes,
    cursor: number,
    options: Omit<ScanOptions, "type"> = {},
  ): [number, Record<string, string>] {
    const step = hashes.hscan(this.#scope, toBytes(key), cursor, elementScanArgs(cursor, options));
    return [step.cursor, pairsObject(step.entries)];
  }

  // #endregion hashes
  // #region lists

  /**
   * LPUSH: inserts the elements at the head of a list, one after another (so the last one given
   * ends up first), creating the list when missing. Returns the new length.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.lpush("l", "a", "b"); // 2
   * db.lrange("l", 0, -1); // ["b", "a"]
   * ```
   */
  lpush(key: Bytes, ...elements: Bytes[]): number {
    return this.#push("lpush", key, elements);
  }

  /**
   * RPUSH: appends the elements at the tail of a list, creating the list when missing. Returns
   * the new length.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b"); // 2
   * db.lrange("l", 0, -1); // ["a", "b"]
   * ```
   */
  rpush(key: Bytes, ...elements: Bytes[]): number {
    return this.#push("rpush", key, elements);
  }

  /**
   * LPUSHX: LPUSH only when the list exists. Returns the new length, 0 when it is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.lpushx("l", "a"); // 0: no list, none created
   * ```
   */
  lpushx(key: Bytes, ...elements: Bytes[]): number {
    return this.#push("lpushx", key, elements);
  }

  /**
   * RPUSHX: RPUSH only when the list exists. Returns the new length, 0 when it is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a");
   * db.rpushx("l", "b"); // 2
   * ```
   */
  rpushx(key: Bytes, ...elements: Bytes[]): number {
    return this.#push("rpushx", key, elements);
  }

  #push(command: "lpush" | "rpush" | "lpushx" | "rpushx", key: Bytes, elements: Bytes[]): number {
    if (elements.length === 0) throw wrongArity(command);
    const end = command.startsWith("l") ? "LEFT" : "RIGHT";
    const values = elements.map(toBytes);
    return lists.push(this.#scope, toBytes(key), end, values, command.endsWith("x"));
  }

  /**
   * LPOP: removes and returns the first element, or null when the list is missing. A list left
   * empty is deleted.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b");
   * db.lpop("l"); // "a"
   * ```
   */
  lpop(key: Bytes): string | null;
  /**
   * LPOP with a count: removes and returns up to `count` elements from the head; an empty array
   * for 0, null when the list is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b", "c");
   * db.lpop("l", 2); // ["a", "b"]
   * db.lpop("missing", 2); // null
   * ```
   */
  lpop(key: Bytes, count: number): string[] | null;
  lpop(key: Bytes, count?: number): string | string[] | null {
    return this.#pop(key, "LEFT", count);
  }

  /**
   * RPOP: removes and returns the last element, or null when the list is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b");
   * db.rpop("l"); // "b"
   * ```
   */
  rpop(key: Bytes): string | null;
  /**
   * RPOP with a count: removes and returns up to `count` elements from the tail, last first;
   * an empty array for 0, null when the list is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b", "c");
   * db.rpop("l", 2); // ["c", "b"]
   * ```
   */
  rpop(key: Bytes, count: number): string[] | null;
  rpop(key: Bytes, count?: number): string | string[] | null {
    return this.#pop(key, "RIGHT", count);
  }

  #pop(key: Bytes, end: lists.ListEnd, count: number | undefined): string | string[] | null {
    if (count === undefined) return textOrNull(lists.pop(this.#scope, toBytes(key), end));
    return lists.popCount(this.#scope, toBytes(key), end, count)?.map(toText) ?? null;
  }

  /**
   * LLEN: the length of a list, 0 when it is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b");
   * db.llen("l"); // 2
   * ```
   */
  llen(key: Bytes): number {
    return lists.llen(this.#scope, toBytes(key));
  }

  /**
   * LRANGE: the elements from `start` to `stop`, both included; negative indexes count from the
   * tail (-1 is the last), and indexes beyond the list are clamped.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b", "c");
   * db.lrange("l", 0, -1); // ["a", "b", "c"]
   * db.lrange("l", -2, 100); // ["b", "c"]
   * ```
   */
  lrange(key: Bytes, start: number, stop: number): string[] {
    const scope = this.#scope;
    return lists.lrange(scope, toBytes(key), checkInteger(start), checkInteger(stop)).map(toText);
  }

  /**
   * LINDEX: the element at an index (negative counts from the tail), or null when the list is
   * missing or the index is beyond it.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b");
   * db.lindex("l", -1); // "b"
   * db.lindex("l", 5); // null
   * ```
   */
  lindex(key: Bytes, index: number): string | null {
    return textOrNull(lists.lindex(this.#scope, toBytes(key), checkInteger(index)));
  }

  /**
   * LSET: replaces the element at an index. Throws "ERR no such key" when the list is missing
   * and "ERR index out of range" when the index is beyond it.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b");
   * db.lset("l", -1, "z"); // "OK"
   * ```
   */
  lset(key: Bytes, index: number, element: Bytes): "OK" {
    lists.lset(this.#scope, toBytes(key), checkInteger(index), toBytes(element));
    return "OK";
  }

  /**
   * LTRIM: keeps only the elements from `start` to `stop`, both included (indexes as LRANGE
   * reads them). A list left empty is deleted.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("log", "a", "b", "c");
   * db.ltrim("log", -2, -1); // "OK": keeps b, c
   * ```
   */
  ltrim(key: Bytes, start: number, stop: number): "OK" {
    lists.ltrim(this.#scope, toBytes(key), checkInteger(start), checkInteger(stop));
    return "OK";
  }

  /**
   * LINSERT: inserts an element before or after the first element equal to `pivot`. Returns the
   * new length, -1 when no element equals the pivot, 0 when the list is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "c");
   * db.linsert("l", "BEFORE", "c", "b"); // 3: a, b, c
   * ```
   */
  linsert(key: Bytes, where: "BEFORE" | "AFTER", pivot: Bytes, element: Bytes): number {
    const side = String(where).toUpperCase();
    if (side !== "BEFORE" && side !== "AFTER") throw new RedisError(ERR.syntax);
    const scope = this.#scope;
    return lists.linsert(scope, toBytes(key), side === "BEFORE", toBytes(pivot), toBytes(element));
  }

  /**
   * LREM: removes the first `count` elements equal to `element` (counting from the tail when
   * `count` is negative, all of them when it is 0). Returns how many were removed.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "x", "a", "x", "x");
   * db.lrem("l", -2, "x"); // 2: a list of x, a
   * ```
   */
  lrem(key: Bytes, count: number, element: Bytes): number {
    return lists.lrem(this.#scope, toBytes(key), checkInteger(count), toBytes(element));
  }

  /**
   * LPOS: the index of the first element equal to `element`, or null. `rank` picks a later
   * match (2: the second; negative: counting from the tail, -1 the last), `maxlen` limits how
   * many elements are compared (0: all).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b", "a");
   * db.lpos("l", "a"); // 0
   * db.lpos("l", "a", { rank: -1 }); // 2
   * ```
   */
  lpos(key: Bytes, element: Bytes, options?: { rank?: number; maxlen?: number }): number | null;
  /**
   * LPOS with a count: the indexes of up to `count` matches (0: all of them), in the order
   * found; an empty array when there is none.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b", "a");
   * db.lpos("l", "a", { count: 0 }); // [0, 2]
   * db.lpos("l", "a", { count: 1, rank: -1 }); // [2]
   * ```
   */
  lpos(
    key: Bytes,
    element: Bytes,
    options: { rank?: number; count: number; maxlen?: number },
  ): number[];
  lpos(key: Bytes, element: Bytes, options: lists.LposOptions = {}): number | number[] | null {
    const found = lists.lpos(this.#scope, toBytes(key), toBytes(element), options);
    return options.count === undefined ? found[0] ?? null : found;
  }

  /**
   * LMOVE: pops the element at one end (`from`) of `source` and pushes it at an end (`to`) of
   * `destination`, creating it when missing; with one key for both, the list rotates. Returns
   * the element, or null when `source` is missing. Throws WRONGTYPE, moving nothing, when either
   * key holds another type.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("todo", "a", "b");
   * db.lmove("todo", "done", "LEFT", "RIGHT"); // "a"
   * ```
   */
  lmove(
    source: Bytes,
    destination: Bytes,
    from: "LEFT" | "RIGHT",
    to: "LEFT" | "RIGHT",
  ): string | null {
    const ends = [lists.parseListEnd(String(from)), lists.parseListEnd(String(to))] as const;
    const scope = this.#scope;
    return textOrNull(lists.lmove(scope, toBytes(source), toBytes(destination), ...ends));
  }

  /**
   * RPOPLPUSH: LMOVE from the tail of `source` to the head of `destination`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("l", "a", "b", "c");
   * db.rpoplpush("l", "l"); // "c": the list is now c, a, b
   * ```
   */
  rpoplpush(source: Bytes, destination: Bytes): string | null {
    return this.lmove(source, destination, "RIGHT", "LEFT");
  }

  /**
   * LMPOP: pops up to `count` elements (default 1) from an end of the first of `keys` that holds
   * a list. Returns that key and its elements, or null when no key holds a list.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.rpush("b", "1", "2", "3");
   * db.lmpop(["a", "b"], "LEFT", { count: 2 }); // ["b", ["1", "2"]]
   * ```
   */
  lmpop(
    keys: Bytes[],
    where: "LEFT" | "RIGHT",
    options: { count?: number } = {},
  ): [string, string[]] | null {
    const end = lists.parseListEnd(String(where));
    const popped = lists.lmpop(this.#scope, keys.map(toBytes), end, options.count ?? 1);
    return popped === null ? null : [toText(popped[0]), popped[1].map(toText)];
  }

  // #endregion lists
  // #region sets

  /**
   * SADD: adds members, creating the set when missing. Returns how many are new.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a", "b", "a"); // 2
   * ```
   */
  sadd(key: Bytes, ...members: Bytes[]): number {
    if (members.length === 0) throw wrongArity("sadd");
    return sets.sadd(this.#scope, toBytes(key), members.map(toBytes));
  }

  /**
   * SREM: removes members; returns how many were there. A set left empty is deleted.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a", "b");
   * db.srem("tags", "a", "z"); // 1
   * ```
   */
  srem(key: Bytes, ...members: Bytes[]): number {
    if (members.length === 0) throw wrongArity("srem");
    return sets.srem(this.#scope, toBytes(key), members.map(toBytes));
  }

  /**
   * SMEMBERS: every member (in byte order); empty for a missing key.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "b", "a");
   * db.smembers("tags"); // ["a", "b"]
   * ```
   */
  smembers(key: Bytes): string[] {
    return sets.smembers(this.#scope, toBytes(key)).map(toText);
  }

  /**
   * SISMEMBER: whether a member is in the set.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a");
   * db.sismember("tags", "a"); // true
   * ```
   */
  sismember(key: Bytes, member: Bytes): boolean {
    return sets.sismember(this.#scope, toBytes(key), toBytes(member));
  }

  /**
   * SMISMEMBER: whether each member is in the set.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a");
   * db.smismember("tags", "a", "b"); // [true, false]
   * ```
   */
  smismember(key: Bytes, ...members: Bytes[]): boolean[] {
    if (members.length === 0) throw wrongArity("smismember");
    return sets.smismember(this.#scope, toBytes(key), members.map(toBytes));
  }

  /**
   * SCARD: the number of members (0 for a missing key), in constant time.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a", "b");
   * db.scard("tags"); // 2
   * ```
   */
  scard(key: Bytes): number {
    return sets.scard(this.#scope, toBytes(key));
  }

  /**
   * SPOP: removes a random member and returns it; null for a missing key.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a");
   * db.spop("tags"); // "a"
   * ```
   */
  spop(key: Bytes): string | null;
  /**
   * SPOP with a count: removes up to `count` distinct random members and returns them.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a", "b", "c");
   * db.spop("tags", 2); // two of them
   * ```
   */
  spop(key: Bytes, count: number): string[];
  spop(key: Bytes, count?: number): string | null | string[] {
    if (count === undefined) return textOrNull(sets.spop(this.#scope, toBytes(key)));
    if (!Number.isSafeInteger(count) || count < 0) throw new RedisError(ERR.positive);
    return sets.spopCount(this.#scope, toBytes(key), count).map(toText);
  }

  /**
   * SRANDMEMBER: a random member, or null for a missing key.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a");
   * db.srandmember("tags"); // "a"
   * ```
   */
  srandmember(key: Bytes): string | null;
  /**
   * SRANDMEMBER with a count: up to `count` distinct random members, or for a negative count,
   * `-count` members that may repeat.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "a", "b");
   * db.srandmember("tags", 5); // ["a", "b"] in some order
   * db.srandmember("tags", -3); // three members, maybe repeated
   * ```
   */
  srandmember(key: Bytes, count: number): string[];
  srandmember(key: Bytes, count?: number): string | null | string[] {
    if (count === undefined) return textOrNull(sets.srandmember(this.#scope, toBytes(key)));
    return sets.srandmemberCount(this.#scope, toBytes(key), checkInteger(count)).map(toText);
  }

  /**
   * SMOVE: moves a member from one set to another (created when missing). Returns whether the
   * member was in the source.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("todo", "task");
   * db.smove("todo", "done", "task"); // true
   * ```
   */
  smove(source: Bytes, destination: Bytes, member: Bytes): boolean {
    return sets.smove(this.#scope, toBytes(source), toBytes(destination), toBytes(member));
  }

  /**
   * SDIFF: the members of the first set that none of the others has.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("a", "1", "2");
   * db.sadd("b", "2");
   * db.sdiff("a", "b"); // ["1"]
   * ```
   */
  sdiff(...keys: Bytes[]): string[] {
    return this.#setOperation("sdiff", "diff", keys);
  }

  /**
   * SINTER: the members every set has (empty when one of them is missing).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("a", "1", "2");
   * db.sadd("b", "2");
   * db.sinter("a", "b"); // ["2"]
   * ```
   */
  sinter(...keys: Bytes[]): string[] {
    return this.#setOperation("sinter", "inter", keys);
  }

  /**
   * SUNION: the members of any of the sets.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("a", "1");
   * db.sadd("b", "2");
   * db.sunion("a", "b"); // ["1", "2"]
   * ```
   */
  sunion(...keys: Bytes[]): string[] {
    return this.#setOperation("sunion", "union", keys);
  }

  /**
   * SDIFFSTORE: stores {@linkcode Db.sdiff}'s result in `destination` (replacing a key of any
   * type; deleting it when the result is empty) and returns its size.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("a", "1", "2");
   * db.sadd("b", "2");
   * db.sdiffstore("d", "a", "b"); // 1
   * ```
   */
  sdiffstore(destination: Bytes, ...keys: Bytes[]): number {
    return this.#setOperationStore("sdiffstore", "diff", destination, keys);
  }

  /**
   * SINTERSTORE: stores {@linkcode Db.sinter}'s result in `destination` (replacing a key of
   * any type; deleting it when the result is empty) and returns its size.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("a", "1", "2");
   * db.sadd("b", "2");
   * db.sinterstore("d", "a", "b"); // 1
   * ```
   */
  sinterstore(destination: Bytes, ...keys: Bytes[]): number {
    return this.#setOperationStore("sinterstore", "inter", destination, keys);
  }

  /**
   * SUNIONSTORE: stores {@linkcode Db.sunion}'s result in `destination` (replacing a key of
   * any type; deleting it when the result is empty) and returns its size.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("a", "1");
   * db.sadd("b", "2");
   * db.sunionstore("d", "a", "b"); // 2
   * ```
   */
  sunionstore(destination: Bytes, ...keys: Bytes[]): number {
    return this.#setOperationStore("sunionstore", "union", destination, keys);
  }

  /**
   * SINTERCARD: the size of the sets' intersection, counting up to `limit` when given (0: no
   * limit).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("a", "1", "2", "3");
   * db.sadd("b", "1", "2", "3");
   * db.sintercard(["a", "b"]); // 3
   * db.sintercard(["a", "b"], { limit: 2 }); // 2
   * ```
   */
  sintercard(keys: Bytes[], options: { limit?: number } = {}): number {
    if (keys.length === 0) throw new RedisError("ERR numkeys should be greater than 0");
    const limit = options.limit ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new RedisError("ERR LIMIT can't be negative");
    }
    return sets.sintercard(this.#scope, keys.map(toBytes), limit);
  }

  /**
   * SSCAN: one step of an iteration over a set's members. Returns the cursor to continue from
   * (0 when the iteration is over) and the members found. A member present during the whole
   * iteration is returned at least once.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.sadd("tags", "red", "green", "blue");
   * let cursor = 0;
   * do {
   *   const [next, members] = db.sscan("tags", cursor, { match: "g*" });
   *   console.log(members); // ["green"]
   *   cursor = next;
   * } while (cursor !== 0);
   * ```
   */
  sscan(
    key: Bytes,
    cursor: number,
    options: Omit<ScanOptions, "type"> = {},
  ): [number, string[]] {
    const step = sets.sscan(this.#scope, toBytes(key), cursor, elementScanArgs(cursor, options));
    return [step.cursor, step.members.map(toText)];
  }

  #setOperation(command: string, operation: sets.SetOperation, keys: Bytes[]): string[] {
    if (keys.length === 0) throw wrongArity(command);
    return sets.setOperation(this.#scope, operation, keys.map(toBytes)).map(toText);
  }

  #setOperationStore(
    command: string,
    operation: sets.SetOperation,
    destination: Bytes,
    keys: Bytes[],
  ): number {
    if (keys.length === 0) throw wrongArity(command);
    return sets.setOperationStore(this.#scope, operation, toBytes(destination), keys.map(toBytes));
  }

  // #endregion sets
  // #region zsets

  /**
   * ZADD: sets members' scores, adding missing members; returns how many were added (with `ch`,
   * added or updated). Members and scores as an object, as `[member, score]` pairs, or one
   * score and member. With `incr`, increments the one member's score and returns the new
   * score, or null when `nx`, `xx`, `gt` or `lt` prevented it.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("board", { alice: 10, bob: 7 }); // 2
   * db.zadd("board", 12, "alice", { gt: true, ch: true }); // 1
   * db.zadd("board", 5, "bob", { incr: true }); // 12
   * ```
   */
  zadd(
    key: Bytes,
    score: number,
    member: Bytes,
    options: ZaddOptions & { incr: true },
  ): number | null;
  /**
   * ZADD with members and scores as an object or `[member, score]` pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", [["a", 1], [new Uint8Array([0]), 2]]); // 2
   * ```
   */
  zadd(key: Bytes, members: ScoreMembers, options?: ZaddOptions): number;
  /**
   * ZADD of one member.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", 1, "a", { nx: true }); // 1
   * ```
   */
  zadd(key: Bytes, score: number, member: Bytes, options?: ZaddOptions): number;
  zadd(
    key: Bytes,
    scoreOrMembers: number | ScoreMembers,
    memberOrOptions?: Bytes | ZaddOptions,
    maybeOptions?: ZaddOptions,
  ): number | null {
    const single = typeof scoreOrMembers === "number";
    const entries = single
      ? [{ score: zapi.checkedScore(scoreOrMembers), member: toBytes(memberOrOptions as Bytes) }]
      : zapi.toEntries(scoreOrMembers);
    const { incr, ...options } = (single ? maybeOptions : memberOrOptions as ZaddOptions) ?? {};
    if (!incr) return zsets.zadd(this.#scope, toBytes(key), entries, options);
    zsets.checkZaddOptions(options);
    if (entries.length !== 1) throw new RedisError(zsets.ZSET_ERR.incrPair);
    const { score, member } = entries[0];
    return zsets.zaddIncr(this.#scope, toBytes(key), score, member, options);
  }

  /**
   * ZINCRBY: adds `increment` to a member's score (a missing member starts at 0); returns the
   * new score.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zincrby("z", 2.5, "a"); // 2.5
   * ```
   */
  zincrby(key: Bytes, increment: number, member: Bytes): number {
    return zsets.zincrby(this.#scope, toBytes(key), zapi.checkedScore(increment), toBytes(member));
  }

  /**
   * ZREM: removes members; returns how many were there. An emptied sorted set is deleted.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrem("z", "a", "missing"); // 1
   * ```
   */
  zrem(key: Bytes, ...members: Bytes[]): number {
    if (members.length === 0) throw wrongArity("zrem");
    return zsets.zrem(this.#scope, toBytes(key), members.map(toBytes));
  }

  /**
   * ZSCORE: a member's score, or null.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", 1.5, "a");
   * db.zscore("z", "a"); // 1.5
   * ```
   */
  zscore(key: Bytes, member: Bytes): number | null {
    return zsets.zscore(this.#scope, toBytes(key), toBytes(member));
  }

  /**
   * ZMSCORE: the scores of members, null for missing ones.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", 1, "a");
   * db.zmscore("z", "a", "b"); // [1, null]
   * ```
   */
  zmscore(key: Bytes, ...members: Bytes[]): (number | null)[] {
    if (members.length === 0) throw wrongArity("zmscore");
    return zsets.zmscore(this.#scope, toBytes(key), members.map(toBytes));
  }

  /**
   * ZCARD: the number of members (0 when the key is missing).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zcard("z"); // 2
   * ```
   */
  zcard(key: Bytes): number {
    return zsets.zcard(this.#scope, toBytes(key));
  }

  /**
   * ZCOUNT: how many members have a score in the range (numbers are inclusive; `"(1"`,
   * `"-inf"` and `"+inf"` as in Redis).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2, c: 3 });
   * db.zcount("z", "(1", "+inf"); // 2
   * ```
   */
  zcount(key: Bytes, min: ScoreBound, max: ScoreBound): number {
    return zsets.zcount(this.#scope, toBytes(key), zapi.scoreRange(min, max));
  }

  /**
   * ZLEXCOUNT: how many members are in a lexicographic range (`"[a"`, `"(a"`, `"-"`, `"+"`).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 0, b: 0, c: 0 });
   * db.zlexcount("z", "(a", "+"); // 2
   * ```
   */
  zlexcount(key: Bytes, min: LexBound, max: LexBound): number {
    return zsets.zlexcount(this.#scope, toBytes(key), zapi.lexRange(min, max));
  }

  /**
   * ZRANK: a member's 0-based rank by ascending score, or null.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrank("z", "b"); // 1
   * ```
   */
  zrank(key: Bytes, member: Bytes): number | null {
    return zsets.zrank(this.#scope, toBytes(key), toBytes(member));
  }

  /**
   * ZREVRANK: a member's 0-based rank by descending score, or null.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrevrank("z", "b"); // 0
   * ```
   */
  zrevrank(key: Bytes, member: Bytes): number | null {
    return zsets.zrank(this.#scope, toBytes(key), toBytes(member), true);
  }

  /**
   * ZRANGE with `withscores`: `[member, score]` pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrange("z", 0, -1, { withscores: true }); // [["a", 1], ["b", 2]]
   * ```
   */
  zrange(
    key: Bytes,
    start: ScoreBound | Bytes,
    stop: ScoreBound | Bytes,
    options: ZrangeOptions & { withscores: true },
  ): ScoredPair[];
  /**
   * ZRANGE: members by rank (`start` and `stop`, negative from the end), by score (`byscore`)
   * or by member (`bylex`), optionally reversed (`rev`) and windowed (`limit`).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2, c: 3 });
   * db.zrange("z", 0, 1); // ["a", "b"]
   * db.zrange("z", "+inf", "(1", { byscore: true, rev: true }); // ["c", "b"]
   * ```
   */
  zrange(
    key: Bytes,
    start: ScoreBound | Bytes,
    stop: ScoreBound | Bytes,
    options?: ZrangeOptions,
  ): string[];
  zrange(
    key: Bytes,
    start: ScoreBound | Bytes,
    stop: ScoreBound | Bytes,
    options: ZrangeOptions = {},
  ): string[] | ScoredPair[] {
    const query = zapi.rangeQuery(start, stop, options);
    return zapi.membersOrPairs(zsets.zrange(this.#scope, toBytes(key), query), options.withscores);
  }

  /**
   * ZRANGESTORE: stores a range of `source` (as {@linkcode Db.zrange} selects it) in
   * `destination`, replacing it; returns the number of members stored.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2, c: 3 });
   * db.zrangestore("top", "z", 0, 1, { rev: true }); // 2
   * ```
   */
  zrangestore(
    destination: Bytes,
    source: Bytes,
    start: ScoreBound | Bytes,
    stop: ScoreBound | Bytes,
    options: Omit<ZrangeOptions, "withscores"> = {},
  ): number {
    const query = zapi.rangeQuery(start, stop, options);
    return zsets.zrangestore(this.#scope, toBytes(destination), toBytes(source), query);
  }

  /**
   * ZREVRANGE with `withscores`: `[member, score]` pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrevrange("z", 0, 0, { withscores: true }); // [["b", 2]]
   * ```
   */
  zrevrange(key: Bytes, start: number, stop: number, options: { withscores: true }): ScoredPair[];
  /**
   * ZREVRANGE: members by rank from the highest score down.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrevrange("z", 0, -1); // ["b", "a"]
   * ```
   */
  zrevrange(key: Bytes, start: number, stop: number, options?: WithScores): string[];
  zrevrange(
    key: Bytes,
    start: number,
    stop: number,
    options: WithScores = {},
  ): string[] | ScoredPair[] {
    return this.zrange(key, start, stop, { rev: true, withscores: options.withscores });
  }

  /**
   * ZRANGEBYSCORE with `withscores`: `[member, score]` pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrangebyscore("z", 2, "+inf", { withscores: true }); // [["b", 2]]
   * ```
   */
  zrangebyscore(
    key: Bytes,
    min: ScoreBound,
    max: ScoreBound,
    options: ZrangeByScoreOptions & { withscores: true },
  ): ScoredPair[];
  /**
   * ZRANGEBYSCORE: members with a score from `min` to `max`, lowest first.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2, c: 3 });
   * db.zrangebyscore("z", "(1", 3, { limit: { offset: 0, count: 1 } }); // ["b"]
   * ```
   */
  zrangebyscore(
    key: Bytes,
    min: ScoreBound,
    max: ScoreBound,
    options?: ZrangeByScoreOptions,
  ): string[];
  zrangebyscore(
    key: Bytes,
    min: ScoreBound,
    max: ScoreBound,
    options: ZrangeByScoreOptions = {},
  ): string[] | ScoredPair[] {
    return this.zrange(key, min, max, { ...options, byscore: true });
  }

  /**
   * ZREVRANGEBYSCORE with `withscores`: `[member, score]` pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrevrangebyscore("z", "+inf", 2, { withscores: true }); // [["b", 2]]
   * ```
   */
  zrevrangebyscore(
    key: Bytes,
    max: ScoreBound,
    min: ScoreBound,
    options: ZrangeByScoreOptions & { withscores: true },
  ): ScoredPair[];
  /**
   * ZREVRANGEBYSCORE: members with a score from `max` down to `min`, highest first.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2, c: 3 });
   * db.zrevrangebyscore("z", 3, "(1"); // ["c", "b"]
   * ```
   */
  zrevrangebyscore(
    key: Bytes,
    max: ScoreBound,
    min: ScoreBound,
    options?: ZrangeByScoreOptions,
  ): string[];
  zrevrangebyscore(
    key: Bytes,
    max: ScoreBound,
    min: ScoreBound,
    options: ZrangeByScoreOptions = {},
  ): string[] | ScoredPair[] {
    return this.zrange(key, max, min, { ...options, byscore: true, rev: true });
  }

  /**
   * ZRANGEBYLEX: members from `min` to `max` in byte order (`"[a"`, `"(a"`, `"-"`, `"+"`), for
   * sorted sets whose members share one score.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 0, b: 0, c: 0 });
   * db.zrangebylex("z", "(a", "+"); // ["b", "c"]
   * ```
   */
  zrangebylex(key: Bytes, min: LexBound, max: LexBound, options: { limit?: Limit } = {}): string[] {
    return this.zrange(key, min, max, { bylex: true, limit: options.limit });
  }

  /**
   * ZREVRANGEBYLEX: members from `max` down to `min` in byte order.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 0, b: 0, c: 0 });
   * db.zrevrangebylex("z", "+", "[b"); // ["c", "b"]
   * ```
   */
  zrevrangebylex(
    key: Bytes,
    max: LexBound,
    min: LexBound,
    options: { limit?: Limit } = {},
  ): string[] {
    return this.zrange(key, max, min, { bylex: true, rev: true, limit: options.limit });
  }

  /**
   * ZREMRANGEBYRANK: removes the members ranked `start` to `stop` (negative from the end);
   * returns how many.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2, c: 3 });
   * db.zremrangebyrank("z", 0, -2); // 2
   * ```
   */
  zremrangebyrank(key: Bytes, start: number, stop: number): number {
    const query = zapi.rangeQuery(start, stop, {});
    return zsets.zremrange(this.#scope, toBytes(key), query);
  }

  /**
   * ZREMRANGEBYSCORE: removes the members with a score from `min` to `max`; returns how many.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2, c: 3 });
   * db.zremrangebyscore("z", "-inf", "(3"); // 2
   * ```
   */
  zremrangebyscore(key: Bytes, min: ScoreBound, max: ScoreBound): number {
    const query = { by: "score" as const, range: zapi.scoreRange(min, max) };
    return zsets.zremrange(this.#scope, toBytes(key), query);
  }

  /**
   * ZREMRANGEBYLEX: removes the members from `min` to `max` in byte order; returns how many.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 0, b: 0, c: 0 });
   * db.zremrangebylex("z", "[b", "+"); // 2
   * ```
   */
  zremrangebylex(key: Bytes, min: LexBound, max: LexBound): number {
    const query = { by: "lex" as const, range: zapi.lexRange(min, max) };
    return zsets.zremrange(this.#scope, toBytes(key), query);
  }

  /**
   * ZPOPMIN: removes and returns up to `count` (default 1) members with the lowest scores, as
   * `[member, score]` pairs, lowest first.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zpopmin("z"); // [["a", 1]]
   * ```
   */
  zpopmin(key: Bytes, count = 1): ScoredPair[] {
    return this.#zpop(key, count, false);
  }

  /**
   * ZPOPMAX: removes and returns up to `count` (default 1) members with the highest scores, as
   * `[member, score]` pairs, highest first.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zpopmax("z", 5); // [["b", 2], ["a", 1]]
   * ```
   */
  zpopmax(key: Bytes, count = 1): ScoredPair[] {
    return this.#zpop(key, count, true);
  }

  #zpop(key: Bytes, count: number, max: boolean): ScoredPair[] {
    if (!Number.isSafeInteger(count) || count < 0) throw new RedisError(ERR.positive);
    return zapi.pairs(zsets.zpop(this.#scope, toBytes(key), count, max));
  }

  /**
   * ZMPOP: pops up to `count` (default 1) members from the `"MIN"` or `"MAX"` end of the first
   * non-empty sorted set of `keys`; returns its key and the popped `[member, score]` pairs, or
   * null when all are empty.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("b", { x: 1, y: 2 });
   * db.zmpop(["a", "b"], "MAX", { count: 1 }); // ["b", [["y", 2]]]
   * ```
   */
  zmpop(
    keys: readonly Bytes[],
    where: "MIN" | "MAX",
    options: { count?: number } = {},
  ): [key: string, popped: ScoredPair[]] | null {
    if (keys.length === 0) throw new RedisError("ERR numkeys should be greater than 0");
    if (where !== "MIN" && where !== "MAX") throw new RedisError(ERR.syntax);
    const count = options.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new RedisError("ERR count should be greater than 0");
    }
    const popped = zsets.zmpop(this.#scope, keys.map(toBytes), where === "MAX", count);
    return popped === null ? null : [toText(popped.key), zapi.pairs(popped.entries)];
  }

  /**
   * ZUNION with `withscores`: `[member, score]` pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1 });
   * db.zadd("b", { x: 2, y: 3 });
   * db.zunion(["a", "b"], { withscores: true }); // [["x", 3], ["y", 3]]
   * ```
   */
  zunion(keys: readonly Bytes[], options: ZcombineOptions & { withscores: true }): ScoredPair[];
  /**
   * ZUNION: the members of any of the sorted sets (sets count with score 1), their scores
   * weighted and combined (`aggregate`: sum, min or max).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1 });
   * db.zadd("b", { y: 0 });
   * db.zunion(["a", "b"]); // ["y", "x"]
   * ```
   */
  zunion(keys: readonly Bytes[], options?: ZcombineOptions): string[];
  zunion(keys: readonly Bytes[], options: ZcombineOptions = {}): string[] | ScoredPair[] {
    return this.#zcombine("union", keys, options);
  }

  /**
   * ZINTER with `withscores`: `[member, score]` pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1, y: 1 });
   * db.zadd("b", { x: 2 });
   * db.zinter(["a", "b"], { withscores: true, aggregate: "max" }); // [["x", 2]]
   * ```
   */
  zinter(keys: readonly Bytes[], options: ZcombineOptions & { withscores: true }): ScoredPair[];
  /**
   * ZINTER: the members in all of the sorted sets, their scores weighted and combined.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1, y: 1 });
   * db.zadd("b", { x: 2 });
   * db.zinter(["a", "b"]); // ["x"]
   * ```
   */
  zinter(keys: readonly Bytes[], options?: ZcombineOptions): string[];
  zinter(keys: readonly Bytes[], options: ZcombineOptions = {}): string[] | ScoredPair[] {
    return this.#zcombine("inter", keys, options);
  }

  /**
   * ZDIFF with `withscores`: `[member, score]` pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1, y: 2 });
   * db.zadd("b", { x: 5 });
   * db.zdiff(["a", "b"], { withscores: true }); // [["y", 2]]
   * ```
   */
  zdiff(keys: readonly Bytes[], options: { withscores: true }): ScoredPair[];
  /**
   * ZDIFF: the members of the first sorted set that are in none of the others, with their
   * scores in the first.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1, y: 2 });
   * db.zadd("b", { x: 5 });
   * db.zdiff(["a", "b"]); // ["y"]
   * ```
   */
  zdiff(keys: readonly Bytes[], options?: WithScores): string[];
  zdiff(keys: readonly Bytes[], options: WithScores = {}): string[] | ScoredPair[] {
    return this.#zcombine("diff", keys, { withscores: options.withscores });
  }

  #zcombine(
    operation: zsets.SetOperation,
    keys: readonly Bytes[],
    options: ZcombineOptions,
  ): string[] | ScoredPair[] {
    const sources = zapi.inputKeys(keys, `z${operation}`);
    const entries = zsets.zcombine(this.#scope, operation, sources, zapi.combineOptions(options));
    return zapi.membersOrPairs(entries, options.withscores);
  }

  /**
   * ZUNIONSTORE: stores the union (as {@linkcode Db.zunion}) in `destination`, replacing it;
   * returns its size.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1 });
   * db.zadd("b", { y: 2 });
   * db.zunionstore("out", ["a", "b"], { weights: [2, 1] }); // 2
   * ```
   */
  zunionstore(
    destination: Bytes,
    keys: readonly Bytes[],
    options: Omit<ZcombineOptions, "withscores"> = {},
  ): number {
    return this.#zcombineStore("union", destination, keys, options);
  }

  /**
   * ZINTERSTORE: stores the intersection (as {@linkcode Db.zinter}) in `destination`,
   * replacing it; returns its size.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1, y: 1 });
   * db.zadd("b", { x: 2 });
   * db.zinterstore("out", ["a", "b"], { aggregate: "min" }); // 1
   * ```
   */
  zinterstore(
    destination: Bytes,
    keys: readonly Bytes[],
    options: Omit<ZcombineOptions, "withscores"> = {},
  ): number {
    return this.#zcombineStore("inter", destination, keys, options);
  }

  /**
   * ZDIFFSTORE: stores the difference (as {@linkcode Db.zdiff}) in `destination`, replacing
   * it; returns its size.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1, y: 2 });
   * db.zadd("b", { x: 5 });
   * db.zdiffstore("out", ["a", "b"]); // 1
   * ```
   */
  zdiffstore(destination: Bytes, keys: readonly Bytes[]): number {
    return this.#zcombineStore("diff", destination, keys, {});
  }

  #zcombineStore(
    operation: zsets.SetOperation,
    destination: Bytes,
    keys: readonly Bytes[],
    options: ZcombineOptions,
  ): number {
    const combine = zapi.combineOptions(options);
    const sources = zapi.inputKeys(keys, `z${operation}store`);
    return zsets.zcombineStore(this.#scope, operation, toBytes(destination), sources, combine);
  }

  /**
   * ZINTERCARD: the size of the intersection of the sorted sets, counting no further than
   * `limit` (0 or none: no limit).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("a", { x: 1, y: 1 });
   * db.zadd("b", { x: 2, y: 2 });
   * db.zintercard(["a", "b"], { limit: 1 }); // 1
   * ```
   */
  zintercard(keys: readonly Bytes[], options: { limit?: number } = {}): number {
    const limit = options.limit ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 0) {
      throw new RedisError("ERR LIMIT can't be negative");
    }
    return zsets.zintercard(this.#scope, zapi.inputKeys(keys, "zintercard"), limit);
  }

  /**
   * ZRANDMEMBER: a random member, or null when the key is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrandmember("z"); // "a" or "b"
   * ```
   */
  zrandmember(key: Bytes): string | null;
  /**
   * ZRANDMEMBER with a count and `withscores`: random members with their scores, as pairs.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1 });
   * db.zrandmember("z", 1, { withscores: true }); // [["a", 1]]
   * ```
   */
  zrandmember(key: Bytes, count: number, options: { withscores: true }): ScoredPair[];
  /**
   * ZRANDMEMBER with a count: up to `count` distinct random members, or for a negative count,
   * `-count` members that may repeat.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * db.zrandmember("z", 5); // ["a", "b"] in some order
   * db.zrandmember("z", -3); // three members, maybe repeated
   * ```
   */
  zrandmember(key: Bytes, count: number, options?: WithScores): string[];
  zrandmember(
    key: Bytes,
    count?: number,
    options: WithScores = {},
  ): string | null | string[] | ScoredPair[] {
    if (count === undefined) return textOrNull(zsets.zrandmember(this.#scope, toBytes(key)));
    const entries = zsets.zrandmemberCount(this.#scope, toBytes(key), checkInteger(count));
    return zapi.membersOrPairs(entries, options.withscores);
  }

  /**
   * ZSCAN: one step of an iteration over a sorted set's members: the cursor of the next step
   * (0 when the iteration is over) and `[member, score]` pairs. Up to 128 members come back
   * whole, in score order; larger sets in pages of about `count`, in member order. A member
   * present during the whole iteration is returned at least once.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { a: 1, b: 2 });
   * let cursor = 0;
   * do {
   *   const [next, pairs] = db.zscan("z", cursor, { match: "a*", count: 100 });
   *   cursor = next;
   * } while (cursor !== 0);
   * ```
   */
  zscan(
    key: Bytes,
    cursor: number,
    options: Omit<ScanOptions, "type"> = {},
  ): [number, ScoredPair[]] {
    const step = zsets.zscan(this.#scope, toBytes(key), cursor, elementScanArgs(cursor, options));
    return [step.cursor, zapi.pairs(step.entries)];
  }

  /**
   * SORT with `store`: stores the sorted elements (or GET values) as a list in `store`,
   * replacing it; returns its length.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { b: 1, a: 2 });
   * db.sort("z", { alpha: true, store: "sorted" }); // 2
   * ```
   */
  sort(key: Bytes, options: SortOptions & { store: Bytes }): number;
  /**
   * SORT: the elements of a list, set or sorted set, in numeric order (or byte order with
   * `alpha`), optionally by other keys' values (`by`), windowed (`limit`), reversed (`desc`),
   * or replaced by other keys' values (`get`; null where missing).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("ids", { "3": 0, "1": 0, "2": 0 });
   * db.sort("ids"); // ["1", "2", "3"]
   * db.sort("ids", { desc: true, limit: { offset: 0, count: 2 } }); // ["3", "2"]
   * ```
   */
  sort(key: Bytes, options?: SortOptions & { store?: undefined }): (string | null)[];
  sort(key: Bytes, options: SortOptions & { store?: Bytes } = {}): (string | null)[] | number {
    const parsed = zapi.sortOptions(options);
    if (options.store !== undefined) {
      return sorting.sortStore(this.#scope, toBytes(key), toBytes(options.store), parsed);
    }
    return sorting.sort(this.#scope, toBytes(key), parsed).map(textOrNull);
  }

  /**
   * SORT_RO: {@linkcode Db.sort} without `store`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("z", { b: 1, a: 2 });
   * db.sortRo("z", { alpha: true }); // ["a", "b"]
   * ```
   */
  sortRo(key: Bytes, options: SortOptions = {}): (string | null)[] {
    return sorting.sort(this.#scope, toBytes(key), zapi.sortOptions(options)).map(textOrNull);
  }

  // #endregion zsets
  // #region streams

  /**
   * XADD: appends an entry with the given id (`"*"` for a new one, or `"<ms>-*"`) and fields
   * (an object, or pairs); creates the stream unless `nomkstream`, then trims it as asked.
   * Returns the new id, or null when the stream is missing and `nomkstream` is set.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("events", "*", { type: "login", user: "ada" }); // "1700000000000-0"
   * db.xadd("events", "*", [["type", "logout"]], { maxlen: 1000, approx: true });
   * ```
   */
  xadd(
    key: Bytes,
    id: Bytes,
    fields: Record<string, Bytes> | Iterable<readonly [Bytes, Bytes]>,
    options: XaddOptions = {},
  ): string | null {
    const trim = streamTrim(options, true);
    const added = streams.xadd(
      this.#scope,
      toBytes(key),
      sapi.addId(id),
      fieldValueArgs("xadd", fields),
      { noMkStream: options.nomkstream, trim },
    );
    return added === null ? null : idText(added);
  }

  /**
   * XLEN: the number of entries (0 for a missing key).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { f: "v" });
   * db.xlen("s"); // 1
   * ```
   */
  xlen(key: Bytes): number {
    return streams.xlen(this.#scope, toBytes(key));
  }

  /**
   * XRANGE: the entries from `start` to `end` (`"-"` and `"+"` for the ends, incomplete ids
   * like `"5"`, exclusive bounds like `"(5-1"`), at most `count`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { f: "v" });
   * db.xrange("s"); // [["1-1", { f: "v" }]]
   * db.xrange("s", "(1-1", "+", { count: 10 }); // []
   * ```
   */
  xrange(
    key: Bytes,
    start: Bytes = "-",
    end: Bytes = "+",
    options: XrangeOptions = {},
  ): StreamEntry[] {
    return this.#range(key, start, end, options, false);
  }

  /**
   * XREVRANGE: as {@linkcode Db.xrange}, from `end` down to `start`.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { a: "1" });
   * db.xadd("s", "2-1", { b: "2" });
   * db.xrevrange("s", "+", "-", { count: 1 }); // [["2-1", { b: "2" }]]
   * ```
   */
  xrevrange(
    key: Bytes,
    end: Bytes = "+",
    start: Bytes = "-",
    options: XrangeOptions = {},
  ): StreamEntry[] {
    return this.#range(key, start, end, options, true);
  }

  #range(
    key: Bytes,
    start: Bytes,
    end: Bytes,
    options: XrangeOptions,
    reverse: boolean,
  ): StreamEntry[] {
    const from = rangeBound(toBytes(start), "start");
    const to = rangeBound(toBytes(end), "end");
    const count = options.count === undefined ? null : Math.max(0, Number(toInt64(options.count)));
    const found = streams.xrange(this.#scope, toBytes(key), from, to, count, reverse);
    return found?.map(sapi.entryOf) ?? [];
  }

  /**
   * XDEL: removes entries by id; returns how many existed.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { f: "v" });
   * db.xdel("s", "1-1", "9-9"); // 1
   * ```
   */
  xdel(key: Bytes, ...ids: Bytes[]): number {
    if (ids.length === 0) throw wrongArity("xdel");
    return streams.xdel(this.#scope, toBytes(key), () => ids.map((id) => requireId(toBytes(id))));
  }

  /**
   * XTRIM: trims a stream to `maxlen` entries, or below the id `minid`; with `approx`, by whole
   * radix-tree nodes as Redis's `~`. Returns how many entries went.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { f: "v" });
   * db.xadd("s", "2-1", { f: "v" });
   * db.xtrim("s", { maxlen: 1 }); // 1
   * db.xtrim("s", { minid: "3", approx: true }); // 0: the node is not whole below 3
   * ```
   */
  xtrim(key: Bytes, options: XtrimOptions): number {
    return streams.xtrim(this.#scope, toBytes(key), streamTrim(options, false)!);
  }

  /**
   * XREAD: the entries after the given id in each stream (`"$"`: the stream's last id), at
   * most `count` per stream; null when none has any. Blocking reads are the server's.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { f: "v" });
   * db.xread({ s: "0" }); // { s: [["1-1", { f: "v" }]] }
   * db.xread({ s: "$" }); // null
   * ```
   */
  xread(streamIds: StreamIds, options: XreadOptions = {}): Record<string, StreamEntry[]> | null {
    const pairs = sapi.streamArgs(streamIds);
    if (pairs.length === 0) throw wrongArity("xread");
    const found = streams.xread(
      this.#scope,
      pairs.map(([key, id]) => ({ key, after: (lastId) => readAfterArg(id, lastId) })),
      sapi.readCount(options.count),
    );
    return sapi.streamsObject(found, sapi.entryOf);
  }

  /**
   * XGROUP CREATE: creates a consumer group that delivers the entries after `id` (`"$"`: only
   * new ones). Throws BUSYGROUP when it exists, and unless `mkstream`, an error for a missing
   * stream.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("jobs", "workers", "$", { mkstream: true }); // "OK"
   * ```
   */
  xgroupCreate(key: Bytes, group: Bytes, id: Bytes, options: XgroupCreateOptions = {}): "OK" {
    stream_groups.xgroupCreate(
      this.#scope,
      toBytes(key),
      toBytes(group),
      (lastId) => groupIdArg(toBytes(id), lastId, true),
      { mkStream: options.mkstream, entriesRead: entriesReadArg(options.entriesread) },
    );
    return "OK";
  }

  /**
   * XGROUP SETID: sets a group's last delivered id (`"$"`: the stream's last id) and its count
   * of entries read.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xgroupSetid("s", "g", "0"); // "OK"
   * ```
   */
  xgroupSetid(key: Bytes, group: Bytes, id: Bytes, options: XgroupSetidOptions = {}): "OK" {
    stream_groups.xgroupSetid(
      this.#scope,
      toBytes(key),
      toBytes(group),
      (lastId) => groupIdArg(toBytes(id), lastId, false),
      entriesReadArg(options.entriesread),
    );
    return "OK";
  }

  /**
   * XGROUP DESTROY: removes a group; returns 1, or 0 when it did not exist.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xgroupDestroy("s", "g"); // 1
   * ```
   */
  xgroupDestroy(key: Bytes, group: Bytes): number {
    return stream_groups.xgroupDestroy(this.#scope, toBytes(key), toBytes(group)) ? 1 : 0;
  }

  /**
   * XGROUP CREATECONSUMER: adds a consumer to a group; returns 1, or 0 when it existed.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xgroupCreateconsumer("s", "g", "alice"); // 1
   * ```
   */
  xgroupCreateconsumer(key: Bytes, group: Bytes, consumer: Bytes): number {
    const created = stream_groups.xgroupCreateconsumer(
      this.#scope,
      toBytes(key),
      toBytes(group),
      toBytes(consumer),
    );
    return created ? 1 : 0;
  }

  /**
   * XGROUP DELCONSUMER: removes a consumer; returns how many entries it had pending.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xgroupDelconsumer("s", "g", "alice"); // 0
   * ```
   */
  xgroupDelconsumer(key: Bytes, group: Bytes, consumer: Bytes): number {
    return stream_groups.xgroupDelconsumer(
      this.#scope,
      toBytes(key),
      toBytes(group),
      toBytes(consumer),
    );
  }

  /**
   * XREADGROUP: reads as a group's consumer: with the id `">"`, the entries never delivered
   * to the group (they become the consumer's pending entries unless `noack`); with an id, the
   * consumer's own pending entries after it (null fields for entries deleted since). Null when
   * no stream has anything to return.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xadd("s", "1-1", { f: "v" });
   * db.xreadgroup("g", "alice", { s: ">" }); // { s: [["1-1", { f: "v" }]] }
   * db.xreadgroup("g", "alice", { s: "0" }); // the same, now pending
   * ```
   */
  xreadgroup(
    group: Bytes,
    consumer: Bytes,
    streamIds: StreamIds,
    options: XreadgroupOptions = {},
  ): Record<string, PendingStreamEntry[]> | null {
    const pairs = sapi.streamArgs(streamIds);
    if (pairs.length === 0) throw wrongArity("xreadgroup");
    const found = stream_groups.xreadgroup(
      this.#scope,
      toBytes(group),
      toBytes(consumer),
      pairs.map(([key, id]) => ({ key, after: () => groupReadAfterArg(id) })),
      { count: sapi.readCount(options.count), noAck: options.noack },
    );
    return sapi.streamsObject(found, sapi.pendingEntryOf);
  }

  /**
   * XACK: acknowledges entries of a group (removes them from its pending list); returns how
   * many were pending.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xadd("s", "1-1", { f: "v" });
   * db.xreadgroup("g", "alice", { s: ">" });
   * db.xack("s", "g", "1-1"); // 1
   * ```
   */
  xack(key: Bytes, group: Bytes, ...ids: Bytes[]): number {
    if (ids.length === 0) throw wrongArity("xack");
    return stream_groups.xack(
      this.#scope,
      toBytes(key),
      toBytes(group),
      () => ids.map((id) => requireId(toBytes(id))),
    );
  }

  /**
   * XPENDING: a summary of a group's pending entries: how many, the smallest and largest ids,
   * and each consumer's count.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xpending("s", "g"); // { count: 0, first: null, last: null, consumers: {} }
   * ```
   */
  xpending(key: Bytes, group: Bytes): XpendingSummary;
  /**
   * XPENDING with a range: the pending entries from `start` to `end`, at most `count`,
   * optionally only a consumer's or only those idle at least `idle` ms.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xpending("s", "g", { start: "-", end: "+", count: 10, consumer: "alice" }); // []
   * ```
   */
  xpending(key: Bytes, group: Bytes, range: XpendingRange): XpendingEntry[];
  xpending(
    key: Bytes,
    group: Bytes,
    range?: XpendingRange,
  ): XpendingSummary | XpendingEntry[] {
    if (range === undefined) {
      const summary = stream_groups.xpendingSummary(this.#scope, toBytes(key), toBytes(group));
      return sapi.pendingSummaryOf(summary);
    }
    const count = Number(toInt64(range.count));
    const entries = stream_groups.xpendingRange(this.#scope, toBytes(key), toBytes(group), {
      start: rangeBound(toBytes(range.start), "start"),
      end: rangeBound(toBytes(range.end), "end"),
      count: Math.max(0, count),
      minIdle: range.idle === undefined ? 0 : Number(toInt64(range.idle)),
      consumer: range.consumer === undefined ? undefined : toBytes(range.consumer),
    });
    return entries.map(sapi.pendingEntryInfo);
  }

  /**
   * XCLAIM: gives a group's pending entries idle at least `minIdleTime` ms to a consumer;
   * returns the claimed entries, or with `justid` their ids.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xadd("s", "1-1", { f: "v" });
   * db.xreadgroup("g", "alice", { s: ">" });
   * db.xclaim("s", "g", "bob", 0, ["1-1"], { justid: true }); // ["1-1"]
   * ```
   */
  xclaim(
    key: Bytes,
    group: Bytes,
    consumer: Bytes,
    minIdleTime: number,
    ids: Bytes[],
    options: XclaimOptions & { justid: true },
  ): string[];
  /**
   * XCLAIM returning the claimed entries.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xadd("s", "1-1", { f: "v" });
   * db.xreadgroup("g", "alice", { s: ">" });
   * db.xclaim("s", "g", "bob", 0, ["1-1"]); // [["1-1", { f: "v" }]]
   * ```
   */
  xclaim(
    key: Bytes,
    group: Bytes,
    consumer: Bytes,
    minIdleTime: number,
    ids: Bytes[],
    options?: XclaimOptions,
  ): StreamEntry[];
  xclaim(
    key: Bytes,
    group: Bytes,
    consumer: Bytes,
    minIdleTime: number,
    ids: Bytes[],
    options: XclaimOptions = {},
  ): StreamEntry[] | string[] {
    if (ids.length === 0) throw wrongArity("xclaim");
    const claimed = stream_groups.xclaim(
      this.#scope,
      toBytes(key),
      toBytes(group),
      toBytes(consumer),
      () => {
        const idBytes = ids.map((id) => requireId(toBytes(id)));
        const lastId = options.lastid === undefined
          ? undefined
          : requireId(toBytes(options.lastid));
        return sapi.claimArgs(minIdleTime, idBytes, options, lastId);
      },
    );
    if (options.justid) return claimed.map((entry) => idText(entry.id));
    return claimed.map((entry) => sapi.entryOf(entry as streams.StreamEntry));
  }

  /**
   * XAUTOCLAIM: claims for a consumer, from `start` on, pending entries idle at least
   * `minIdleTime` ms, at most `count` (default 100); returns where to continue, the claimed
   * entries (or ids with `justid`) and the pending ids whose entries were deleted.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xadd("s", "1-1", { f: "v" });
   * db.xreadgroup("g", "alice", { s: ">" });
   * db.xautoclaim("s", "g", "bob", 0, "0"); // { next: "0-0", claimed: [["1-1", { f: "v" }]], deleted: [] }
   * ```
   */
  xautoclaim(
    key: Bytes,
    group: Bytes,
    consumer: Bytes,
    minIdleTime: number,
    start: Bytes,
    options: XautoclaimOptions & { justid: true },
  ): XautoclaimResult<string>;
  /**
   * XAUTOCLAIM returning the claimed entries.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xautoclaim("s", "g", "bob", 60000, "-", { count: 10 }); // { next: "0-0", claimed: [], deleted: [] }
   * ```
   */
  xautoclaim(
    key: Bytes,
    group: Bytes,
    consumer: Bytes,
    minIdleTime: number,
    start: Bytes,
    options?: XautoclaimOptions,
  ): XautoclaimResult<StreamEntry>;
  xautoclaim(
    key: Bytes,
    group: Bytes,
    consumer: Bytes,
    minIdleTime: number,
    start: Bytes,
    options: XautoclaimOptions = {},
  ): XautoclaimResult<StreamEntry> | XautoclaimResult<string> {
    const minIdle = BigInt(toInt64(minIdleTime));
    const from = rangeBound(toBytes(start), "start");
    const count = Number(toInt64(options.count ?? 100));
    if (count < 1 || count > 576460752303423487) throw new RedisError("ERR COUNT must be > 0");
    const result = stream_groups.xautoclaim(
      this.#scope,
      toBytes(key),
      toBytes(group),
      toBytes(consumer),
      minIdle < 0n ? 0n : minIdle,
      from,
      { count, justId: options.justid },
    );
    const next = idText(result.next);
    const deleted = result.deleted.map(idText);
    if (options.justid) {
      return { next, claimed: result.claimed.map((entry) => idText(entry.id)), deleted };
    }
    const claimed = result.claimed.map((entry) => sapi.entryOf(entry as streams.StreamEntry));
    return { next, claimed, deleted };
  }

  /**
   * XINFO STREAM: what Redis reports of a stream: its length, radix tree, ids, group count and
   * first and last entries. Throws "ERR no such key" when missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { f: "v" });
   * db.xinfoStream("s").length; // 1
   * ```
   */
  xinfoStream(key: Bytes): XinfoStream;
  /**
   * XINFO STREAM FULL: the stream with its first `count` entries (default 10, 0: all) and its
   * groups, consumers and pending entries in detail.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { f: "v" });
   * db.xinfoStream("s", { full: true, count: 0 }).entries; // [["1-1", { f: "v" }]]
   * ```
   */
  xinfoStream(key: Bytes, options: XinfoStreamFullOptions): XinfoStreamFull;
  xinfoStream(key: Bytes, options?: XinfoStreamFullOptions): XinfoStream | XinfoStreamFull {
    const info = stream_info.xinfoStream(this.#scope, toBytes(key), () => {
      if (options === undefined) return null;
      const count = Number(toInt64(options.count ?? 10));
      return count < 0 ? 10 : count;
    });
    return sapi.streamInfoOf(info);
  }

  /**
   * XINFO GROUPS: a stream's consumer groups, with their consumers, pending entries, last
   * delivered id, entries read and lag.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xinfoGroups("s")[0].name; // "g"
   * ```
   */
  xinfoGroups(key: Bytes): XinfoGroup[] {
    return stream_info.xinfoGroups(this.#scope, toBytes(key)).map(sapi.groupInfoOf);
  }

  /**
   * XINFO CONSUMERS: a group's consumers, with their pending entries and idle time.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xgroupCreate("s", "g", "$", { mkstream: true });
   * db.xgroupCreateconsumer("s", "g", "alice");
   * db.xinfoConsumers("s", "g")[0].name; // "alice"
   * ```
   */
  xinfoConsumers(key: Bytes, group: Bytes): XinfoConsumer[] {
    const consumers = stream_info.xinfoConsumers(this.#scope, toBytes(key), toBytes(group));
    return consumers.map(sapi.consumerInfoOf);
  }

  /**
   * XSETID: sets a stream's last id (not below its last entry), and optionally its count of
   * added entries and its largest deleted id.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.xadd("s", "1-1", { f: "v" });
   * db.xsetid("s", "5-0", { entriesadded: 10 }); // "OK"
   * ```
   */
  xsetid(key: Bytes, lastId: Bytes, options: XsetidOptions = {}): "OK" {
    const id = requireId(toBytes(lastId));
    const added = options.entriesadded === undefined ? undefined : toInt64(options.entriesadded);
    if (added !== undefined && added < 0) {
      throw new RedisError("ERR entries_added must be positive");
    }
    streams.xsetid(this.#scope, toBytes(key), id, {
      entriesAdded: added === undefined ? undefined : BigInt(added),
      maxDeletedId: options.maxdeletedid === undefined
        ? undefined
        : requireId(toBytes(options.maxdeletedid)),
    });
    return "OK";
  }

  // #endregion streams
  // #region redlite

  /**
   * KEYINFO (Redlite's own): a key's type, time to live in ms (-1: none), creation and last
   * write times (unix ms), version, size (a string's length, a collection's cardinality) and
   * encoding (as OBJECT ENCODING names it); null when the key is missing.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "hello", { ex: 60 });
   * db.keyinfo("k"); // { type: "string", ttl: 60000, size: 5, encoding: "embstr", ... }
   * ```
   */
  keyinfo(key: Bytes): KeyInfo | null {
    return keyinfo(this.#scope, toBytes(key), DEFAULT_ENCODING_LIMITS);
  }

  /**
   * VACUUM (Redlite's own): removes every expired key of every database now (a thousand per
   * transaction) and every history state past its retention, then has SQLite rewrite the file
   * without its free pages. Returns how many keys it removed. SQLite's VACUUM copies the whole
   * file: it needs that much free disk space, and holds the write lock meanwhile. Throws inside
   * a transaction.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.set("k", "v", { px: 1 });
   * db.vacuum(); // 1, a millisecond later
   * ```
   */
  vacuum(): number {
    return vacuum(this.#scope.store);
  }

  /**
   * AUTOVACUUM (Redlite's own): the background removal of expired keys (the active expiration
   * cycle, on by default every 100 ms), after applying the changes asked for.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.autovacuum(); // { enabled: true, interval: 100 }
   * db.autovacuum({ interval: 1000 }); // { enabled: true, interval: 1000 }
   * ```
   */
  autovacuum(options: AutovacuumOptions = {}): AutovacuumStatus {
    const store = this.#scope.store;
    const current = store.activeExpire;
    if (options.enabled !== undefined || options.interval !== undefined) {
      const interval = options.interval ?? current.interval;
      if (!Number.isSafeInteger(interval)) throw new RedisError(ERR.notInteger);
      if (interval < 1 || interval > MAX_TIMER_DELAY) {
        throw new RedisError(`ERR interval must be between 1 and ${MAX_TIMER_DELAY} ms`);
      }
      store.setActiveExpire(options.enabled ?? current.enabled, interval);
    }
    return store.activeExpire;
  }

  /**
   * HISTORY ENABLE (Redlite's own): records the key's states from now on, its current one
   * first (the key need not exist yet), keeping those of the last `retention` ms and at most
   * `maxversions` of them; on a tracked key, changes these bounds.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.historyEnable("config", { maxversions: 100 }); // "OK"
   * ```
   */
  historyEnable(key: Bytes, options: HistoryEnableOptions = {}): "OK" {
    history.historyEnable(this.#scope, toBytes(key), {
      retention: positiveOption(options.retention),
      maxVersions: positiveOption(options.maxversions),
    });
    return "OK";
  }

  /**
   * HISTORY DISABLE (Redlite's own): stops recording the key's states and forgets them.
   * Returns whether the key was tracked.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.historyEnable("k");
   * db.historyDisable("k"); // true
   * ```
   */
  historyDisable(key: Bytes): boolean {
    return history.historyDisable(this.#scope, toBytes(key));
  }

  /**
   * HISTORY GET (Redlite's own): the key's recorded states, newest first (the current one
   * included): each with its version, the unix time in ms it began, its type and its value
   * ("none" when the key did not exist from then on). `from` and `to` (unix ms, included) keep
   * the states that began between them; `count` the newest of those.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.historyEnable("k");
   * db.set("k", "1");
   * db.set("k", "2");
   * db.historyGet("k").map((entry) => entry.value); // ["2", "1"]
   * ```
   */
  historyGet(key: Bytes, options: HistoryGetOptions = {}): HistoryEntry[] {
    const time = (ms: number | undefined) => {
      if (ms === undefined) return undefined;
      if (!Number.isInteger(ms)) throw new RedisError(ERR.notInteger);
      return storedExpireAt(ms);
    };
    const range = {
      count: options.count === undefined ? undefined : countOption(options.count),
      from: time(options.from),
      to: time(options.to),
    };
    return history.historyGet(this.#scope, toBytes(key), range).map(historyEntry);
  }

  /**
   * HISTORY AT (Redlite's own): the key's type and value at a unix time in ms, or null when it
   * did not exist then (or that time is older than its recorded history). Throws for a stream.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.historyEnable("k");
   * db.set("k", "old");
   * const before = Date.now();
   * db.historyAt("k", before); // { type: "string", value: "old" }
   * ```
   */
  historyAt(key: Bytes, unixMs: number): HistoryState | null {
    if (!Number.isInteger(unixMs)) throw new RedisError(ERR.notInteger);
    const state = history.historyAt(this.#scope, toBytes(key), storedExpireAt(unixMs));
    return state === null ? null : historyState(state);
  }

  /**
   * HISTORY CLEAR (Redlite's own): forgets the key's recorded states but its current one.
   * Returns how many it forgot.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.historyEnable("k");
   * db.set("k", "1");
   * db.historyClear("k"); // 1
   * ```
   */
  historyClear(key: Bytes): number {
    return history.historyClear(this.#scope, toBytes(key));
  }

  /**
   * FTS ENABLE (Redlite's own): indexes for full-text search the string values and hash fields
   * of the selected database's keys matching a glob pattern, now and from now on. Returns false
   * when the pattern was enabled already.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.ftsEnable("doc:*"); // true
   * ```
   */
  ftsEnable(pattern: Bytes): boolean {
    return search.ftsEnable(this.#scope, toBytes(pattern)) === 1;
  }

  /**
   * FTS DISABLE (Redlite's own): stops indexing a pattern's keys, dropping from the index those
   * no other pattern covers. Returns false when the pattern was not enabled.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.ftsEnable("doc:*");
   * db.ftsDisable("doc:*"); // true
   * ```
   */
  ftsDisable(pattern: Bytes): boolean {
    return search.ftsDisable(this.#scope, toBytes(pattern)) === 1;
  }

  /**
   * FTS LIST (Redlite's own): the patterns indexed in the selected database.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.ftsEnable("doc:*");
   * db.ftsList(); // ["doc:*"]
   * ```
   */
  ftsList(): string[] {
    return search.ftsList(this.#scope).map(toText);
  }

  /**
   * FTS REINDEX (Redlite's own): rebuilds the selected database's full-text index from its keys.
   * Returns how many documents (string values and hash fields) it holds.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.ftsEnable("doc:*");
   * db.set("doc:1", "hello");
   * db.ftsReindex(); // 1
   * ```
   */
  ftsReindex(): number {
    return search.ftsReindex(this.#scope);
  }

  /**
   * FTSEARCH (Redlite's own): the indexed string keys and hash fields of the selected database
   * matching an FTS5 query (words, "phrases", prefix*, AND, OR, NOT, NEAR), most relevant first
   * (bm25), at most `limit` of them (default 10).
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.ftsEnable("doc:*");
   * db.set("doc:1", "the quick brown fox");
   * db.ftsearch("quick", { highlight: true }); // [{ key: "doc:1", field: null, score, highlight: "the <b>quick</b> brown fox" }]
   * ```
   */
  ftsearch(query: Bytes, options: FtsearchOptions = {}): FtsearchResult[] {
    const highlight = options.highlight;
    return search.ftsearch(this.#scope, toBytes(query), {
      limit: options.limit === undefined ? undefined : countOption(options.limit),
      highlight: highlight === undefined || highlight === false
        ? undefined
        : highlight === true
        ? [toBytes("<b>"), toBytes("</b>")]
        : [toBytes(highlight[0]), toBytes(highlight[1])],
    }).map(searchResult);
  }

  // #endregion redlite
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

const INT64_MIN = -(2n ** 63n);

function negate(value: Int64): Int64 {
  return typeof value === "number" ? 0 - value : -value;
}

function bytePairs(
  pairs: Record<string, Bytes> | [Bytes, Bytes][],
  command: string,
): [Uint8Array, Uint8Array][] {
  const entries = Array.isArray(pairs) ? pairs : Object.entries(pairs);
  if (entries.length === 0) throw wrongArity(command);
  return entries.map(([key, value]) => [toBytes(key), toBytes(value)]);
}

function bitOffset(offset: number): number {
  const error = "ERR bit offset is not an integer or out of range";
  if (!Number.isInteger(offset) || offset < 0 || offset > strings.MAX_BIT_OFFSET) {
    throw new RedisError(error);
  }
  return offset;
}

function unitOf(unit: BitUnit | undefined): "byte" | "bit" {
  if (unit === undefined || unit.toUpperCase() === "BYTE") return "byte";
  if (unit.toUpperCase() === "BIT") return "bit";
  throw new RedisError(ERR.syntax);
}

function bitRange(
  start: number | bigint | undefined,
  end: number | bigint | undefined,
  unit: BitUnit | undefined,
): BitRange | undefined {
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) throw new RedisError(ERR.syntax);
  return { start: toInt64(start), end: toInt64(end), unit: unitOf(unit) };
}

// Trimming options of xadd and xtrim as the data module takes them (Redis's errors).
function streamTrim(options: XtrimOptions, adding: boolean): streams.TrimOptions | undefined {
  const count = (value: number | undefined) =>
    value === undefined ? undefined : Number(toInt64(value));
  return streams.resolveTrim(
    {
      maxlen: count(options.maxlen),
      minid: options.minid === undefined ? undefined : requireId(toBytes(options.minid)),
      approx: options.approx,
      limit: count(options.limit),
    },
    adding,
    DEFAULT_NODE_LIMITS,
  );
}

// RETENTION and MAXVERSIONS: positive integers.
function positiveOption(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value)) throw new RedisError(ERR.notInteger);
  if (value <= 0) throw new RedisError(ERR.positive);
  return value;
}

// COUNT and LIMIT: integers from 0.
function countOption(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RedisError(ERR.notInteger);
  if (value < 0) throw new RedisError(ERR.positive);
  return value;
}

function entriesReadArg(entriesRead: number | undefined): bigint {
  if (entriesRead === undefined) return stream_groups.UNKNOWN_READS;
  const value = BigInt(toInt64(entriesRead));
  stream_groups.checkEntriesRead(value);
  return value;
}
