/**
 * OBJECT's introspection: the encoding Redis would use for a key's value (Redis chooses it from
 * the value's size and content, with the `*-max-listpack-*` and `set-max-intset-entries`
 * limits), and the time since the key was last written.
 *
 * @module
 */

import { findKey, KeyType, type Scope } from "./keyspace.ts";
import { parseInt64 } from "./numbers.ts";

/** The configuration limits that decide an encoding, with Redis 7.0's defaults. */
export interface EncodingLimits {
  /** `hash-max-listpack-entries`. */
  hashEntries: number;
  /** `hash-max-listpack-value`. */
  hashValue: number;
  /** `set-max-intset-entries`. */
  intsetEntries: number;
  /** `zset-max-listpack-entries`. */
  zsetEntries: number;
  /** `zset-max-listpack-value`. */
  zsetValue: number;
}

/** Redis 7.0's default limits (its configuration's defaults). */
export const DEFAULT_ENCODING_LIMITS: Readonly<EncodingLimits> = {
  hashEntries: 512,
  hashValue: 64,
  intsetEntries: 512,
  zsetEntries: 128,
  zsetValue: 64,
};

/**
 * The limits as a configuration sets them, read by the names of Redis's parameters.
 *
 * @example
 * ```ts
 * encodingLimitsFrom((name) => name === "hash-max-listpack-entries" ? "128" : "64").hashEntries; // 128
 * ```
 */
export function encodingLimitsFrom(config: (name: string) => string): EncodingLimits {
  return {
    hashEntries: Number(config("hash-max-listpack-entries")),
    hashValue: Number(config("hash-max-listpack-value")),
    intsetEntries: Number(config("set-max-intset-entries")),
    zsetEntries: Number(config("zset-max-listpack-entries")),
    zsetValue: Number(config("zset-max-listpack-value")),
  };
}

/** Redis's string encodings: embedded up to 44 bytes, `raw` beyond. */
const EMBSTR_LIMIT = 44;

// Redis stores an integer string as a number when it reads back exactly (string2l).
function isCanonicalInteger(bytes: Uint8Array): boolean {
  if (bytes.length === 0 || bytes.length > 20) return false;
  const value = parseInt64(bytes);
  return value !== null && String(value) === new TextDecoder().decode(bytes);
}

function stringEncoding(value: Uint8Array): string {
  if (isCanonicalInteger(value)) return "int";
  return value.length <= EMBSTR_LIMIT ? "embstr" : "raw";
}

/**
 * OBJECT ENCODING: the name of the encoding Redis 7.0 would use for the key's value, or null
 * when the key is missing.
 *
 * @example
 * ```ts
 * objectEncoding(scope, new TextEncoder().encode("counter"), limits); // "int"
 * ```
 */
export function objectEncoding(
  scope: Scope,
  key: Uint8Array,
  limits: EncodingLimits,
): string | null {
  const meta = findKey(scope, key);
  if (meta === null) return null;
  const store = scope.store;
  switch (meta.type) {
    case KeyType.string: {
      const row = store.get("SELECT value FROM keys WHERE id = ?", meta.id);
      return stringEncoding(row!.value as Uint8Array);
    }
    case KeyType.list:
      return "quicklist"; // Redis 7.2 reports "listpack" for small lists
    case KeyType.set: {
      if (meta.size > limits.intsetEntries) return "hashtable";
      const members = store.all("SELECT member FROM sets WHERE key_id = ?", meta.id);
      const integers = members.every((row) => isCanonicalInteger(row.member as Uint8Array));
      return integers ? "intset" : "hashtable"; // Redis 7.2 uses "listpack" for small sets
    }
    case KeyType.hash: {
      if (meta.size > limits.hashEntries) return "hashtable";
      const row = store.get(
        "SELECT max(max(length(field), length(value))) AS longest FROM hashes WHERE key_id = ?",
        meta.id,
      );
      return Number(row?.longest ?? 0) > limits.hashValue ? "hashtable" : "listpack";
    }
    case KeyType.zset: {
      if (meta.size > limits.zsetEntries) return "skiplist";
      const row = store.get(
        "SELECT max(length(member)) AS longest FROM zsets WHERE key_id = ?",
        meta.id,
      );
      return Number(row?.longest ?? 0) > limits.zsetValue ? "skiplist" : "listpack";
    }
    default:
      return "stream";
  }
}

/**
 * OBJECT IDLETIME: whole seconds since the key was last written (Redlite does not record
 * reads), or null when the key is missing.
 *
 * @example
 * ```ts
 * objectIdleTime(scope, new TextEncoder().encode("k")); // 0
 * ```
 */
export function objectIdleTime(scope: Scope, key: Uint8Array): number | null {
  const meta = findKey(scope, key);
  if (meta === null) return null;
  const row = scope.store.get("SELECT updated_at FROM keys WHERE id = ?", meta.id);
  return Math.max(0, Math.floor((Date.now() - Number(row!.updated_at)) / 1000));
}

/**
 * OBJECT REFCOUNT: Redis shares small integer strings (0-9999) when no LRU/LFU eviction
 * needs per-object data and reports them as referenced 2147483647 times; every other value
 * has one reference. Null when the key is missing.
 *
 * @example
 * ```ts
 * objectRefcount(scope, new TextEncoder().encode("k"), true); // 2147483647 for "42"
 * ```
 */
export function objectRefcount(
  scope: Scope,
  key: Uint8Array,
  sharedIntegers: boolean,
): number | null {
  const meta = findKey(scope, key);
  if (meta === null) return null;
  if (!sharedIntegers || meta.type !== KeyType.string) return 1;
  const value = scope.store.get("SELECT value FROM keys WHERE id = ?", meta.id)!
    .value as Uint8Array;
  if (!isCanonicalInteger(value)) return 1;
  const number = Number(parseInt64(value));
  return number >= 0 && number < 10000 ? 2147483647 : 1;
}

/**
 * Whether a key exists (for OBJECT FREQ, which reports an error rather than a number).
 *
 * @example
 * ```ts
 * keyExists(scope, new TextEncoder().encode("k")); // false
 * ```
 */
export function keyExists(scope: Scope, key: Uint8Array): boolean {
  return findKey(scope, key) !== null;
}
