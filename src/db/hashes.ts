/**
 * Hashes: fields and values in the `hashes` table, keyed by (key_id, field); the field count is
 * the key's `size`.
 *
 * @module
 */

import { concatenating, readMany, splitConcatenated } from "./concatenated.ts";
import { asciiBytes } from "./bytes.ts";
import { scanElements, type ScanStep, type ScanStepOptionsSource } from "./element_scan.ts";
import { HASH_FIELDS } from "./elements.ts";
import { ERR, RedisError } from "./errors.ts";
import {
  createCollection,
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
import {
  addLongDouble,
  formatLongDouble,
  isFiniteLongDouble,
  type LongDouble,
  parseLongDouble,
} from "./long_double.ts";
import { addInt64, type Int64, integerBytes, parseInt64 } from "./numbers.ts";
import { randomElement, randomElements } from "./random_members.ts";
import type { Values } from "./store.ts";

/** A field and its value. */
export type FieldValue = [field: Uint8Array, value: Uint8Array];

// One statement for a field's value and the key's type and expiry: the hot path of HGET.
const FIELD_OF_KEY_SQL = "SELECT k.type, k.expire_at, h.value FROM keys AS k " +
  "LEFT JOIN hashes AS h ON h.key_id = k.id AND h.field = ? WHERE k.db = ? AND k.key = ?";
const VALUE_SQL = "SELECT value FROM hashes WHERE key_id = ? AND field = ?";
const INSERT_SQL =
  "INSERT INTO hashes (key_id, field, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";
const UPDATE_SQL = "UPDATE hashes SET value = ? WHERE key_id = ? AND field = ?";
const DELETE_SQL = "DELETE FROM hashes WHERE key_id = ? AND field = ?";

// A field's value, null when the key or the field is missing; WRONGTYPE for another type.
function fieldOfKey(scope: Scope, key: Uint8Array, field: Uint8Array): Uint8Array | null {
  const row = scope.store.get(FIELD_OF_KEY_SQL, field, scope.index, key);
  if (row === undefined) return null;
  const expireAt = row.expire_at as number | null;
  if (expireAt !== null && expireAt <= Date.now()) return null;
  if (row.type !== KeyType.hash) throw new RedisError(ERR.wrongType);
  return row.value as Uint8Array | null;
}

function valueOf(scope: Scope, meta: KeyMeta, field: Uint8Array): Uint8Array | null {
  const row = scope.store.get(VALUE_SQL, meta.id, field);
  return row === undefined ? null : row.value as Uint8Array;
}

// Every field and value of a hash, in field order, concatenated (HGETALL, HKEYS, HVALS of many
// fields: see concatenated.ts).
const ALL_CONCATENATED_SQL = concatenating(
  "SELECT field, value FROM hashes WHERE key_id = ? ORDER BY field LIMIT -1",
  ["field", "value"],
);
// One column of a hash, in field order: as rows, and concatenated.
const COLUMN_SQL = {
  field: {
    rows: "SELECT field FROM hashes WHERE key_id = ? ORDER BY field",
    concatenated: concatenating(
      "SELECT field FROM hashes WHERE key_id = ? ORDER BY field LIMIT -1",
      ["field"],
    ),
  },
  value: {
    rows: "SELECT value FROM hashes WHERE key_id = ? ORDER BY field",
    concatenated: concatenating(
      "SELECT value FROM hashes WHERE key_id = ? ORDER BY field LIMIT -1",
    ),
  },
} as const;

// A hash's metadata and whether it has the field ?3: HSET's first field costs no statement of its own.
const FIND_WITH_FIELD_SQL = `SELECT ${META_COLUMNS}, ` +
  "EXISTS (SELECT 1 FROM hashes WHERE key_id = keys.id AND field = ?3) " +
  "FROM keys WHERE db = ?1 AND key = ?2";

// Whether FIND_WITH_FIELD_SQL found the field; undefined when it did not run (a cached key).
function fieldFound(row: Values | null): boolean | undefined {
  return row === null ? undefined : row[5] === 1;
}

// Writes a field's value; returns whether the field is new. `exists` tells when it is known.
// In a batch, a field the batch knows the hash has is written late (the key cache keeps the
// last value back); the statements here run beside the cache: they touch only this field's row,
// and leave the fields the batch knows present.
function writeField(
  scope: Scope,
  meta: KeyMeta,
  field: Uint8Array,
  value: Uint8Array,
  exists?: boolean,
): boolean {
  const store = scope.store;
  const cache = store.keyCache;
  // A field the key's lookup found is known from here on (in a cached key): its write too can
  // be kept back.
  if (cache !== null && exists === true) cache.rememberElement(meta.id, field);
  if (cache !== null && cache.knowsElement(meta.id, field)) {
    if (cache.keepBackField(meta.id, field, value, UPDATE_SQL)) return false;
    exists = true;
  }
  let added = false;
  if (exists === false) {
    store.writeBesideCache(INSERT_SQL, meta.id, field, value);
    added = true;
  } else if (exists === undefined) {
    if (store.runBesideCache(UPDATE_SQL, value, meta.id, field) === 0) {
      store.writeBesideCache(INSERT_SQL, meta.id, field, value);
      added = true;
    }
  } else {
    store.writeBesideCache(UPDATE_SQL, value, meta.id, field);
  }
  cache?.rememberElement(meta.id, field);
  return added;
}

/**
 * HSET: sets fields to values (`fieldsAndValues` alternates them), creating the hash when
 * missing. Returns how many fields are new.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hset(db, b("h"), [b("f"), b("v")]); // 1
 * ```
 */
export function hset(scope: Scope, key: Uint8Array, fieldsAndValues: Uint8Array[]): number {
  return scope.store.write(() => {
    const now = Date.now();
    const [first] = fieldsAndValues;
    const found = findForWriteWith(scope, key, KeyType.hash, now, FIND_WITH_FIELD_SQL, first);
    const meta = found?.meta ?? createCollection(scope, key, KeyType.hash, now);
    let added = 0;
    for (let i = 0; i + 1 < fieldsAndValues.length; i += 2) {
      const exists = i > 0 ? undefined : found === null ? false : fieldFound(found.row);
      if (writeField(scope, meta, fieldsAndValues[i], fieldsAndValues[i + 1], exists)) added++;
    }
    resize(scope, meta, meta.size + added, now);
    return added;
  });
}

/**
 * HSETNX: sets a field only when it does not exist. Returns whether it did.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hsetnx(db, b("h"), b("f"), b("v")); // true
 * ```
 */
export function hsetnx(
  scope: Scope,
  key: Uint8Array,
  field: Uint8Array,
  value: Uint8Array,
): boolean {
  return scope.store.write(() => {
    const meta = findOrCreate(scope, key, KeyType.hash);
    if (scope.store.run(INSERT_SQL, meta.id, field, value) === 0) return false;
    resize(scope, meta, meta.size + 1);
    return true;
  });
}

/**
 * HGET: a field's value, or null when the key or the field is missing.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hget(db, b("h"), b("f")); // Uint8Array or null
 * ```
 */
export function hget(scope: Scope, key: Uint8Array, field: Uint8Array): Uint8Array | null {
  return fieldOfKey(scope, key, field);
}

/**
 * HMGET: the values of fields, null for each missing one.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hmget(db, b("h"), [b("a"), b("b")]); // [Uint8Array | null, Uint8Array | null]
 * ```
 */
export function hmget(scope: Scope, key: Uint8Array, fields: Uint8Array[]): (Uint8Array | null)[] {
  const meta = findTyped(scope, key, KeyType.hash);
  if (meta === null) return fields.map(() => null);
  return fields.map((field) => valueOf(scope, meta, field));
}

/**
 * HGETALL: every field and value, in field order (BLOB order).
 *
 * @example
 * ```ts
 * hgetall(db, new TextEncoder().encode("h")); // [[field, value], ...]
 * ```
 */
export function hgetall(scope: Scope, key: Uint8Array): FieldValue[] {
  const meta = findTyped(scope, key, KeyType.hash);
  if (meta === null) return [];
  return readMany<FieldValue[]>(meta.size, () => {
    const row = scope.store.values(ALL_CONCATENATED_SQL, meta.id);
    const values = splitConcatenated(row, 1);
    return splitConcatenated(row, 0).map((field, i) => [field, values[i]]);
  }, () =>
    HASH_FIELDS.all(scope.store, meta.id).map((row) => [
      row.field as Uint8Array,
      row.value as Uint8Array,
    ]));
}

/**
 * HKEYS: every field, in BLOB order.
 *
 * @example
 * ```ts
 * hkeys(db, new TextEncoder().encode("h")); // [field, ...]
 * ```
 */
export function hkeys(scope: Scope, key: Uint8Array): Uint8Array[] {
  return everyOf(scope, key, "field");
}

/**
 * HVALS: every value, in the order of their fields.
 *
 * @example
 * ```ts
 * hvals(db, new TextEncoder().encode("h")); // [value, ...]
 * ```
 */
export function hvals(scope: Scope, key: Uint8Array): Uint8Array[] {
  return everyOf(scope, key, "value");
}

// Every field, or every value, of a hash in the order of their fields (HKEYS, HVALS).
function everyOf(scope: Scope, key: Uint8Array, column: "field" | "value"): Uint8Array[] {
  const meta = findTyped(scope, key, KeyType.hash);
  if (meta === null) return [];
  const sql = COLUMN_SQL[column];
  return readMany(
    meta.size,
    () => splitConcatenated(scope.store.values(sql.concatenated, meta.id)),
    () => scope.store.allValues(sql.rows, meta.id).map((row) => row[0] as Uint8Array),
  );
}

/**
 * HDEL: removes fields; returns how many existed. A hash left empty is deleted.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hdel(db, b("h"), [b("f")]); // 1
 * ```
 */
export function hdel(scope: Scope, key: Uint8Array, fields: Uint8Array[]): number {
  return scope.store.write(() => {
    const meta = findForWrite(scope, key, KeyType.hash);
    if (meta === null) return 0;
    let removed = 0;
    for (const field of fields) removed += scope.store.run(DELETE_SQL, meta.id, field);
    if (removed > 0) resize(scope, meta, meta.size - removed);
    return removed;
  });
}

/**
 * HEXISTS: whether a field exists.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hexists(db, b("h"), b("f")); // false
 * ```
 */
export function hexists(scope: Scope, key: Uint8Array, field: Uint8Array): boolean {
  return fieldOfKey(scope, key, field) !== null;
}

/**
 * HLEN: the number of fields (0 for a missing key), from the key's row.
 *
 * @example
 * ```ts
 * hlen(db, new TextEncoder().encode("h")); // 0
 * ```
 */
export function hlen(scope: Scope, key: Uint8Array): number {
  return findTyped(scope, key, KeyType.hash)?.size ?? 0;
}

/**
 * HSTRLEN: the length in bytes of a field's value (0 when missing).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hstrlen(db, b("h"), b("f")); // 0
 * ```
 */
export function hstrlen(scope: Scope, key: Uint8Array, field: Uint8Array): number {
  return fieldOfKey(scope, key, field)?.length ?? 0;
}

/**
 * HINCRBY: adds to a field's integer value (a missing field counts as 0) and returns the sum.
 * Throws "ERR hash value is not an integer" or the overflow error, writing nothing.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hincrby(db, b("h"), b("n"), 5); // 5
 * ```
 */
export function hincrby(scope: Scope, key: Uint8Array, field: Uint8Array, increment: Int64): Int64 {
  return scope.store.write(() => {
    const meta = findOrCreate(scope, key, KeyType.hash);
    const current = valueOf(scope, meta, field);
    let value: Int64 = 0;
    if (current !== null) {
      const parsed = parseInt64(current);
      if (parsed === null) throw new RedisError("ERR hash value is not an integer");
      value = parsed;
    }
    const sum = addInt64(value, increment);
    const added = writeField(scope, meta, field, integerBytes(sum));
    resize(scope, meta, meta.size + (added ? 1 : 0));
    return sum;
  });
}

/**
 * HINCRBYFLOAT: adds to a field's value in Redis's long double arithmetic (a missing field
 * counts as 0) and returns the new value's text, as Redis prints it. Throws "ERR hash value is
 * not a float", "ERR increment would produce NaN or Infinity" or, for an infinite increment,
 * "ERR value is NaN or Infinity", writing nothing.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * hincrbyfloat(db, b("h"), b("f"), parseLongDouble(b("0.1"))!); // the bytes of "0.1"
 * ```
 */
export function hincrbyfloat(
  scope: Scope,
  key: Uint8Array,
  field: Uint8Array,
  increment: LongDouble,
): Uint8Array {
  if (!isFiniteLongDouble(increment)) throw new RedisError("ERR value is NaN or Infinity");
  return scope.store.write(() => {
    const meta = findOrCreate(scope, key, KeyType.hash);
    const current = valueOf(scope, meta, field);
    let value = increment;
    if (current !== null) {
      const parsed = parseLongDouble(current);
      if (parsed === null) throw new RedisError("ERR hash value is not a float");
      value = addLongDouble(parsed, increment);
    }
    if (!isFiniteLongDouble(value)) throw new RedisError(ERR.nanOrInfinity);
    const text = asciiBytes(formatLongDouble(value));
    const added = writeField(scope, meta, field, text);
    resize(scope, meta, meta.size + (added ? 1 : 0));
    return text;
  });
}

/**
 * HRANDFIELD without a count: one random field, or null when the key is missing.
 *
 * @example
 * ```ts
 * hrandfield(db, new TextEncoder().encode("h")); // a field or null
 * ```
 */
export function hrandfield(scope: Scope, key: Uint8Array): Uint8Array | null {
  const meta = findTyped(scope, key, KeyType.hash);
  if (meta === null) return null;
  return randomElement(scope.store, HASH_FIELDS, meta.id, meta.size).field as Uint8Array;
}

/**
 * HRANDFIELD with a count: distinct random fields with their values (all of them when `count`
 * is at least the hash's size), or for a negative count, `-count` fields drawn independently.
 *
 * @example
 * ```ts
 * hrandfieldCount(db, new TextEncoder().encode("h"), -5); // five [field, value] pairs
 * ```
 */
export function hrandfieldCount(scope: Scope, key: Uint8Array, count: number): FieldValue[] {
  const meta = findTyped(scope, key, KeyType.hash);
  if (meta === null || count === 0) return [];
  const rows = randomElements(
    scope.store,
    HASH_FIELDS,
    meta.id,
    meta.size,
    Math.abs(count),
    count < 0,
  );
  return rows.map((row) => [row.field as Uint8Array, row.value as Uint8Array]);
}

/** One step of HSCAN: the next cursor and the fields and values found. */
export interface HashScanStep {
  /** Where to continue; 0 when the iteration is over. */
  cursor: number;
  /** The fields found and their values. */
  entries: FieldValue[];
}

/**
 * HSCAN: one step of an iteration over a hash's fields (see `element_scan.ts` for the cursor).
 *
 * @example
 * ```ts
 * hscan(db, new TextEncoder().encode("h"), 0, { match: null, count: 10 }); // { cursor, entries }
 * ```
 */
export function hscan(
  scope: Scope,
  key: Uint8Array,
  cursor: number,
  options: ScanStepOptionsSource,
): HashScanStep {
  const meta = findTyped(scope, key, KeyType.hash);
  const step: ScanStep = scanElements(scope.store, HASH_FIELDS, meta, cursor, options);
  return {
    cursor: step.cursor,
    entries: step.rows.map((row) => [row.field as Uint8Array, row.value as Uint8Array]),
  };
}
