/**
 * VACUUM (Redlite's own command): removes every expired key of every database and every history
 * state past its key's retention, then has SQLite rewrite the file without its free pages.
 *
 * SQLite's VACUUM copies the whole database: it needs free disk space about the size of the file
 * (and as much again for the write-ahead log until the checkpoint that follows), and holds the
 * write lock meanwhile. Readers in other processes go on reading; writers wait (busy_timeout).
 * Deno lets SQLite's VACUUM run only in a process with every permission (see {@linkcode compact}).
 *
 * @module
 */

import { RedisError } from "./errors.ts";
import { pruneAllHistory } from "./history.ts";
import type { Store } from "./store.ts";

/** How many expired keys one transaction of VACUUM removes. */
export const VACUUM_BATCH = 1000;

/**
 * VACUUM: removes expired keys in transactions of {@linkcode VACUUM_BATCH} keys, applies history
 * retention, runs SQLite's VACUUM and checkpoints the write-ahead log into the smaller file.
 * Returns how many keys it removed. Throws inside a transaction, where SQLite cannot vacuum.
 *
 * @example
 * ```ts
 * vacuum(store); // 0
 * ```
 */
export function vacuum(store: Store): number {
  if (store.inTransaction) throw new RedisError("ERR VACUUM cannot run inside a transaction");
  const now = Date.now();
  let removed = 0;
  for (;;) {
    const batch = store.removeExpired(now, VACUUM_BATCH);
    removed += batch;
    if (batch < VACUUM_BATCH) break;
  }
  pruneAllHistory(store, now);
  compact(store);
  store.checkpoint();
  return removed;
}

/**
 * Has SQLite rewrite the file without its free pages; returns false when it may not. SQLite's
 * VACUUM attaches a temporary database, and Deno's `node:sqlite` forbids attaching unless the
 * process has every permission (`-A`): without it, only a file created with
 * `PRAGMA auto_vacuum = INCREMENTAL` gives its free pages back (`PRAGMA incremental_vacuum`);
 * others keep them for their next writes.
 *
 * @example
 * ```ts
 * compact(store); // true under `deno run -A`
 * ```
 */
export function compact(store: Store): boolean {
  try {
    store.sql.exec("VACUUM");
    return true;
  } catch (error) {
    if (!/too many attached databases/.test((error as Error)?.message ?? "")) throw error;
    store.sql.exec("PRAGMA incremental_vacuum");
    return false;
  }
}
