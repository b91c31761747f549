/**
 * KEYINFO: what the keys table knows of a key, in one reply (Redlite's own command).
 *
 * @module
 */

import { type EncodingLimits, objectEncoding } from "./object.ts";
import { type Scope, TYPE_NAMES } from "./keyspace.ts";

/** A key's metadata, as KEYINFO reports it. */
export interface KeyInfo {
  /** The type's name, as TYPE answers it. */
  type: string;
  /** Remaining time to live in ms, or -1 when the key has none (as PTTL). */
  ttl: number;
  /** Unix time in ms when the key was created. */
  createdAt: number;
  /** Unix time in ms of the key's last write. */
  updatedAt: number;
  /** The key's version: it changes on every write (WATCH, HISTORY). */
  version: number;
  /** A string's length in bytes, a collection's cardinality. */
  size: number;
  /** The encoding Redis would use, as OBJECT ENCODING names it. */
  encoding: string;
}

const INFO_SQL = "SELECT type, size, expire_at, version, created_at, updated_at, " +
  "CASE WHEN type = 1 THEN length(value) END AS length FROM keys WHERE db = ? AND key = ?";

/**
 * KEYINFO: a live key's metadata, or null when it is missing or expired.
 *
 * @example
 * ```ts
 * keyinfo(db, new TextEncoder().encode("k"), limits); // { type: "string", ttl: -1, ... }
 * ```
 */
export function keyinfo(scope: Scope, key: Uint8Array, limits: EncodingLimits): KeyInfo | null {
  return scope.store.read(() => {
    const row = scope.store.get(INFO_SQL, scope.index, key);
    if (row === undefined) return null;
    const now = Date.now();
    const expireAt = row.expire_at as number | null;
    if (expireAt !== null && expireAt <= now) return null;
    return {
      type: TYPE_NAMES[row.type as number],
      ttl: expireAt === null ? -1 : expireAt - now,
      createdAt: row.created_at as number,
      updatedAt: row.updated_at as number,
      version: row.version as number,
      size: (row.length ?? row.size) as number,
      encoding: objectEncoding(scope, key, limits)!,
    };
  });
}
