/**
 * VACUUM (Redlite's own command): removes every expired key of every database and every history
 * state past its key's retention, then has SQLite rewrite the file without its free pages.
 *
 * SQLite's VACUUM copies the whole database: it needs free disk space about the size of the file
 * (and as much again for the write-ahead log until the checkpoint that follows), and holds the
 * write lock meanwhile. Readers in other processes go on reading; writers wait (busy_timeout).
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
  store.sql.exec("VACUUM");
  if (store.path !== ":memory:") store.sql.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return removed;
}
