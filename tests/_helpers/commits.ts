/**
 * Waiting for something a store's own timers do (the active expire cycle, AUTOVACUUM) without
 * sleeping: the check runs after every commit.
 *
 * @module
 */

import type { Store } from "../../src/db/store.ts";

/**
 * Calls `check` after every commit until it returns true; rejects when `timeoutMs` passes first.
 * The deadline's timer keeps the test alive while the store's own timers do not.
 *
 * @example
 * ```ts
 * await untilCommitted(store, () => db.dbsize() === 0);
 * ```
 */
export function untilCommitted(
  store: Store,
  check: () => boolean,
  timeoutMs = 10_000,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      stop();
      reject(new Error("no commit made the condition true in time"));
    }, timeoutMs);
    const stop = store.onCommit(() => {
      if (!check()) return;
      clearTimeout(deadline);
      stop();
      resolve();
    });
  });
}
