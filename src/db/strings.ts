/**
 * Strings: the value lives in the key's row of the keys table (`value`, always a BLOB). Commands
 * that change part of a value (APPEND, SETRANGE, SETBIT, INCR) rewrite it with one UPDATE that
 * computes the new value in SQL where they can, and fall back to a transaction for the rare
 * cases (a missing or expired key, another type, an error to report).
 *
 * @module
 */

import { type BitOperation, type BitRange, combineBits, countBits, findBit } from "./bits.ts";
import { asciiBytes } from "./bytes.ts";
import { ERR, RedisError } from "./errors.ts";
import {
  createKey,
  deleteKey,
  FIND_SQL,
  findForWrite,
  findMeta,
  findTyped,
  type KeyMeta,
  KeyType,
  META_COLUMNS,
  type Scope,
} from "./keyspace.ts";
import { type LcsResult, lcsTableBytes, longestCommonSubsequence } from "./lcs.ts";
import {
  addLongDouble,
  formatLongDouble,
  isFiniteLongDouble,
  type LongDouble,
  parseLongDouble,
} from "./long_double.ts";
import { addInt64, type Int64, integerBytes, parseInt64 } from "./numbers.ts";
import { LONGEST_CACHED_VALUE } from "./key_cache.ts";
import { deleteExpiredKeyRow, deleteKeyRow, type Values } from "./store.ts";

/** The largest string Redis stores (proto-max-bulk-len): 512 MB. */
export const MAX_STRING_LENGTH = 512 * 1024 * 1024;

const GET_SQL = "SELECT type, expire_at, value FROM keys WHERE db = ? AND key = ?";
const FIND_STRING_SQL = `SELECT ${META_COLUMNS}, value FROM keys WHERE db = ?1 AND key = ?2`;
const VALUE_BY_ID_SQL = "SELECT value FROM keys WHERE id = ?";

/** A live string key: its metadata and value. */
interface FoundString {
  meta: KeyMeta;
  value: Uint8Array;
}

/**
 * Inside a batch with a key cache: a live string's metadata and value, read once per batch;
 * null when the key is missing or expired (an expired key deleted first when `forWrite`).
 * Throws WRONGTYPE for another type.
 */
function cachedString(
  scope: Scope,
  key: Uint8Array,
  now: number,
  forWrite: boolean,
): FoundString | null {
  const store = scope.store;
  const found = findMeta(scope, key, FIND_STRING_SQL, [], 5);
  if (found === undefined) return null;
  const { meta, row } = found;
  if (meta.expireAt !== null && meta.expireAt <= now) {
    if (forWrite) deleteExpiredKeyRow(store, meta.id, meta.type);
    return null;
  }
  if (meta.type !== KeyType.string) throw new RedisError(ERR.wrongType);
  // A string cached without its value (found by a command that did not need it) has no
  // kept-back value: its row holds the value.
  const value = row !== null ? row[5] : store.keyCache!.findValue(scope.index, key) ??
    store.valuesBesideCache(VALUE_BY_ID_SQL, meta.id)![0];
  return { meta, value: value as Uint8Array };
}

/**
 * SET without conditions inside a batch with a key cache: a cached string's new value is kept
 * back; a key not cached is written at once, then cached. False, writing nothing, when the key
 * holds another type (the general path replaces it).
 */
function setCached(
  scope: Scope,
  key: Uint8Array,
  value: Uint8Array,
  expireAt: number | null,
  version: number,
  now: number,
): boolean {
  const store = scope.store;
  if (value.length > LONGEST_CACHED_VALUE) return false;
  const cache = store.keyCache!;
  let meta = cache.find(scope.index, key);
  if (meta === undefined) {
    // A key the batch sets once (random keys) is written as without a cache; from the second
    // time (or the first, for a key the batch before used more than once), its row is read
    // and it is cached.
    if (!cache.worthCaching(scope.index, key)) {
      const args = [value, expireAt, version, now, scope.index, key];
      return store.runBesideCache(OVERWRITE_SQL, ...args) > 0 ||
        store.insertBesideCache(INSERT_NEW_SQL, ...args) !== null;
    }
    meta = findMeta(scope, key, FIND_SQL, [])?.meta;
  }
  // The value may be a view of a connection's buffer: the cache keeps a copy.
  if (meta !== undefined) {
    return meta.type === KeyType.string &&
      cache.keepBackValue(meta.id, cache.copy(value), expireAt, version, now);
  }
  const args = [value, expireAt, version, now, scope.index, key];
  const id = store.insertBesideCache(INSERT_NEW_SQL, ...args);
  if (id === null) return false;
  const created = { id, type: KeyType.string, size: 0, expireAt, version };
  store.rememberKey(scope.index, key, created, cache.copy(value));
  return true;
}

/**
 * Runs a query on one key's row (its last two parameters are the database and the key) and
 * returns the row's values when the key is a live string at `now`; null when it is missing or
 * expired. Throws WRONGTYPE for another type. The query selects `type` and `expire_at` first;
 * what the caller wants starts at column 2.
 */
function readString(
  scope: Scope,
  now: number,
  sql: string,
  ...params: (Uint8Array | number | bigint)[]
): Values | null {
  const row = scope.store.values(sql, ...params);
  if (row === undefined) return null;
  const expireAt = row[1] as number | null;
  if (expireAt !== null && expireAt <= now) return null;
  if (row[0] !== KeyType.string) throw new RedisError(ERR.wrongType);
  return row;
}

/**
 * A string's value; null when the key is missing or expired. Throws WRONGTYPE for another type.
 *
 * @example
 * ```ts
 * get(db, new TextEncoder().encode("k")); // Uint8Array or null
 * ```
 */
export function get(scope: Scope, key: Uint8Array): Uint8Array | null {
  // In a batch, a key cached or asked for before goes through the cache; a key read once
  // (random keys) costs the plain statement.
  const cache = scope.store.keyCache;
  if (
    cache !== null &&
    (cache.find(scope.index, key) !== undefined || cache.worthCaching(scope.index, key))
  ) {
    return cachedString(scope, key, Date.now(), false)?.value ?? null;
  }
  const row = readString(scope, Date.now(), GET_SQL, scope.index, key);
  return row === null ? null : row[2] as Uint8Array;
}

/** How SET writes. */
export interface SetOptions {
  /** Unix time in ms when the key expires; null or omitted: no expiry (unless `keepTtl`). */
  expireAt?: number | null;
  /** Only set a key that does not exist. */
  nx?: boolean;
  /** Only set a key that exists. */
  xx?: boolean;
  /** Keep the key's time to live. */
  keepTtl?: boolean;
}

// Overwrites a string key, or creates the key, in one statement; changes nothing (0 changes)
// when the key holds another type, which the general path handles.
const UPSERT_SQL =
  "INSERT INTO keys (db, key, type, value, size, expire_at, version, created_at, updated_at) " +
  "VALUES (?, ?, 1, ?, 0, ?, ?, ?, ?) ON CONFLICT (db, key) DO UPDATE SET value = excluded.value, " +
  "expire_at = excluded.expire_at, version = excluded.version, updated_at = excluded.updated_at " +
  "WHERE type = 1";
// The same in two statements, for a transaction that is open already (the server's batches):
// overwriting a string key is one UPDATE, cheaper than the upsert, whose insert path carries the
// key count's trigger; a new key is one INSERT.
const OVERWRITE_SQL = "UPDATE keys SET value = ?1, expire_at = ?2, version = ?3, updated_at = ?4 " +
  "WHERE db = ?5 AND key = ?6 AND type = 1";
const INSERT_NEW_SQL =
  "INSERT INTO keys (db, key, type, value, size, expire_at, version, created_at, updated_at) " +
  "VALUES (?5, ?6, 1, ?1, 0, ?2, ?3, ?4, ?4) ON CONFLICT (db, key) DO NOTHING";

/**
 * SET: writes a string value, replacing a key of any type. Returns whether it wrote (false
 * when NX or XX said not to).
 *
 * @example
 * ```ts
 * set(db, new TextEncoder().encode("k"), new TextEncoder().encode("v"), { nx: true }); // true
 * ```
 */
export function set(
  scope: Scope,
  key: Uint8Array,
  value: Uint8Array,
  options?: SetOptions,
): boolean {
  if (value.length > MAX_STRING_LENGTH) throw new RedisError(ERR.stringTooLong);
  if (options === undefined || (!options.nx && !options.xx && !options.keepTtl)) {
    const now = Date.now();
    const store = scope.store;
    const expireAt = options?.expireAt ?? null;
    const version = store.nextVersion(now);
    if (store.keyCache !== null) {
      if (setCached(scope, key, value, expireAt, version, now)) return true;
    } else if (store.inTransaction) {
      const args = [value, expireAt, version, now, scope.index, key];
      if (store.run(OVERWRITE_SQL, ...args) > 0 || store.run(INSERT_NEW_SQL, ...args) > 0) {
        return true;
      }
    } else if (
      store.run(UPSERT_SQL, scope.index, key, value, expireAt, version, now, now) > 0
    ) {
      return true;
    }
  }
  return scope.store.write(() => write(scope, key, value, options ?? {}, false).written);
}

/**
 * SET with GET: writes as {@linkcode set} does and returns the previous string value (null when
 * there was none). Throws WRONGTYPE, writing nothing, when the key holds another type.
 *
 * @example
 * ```ts
 * setAndGet(db, new TextEncoder().encode("k"), new TextEncoder().encode("v")); // previous value or null
 * ```
 */
export function setAndGet(
  scope: Scope,
  key: Uint8Array,
  value: Uint8Array,
  options: SetOptions = {},
): Uint8Array | null {
  if (value.length > MAX_STRING_LENGTH) throw new RedisError(ERR.stringTooLong);
  return scope.store.write(() => write(scope, key, value, options, true).previous);
}

function write(
  scope: Scope,
  key: Uint8Array,
  value: Uint8Array,
  options: SetOptions,
  wantPrevious: boolean,
): { written: boolean; previous: Uint8Array | null } {
  const now = Date.now();
  const store = scope.store;
  const meta = findForWrite(scope, key, undefined, now);
  let previous: Uint8Array | null = null;
  if (wantPrevious && meta !== null) {
    if (meta.type !== KeyType.string) throw new RedisError(ERR.wrongType);
    previous = store.get("SELECT value FROM keys WHERE id = ?", meta.id)!.value as Uint8Array;
  }
  if ((options.nx && meta !== null) || (options.xx && meta === null)) {
    return { written: false, previous };
  }
  let expireAt = options.expireAt ?? null;
  if (options.keepTtl && meta !== null) expireAt = meta.expireAt;
  if (meta !== null && meta.type === KeyType.string) {
    store.run(
      "UPDATE keys SET value = ?, expire_at = ?, version = ?, updated_at = ? WHERE id = ?",
      value,
      expireAt,
      store.nextVersion(now),
      now,
      meta.id,
    );
  } else {
    if (meta !== null) deleteKeyRow(store, meta.id, meta.type);
    createKey(scope, key, KeyType.string, value, expireAt, now);
  }
  return { written: true, previous };
}

// A string key's row for a write, inside a write transaction: null when missing (an expired key
// is deleted first); WRONGTYPE for another type.
function findStringForWrite(
  scope: Scope,
  key: Uint8Array,
  now: number,
): { id: number; value: Uint8Array; expireAt: number | null } | null {
  if (scope.store.keyCache !== null) {
    const found = cachedString(scope, key, now, true);
    return found && { id: found.meta.id, value: found.value, expireAt: found.meta.expireAt };
  }
  const row = scope.store.values(
    "SELECT id, type, value, expire_at FROM keys WHERE db = ? AND key = ?",
    scope.index,
    key,
  );
  if (row === undefined) return null;
  const [id, type, value, expireAt] = row as [number, number, Uint8Array, number | null];
  if (expireAt !== null && expireAt <= now) {
    deleteExpiredKeyRow(scope.store, id, type);
    return null;
  }
  if (type !== KeyType.string) throw new RedisError(ERR.wrongType);
  return { id, value, expireAt };
}

// Replaces a string's value (bytes of its own, not a view of a buffer), keeping its time to
// live: kept back when a batch's key cache holds the key.
function replaceValue(
  scope: Scope,
  found: { id: number; expireAt: number | null },
  value: Uint8Array,
  now: number,
): void {
  const store = scope.store;
  const version = store.nextVersion(now);
  const cache = store.keyCache;
  if (cache?.keepBackValue(found.id, value, found.expireAt, version, now)) return;
  const sql = "UPDATE keys SET value = ?, version = ?, updated_at = ? WHERE id = ?";
  // A key not cached has no kept-back write: the cache stays as it is. A cached one whose value
  // did not fit goes through the cache's flush and emptying.
  if (cache === null || !cache.holds(found.id)) {
    store.runBesideCache(sql, value, version, now, found.id);
  } else store.change(sql, value, version, now, found.id);
}

const EMPTY = new Uint8Array(0);

/**
 * MGET: the values of the keys, null for a key that is missing, expired or not a string.
 *
 * @example
 * ```ts
 * mget(db, [new TextEncoder().encode("a"), new TextEncoder().encode("b")]); // [Uint8Array, null]
 * ```
 */
export function mget(scope: Scope, keys: Uint8Array[]): (Uint8Array | null)[] {
  const now = Date.now();
  return keys.map((key) => {
    const row = scope.store.values(GET_SQL, scope.index, key);
    if (row === undefined || row[0] !== KeyType.string) return null;
    const expireAt = row[1] as number | null;
    return expireAt !== null && expireAt <= now ? null : row[2] as Uint8Array;
  });
}

/**
 * MSET: sets every key to its value (replacing keys of any type and their time to live), all in
 * one transaction.
 *
 * @example
 * ```ts
 * const e = new TextEncoder();
 * mset(db, [[e.encode("a"), e.encode("1")], [e.encode("b"), e.encode("2")]]);
 * ```
 */
export function mset(scope: Scope, pairs: [Uint8Array, Uint8Array][]): void {
  scope.store.write(() => {
    for (const [key, value] of pairs) set(scope, key, value);
  });
}

/**
 * MSETNX: sets every key to its value, only when none of the keys exists; returns whether it
 * did. One transaction.
 *
 * @example
 * ```ts
 * const e = new TextEncoder();
 * msetnx(db, [[e.encode("a"), e.encode("1")]]); // true
 * ```
 */
export function msetnx(scope: Scope, pairs: [Uint8Array, Uint8Array][]): boolean {
  return scope.store.write(() => {
    const now = Date.now();
    for (const [key] of pairs) {
      if (findForWrite(scope, key, undefined, now) !== null) return false;
    }
    for (const [key, value] of pairs) set(scope, key, value);
    return true;
  });
}

/**
 * GETDEL: a string's value, deleting the key; null (deleting nothing) when it is missing.
 * Throws WRONGTYPE, deleting nothing, for another type.
 *
 * @example
 * ```ts
 * getdel(db, new TextEncoder().encode("k")); // the value, or null
 * ```
 */
export function getdel(scope: Scope, key: Uint8Array): Uint8Array | null {
  const row = scope.store.runReturning(
    "DELETE FROM keys WHERE db = ? AND key = ? AND type = 1 RETURNING value, expire_at",
    scope.index,
    key,
  );
  if (row === undefined) {
    findTyped(scope, key, KeyType.string); // WRONGTYPE when the key holds another type
    return null;
  }
  const expireAt = row.expire_at as number | null;
  return expireAt !== null && expireAt <= Date.now() ? null : row.value as Uint8Array;
}

/** How GETEX changes the time to live. */
export interface GetexOptions {
  /**
   * The new expiry as unix time in ms, computed from the time of the command. Redis checks the
   * expire argument only once it has found the key, so this is called only then and may throw.
   */
  expireAt?: (now: number) => number;
  /** Remove the time to live. */
  persist?: boolean;
}

/**
 * GETEX: a string's value (null when missing), setting or removing its time to live. An expiry
 * at or before now deletes the key, as Redis does for EXAT and PXAT in the past.
 *
 * @example
 * ```ts
 * getex(db, new TextEncoder().encode("k"), { expireAt: (now) => now + 10_000 });
 * ```
 */
export function getex(
  scope: Scope,
  key: Uint8Array,
  options: GetexOptions = {},
): Uint8Array | null {
  if (options.expireAt === undefined && !options.persist) return get(scope, key);
  return scope.store.write(() => {
    const now = Date.now();
    const found = findStringForWrite(scope, key, now);
    if (found === null) return null;
    let expireAt: number | null = null;
    if (options.expireAt !== undefined) {
      expireAt = options.expireAt(now);
      if (expireAt <= now) {
        deleteKeyRow(scope.store, found.id, KeyType.string);
        return found.value;
      }
    } else if (found.expireAt === null) {
      return found.value; // PERSIST of a key without a time to live changes nothing
    }
    scope.store.run(
      "UPDATE keys SET expire_at = ?, version = ?, updated_at = ? WHERE id = ?",
      expireAt,
      scope.store.nextVersion(now),
      now,
      found.id,
    );
    return found.value;
  });
}

// INCRBY in one statement for the usual case, a live string holding an integer (as Redis's
// string2ll reads it: the canonical decimal text, which casting back and forth reproduces) that
// does not overflow. ?1 is the increment, bound as a bigint so that SQLite adds integers.
const INCRBY_SQL =
  "UPDATE keys SET value = CAST(CAST(value AS INTEGER) + ?1 AS BLOB), version = ?2, " +
  "updated_at = ?3 WHERE db = ?4 AND key = ?5 AND type = 1 AND " +
  "(expire_at IS NULL OR expire_at > ?3) AND CAST(CAST(value AS INTEGER) AS BLOB) = value AND " +
  "CASE WHEN ?1 > 0 THEN CAST(value AS INTEGER) <= 9223372036854775807 - ?1 " +
  "ELSE CAST(value AS INTEGER) >= -9223372036854775807 - 1 - ?1 END RETURNING value";

/**
 * INCRBY (and INCR, DECR, DECRBY): adds `delta` to the integer in a string key (a missing key
 * counts as 0) and returns the result, keeping the key's time to live. Throws
 * `ERR value is not an integer or out of range` when the value is not a 64-bit integer as Redis
 * writes them (no spaces, no leading zeros, no `+`), `ERR increment or decrement would overflow`,
 * and WRONGTYPE.
 *
 * @example
 * ```ts
 * incrby(db, new TextEncoder().encode("counter"), 5); // 5
 * ```
 */
export function incrby(scope: Scope, key: Uint8Array, delta: Int64): Int64 {
  const store = scope.store;
  const now = Date.now();
  // Inside a transaction (the server's batches), reading the value and writing the sum costs
  // less than the one statement, which saves a transaction of its own everywhere else.
  if (store.inTransaction) return incrementValue(scope, key, delta, now);
  const row = store.changeReturning(
    INCRBY_SQL,
    BigInt(delta),
    store.nextVersion(now),
    now,
    scope.index,
    key,
  );
  if (row !== undefined) return parseInt64(row[0] as Uint8Array)!;
  return store.write(() => incrementValue(scope, key, delta, now));
}

// INCRBY by reading the value and writing the sum, inside a write transaction.
function incrementValue(scope: Scope, key: Uint8Array, delta: Int64, now: number): Int64 {
  const found = findStringForWrite(scope, key, now);
  if (found === null) {
    createKey(scope, key, KeyType.string, integerBytes(delta), null, now);
    return delta;
  }
  const current = parseInt64(found.value);
  if (current === null) throw new RedisError(ERR.notInteger);
  const result = addInt64(current, delta);
  // A batch's key cache holds the digits in its shared chunk: no allocation of their own.
  const digits = scope.store.keyCache?.integerCopy(result) ?? integerBytes(result);
  replaceValue(scope, found, digits, now);
  return result;
}

const LONG_DOUBLE_ZERO: LongDouble = { kind: "finite", negative: false, mantissa: 0n, exponent: 0 };

/**
 * INCRBYFLOAT: adds a decimal increment (its text, as the command receives it) to the number in a
 * string key (a missing key counts as 0) and returns the new value's text. Computes as Redis does,
 * in 80-bit `long double`, printed with `%.17Lf` without trailing zeros. Throws
 * `ERR value is not a valid float` for the value or the increment,
 * `ERR increment would produce NaN or Infinity`, and WRONGTYPE.
 *
 * @example
 * ```ts
 * incrbyfloat(db, new TextEncoder().encode("n"), new TextEncoder().encode("0.1")); // bytes of "0.1"
 * ```
 */
export function incrbyfloat(scope: Scope, key: Uint8Array, increment: Uint8Array): Uint8Array {
  return scope.store.write(() => {
    const now = Date.now();
    const found = findStringForWrite(scope, key, now);
    const current = found === null ? LONG_DOUBLE_ZERO : parseLongDouble(found.value);
    if (current === null) throw new RedisError(ERR.notFloat);
    const delta = parseLongDouble(increment);
    if (delta === null) throw new RedisError(ERR.notFloat);
    const sum = addLongDouble(current, delta);
    if (!isFiniteLongDouble(sum)) throw new RedisError(ERR.nanOrInfinity);
    const text = asciiBytes(formatLongDouble(sum));
    if (found === null) createKey(scope, key, KeyType.string, text, null, now);
    else replaceValue(scope, found, text, now);
    return text;
  });
}

const APPEND_SQL =
  "UPDATE keys SET value = CAST(value || ?1 AS BLOB), version = ?2, updated_at = ?3 " +
  "WHERE db = ?4 AND key = ?5 AND type = 1 AND (expire_at IS NULL OR expire_at > ?3) AND " +
  `length(value) + length(?1) <= ${MAX_STRING_LENGTH} RETURNING length(value) AS length`;

/**
 * APPEND: appends bytes to a string key (creating it, even with no bytes) and returns the new
 * length. Throws WRONGTYPE, and Redis's error when the result would exceed 512 MB.
 *
 * @example
 * ```ts
 * append(db, new TextEncoder().encode("k"), new TextEncoder().encode("abc")); // 3
 * ```
 */
export function append(scope: Scope, key: Uint8Array, value: Uint8Array): number {
  const store = scope.store;
  const now = Date.now();
  const appendNow = () =>
    store.runReturning(APPEND_SQL, value, store.nextVersion(now), now, scope.index, key);
  const row = appendNow();
  if (row !== undefined) return row.length as number;
  return store.write(() => {
    if (findForWrite(scope, key, KeyType.string, now) === null) {
      createKey(scope, key, KeyType.string, value, null, now);
      return value.length;
    }
    const appended = appendNow();
    if (appended === undefined) throw new RedisError(ERR.stringTooLong);
    return appended.length as number;
  });
}

/**
 * STRLEN: the length of a string's value; 0 when the key is missing. Throws WRONGTYPE.
 *
 * @example
 * ```ts
 * strlen(db, new TextEncoder().encode("k")); // 0
 * ```
 */
export function strlen(scope: Scope, key: Uint8Array): number {
  const row = readString(
    scope,
    Date.now(),
    "SELECT type, expire_at, length(value) AS length FROM keys WHERE db = ? AND key = ?",
    scope.index,
    key,
  );
  return row === null ? 0 : row[2] as number;
}

// The bytes from ?1 to ?2 (inclusive, negative counting from the end, clamped to the string) of
// a key's value, cut out by SQLite so that only they leave the database.
const GETRANGE_SQL =
  "SELECT type, expire_at, CASE WHEN last >= first THEN substr(value, first + 1, last - first + 1) " +
  "ELSE x'' END AS part FROM (SELECT type, expire_at, value, " +
  "max(CASE WHEN ?1 < 0 THEN length(value) + ?1 ELSE ?1 END, 0) AS first, " +
  "min(max(CASE WHEN ?2 < 0 THEN length(value) + ?2 ELSE ?2 END, 0), length(value) - 1) AS last " +
  "FROM keys WHERE db = ?3 AND key = ?4)";

/**
 * GETRANGE (and SUBSTR): the bytes of a string from `start` to `end`, inclusive; negative indexes
 * count from the end. Empty for a missing key. Throws WRONGTYPE. As Redis 7.0, an end before the
 * start of the string clamps to the first byte (`GETRANGE k 0 -100` gives the first byte).
 *
 * @example
 * ```ts
 * getrange(db, new TextEncoder().encode("k"), 0, -1); // the whole value
 * ```
 */
export function getrange(scope: Scope, key: Uint8Array, start: Int64, end: Int64): Uint8Array {
  const row = readString(
    scope,
    Date.now(),
    GETRANGE_SQL,
    BigInt(start),
    BigInt(end),
    scope.index,
    key,
  );
  if (row === null) return EMPTY;
  if (start < 0 && end < 0 && start > end) return EMPTY;
  return row[2] as Uint8Array;
}

// Writes ?2 at byte offset ?1 of a live string key, padding with zero bytes. (SQLite's substr
// of an empty blob is NULL, hence the ifnull.)
const SPLICE_SQL = "UPDATE keys SET value = CAST(ifnull(substr(value, 1, ?1), x'') || " +
  "zeroblob(max(?1 - length(value), 0)) || ?2 || ifnull(substr(value, ?1 + length(?2) + 1), x'') " +
  "AS BLOB), version = ?3, updated_at = ?4 " +
  "WHERE db = ?5 AND key = ?6 AND type = 1 AND (expire_at IS NULL OR expire_at > ?4) " +
  "RETURNING length(value) AS length";

// Overwrites bytes of a string key at an offset; the new length, or undefined when the key is
// not a live string.
function splice(
  scope: Scope,
  key: Uint8Array,
  offset: number,
  value: Uint8Array,
  now: number,
): number | undefined {
  const store = scope.store;
  const row = store.runReturning(
    SPLICE_SQL,
    offset,
    value,
    store.nextVersion(now),
    now,
    scope.index,
    key,
  );
  return row?.length as number | undefined;
}

// Splices into a string key, creating it (empty) when missing. Inside a write transaction.
function spliceOrCreate(
  scope: Scope,
  key: Uint8Array,
  offset: number,
  value: Uint8Array,
  now: number,
): number {
  if (findForWrite(scope, key, KeyType.string, now) === null) {
    createKey(scope, key, KeyType.string, EMPTY, null, now);
  }
  return splice(scope, key, offset, value, now)!;
}

/**
 * SETRANGE: overwrites a string's bytes from `offset` (padding with zero bytes) and returns the
 * new length. Writing no bytes changes nothing and creates no key. Throws WRONGTYPE, and Redis's
 * error when the result would exceed 512 MB.
 *
 * @example
 * ```ts
 * setrange(db, new TextEncoder().encode("k"), 2, new TextEncoder().encode("x")); // 3
 * ```
 */
export function setrange(scope: Scope, key: Uint8Array, offset: number, value: Uint8Array): number {
  if (value.length === 0) return strlen(scope, key);
  if (offset + value.length > MAX_STRING_LENGTH) {
    findTyped(scope, key, KeyType.string); // WRONGTYPE comes first
    throw new RedisError(ERR.stringTooLong);
  }
  const length = splice(scope, key, offset, value, Date.now());
  if (length !== undefined) return length;
  return scope.store.write(() => spliceOrCreate(scope, key, offset, value, Date.now()));
}

/** The largest bit offset of SETBIT, GETBIT and BITFIELD: the last bit of 512 MB. */
export const MAX_BIT_OFFSET = MAX_STRING_LENGTH * 8 - 1;

const BIT_SQL =
  "SELECT type, expire_at, length(value) AS length, ifnull(substr(value, ?, 1), x'') AS byte " +
  "FROM keys " +
  "WHERE db = ? AND key = ?";

/**
 * GETBIT: the bit at `offset` of a string (0 beyond its end or for a missing key). Throws
 * WRONGTYPE.
 *
 * @example
 * ```ts
 * getbit(db, new TextEncoder().encode("k"), 7); // 0 or 1
 * ```
 */
export function getbit(scope: Scope, key: Uint8Array, offset: number): 0 | 1 {
  const row = readString(scope, Date.now(), BIT_SQL, Math.floor(offset / 8) + 1, scope.index, key);
  const byte = row === null ? EMPTY : row[3] as Uint8Array;
  return byte.length > 0 ? bitOf(byte[0], offset) : 0;
}

function bitOf(byte: number, offset: number): 0 | 1 {
  return ((byte >> (7 - (offset % 8))) & 1) as 0 | 1;
}

/**
 * SETBIT: sets or clears the bit at `offset`, growing the string with zero bytes as needed, and
 * returns the bit's previous value. Throws WRONGTYPE.
 *
 * @example
 * ```ts
 * setbit(db, new TextEncoder().encode("k"), 7, 1); // 0
 * ```
 */
export function setbit(scope: Scope, key: Uint8Array, offset: number, bit: 0 | 1): 0 | 1 {
  const index = Math.floor(offset / 8);
  return scope.store.write(() => {
    const now = Date.now();
    const row = readString(scope, now, BIT_SQL, index + 1, scope.index, key);
    const old = row === null ? 0 : (row[3] as Uint8Array)[0] ?? 0;
    const previous = bitOf(old, offset);
    if (row !== null && index < (row[2] as number) && previous === bit) return previous;
    const mask = 0x80 >> (offset % 8);
    spliceOrCreate(scope, key, index, Uint8Array.of(bit ? old | mask : old & ~mask), now);
    return previous;
  });
}

/**
 * BITCOUNT: the number of set bits in a string, or in a range of it; 0 for a missing key. Redis
 * reads the key before it parses the range, so the range comes from a function called only for
 * an existing string (a missing key answers 0 whatever the range).
 *
 * @example
 * ```ts
 * bitcount(db, new TextEncoder().encode("k"), () => ({ start: 0, end: -1, unit: "bit" }));
 * ```
 */
export function bitcount(
  scope: Scope,
  key: Uint8Array,
  range: () => BitRange | undefined = () => undefined,
): number {
  const value = get(scope, key);
  return value === null ? 0 : countBits(value, range());
}

/**
 * BITPOS: the position of the first bit equal to `bit` in a string, or in a range of it (see
 * {@linkcode findBit}); for a missing key, 0 when looking for a clear bit and -1 for a set one.
 * As in {@linkcode bitcount}, the range is parsed only for an existing string.
 *
 * @example
 * ```ts
 * bitpos(db, new TextEncoder().encode("k"), 1, () => ({ start: 2 }));
 * ```
 */
export function bitpos(
  scope: Scope,
  key: Uint8Array,
  bit: 0 | 1,
  range: () => BitRange | undefined = () => undefined,
): number {
  const value = get(scope, key);
  if (value === null) return bit === 1 ? -1 : 0;
  return findBit(value, bit, range());
}

/**
 * BITOP: combines the source strings (missing keys count as empty) and stores the result in
 * `destination`, replacing any key there and its time to live; an empty result deletes
 * `destination`. Returns the result's length. Throws WRONGTYPE, writing nothing, when a source is
 * not a string.
 *
 * @example
 * ```ts
 * const e = new TextEncoder();
 * bitop(db, "or", e.encode("dest"), [e.encode("a"), e.encode("b")]); // the longest source's length
 * ```
 */
export function bitop(
  scope: Scope,
  operation: BitOperation,
  destination: Uint8Array,
  sources: Uint8Array[],
): number {
  return scope.store.write(() => {
    const result = combineBits(operation, sources.map((source) => get(scope, source)));
    if (result.length > 0) {
      set(scope, destination, result);
    } else {
      const meta = findForWrite(scope, destination);
      if (meta !== null) deleteKey(scope, meta);
    }
    return result.length;
  });
}

/** What LCS computes beyond the subsequence. */
export interface LcsOptions {
  /** Only keep the matching runs of at least this length (default 0: all). */
  minMatchLength?: number;
}

/**
 * LCS: the longest common subsequence of two strings (missing keys count as empty) and its
 * matching runs. Redis reads both keys before it parses its options, so the options come from a
 * function called after the keys are read. Throws
 * `ERR The specified keys must contain string values` and Redis's error when the computation
 * would need more than 512 MB.
 *
 * @example
 * ```ts
 * const e = new TextEncoder();
 * lcs(db, e.encode("a"), e.encode("b"), () => ({})).length;
 * ```
 */
export function lcs(
  scope: Scope,
  keyA: Uint8Array,
  keyB: Uint8Array,
  options: () => LcsOptions = () => ({}),
): LcsResult {
  let a: Uint8Array | null;
  let b: Uint8Array | null;
  try {
    a = get(scope, keyA);
    b = get(scope, keyB);
  } catch (error) {
    if (!(error instanceof RedisError) || error.message !== ERR.wrongType) throw error;
    throw new RedisError("ERR The specified keys must contain string values");
  }
  const { minMatchLength = 0 } = options();
  a ??= EMPTY;
  b ??= EMPTY;
  if (lcsTableBytes(a.length, b.length) > MAX_STRING_LENGTH) {
    throw new RedisError(
      "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
    );
  }
  return longestCommonSubsequence(a, b, minMatchLength);
}
