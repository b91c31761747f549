/**
 * The embedded database: `Db`, a synchronous handle on one SQLite file with Redis's data types.
 * Each method is named after its Redis command and delegates to the data type's module.
 *
 * @module
 */

import { runCommand } from "../commands/dispatch.ts";
import { type JsReply, toJs } from "../commands/js_reply.ts";
import type { Reply } from "../resp/reply.ts";
import {
  elementScanArgs,
  fieldValueArgs,
  int64Of,
  integerOf,
  pairsObject,
  textOrNull,
} from "./api_args.ts";
import { argBytes, type Bytes, toBytes, toText } from "./bytes.ts";
import { ERR, RedisError, wrongArity } from "./errors.ts";
import { expireAtFrom, type ExpireUnit } from "./expiry.ts";
import type { Scope } from "./keyspace.ts";
import { type DbOptions, Store } from "./store.ts";
import * as hashes from "./hashes.ts";
import { parseLongDouble } from "./long_double.ts";
import * as sets from "./sets.ts";
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
    return hashes.hincrby(this.#scope, toBytes(key), toBytes(field), int64Of(increment));
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
    const pairs = hashes.hrandfieldCount(this.#scope, toBytes(key), integerOf(count));
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
    options: { match?: Bytes; count?: number } = {},
  ): [number, Record<string, string>] {
    const { match, count } = elementScanArgs(cursor, options);
    const step = hashes.hscan(this.#scope, toBytes(key), cursor, match, count);
    return [step.cursor, pairsObject(step.entries)];
  }

  // #endregion hashes
  // #region lists
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
    return sets.srandmemberCount(this.#scope, toBytes(key), integerOf(count)).map(toText);
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
    options: { match?: Bytes; count?: number } = {},
  ): [number, string[]] {
    const { match, count } = elementScanArgs(cursor, options);
    const step = sets.sscan(this.#scope, toBytes(key), cursor, match, count);
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
