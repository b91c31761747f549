/**
 * Checkpoints off the main thread. SQLite copies the write-ahead log into the database file
 * inside the COMMIT that takes the log past `wal_autocheckpoint` pages: with writes of distinct
 * keys, tens of milliseconds during which the server answers nobody. A {@linkcode Checkpointer}
 * runs a worker with its own connection that copies the log every few milliseconds (passive
 * checkpoints: they neither wait for nor block the writer), so that the COMMIT's own checkpoint
 * finds little left to copy, and the log starts over from there.
 *
 * The server started from the command line runs one; an embedded `Db` does not (a library
 * starts no threads): its checkpoints stay in its COMMITs.
 *
 * @module
 */

/**
 * The worker: its own connection to the file, a passive checkpoint every `intervalMs` until
 * told to close. JavaScript in a string, started from a blob: a worker module of its own would
 * need read access to Redlite's files, which `deno task serve`'s permissions may not give.
 * Messages in: `{ path, synchronous, intervalMs }`, then `"close"`. Out: `"closed"` once its
 * connection is closed, `{ error }` the first time it cannot open the file (it tries again at
 * every turn).
 */
const WORKER_SOURCE = `
import { DatabaseSync } from "node:sqlite";
let db = null;
let checkpoint = null;
let timer;
let reported = false;
// Opens the connection when it is not open yet (a failure is reported once, then tried again
// at the next turn: the file may be busy recovering), then copies.
function copy(start) {
  try {
    if (db === null) {
      db = new DatabaseSync(start.path);
      db.exec("PRAGMA synchronous = " + start.synchronous);
      checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
    }
    checkpoint.get();
  } catch (error) {
    if (checkpoint === null) {
      try { db?.close(); } catch {}
      db = null;
      if (!reported) self.postMessage({ error: error.message });
      reported = true;
    }
    // else SQLITE_BUSY and the like: the next turn tries again
  }
}
self.onmessage = (event) => {
  if (event.data === "close") {
    clearInterval(timer);
    try { db?.close(); } catch {}
    db = null;
    self.postMessage("closed");
    return;
  }
  const start = event.data;
  copy(start);
  timer = setInterval(() => copy(start), start.intervalMs);
};
`;

/** What the worker is started with. */
interface CheckpointWorkerStart {
  /** The database file. */
  readonly path: string;
  /** `PRAGMA synchronous` for the checkpoints' syncs. */
  readonly synchronous: "NORMAL" | "FULL";
  /** How often to copy. */
  readonly intervalMs: number;
}

/** How often the worker copies the log by default. */
export const CHECKPOINT_INTERVAL_MS = 50;

/** Options of {@linkcode Checkpointer.start}. */
export interface CheckpointerOptions {
  /** The durability the database was opened with: the checkpoints sync as it does. */
  durability?: "normal" | "full";
  /** How often to copy (default {@linkcode CHECKPOINT_INTERVAL_MS}). */
  intervalMs?: number;
  /** Where a failure of the worker is reported (the COMMITs' own checkpoints go on regardless). */
  log?: (message: string) => void;
}

/**
 * A worker copying a database file's write-ahead log into the file.
 *
 * @example
 * ```ts
 * import { Checkpointer } from "./checkpointer.ts";
 * const checkpointer = Checkpointer.start("redlite.db");
 * // ... serve ...
 * await checkpointer.close();
 * ```
 */
export class Checkpointer {
  readonly #worker: Worker;
  readonly #closed: Promise<void>;
  #closing = false;

  private constructor(worker: Worker, closed: Promise<void>) {
    this.#worker = worker;
    this.#closed = closed;
  }

  /**
   * Starts the worker on a database file (in WAL mode, opened by this process already).
   *
   * @example
   * ```ts
   * import { Checkpointer } from "./checkpointer.ts";
   * const checkpointer = Checkpointer.start("redlite.db", { durability: "full" });
   * await checkpointer.close();
   * ```
   */
  static start(path: string, options: CheckpointerOptions = {}): Checkpointer {
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
    const worker = new Worker(url, { type: "module" });
    URL.revokeObjectURL(url);
    const { promise: closed, resolve } = Promise.withResolvers<void>();
    worker.onmessage = (event: MessageEvent<"closed" | { error: string }>) => {
      if (event.data === "closed") return resolve();
      options.log?.(
        `background checkpoints cannot open the file (trying again): ${event.data.error}`,
      );
    };
    worker.onerror = (event) => {
      event.preventDefault();
      options.log?.(`background checkpoints stopped: ${event.message}`);
      resolve();
    };
    const start: CheckpointWorkerStart = {
      path,
      synchronous: options.durability === "full" ? "FULL" : "NORMAL",
      intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    };
    worker.postMessage(start);
    return new Checkpointer(worker, closed);
  }

  /**
   * Stops the worker once its connection is closed (never in the middle of a copy).
   *
   * @example
   * ```ts
   * import { Checkpointer } from "./checkpointer.ts";
   * await Checkpointer.start("redlite.db").close();
   * ```
   */
  async close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      this.#worker.postMessage("close");
    }
    await this.#closed;
    this.#worker.terminate();
  }
}
