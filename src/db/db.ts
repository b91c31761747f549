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
import * as zsets from "./zsets.ts";
import * as zapi from "./zsets_api.ts";
import type {
  LexBound,
  Limit,
  ScoreBound,
  ScoredPair,
  ScoreMembers,
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
    return this.#pop(key, count, false);
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
    return this.#pop(key, count, true);
  }

  #pop(key: Bytes, count: number, max: boolean): ScoredPair[] {
    if (!Number.isSafeInteger(count) || count < 0) throw new RedisError(ERR.positive);
    return zapi.pairs(zsets.zpop(this.#scope, toBytes(key), count, max));
  }

  /**
   * ZMPOP: pops up to `count` (default 1) members from the `"min"` or `"max"` end of the first
   * non-empty sorted set of `keys`; returns its key and the popped `[member, score]` pairs, or
   * null when all are empty.
   *
   * @example
   * ```ts
   * import { Db } from "@redlite/redlite";
   * const db = Db.openMemory();
   * db.zadd("b", { x: 1, y: 2 });
   * db.zmpop(["a", "b"], "max", { count: 1 }); // ["b", [["y", 2]]]
   * ```
   */
  zmpop(
    keys: readonly Bytes[],
    where: "min" | "max",
    options: { count?: number } = {},
  ): [key: string, popped: ScoredPair[]] | null {
    if (keys.length === 0) throw new RedisError("ERR numkeys should be greater than 0");
    if (where !== "min" && where !== "max") throw new RedisError(ERR.syntax);
    const count = options.count ?? 1;
    if (!Number.isSafeInteger(count) || count < 1) {
      throw new RedisError("ERR count should be greater than 0");
    }
    const popped = zsets.zmpop(this.#scope, keys.map(toBytes), where === "max", count);
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
    return this.#combine("union", keys, options);
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
    return this.#combine("inter", keys, options);
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
    return this.#combine("diff", keys, { withscores: options.withscores });
  }

  #combine(
    operation: zsets.SetOperation,
    keys: readonly Bytes[],
    options: ZcombineOptions,
  ): string[] | ScoredPair[] {
    const entries = zsets.zcombine(
      this.#scope,
      operation,
      keys.map(toBytes),
      zapi.combineOptions(options),
    );
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
    return this.#combineStore("union", destination, keys, options);
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
    return this.#combineStore("inter", destination, keys, options);
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
    return this.#combineStore("diff", destination, keys, {});
  }

  #combineStore(
    operation: zsets.SetOperation,
    destination: Bytes,
    keys: readonly Bytes[],
    options: ZcombineOptions,
  ): number {
    const combine = zapi.combineOptions(options);
    const sources = keys.map(toBytes);
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
    return zsets.zintercard(this.#scope, keys.map(toBytes), limit);
  }

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
