/**
 * Finding, creating, updating and deleting keys in the keys table, with lazy expiration: an
 * expired key is absent to every read, and removed by the first write that touches it. Every
 * data type's module builds on these.
 *
 * @module
 */

import type { SQLInputValue } from "node:sqlite";
import { ERR, RedisError } from "./errors.ts";
import { LONGEST_CACHED_VALUE } from "./key_cache.ts";
import { deleteExpiredKeyRow, deleteKeyRow, type Store, type Values } from "./store.ts";

/** The type numbers of the keys table. */
export const KeyType = {
  string: 1,
  hash: 2,
  list: 3,
  set: 4,
  zset: 5,
  stream: 6,
} as const;

/** A type number of the keys table. */
export type KeyTypeNumber = typeof KeyType[keyof typeof KeyType];

/** Redis's names of the types (TYPE's reply), by type number. */
export const TYPE_NAMES: readonly string[] = [
  "none",
  "string",
  "hash",
  "list",
  "set",
  "zset",
  "stream",
];

/** The number of logical databases (Redis's default `databases 16`). */
export const DATABASES = 16;

/**
 * Checks a logical database index as SELECT, MOVE and COPY do: Redis's errors for a number
 * that is not an integer or out of range.
 *
 * @example
 * ```ts
 * requireDbIndex(3); // 3
 * requireDbIndex(16); // throws "ERR DB index is out of range"
 * ```
 */
export function requireDbIndex(index: number): number {
  if (!Number.isInteger(index)) throw new RedisError(ERR.notInteger);
  if (index < 0 || index >= DATABASES) throw new RedisError(ERR.dbIndex);
  return index;
}

/**
 * Where a command works: the store and the selected database. A `Db` is a scope.
 */
export interface Scope {
  /** The SQLite connection. */
  readonly store: Store;
  /** The selected database, 0-15. */
  readonly index: number;
}

/** What the keys table knows of a key, without a string's value. */
export interface KeyMeta {
  /** The row id: collections' rows refer to it. */
  id: number;
  /** The type number. */
  type: number;
  /** A collection's cardinality. */
  size: number;
  /** Unix time in ms when the key expires, or null. */
  expireAt: number | null;
  /** Changes on every write. */
  version: number;
}

/**
 * The columns of a key's metadata, in the order {@linkcode KeyMeta} is read from: a statement
 * of {@linkcode findForWriteWith} selects them first.
 */
export const META_COLUMNS = "id, type, size, expire_at, version";

/** A key's metadata by name ({@linkcode META_COLUMNS}): the query {@linkcode findMeta} runs most. */
export const FIND_SQL = `SELECT ${META_COLUMNS} FROM keys WHERE db = ?1 AND key = ?2`;

function toMeta(row: Values): KeyMeta {
  return {
    id: row[0] as number,
    type: row[1] as number,
    size: row[2] as number,
    expireAt: row[3] as number | null,
    version: row[4] as number,
  };
}

/**
 * A live key's metadata, or null when it is missing or expired. For reads: it never writes.
 *
 * @example
 * ```ts
 * const meta = findKey(db, new TextEncoder().encode("k"));
 * ```
 */
export function findKey(scope: Scope, key: Uint8Array, now: number = Date.now()): KeyMeta | null {
  const meta = findMeta(scope, key, FIND_SQL, [])?.meta;
  if (meta === undefined || (meta.expireAt !== null && meta.expireAt <= now)) return null;
  return meta;
}

/**
 * A key's metadata by name, expired or not, and the row of `sql` (which selects
 * {@linkcode META_COLUMNS} first, from `keys` where `db = ?1 AND key = ?2`; `params` bind ?3 and
 * on) when it ran: the row is null when a batch's key cache knew the key. Undefined when the key
 * is missing. `valueColumn`: the column of a string's value, cached with the key.
 *
 * @example
 * ```ts
 * findMeta(db, new TextEncoder().encode("k"), `SELECT ${META_COLUMNS} FROM keys WHERE db = ?1 AND key = ?2`, []);
 * ```
 */
export function findMeta(
  scope: Scope,
  key: Uint8Array,
  sql: string,
  params: SQLInputValue[],
  valueColumn?: number,
): { meta: KeyMeta; row: Values | null } | undefined {
  const store = scope.store;
  const cache = store.keyCache;
  if (cache === null) {
    const row = store.values(sql, scope.index, key, ...params);
    return row === undefined ? undefined : { meta: toMeta(row), row };
  }
  const cached = cache.find(scope.index, key);
  if (cached !== undefined) return { meta: cached, row: null };
  // Not cached, so none of the batch's kept-back writes is this key's: its row is up to date.
  // Cached from the second time the batch asks for it.
  const worthCaching = cache.worthCaching(scope.index, key);
  const row = store.valuesBesideCache(sql, scope.index, key, ...params);
  if (row === undefined) return undefined;
  const meta = toMeta(row);
  if (worthCaching) {
    const value = valueColumn !== undefined && meta.type === KeyType.string
      ? row[valueColumn] as Uint8Array
      : undefined;
    store.rememberKey(scope.index, key, meta, value);
  }
  return { meta, row };
}

/**
 * A live key's metadata when it has the given type, null when it is missing; throws WRONGTYPE
 * when it has another type. For reads.
 *
 * @example
 * ```ts
 * const hash = findTyped(db, new TextEncoder().encode("h"), KeyType.hash);
 * ```
 */
export function findTyped(scope: Scope, key: Uint8Array, type: KeyTypeNumber): KeyMeta | null {
  const meta = findKey(scope, key);
  if (meta !== null && meta.type !== type) throw new RedisError(ERR.wrongType);
  return meta;
}

/**
 * A key's metadata for a write, inside a write transaction: an expired key is deleted first
 * and reported missing. With a type, throws WRONGTYPE when the key has another one.
 *
 * @example
 * ```ts
 * db.store.write(() => findForWrite(db, new TextEncoder().encode("h"), KeyType.hash));
 * ```
 */
export function findForWrite(
  scope: Scope,
  key: Uint8Array,
  type?: KeyTypeNumber,
  now: number = Date.now(),
): KeyMeta | null {
  return findForWriteWith(scope, key, type, now, FIND_SQL)?.meta ?? null;
}

/**
 * {@linkcode findForWrite} that reads more than the key's metadata in the same statement (one
 * statement less on a hot path): `sql` selects {@linkcode META_COLUMNS}, then its own columns,
 * from `keys` where `db = ?1 AND key = ?2`; `params` bind ?3 and on. Returns the metadata and
 * the whole row (its own columns from index 5), or null when the key is missing or expired. The
 * row is null when a batch's key cache knew the key and `sql` did not run: the caller reads
 * its own columns another way.
 *
 * @example
 * ```ts
 * const sql = `SELECT ${META_COLUMNS}, length(value) FROM keys WHERE db = ?1 AND key = ?2`;
 * db.store.write(() => findForWriteWith(db, new TextEncoder().encode("k"), KeyType.string, Date.now(), sql));
 * ```
 */
export function findForWriteWith(
  scope: Scope,
  key: Uint8Array,
  type: KeyTypeNumber | undefined,
  now: number,
  sql: string,
  ...params: SQLInputValue[]
): { meta: KeyMeta; row: Values | null } | null {
  const found = findMeta(scope, key, sql, params);
  if (found === undefined) return null;
  const { meta } = found;
  if (meta.expireAt !== null && meta.expireAt <= now) {
    deleteExpiredKeyRow(scope.store, meta.id, meta.type);
    return null;
  }
  if (type !== undefined && meta.type !== type) throw new RedisError(ERR.wrongType);
  return found;
}

/**
 * Creates a key (which must not exist) and returns its id. Inside a write transaction.
 *
 * @example
 * ```ts
 * db.store.write(() => createKey(db, new TextEncoder().encode("h"), KeyType.hash));
 * ```
 */
export function createKey(
  scope: Scope,
  key: Uint8Array,
  type: KeyTypeNumber,
  value: Uint8Array | null = null,
  expireAt: number | null = null,
  now: number = Date.now(),
): number {
  return createKeyMeta(scope, key, type, value, expireAt, now).id;
}

const INSERT_KEY_SQL = "INSERT INTO keys " +
  "(db, key, type, value, size, expire_at, version, created_at, updated_at) " +
  "VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?)";

// createKey, returning the new key's metadata (the batch's key cache keeps the same object).
function createKeyMeta(
  scope: Scope,
  key: Uint8Array,
  type: KeyTypeNumber,
  value: Uint8Array | null,
  expireAt: number | null,
  now: number,
): KeyMeta {
  const store = scope.store;
  const version = store.nextVersion(now);
  const id = store.insertBesideCache(
    INSERT_KEY_SQL,
    scope.index,
    key,
    type,
    value,
    expireAt,
    version,
    now,
    now,
  )!;
  const meta: KeyMeta = { id, type, size: 0, expireAt, version };
  // The value may be a view of a connection's buffer: the cache keeps a copy.
  // A key created after the batch looked for it is cached (that look recorded it).
  const cache = store.keyCache;
  if (cache?.worthCaching(scope.index, key)) {
    const cached = value !== null && value.length <= LONGEST_CACHED_VALUE
      ? cache.copy(value)
      : undefined;
    store.rememberKey(scope.index, key, meta, cached);
  }
  return meta;
}

/**
 * The metadata of a collection key for adding elements: the existing key of that type, or a
 * new empty one. Throws WRONGTYPE for a key of another type. Inside a write transaction.
 *
 * @example
 * ```ts
 * db.store.write(() => findOrCreate(db, new TextEncoder().encode("s"), KeyType.set));
 * ```
 */
export function findOrCreate(scope: Scope, key: Uint8Array, type: KeyTypeNumber): KeyMeta {
  const now = Date.now();
  return findForWrite(scope, key, type, now) ?? createCollection(scope, key, type, now);
}

/**
 * Creates an empty collection key (which must not exist) and returns its metadata. Inside a
 * write transaction.
 *
 * @example
 * ```ts
 * db.store.write(() => createCollection(db, new TextEncoder().encode("s"), KeyType.set));
 * ```
 */
export function createCollection(
  scope: Scope,
  key: Uint8Array,
  type: KeyTypeNumber,
  now: number = Date.now(),
): KeyMeta {
  return createKeyMeta(scope, key, type, null, null, now);
}

/**
 * Records a write to a collection: its new cardinality, a new version and the time. A
 * collection left empty is deleted, as Redis deletes empty collections, except a stream: Redis
 * keeps an empty stream (its last id and consumer groups live on). Inside a write transaction.
 * `now` is the command's time, when it read the clock already (a write reads it once).
 *
 * @example
 * ```ts
 * db.store.write(() => {
 *   const meta = findOrCreate(db, new TextEncoder().encode("s"), KeyType.set);
 *   // ... insert one member ...
 *   resize(db, meta, meta.size + 1);
 * });
 * ```
 */
export function resize(
  scope: Scope,
  meta: KeyMeta,
  size: number,
  now: number = Date.now(),
): void {
  if (size <= 0 && meta.type !== KeyType.stream) {
    deleteKeyRow(scope.store, meta.id, meta.type);
    return;
  }
  const store = scope.store;
  const version = store.nextVersion(now);
  if (!store.keyCache?.keepBack(meta.id, size, version, now)) {
    // Not cached, so no kept-back write is this key's: the cache stays as it is.
    store.runBesideCache(
      "UPDATE keys SET size = ?, version = ?, updated_at = ? WHERE id = ?",
      size,
      version,
      now,
      meta.id,
    );
  }
  meta.size = size;
}

/**
 * Records a write that changed a key without changing its cardinality (LSET, a new value of a
 * hash field): a new version and the time, `now` (the command's, when it read the clock
 * already). Inside a write transaction.
 *
 * @example
 * ```ts
 * db.store.write(() => touch(db, 1));
 * ```
 */
export function touch(scope: Scope, id: number, now: number = Date.now()): void {
  const store = scope.store;
  const version = store.nextVersion(now);
  if (!store.keyCache?.keepBack(id, undefined, version, now)) {
    store.runBesideCache(
      "UPDATE keys SET version = ?, updated_at = ? WHERE id = ?",
      version,
      now,
      id,
    );
  }
}

/**
 * Deletes a key and its elements. Inside a write transaction.
 *
 * @example
 * ```ts
 * db.store.write(() => {
 *   const meta = findForWrite(db, new TextEncoder().encode("k"));
 *   if (meta) deleteKey(db, meta);
 * });
 * ```
 */
export function deleteKey(scope: Scope, meta: KeyMeta): void {
  deleteKeyRow(scope.store, meta.id, meta.type);
}
