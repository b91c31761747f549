/**
 * Keys of every type (Redis's generic commands): deleting, finding, renaming, copying and moving
 * keys between databases, expiration, SCAN and KEYS. A key is one row of the keys table; renaming
 * or moving it updates that row in place, so a collection's elements, which refer to the row's
 * id, stay where they are.
 *
 * @module
 */

import { equalBytes } from "./bytes.ts";
import { ERR, RedisError } from "./errors.ts";
import { globMatch, globPrefix, prefixUpperBound } from "./glob.ts";
import {
  deleteKey,
  findForWrite,
  findKey,
  type KeyMeta,
  KeyType,
  type Scope,
  touch,
  TYPE_NAMES,
} from "./keyspace.ts";
import { ALL_ELEMENT_TABLES, ELEMENT_TABLES, type Store } from "./store.ts";

// #region deleting and finding

// Deletes a live string in one statement: DEL's usual case. Anything else takes the general path.
const DELETE_STRING_SQL =
  "DELETE FROM keys WHERE db = ? AND key = ? AND type = 1 AND (expire_at IS NULL OR expire_at > ?)";

/**
 * DEL (and UNLINK): deletes the keys, whatever their types; returns how many existed. A key
 * named twice counts once.
 *
 * @example
 * ```ts
 * del(db, [new TextEncoder().encode("a"), new TextEncoder().encode("b")]); // 0, 1 or 2
 * ```
 */
export function del(scope: Scope, keys: readonly Uint8Array[]): number {
  const store = scope.store;
  const now = Date.now();
  if (keys.length === 1 && store.run(DELETE_STRING_SQL, scope.index, keys[0], now) > 0) return 1;
  return store.write(() => {
    let deleted = 0;
    for (const key of keys) {
      const meta = findForWrite(scope, key, undefined, now);
      if (meta === null) continue;
      deleteKey(scope, meta);
      deleted++;
    }
    return deleted;
  });
}

/**
 * EXISTS (and TOUCH): how many of the keys exist; a key named twice counts twice.
 *
 * @example
 * ```ts
 * const k = new TextEncoder().encode("k");
 * exists(db, [k, k]); // 2 when k exists
 * ```
 */
export function exists(scope: Scope, keys: readonly Uint8Array[]): number {
  const now = Date.now();
  let count = 0;
  for (const key of keys) if (findKey(scope, key, now) !== null) count++;
  return count;
}

/**
 * TYPE: the name of a key's type (`string`, `hash`, `list`, `set`, `zset`, `stream`), or
 * `none` when it is missing.
 *
 * @example
 * ```ts
 * type(db, new TextEncoder().encode("missing")); // "none"
 * ```
 */
export function type(scope: Scope, key: Uint8Array): string {
  return TYPE_NAMES[findKey(scope, key)?.type ?? 0];
}

// #endregion deleting and finding
// #region iterating

function isLive(expireAt: unknown, now: number): boolean {
  return expireAt === null || (expireAt as number) > now;
}

function isMatchAll(pattern: Uint8Array): boolean {
  return pattern.length === 1 && pattern[0] === 42; // "*"
}

/**
 * KEYS: the keys of the selected database matching a glob pattern, in byte order. The
 * pattern's literal prefix becomes a range of the (db, key) index; a lone `*` matches every
 * key, the empty one included (as in Redis, where other patterns never match it).
 *
 * @example
 * ```ts
 * keys(db, new TextEncoder().encode("user:*")); // [bytes of "user:1", ...]
 * ```
 */
export function keys(scope: Scope, pattern: Uint8Array): Uint8Array[] {
  const all = isMatchAll(pattern);
  const prefix = all ? pattern.subarray(0, 0) : globPrefix(pattern);
  const upper = prefixUpperBound(prefix);
  const rows = upper === null
    ? scope.store.all(
      "SELECT key, expire_at FROM keys WHERE db = ? AND key >= ? ORDER BY key",
      scope.index,
      prefix,
    )
    : scope.store.all(
      "SELECT key, expire_at FROM keys WHERE db = ? AND key >= ? AND key < ? ORDER BY key",
      scope.index,
      prefix,
      upper,
    );
  const now = Date.now();
  const found: Uint8Array[] = [];
  for (const row of rows) {
    const key = row.key as Uint8Array;
    if (isLive(row.expire_at, now) && (all || globMatch(pattern, key))) found.push(key);
  }
  return found;
}

/** What SCAN returns: only keys matching `match`, of type `type`, examining `count` keys. */
export interface ScanOptions {
  /** A glob pattern; null or omitted: every key. */
  match?: Uint8Array | null;
  /** How many keys of the table to examine (a hint, as in Redis): 10 by default. */
  count?: number;
  /** A type name (`string`, `hash`, ...), compared without case; null or omitted: every type. */
  type?: string | null;
}

// The cursor is the id of the keys row examined last: rows come in id order, and a key keeps its
// id for its whole life (RENAME and MOVE update the row), so a key present during a whole
// iteration is returned. Rows of other databases count as examined, so a call's work is bounded.
const SCAN_SQL = "SELECT id, db, key, type, expire_at FROM keys WHERE id > ? ORDER BY id LIMIT ?";

/** The largest COUNT honoured: more rows than any table holds. */
const MAX_SCAN_COUNT = 2 ** 48;

/**
 * SCAN: examines up to `count` keys after `cursor` and returns the next cursor (0 when the
 * iteration is over) with the live keys among them that pass the filters.
 *
 * @example
 * ```ts
 * let cursor = 0;
 * do {
 *   const [next, found] = scan(db, cursor, { count: 100 });
 *   cursor = next;
 * } while (cursor !== 0);
 * ```
 */
export function scan(
  scope: Scope,
  cursor: number,
  options: ScanOptions = {},
): [number, Uint8Array[]] {
  const count = Math.min(options.count ?? 10, MAX_SCAN_COUNT);
  const match = options.match ?? null;
  // Type names are ASCII: compared as strcasecmp does.
  const type = options.type?.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()) ?? null;
  const now = Date.now();
  const found: Uint8Array[] = [];
  let examined = 0;
  let last = cursor;
  // One row more than examined tells whether the iteration goes on.
  for (const row of scope.store.statement(SCAN_SQL).iterate(cursor, count + 1)) {
    if (examined === count) return [last, found];
    examined++;
    last = row.id as number;
    if (row.db !== scope.index || !isLive(row.expire_at, now)) continue;
    const key = row.key as Uint8Array;
    if (match !== null && !globMatch(match, key)) continue;
    if (type !== null && TYPE_NAMES[row.type as number] !== type) continue;
    found.push(key);
  }
  return [0, found];
}

const LIVE_FROM_SQL = "SELECT key FROM keys NOT INDEXED WHERE id >= ? AND db = ? " +
  "AND (expire_at IS NULL OR expire_at > ?) ORDER BY id LIMIT 1";
const LIVE_BEFORE_SQL = "SELECT key FROM keys NOT INDEXED WHERE id < ? AND db = ? " +
  "AND (expire_at IS NULL OR expire_at > ?) ORDER BY id LIMIT 1";

/** How many random row ids RANDOMKEY tries before it takes the next live key after one. */
const RANDOM_TRIES = 8;

/**
 * RANDOMKEY: a random live key of the selected database, or null when it has none. Tries a few
 * random row ids (uniform over the keys when they hit); when none holds a live key of the
 * database (gaps, expired keys, other databases), takes the first live key after the last one
 * tried, wrapping around. It never reads the whole table while the database has live keys.
 *
 * @example
 * ```ts
 * randomKey(db); // bytes of some key, or null
 * ```
 */
export function randomKey(scope: Scope): Uint8Array | null {
  const store = scope.store;
  if (store.get("SELECT 1 FROM keys WHERE db = ? LIMIT 1", scope.index) === undefined) return null;
  const bounds = store.get(
    "SELECT (SELECT min(id) FROM keys) AS low, (SELECT max(id) FROM keys) AS high",
  )!;
  const low = bounds.low as number;
  const span = (bounds.high as number) - low + 1;
  const now = Date.now();
  let id = low;
  for (let i = 0; i < RANDOM_TRIES; i++) {
    id = low + Math.floor(Math.random() * span);
    const row = store.get("SELECT db, key, expire_at FROM keys WHERE id = ?", id);
    if (row !== undefined && row.db === scope.index && isLive(row.expire_at, now)) {
      return row.key as Uint8Array;
    }
  }
  const row = store.get(LIVE_FROM_SQL, id, scope.index, now) ??
    store.get(LIVE_BEFORE_SQL, id, scope.index, now);
  return row === undefined ? null : row.key as Uint8Array;
}

/**
 * DBSIZE: how many live keys the selected database holds.
 *
 * @example
 * ```ts
 * dbSize(db); // 0 in a new database
 * ```
 */
export function dbSize(scope: Scope): number {
  // The count the triggers keep, less the expired keys not removed yet: they are few (the
  // active expire cycle removes them), counted through the expiry index.
  const row = scope.store.values(
    "SELECT n - (SELECT count(*) FROM keys WHERE expire_at <= ?1 AND +db = ?2) " +
      "FROM key_counts WHERE db = ?2",
    Date.now(),
    scope.index,
  )!;
  return row[0] as number;
}

// #endregion iterating
// #region renaming, copying, moving

/**
 * RENAME and RENAMENX: gives a key a new name, keeping its value and time to live. An existing
 * key of that name (of any type) is deleted first, or with `nx` nothing happens. Returns whether
 * the key was renamed: false with `nx` when the new name exists, or when both names are the
 * same. Throws `ERR no such key` when the key is missing.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * rename(db, b("old"), b("new"), false); // true
 * ```
 */
export function rename(scope: Scope, key: Uint8Array, newKey: Uint8Array, nx: boolean): boolean {
  const store = scope.store;
  return store.write(() => {
    const now = Date.now();
    const meta = findForWrite(scope, key, undefined, now);
    if (meta === null) throw new RedisError(ERR.noSuchKey);
    if (equalBytes(key, newKey)) return false;
    const existing = findForWrite(scope, newKey, undefined, now);
    if (existing !== null) {
      if (nx) return false;
      deleteKey(scope, existing);
    }
    store.run(
      "UPDATE keys SET key = ?, version = ?, updated_at = ? WHERE id = ?",
      newKey,
      store.nextVersion(now),
      now,
      meta.id,
    );
    return true;
  });
}

/**
 * MOVE: moves a key to another database, keeping its time to live. Returns false when the key
 * is missing or the target database already has a key of that name. Throws Redis's error when
 * the target is the selected database.
 *
 * @example
 * ```ts
 * move(db, new TextEncoder().encode("k"), 1); // true
 * ```
 */
export function move(scope: Scope, key: Uint8Array, targetIndex: number): boolean {
  if (targetIndex === scope.index) throw new RedisError(ERR.sameObject);
  const store = scope.store;
  return store.write(() => {
    const now = Date.now();
    const meta = findForWrite(scope, key, undefined, now);
    if (meta === null) return false;
    if (findForWrite({ store, index: targetIndex }, key, undefined, now) !== null) return false;
    store.run(
      "UPDATE keys SET db = ?, version = ?, updated_at = ? WHERE id = ?",
      targetIndex,
      store.nextVersion(now),
      now,
      meta.id,
    );
    return true;
  });
}

/** Where COPY writes. */
export interface CopyOptions {
  /** The target database (default: the selected one). */
  db?: number;
  /** Delete an existing key of the new name first (without it, nothing is copied). */
  replace?: boolean;
}

/**
 * COPY: copies a key, with its time to live and all its elements, to a new name (in this or
 * another database). Returns false when the key is missing or the new name exists (without
 * `replace`). Throws Redis's error when source and target are the same key.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * copy(db, b("src"), b("dst"), { db: 2, replace: true }); // true
 * ```
 */
export function copy(
  scope: Scope,
  key: Uint8Array,
  newKey: Uint8Array,
  options: CopyOptions = {},
): boolean {
  const target: Scope = { store: scope.store, index: options.db ?? scope.index };
  if (target.index === scope.index && equalBytes(key, newKey)) {
    throw new RedisError(ERR.sameObject);
  }
  const store = scope.store;
  return store.write(() => {
    const now = Date.now();
    const source = findForWrite(scope, key, undefined, now);
    if (source === null) return false;
    const existing = findForWrite(target, newKey, undefined, now);
    if (existing !== null) {
      if (!options.replace) return false;
      deleteKey(target, existing);
    }
    const id = store.insert(
      "INSERT INTO keys (db, key, type, value, size, expire_at, version, created_at, updated_at) " +
        "SELECT ?, ?, type, value, size, expire_at, ?, ?, ? FROM keys WHERE id = ?",
      target.index,
      newKey,
      store.nextVersion(now),
      now,
      now,
      source.id,
    );
    copyElements(store, source, id);
    // The elements came after the row: a new version for the complete copy (HISTORY records
    // a collection's elements when it gets a new version).
    if (source.type !== KeyType.string) touch(target, id);
    return true;
  });
}

const copyStatements = new WeakMap<Store, Map<string, string>>();

// The statement copying one table's rows to a new key_id, with the table's columns as the file
// has them (so that a column added to an element table is copied too).
function copyStatement(store: Store, table: string): string {
  let statements = copyStatements.get(store);
  if (statements === undefined) copyStatements.set(store, statements = new Map());
  let sql = statements.get(table);
  if (sql === undefined) {
    const columns = store.all("SELECT name FROM pragma_table_info(?)", table)
      .map((row) => row.name as string)
      .filter((name) => name !== "key_id")
      .join(", ");
    sql = `INSERT INTO ${table} (key_id, ${columns}) SELECT ?, ${columns} FROM ${table} ` +
      "WHERE key_id = ?";
    statements.set(table, sql);
  }
  return sql;
}

function copyElements(store: Store, source: KeyMeta, id: number): void {
  for (const table of ELEMENT_TABLES[source.type] ?? []) {
    store.run(copyStatement(store, table), id, source.id);
  }
}

// #endregion renaming, copying, moving
// #region expiration

/** The conditions of EXPIRE and its siblings (Redis 7.0). */
export interface ExpireConditions {
  /** Only when the key has no time to live. */
  nx?: boolean;
  /** Only when the key has a time to live. */
  xx?: boolean;
  /** Only when the new time is later than the current one (no time to live is infinite). */
  gt?: boolean;
  /** Only when the new time is earlier than the current one (no time to live is infinite). */
  lt?: boolean;
}

/**
 * Throws Redis's errors for conditions that cannot go together: NX with XX, GT or LT; GT with LT.
 *
 * @example
 * ```ts
 * checkExpireConditions({ xx: true, gt: true }); // fine
 * checkExpireConditions({ nx: true, gt: true }); // throws
 * ```
 */
export function checkExpireConditions(conditions: ExpireConditions): void {
  if (conditions.nx && (conditions.xx || conditions.gt || conditions.lt)) {
    throw new RedisError("ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  if (conditions.gt && conditions.lt) {
    throw new RedisError("ERR GT and LT options at the same time are not compatible");
  }
}

function conditionsAllow(
  conditions: ExpireConditions,
  current: number | null,
  when: number,
): boolean {
  if (conditions.nx && current !== null) return false;
  if (conditions.xx && current === null) return false;
  if (conditions.gt && (current === null || when <= current)) return false;
  if (conditions.lt && current !== null && when >= current) return false;
  return true;
}

// Sets a live key's expire time in one statement: EXPIRE's usual case.
const SET_EXPIRE_SQL = "UPDATE keys SET expire_at = ?, version = ?, updated_at = ? " +
  "WHERE db = ? AND key = ? AND (expire_at IS NULL OR expire_at > ?)";

/**
 * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: sets a key's expire time (unix ms), under the
 * conditions given; a time already past deletes the key. Returns whether the key exists and
 * the conditions held.
 *
 * @example
 * ```ts
 * expire(db, new TextEncoder().encode("k"), Date.now() + 10_000, { gt: true }); // true or false
 * ```
 */
export function expire(
  scope: Scope,
  key: Uint8Array,
  when: number,
  conditions: ExpireConditions = {},
): boolean {
  checkExpireConditions(conditions);
  const store = scope.store;
  const now = Date.now();
  const conditional = conditions.nx || conditions.xx || conditions.gt || conditions.lt;
  if (!conditional && when > now) {
    return store.run(SET_EXPIRE_SQL, when, store.nextVersion(now), now, scope.index, key, now) > 0;
  }
  return store.write(() => {
    const meta = findForWrite(scope, key, undefined, now);
    if (meta === null || !conditionsAllow(conditions, meta.expireAt, when)) return false;
    if (when <= now) {
      deleteKey(scope, meta);
    } else {
      store.run(
        "UPDATE keys SET expire_at = ?, version = ?, updated_at = ? WHERE id = ?",
        when,
        store.nextVersion(now),
        now,
        meta.id,
      );
    }
    return true;
  });
}

/**
 * PERSIST: removes a key's time to live. Returns false when the key is missing or has none.
 *
 * @example
 * ```ts
 * persist(db, new TextEncoder().encode("k")); // true or false
 * ```
 */
export function persist(scope: Scope, key: Uint8Array): boolean {
  const store = scope.store;
  const now = Date.now();
  return store.run(
    "UPDATE keys SET expire_at = NULL, version = ?, updated_at = ? " +
      "WHERE db = ? AND key = ? AND expire_at > ?",
    store.nextVersion(now),
    now,
    scope.index,
    key,
    now,
  ) > 0;
}

/** A key's expire time in unix ms: -2 when the key is missing, -1 when it has none. */
function expireTimeMs(scope: Scope, key: Uint8Array, now: number): number {
  const row = scope.store.get(
    "SELECT expire_at FROM keys WHERE db = ? AND key = ?",
    scope.index,
    key,
  );
  if (row === undefined) return -2;
  const expireAt = row.expire_at as number | null;
  if (expireAt === null) return -1;
  return expireAt > now ? expireAt : -2;
}

// Redis rounds a time in ms to the nearest second.
function toSeconds(ms: number): number {
  return ms < 0 ? ms : Math.floor((ms + 500) / 1000);
}

/**
 * PTTL: a key's remaining time to live in ms; -2 when the key is missing, -1 when it has none.
 *
 * @example
 * ```ts
 * pttl(db, new TextEncoder().encode("missing")); // -2
 * ```
 */
export function pttl(scope: Scope, key: Uint8Array): number {
  const now = Date.now();
  const at = expireTimeMs(scope, key, now);
  return at < 0 ? at : at - now;
}

/**
 * TTL: a key's remaining time to live in seconds (rounded); -2 when the key is missing, -1
 * when it has none.
 *
 * @example
 * ```ts
 * ttl(db, new TextEncoder().encode("missing")); // -2
 * ```
 */
export function ttl(scope: Scope, key: Uint8Array): number {
  return toSeconds(pttl(scope, key));
}

/**
 * PEXPIRETIME: the unix time in ms when a key expires; -2 when the key is missing, -1 when it
 * has no time to live.
 *
 * @example
 * ```ts
 * pexpireTime(db, new TextEncoder().encode("missing")); // -2
 * ```
 */
export function pexpireTime(scope: Scope, key: Uint8Array): number {
  return expireTimeMs(scope, key, Date.now());
}

/**
 * EXPIRETIME: the unix time in seconds (rounded) when a key expires; -2 when the key is
 * missing, -1 when it has no time to live.
 *
 * @example
 * ```ts
 * expireTime(db, new TextEncoder().encode("missing")); // -2
 * ```
 */
export function expireTime(scope: Scope, key: Uint8Array): number {
  return toSeconds(pexpireTime(scope, key));
}

// #endregion expiration
// #region flushing

/**
 * FLUSHDB: deletes every key of the selected database.
 *
 * @example
 * ```ts
 * flushDb(db);
 * ```
 */
export function flushDb(scope: Scope): void {
  const store = scope.store;
  store.write(() => {
    for (const table of ALL_ELEMENT_TABLES) {
      store.run(
        `DELETE FROM ${table} WHERE key_id IN (SELECT id FROM keys WHERE db = ?)`,
        scope.index,
      );
    }
    store.run("DELETE FROM keys WHERE db = ?", scope.index);
  });
}

/**
 * FLUSHALL: deletes every key of every database.
 *
 * @example
 * ```ts
 * flushAll(db.store);
 * ```
 */
export function flushAll(store: Store): void {
  store.write(() => {
    for (const table of ALL_ELEMENT_TABLES) store.run(`DELETE FROM ${table}`);
    store.run("DELETE FROM keys");
  });
}

// #endregion flushing
