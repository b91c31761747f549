/**
 * Sets: members in the `sets` table, keyed by (key_id, member); the member count is the key's
 * `size`. Intersections, unions and differences run as one SQL statement each, the sets given
 * by key id as a JSON array.
 *
 * @module
 */

import { concatenating, readMany, splitConcatenated } from "./concatenated.ts";
import { scanElements, type ScanStep, type ScanStepOptionsSource } from "./element_scan.ts";
import { SET_MEMBERS } from "./elements.ts";
import { ERR, RedisError } from "./errors.ts";
import {
  createCollection,
  createKey,
  deleteKey,
  findForWrite,
  findForWriteWith,
  findOrCreate,
  findTyped,
  type KeyMeta,
  KeyType,
  META_COLUMNS,
  resize,
  type Scope,
} from "./keyspace.ts";
import { randomElement, randomElements } from "./random_members.ts";

// One statement for membership and the key's type and expiry: the hot path of SISMEMBER.
const MEMBER_OF_KEY_SQL = "SELECT k.type, k.expire_at, s.member IS NOT NULL AS found " +
  "FROM keys AS k LEFT JOIN sets AS s ON s.key_id = k.id AND s.member = ? " +
  "WHERE k.db = ? AND k.key = ?";
const MEMBER_SQL = "SELECT 1 AS found FROM sets WHERE key_id = ? AND member = ?";
// A set's metadata and whether it has the member ?3: SADD's first member costs no statement of
// its own, and adding a member the set has writes nothing.
const FIND_WITH_MEMBER_SQL = `SELECT ${META_COLUMNS}, ` +
  "EXISTS (SELECT 1 FROM sets WHERE key_id = keys.id AND member = ?3) " +
  "FROM keys WHERE db = ?1 AND key = ?2";
const INSERT_SQL = "INSERT INTO sets (key_id, member) VALUES (?, ?) ON CONFLICT DO NOTHING";
const DELETE_SQL = "DELETE FROM sets WHERE key_id = ? AND member = ?";

// The set operations, as the members of the first set (a) that every other set (the JSON array
// of key ids) has, that no other set has, or of any of the sets.
const INTER_WHERE = "FROM sets AS a WHERE a.key_id = ? AND NOT EXISTS (SELECT 1 FROM " +
  "json_each(?) AS o WHERE NOT EXISTS (SELECT 1 FROM sets AS b WHERE b.key_id = o.value AND " +
  "b.member = a.member))";
const DIFF_WHERE = "FROM sets AS a WHERE a.key_id = ? AND NOT EXISTS (SELECT 1 FROM " +
  "json_each(?) AS o JOIN sets AS b ON b.key_id = o.value AND b.member = a.member)";
const UNION_WHERE = "FROM sets WHERE key_id IN (SELECT value FROM json_each(?))";

const SELECT_SQL = {
  inter: `SELECT member ${INTER_WHERE} ORDER BY member`,
  diff: `SELECT member ${DIFF_WHERE} ORDER BY member`,
  union: `SELECT DISTINCT member ${UNION_WHERE} ORDER BY member`,
};
const STORE_SQL = {
  inter: `INSERT INTO sets (key_id, member) SELECT ?, member ${INTER_WHERE}`,
  diff: `INSERT INTO sets (key_id, member) SELECT ?, member ${DIFF_WHERE}`,
  union: `INSERT OR IGNORE INTO sets (key_id, member) SELECT ?, member ${UNION_WHERE}`,
};
const INTER_CARD_SQL = `SELECT count(*) AS n FROM (SELECT 1 ${INTER_WHERE} LIMIT ?)`;

function isMember(scope: Scope, meta: KeyMeta, member: Uint8Array): boolean {
  return scope.store.get(MEMBER_SQL, meta.id, member) !== undefined;
}

/**
 * SADD: adds members, creating the set when missing. Returns how many are new.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * sadd(db, b("s"), [b("a"), b("b")]); // 2
 * ```
 */
export function sadd(scope: Scope, key: Uint8Array, members: Uint8Array[]): number {
  return scope.store.write(() => {
    const now = Date.now();
    const store = scope.store;
    const found = findForWriteWith(scope, key, KeyType.set, now, FIND_WITH_MEMBER_SQL, members[0]);
    const meta = found?.meta ?? createCollection(scope, key, KeyType.set, now);
    let added = 0;
    // The first member's presence was read with the key, unless the batch's key cache knew the
    // key: then the batch may know it too, or it is read alone (cheaper than an INSERT that
    // finds it there). The INSERT runs beside the cache: the member is known present after it.
    const cache = store.keyCache;
    const known = found?.row === null && cache!.knowsElement(meta.id, members[0]);
    const present = known ||
      (found === null
        ? false
        : found.row !== null
        ? found.row[5] === 1
        : store.values(MEMBER_SQL, meta.id, members[0]) !== undefined);
    if (!present) {
      store.writeBesideCache(INSERT_SQL, meta.id, members[0]);
      added++;
    }
    if (!known) cache?.rememberElement(meta.id, members[0]);
    for (let i = 1; i < members.length; i++) added += store.run(INSERT_SQL, meta.id, members[i]);
    if (added > 0) resize(scope, meta, meta.size + added, now);
    return added;
  });
}

/**
 * SREM: removes members; returns how many were there. A set left empty is deleted.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * srem(db, b("s"), [b("a")]); // 0
 * ```
 */
export function srem(scope: Scope, key: Uint8Array, members: Uint8Array[]): number {
  return scope.store.write(() => {
    const meta = findForWrite(scope, key, KeyType.set);
    if (meta === null) return 0;
    let removed = 0;
    for (const member of members) removed += scope.store.run(DELETE_SQL, meta.id, member);
    if (removed > 0) resize(scope, meta, meta.size - removed);
    return removed;
  });
}

/**
 * SMEMBERS: every member, in BLOB order.
 *
 * @example
 * ```ts
 * smembers(db, new TextEncoder().encode("s")); // [member, ...]
 * ```
 */
export function smembers(scope: Scope, key: Uint8Array): Uint8Array[] {
  const meta = findTyped(scope, key, KeyType.set);
  if (meta === null) return [];
  return readMany(
    meta.size,
    () => splitConcatenated(scope.store.values(MEMBERS_CONCATENATED_SQL, meta.id)),
    () => SET_MEMBERS.all(scope.store, meta.id).map((row) => row.member as Uint8Array),
  );
}

// Every member of a set, in BLOB order, concatenated (SMEMBERS of many: see concatenated.ts).
const MEMBERS_CONCATENATED_SQL = concatenating(
  "SELECT member FROM sets WHERE key_id = ? ORDER BY member LIMIT -1",
  ["member"],
);

/**
 * SISMEMBER: whether a member is in the set, in one statement.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * sismember(db, b("s"), b("a")); // false
 * ```
 */
export function sismember(scope: Scope, key: Uint8Array, member: Uint8Array): boolean {
  const row = scope.store.get(MEMBER_OF_KEY_SQL, member, scope.index, key);
  if (row === undefined) return false;
  const expireAt = row.expire_at as number | null;
  if (expireAt !== null && expireAt <= Date.now()) return false;
  if (row.type !== KeyType.set) throw new RedisError(ERR.wrongType);
  return row.found === 1;
}

/**
 * SMISMEMBER: whether each member is in the set.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * smismember(db, b("s"), [b("a"), b("b")]); // [false, false]
 * ```
 */
export function smismember(scope: Scope, key: Uint8Array, members: Uint8Array[]): boolean[] {
  const meta = findTyped(scope, key, KeyType.set);
  if (meta === null) return members.map(() => false);
  return members.map((member) => isMember(scope, meta, member));
}

/**
 * SCARD: the number of members (0 for a missing key), from the key's row.
 *
 * @example
 * ```ts
 * scard(db, new TextEncoder().encode("s")); // 0
 * ```
 */
export function scard(scope: Scope, key: Uint8Array): number {
  return findTyped(scope, key, KeyType.set)?.size ?? 0;
}

/**
 * SPOP without a count: removes a random member and returns it; null for a missing key.
 *
 * @example
 * ```ts
 * spop(db, new TextEncoder().encode("s")); // a member or null
 * ```
 */
export function spop(scope: Scope, key: Uint8Array): Uint8Array | null {
  return scope.store.write(() => {
    const meta = findForWrite(scope, key, KeyType.set);
    if (meta === null) return null;
    const member = randomElement(scope.store, SET_MEMBERS, meta.id, meta.size).member as Uint8Array;
    scope.store.run(DELETE_SQL, meta.id, member);
    resize(scope, meta, meta.size - 1);
    return member;
  });
}

/**
 * SPOP with a count: removes up to `count` (at least 0) distinct random members and returns
 * them; the whole set when `count` is at least its size.
 *
 * @example
 * ```ts
 * spopCount(db, new TextEncoder().encode("s"), 2); // [member, member]
 * ```
 */
export function spopCount(scope: Scope, key: Uint8Array, count: number): Uint8Array[] {
  return scope.store.write(() => {
    const meta = findForWrite(scope, key, KeyType.set);
    if (meta === null || count <= 0) return [];
    if (count >= meta.size) {
      const all = SET_MEMBERS.all(scope.store, meta.id);
      deleteKey(scope, meta);
      return all.map((row) => row.member as Uint8Array);
    }
    const rows = randomElements(scope.store, SET_MEMBERS, meta.id, meta.size, count, false);
    const members = rows.map((row) => row.member as Uint8Array);
    for (const member of members) scope.store.run(DELETE_SQL, meta.id, member);
    resize(scope, meta, meta.size - members.length);
    return members;
  });
}

/**
 * SRANDMEMBER without a count: a random member, or null for a missing key.
 *
 * @example
 * ```ts
 * srandmember(db, new TextEncoder().encode("s")); // a member or null
 * ```
 */
export function srandmember(scope: Scope, key: Uint8Array): Uint8Array | null {
  const meta = findTyped(scope, key, KeyType.set);
  if (meta === null) return null;
  return randomElement(scope.store, SET_MEMBERS, meta.id, meta.size).member as Uint8Array;
}

/**
 * SRANDMEMBER with a count: distinct random members (all of them when `count` is at least the
 * size), or for a negative count, `-count` members drawn independently.
 *
 * @example
 * ```ts
 * srandmemberCount(db, new TextEncoder().encode("s"), -3); // three members, maybe repeated
 * ```
 */
export function srandmemberCount(scope: Scope, key: Uint8Array, count: number): Uint8Array[] {
  const meta = findTyped(scope, key, KeyType.set);
  if (meta === null || count === 0) return [];
  return randomElements(scope.store, SET_MEMBERS, meta.id, meta.size, Math.abs(count), count < 0)
    .map((row) => row.member as Uint8Array);
}

/**
 * SMOVE: moves a member from one set to another (created when missing). Returns whether the
 * member was in the source. WRONGTYPE when either key holds another type (the destination is
 * not checked when the source is missing, as in Redis).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * smove(db, b("from"), b("to"), b("m")); // false
 * ```
 */
export function smove(
  scope: Scope,
  source: Uint8Array,
  destination: Uint8Array,
  member: Uint8Array,
): boolean {
  return scope.store.write(() => {
    const from = findForWrite(scope, source);
    const to = findForWrite(scope, destination);
    if (from === null) return false;
    if (from.type !== KeyType.set || (to !== null && to.type !== KeyType.set)) {
      throw new RedisError(ERR.wrongType);
    }
    if (to !== null && to.id === from.id) return isMember(scope, from, member);
    if (scope.store.run(DELETE_SQL, from.id, member) === 0) return false;
    resize(scope, from, from.size - 1);
    const target = to ?? findOrCreate(scope, destination, KeyType.set);
    const added = scope.store.run(INSERT_SQL, target.id, member);
    resize(scope, target, target.size + added);
    return true;
  });
}

/** A set operation: SINTER, SUNION or SDIFF. */
export type SetOperation = "inter" | "union" | "diff";

/**
 * The parameters of an operation's statement: the first set's id (not for a union) and the
 * other sets' ids as a JSON array. Null when the result is empty whatever the others hold (a
 * missing set in an intersection, a missing first set in a difference).
 */
function operands(
  operation: SetOperation,
  sets: (KeyMeta | null)[],
): [number, string] | [string] | null {
  const ids = (metas: (KeyMeta | null)[]) =>
    JSON.stringify(metas.flatMap((meta) => meta === null ? [] : [meta.id]));
  if (operation === "union") return [ids(sets)];
  if (operation === "inter") {
    if (sets.includes(null)) return null;
    const bySize = (sets as KeyMeta[]).toSorted((a, b) => a.size - b.size);
    return [bySize[0].id, ids(bySize.slice(1))];
  }
  return sets[0] === null ? null : [sets[0].id, ids(sets.slice(1))];
}

/**
 * SINTER, SUNION or SDIFF: the members of the result, in BLOB order. Every key is checked
 * for WRONGTYPE first, as Redis 7 does.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * setOperation(db, "inter", [b("a"), b("b")]); // [member, ...]
 * ```
 */
export function setOperation(
  scope: Scope,
  operation: SetOperation,
  keys: Uint8Array[],
): Uint8Array[] {
  const sets = keys.map((key) => findTyped(scope, key, KeyType.set));
  const on = operands(operation, sets);
  if (on === null) return [];
  return scope.store.all(SELECT_SQL[operation], ...on)
    .map((row) => row.member as Uint8Array);
}

/**
 * SINTERSTORE, SUNIONSTORE or SDIFFSTORE: stores the result in `destination`, replacing a
 * key of any type (and its time to live), or deleting it when the result is empty. Returns the
 * result's size. The destination may be one of the sources.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * setOperationStore(db, "union", b("dst"), [b("a"), b("b")]); // the size of the union
 * ```
 */
export function setOperationStore(
  scope: Scope,
  operation: SetOperation,
  destination: Uint8Array,
  keys: Uint8Array[],
): number {
  return scope.store.write(() => {
    const sets = keys.map((key) => findForWrite(scope, key, KeyType.set));
    const on = operands(operation, sets);
    let size = 0;
    let id = 0;
    if (on !== null) {
      // The result is built under a key of no database (-1), so that the destination can be
      // one of the sources; it replaces the destination once complete.
      id = createKey({ store: scope.store, index: -1 }, destination, KeyType.set);
      size = scope.store.run(STORE_SQL[operation], id, ...on);
    }
    const previous = findForWrite(scope, destination);
    if (previous !== null) deleteKey(scope, previous);
    if (size > 0) {
      scope.store.run("UPDATE keys SET db = ?, size = ? WHERE id = ?", scope.index, size, id);
    } else if (id !== 0) {
      scope.store.run("DELETE FROM keys WHERE id = ?", id);
    }
    return size;
  });
}

/**
 * SINTERCARD: the size of the intersection, counting up to `limit` (0: no limit).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * sintercard(db, [b("a"), b("b")], 0); // 0
 * ```
 */
export function sintercard(scope: Scope, keys: Uint8Array[], limit: number): number {
  const sets = keys.map((key) => findTyped(scope, key, KeyType.set));
  const on = operands("inter", sets);
  if (on === null) return 0;
  // SQLite's LIMIT takes 64-bit integers only: 0 and limits beyond any set's size mean "all".
  const all = limit === 0 || limit > Number.MAX_SAFE_INTEGER;
  const row = scope.store.get(INTER_CARD_SQL, ...on, all ? -1 : limit);
  return row!.n as number;
}

/** One step of SSCAN: the next cursor and the members found. */
export interface SetScanStep {
  /** Where to continue; 0 when the iteration is over. */
  cursor: number;
  /** The members found. */
  members: Uint8Array[];
}

/**
 * SSCAN: one step of an iteration over a set's members (see `element_scan.ts` for the cursor).
 *
 * @example
 * ```ts
 * sscan(db, new TextEncoder().encode("s"), 0, { match: null, count: 10 }); // { cursor, members }
 * ```
 */
export function sscan(
  scope: Scope,
  key: Uint8Array,
  cursor: number,
  options: ScanStepOptionsSource,
): SetScanStep {
  const meta = findTyped(scope, key, KeyType.set);
  const step: ScanStep = scanElements(scope.store, SET_MEMBERS, meta, cursor, options);
  return { cursor: step.cursor, members: step.rows.map((row) => row.member as Uint8Array) };
}
