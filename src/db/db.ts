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
import type { BitRange } from "./bits.ts";
import { ERR, RedisError, wrongArity } from "./errors.ts";
import { expireAtFrom, type ExpireUnit } from "./expiry.ts";
import type { Scope } from "./keyspace.ts";
import { type DbOptions, Store } from "./store.ts";
import type { LcsMatch } from "./lcs.ts";
import { type Int64, toInt64 } from "./numbers.ts";
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

const INT64_MIN = -(2n ** 63n);

function negate(value: Int64): Int64 {
  return typeof value === "number" ? 0 - value : -value;
}

function textOrNull(value: Uint8Array | null): string | null {
  return value === null ? null : toText(value);
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
