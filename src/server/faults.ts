/**
 * The error replies for faults of the storage below the server: a full disk, another process
 * holding the write lock, an I/O error. Each names what happened, so that a client (and its
 * operator) can tell a fault of the machine from a wrong command.
 *
 * @module
 */

import { RedisError } from "../db/errors.ts";

// SQLite's primary result codes (the low byte of an extended code).
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;

/** SQLite's result code of an error thrown by `node:sqlite`, or null for another error. */
function sqliteCode(error: unknown): number | null {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === "number" ? code & 0xff : null;
}

/**
 * The reply for an error that SQLite raised while the server wrote or read:
 *
 * - a full disk (`SQLITE_FULL`): `MISCONF Errors writing to the database file: ...`, as Redis
 *   answers writes while it cannot write its append-only file;
 * - the write lock held by another process for longer than the busy timeout (`SQLITE_BUSY`):
 *   `ERR database is locked: another process held the write lock for longer than the busy
 *   timeout (N ms)`;
 * - an I/O error: `MISCONF Errors writing to the database file: ...`;
 * - anything else: `ERR ` and the message.
 *
 * `busyTimeout` is the store's busy timeout in ms, for the text of the second.
 *
 * @example
 * ```ts
 * storageErrorReply(new Error("boom"), 5000).message; // "ERR boom"
 * ```
 */
export function storageErrorReply(error: unknown, busyTimeout: number): RedisError {
  const message = error instanceof Error ? error.message : String(error);
  switch (sqliteCode(error)) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return new RedisError(`MISCONF Errors writing to the database file: ${message}`);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new RedisError(
        `ERR ${message}: another process held the write lock for longer than the busy ` +
          `timeout (${busyTimeout} ms)`,
      );
    default:
      return new RedisError(`ERR ${message}`);
  }
}
