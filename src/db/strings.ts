/**
 * Strings: the value lives in the key's row of the keys table.
 *
 * @module
 */

import { ERR, RedisError } from "./errors.ts";
import { createKey, findForWrite, KeyType, type Scope } from "./keyspace.ts";
import { deleteKeyRow } from "./store.ts";

/** The largest string Redis stores (proto-max-bulk-len): 512 MB. */
export const MAX_STRING_LENGTH = 512 * 1024 * 1024;

const GET_SQL = "SELECT type, value, expire_at FROM keys WHERE db = ? AND key = ?";

/**
 * A string's value; null when the key is missing or expired. Throws WRONGTYPE for another type.
 *
 * @example
 * ```ts
 * get(db, new TextEncoder().encode("k")); // Uint8Array or null
 * ```
 */
export function get(scope: Scope, key: Uint8Array): Uint8Array | null {
  const row = scope.store.get(GET_SQL, scope.index, key);
  if (row === undefined) return null;
  const expireAt = row.expire_at as number | null;
  if (expireAt !== null && expireAt <= Date.now()) return null;
  if (row.type !== KeyType.string) throw new RedisError(ERR.wrongType);
  return row.value as Uint8Array;
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
    const written = store.run(
      UPSERT_SQL,
      scope.index,
      key,
      value,
      options?.expireAt ?? null,
      store.nextVersion(),
      now,
      now,
    );
    if (written > 0) return true;
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
      store.nextVersion(),
      now,
      meta.id,
    );
  } else {
    if (meta !== null) deleteKeyRow(store, meta.id, meta.type);
    createKey(scope, key, KeyType.string, value, expireAt, now);
  }
  return { written: true, previous };
}
