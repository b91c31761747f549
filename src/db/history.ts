/**
 * Per-key history (HISTORY): the states a key went through, recorded by SQLite triggers on the
 * keys table, and time travel over them.
 *
 * History is opted into per key name (`history_config`), and recorded by name (db, key) rather
 * than by the keys row, so it outlives DEL and the key's re-creation, and follows names: RENAME
 * and MOVE record the old name's key leaving (a "none" state) and the new name's key arriving.
 * Each state is a row of `key_history`: a string's value after every write that changed it; a
 * collection's full elements after every write (a snapshot: the cost of a write to a tracked
 * collection grows with its size); a stream's version and length only; and a "none" state when
 * the key stopped existing (DEL, expiry at its expiry time, FLUSHDB/FLUSHALL, a collection left
 * empty, RENAME or MOVE away). Changes of a time to live alone are not states.
 *
 * The triggers exist only while at least one key is tracked: a file without history pays nothing
 * on its writes. While they exist, every write to the keys table pays one lookup of
 * `history_config`.
 *
 * @module
 */

import { RedisError } from "./errors.ts";
import { findKey, KeyType, type Scope } from "./keyspace.ts";
import { decodeItems } from "./length_prefixed.ts";
import type { Store } from "./store.ts";

/** How much of a key's history is kept. */
export interface HistoryPolicy {
  /** Keep the states of the last `retention` ms (and the one in force before them); null: all. */
  retention?: number | null;
  /** Keep at most this many states, the newest; null: all. */
  maxVersions?: number | null;
}

/** A recorded state's type and value, as the type's read command would give it. */
export type HistoryValue =
  | { type: "none"; value: null }
  | { type: "string"; value: Uint8Array }
  | { type: "hash"; value: [Uint8Array, Uint8Array][] }
  | { type: "list"; value: Uint8Array[] }
  | { type: "set"; value: Uint8Array[] }
  | { type: "zset"; value: [Uint8Array, number][] }
  | { type: "stream"; value: null };

/** One recorded state: its type and value, its version (null for "none") and when it began. */
export type HistoryEntry = HistoryValue & {
  /** The key's version in this state (KEYINFO's version); null when the key did not exist. */
  version: number | null;
  /** Unix time in ms when the key came to this state. */
  timestamp: number;
};

// #region triggers

const tracked = (row: "NEW" | "OLD") =>
  `EXISTS (SELECT 1 FROM history_config WHERE db = ${row}.db AND key = ${row}.key)`;

// The time in ms inside a trigger (SQLite's clock: the same system clock as Date.now()).
const NOW_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

// The time of a new state of the key of row `r`: `at`, or the time of the key's newest state if
// that is later. States are written at times taken at different moments (a command's start, a
// deletion's, another process's clock), and their order is the order they were written in.
const stamp = (r: string, at: string) =>
  `max(${at}, ifnull((SELECT max(at) FROM key_history WHERE db = ${r}.db AND key = ${r}.key), ${at}))`;

// The columns of a state, from a keys row `r`.
const stateColumns = (r: string) =>
  `${r}.db, ${r}.key, ${stamp(r, `${r}.updated_at`)}, ${r}.type, ${r}.version, ` +
  `CASE WHEN ${r}.type = 1 THEN length(${r}.value) ELSE ${r}.size END, ` +
  `CASE WHEN ${r}.type = 1 THEN ${r}.value END`;

const INSERT_STATE = "INSERT INTO key_history (db, key, at, type, version, size, value)";

// How each collection's elements are copied into key_history_elements: a list's as its chunks
// (list_chunks.ts), each in `member` at its position.
const ELEMENT_COPIES: readonly { type: number; table: string; columns: string }[] = [
  { type: KeyType.hash, table: "hashes", columns: "0, field, value, NULL" },
  { type: KeyType.list, table: "lists", columns: "pos, value, NULL, NULL" },
  { type: KeyType.set, table: "sets", columns: "0, member, NULL, NULL" },
  { type: KeyType.zset, table: "zsets", columns: "0, member, NULL, score" },
];

// Copies a collection's elements into the state inserted last; `where` picks the key's rows.
const copyElements = (table: string, columns: string, where: string) =>
  "INSERT INTO key_history_elements (history_id, pos, member, value, score) " +
  `SELECT (SELECT max(id) FROM key_history), ${columns} FROM ${table} WHERE ${where}`;

// Records the state of the keys row NEW, with its elements.
const RECORD_NEW = [
  `${INSERT_STATE} VALUES (${stateColumns("NEW")});`,
  ...ELEMENT_COPIES.map(({ type, table, columns }) =>
    copyElements(table, columns, `key_id = NEW.id AND NEW.type = ${type}`) + ";"
  ),
].join("\n  ");

// A key overwritten in place after its time ran out (SET over an expired string) had stopped
// existing at its expiry time first.
// (A key written with a time already past expired as it was written.)
const EXPIRED_BEFORE = "INSERT INTO key_history (db, key, at, type) " +
  `SELECT NEW.db, NEW.key, ${stamp("NEW", "max(OLD.expire_at, OLD.updated_at)")}, 0 ` +
  "WHERE OLD.expire_at <= NEW.updated_at;";

const MOVED = "(NEW.db IS NOT OLD.db OR NEW.key IS NOT OLD.key)";

const TRIGGERS: readonly [name: string, definition: string][] = [
  [
    "history_string_created",
    `AFTER INSERT ON keys WHEN NEW.type = 1 AND ${tracked("NEW")} BEGIN
  ${INSERT_STATE} VALUES (${stateColumns("NEW")});
END`,
  ],
  [
    "history_string_written",
    `AFTER UPDATE OF value ON keys WHEN NEW.type = 1 AND ${tracked("NEW")} BEGIN
  ${EXPIRED_BEFORE}
  ${RECORD_NEW}
END`,
  ],
  [
    // Collections are recorded when a write ends (resize and touch give them a new version);
    // a new version with a new time to live, or a new name, is not a new value.
    "history_collection_written",
    `AFTER UPDATE OF version ON keys WHEN NEW.type <> 1 AND NOT ${MOVED}
  AND NEW.expire_at IS OLD.expire_at AND ${tracked("NEW")} BEGIN
  ${EXPIRED_BEFORE}
  ${RECORD_NEW}
END`,
  ],
  [
    "history_moved_away",
    `AFTER UPDATE OF db, key ON keys WHEN ${MOVED} AND ${tracked("OLD")} BEGIN
  INSERT INTO key_history (db, key, at, type)
    VALUES (OLD.db, OLD.key, ${stamp("OLD", "NEW.updated_at")}, 0);
END`,
  ],
  [
    "history_moved_here",
    `AFTER UPDATE OF db, key ON keys WHEN ${MOVED} AND ${tracked("NEW")} BEGIN
  ${RECORD_NEW}
END`,
  ],
  [
    // An expired key stopped existing at its expiry time, whenever it is removed (and not
    // before its last write: a time already past when it was written).
    "history_deleted",
    `AFTER DELETE ON keys WHEN ${tracked("OLD")} BEGIN
  INSERT INTO key_history (db, key, at, type)
    VALUES (OLD.db, OLD.key, ${
      stamp("OLD", `max(OLD.updated_at, min(coalesce(OLD.expire_at, ${NOW_MS}), ${NOW_MS}))`)
    }, 0);
END`,
  ],
];

const CREATE_TRIGGERS_SQL = TRIGGERS
  .map(([name, definition]) => `CREATE TRIGGER IF NOT EXISTS ${name} ${definition};`)
  .join("\n");

const DROP_TRIGGERS_SQL = TRIGGERS.map(([name]) => `DROP TRIGGER IF EXISTS ${name};`).join("\n");

function ensureTriggers(store: Store): void {
  store.execSchema(CREATE_TRIGGERS_SQL);
}

// The triggers go with the last tracked key: writes cost nothing again.
function dropTriggersIfUnused(store: Store): void {
  if (store.get("SELECT 1 FROM history_config LIMIT 1") === undefined) {
    store.execSchema(DROP_TRIGGERS_SQL);
  }
}

/**
 * Whether the history triggers are installed in the file (some key is tracked).
 *
 * @example
 * ```ts
 * historyTriggersInstalled(store); // false in a new file
 * ```
 */
export function historyTriggersInstalled(store: Store): boolean {
  return store.get(
    "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?",
    TRIGGERS[0][0],
  ) !== undefined;
}

// #endregion triggers
// #region enabling

const RECORD_CURRENT_SQL = [
  `${INSERT_STATE} SELECT ${stateColumns("r")} FROM keys AS r WHERE r.id = ?`,
  ...ELEMENT_COPIES.map(({ table, columns }) => copyElements(table, columns, "key_id = ?")),
];

// Records a live key's current state, as of its last write.
function recordCurrent(scope: Scope, key: Uint8Array): void {
  const meta = findKey(scope, key);
  if (meta === null) return;
  scope.store.run(RECORD_CURRENT_SQL[0], meta.id);
  const copy = ELEMENT_COPIES.findIndex((entry) => entry.type === meta.type);
  if (copy >= 0) scope.store.run(RECORD_CURRENT_SQL[copy + 1], meta.id);
}

/**
 * HISTORY ENABLE: starts recording a key's states (the key need not exist), or changes how much
 * of it is kept. A key starting to be tracked gets its current state recorded, as of its last
 * write. A new, smaller bound applies at once.
 *
 * @example
 * ```ts
 * historyEnable(db, new TextEncoder().encode("k"), { maxVersions: 10 });
 * ```
 */
export function historyEnable(scope: Scope, key: Uint8Array, policy: HistoryPolicy = {}): void {
  const store = scope.store;
  store.write(() => {
    const created = store.runReturning(
      "INSERT INTO history_config (db, key, retention, max_versions) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT DO NOTHING RETURNING 1",
      scope.index,
      key,
      policy.retention ?? null,
      policy.maxVersions ?? null,
    ) !== undefined;
    if (created) {
      ensureTriggers(store);
      recordCurrent(scope, key);
      return;
    }
    store.run(
      "UPDATE history_config SET retention = ?, max_versions = ? WHERE db = ? AND key = ?",
      policy.retention ?? null,
      policy.maxVersions ?? null,
      scope.index,
      key,
    );
    applyPolicy(store, scope.index, key, Date.now());
  });
}

/**
 * HISTORY DISABLE: stops recording a key's states and forgets those recorded. Returns whether
 * the key was tracked.
 *
 * @example
 * ```ts
 * historyDisable(db, new TextEncoder().encode("k")); // true
 * ```
 */
export function historyDisable(scope: Scope, key: Uint8Array): boolean {
  const store = scope.store;
  return store.write(() => {
    if (store.run("DELETE FROM history_config WHERE db = ? AND key = ?", scope.index, key) === 0) {
      return false;
    }
    store.run("DELETE FROM key_history WHERE db = ? AND key = ?", scope.index, key);
    dropTriggersIfUnused(store);
    return true;
  });
}

/**
 * HISTORY CLEAR: forgets a key's recorded states, keeping its current one (as of its last
 * write) when it is tracked and exists. Returns how many states were forgotten.
 *
 * @example
 * ```ts
 * historyClear(db, new TextEncoder().encode("k")); // 0
 * ```
 */
export function historyClear(scope: Scope, key: Uint8Array): number {
  const store = scope.store;
  return store.write(() => {
    const removed = store.run(
      "DELETE FROM key_history WHERE db = ? AND key = ?",
      scope.index,
      key,
    );
    if (isTracked(scope, key)) recordCurrent(scope, key);
    return removed;
  });
}

function isTracked(scope: Scope, key: Uint8Array): boolean {
  return scope.store.get(
    "SELECT 1 FROM history_config WHERE db = ? AND key = ?",
    scope.index,
    key,
  ) !== undefined;
}

// #endregion enabling
// #region reading

const TYPE_OF_STATE = ["none", "string", "hash", "list", "set", "zset", "stream"] as const;

const ELEMENTS_SQL =
  "SELECT pos, member, value, score FROM key_history_elements WHERE history_id = ? " +
  "ORDER BY pos, member";
const ZSET_ELEMENTS_SQL =
  "SELECT member, score FROM key_history_elements WHERE history_id = ? ORDER BY score, member";

type StateRow = Record<string, unknown>;

function valueOf(store: Store, row: StateRow): HistoryValue {
  const id = row.id as number;
  const type = TYPE_OF_STATE[row.type as number];
  switch (type) {
    case "string":
      return { type, value: row.value as Uint8Array };
    case "hash":
      return {
        type,
        value: store.all(ELEMENTS_SQL, id).map((
          e,
        ) => [e.member as Uint8Array, e.value as Uint8Array]),
      };
    case "list":
      return {
        type,
        value: store.all(ELEMENTS_SQL, id).flatMap((e) => decodeItems(e.member as Uint8Array)),
      };
    case "set":
      return { type, value: store.all(ELEMENTS_SQL, id).map((e) => e.member as Uint8Array) };
    case "zset":
      return {
        type,
        value: store.all(ZSET_ELEMENTS_SQL, id).map((
          e,
        ) => [e.member as Uint8Array, e.score as number]),
      };
    default:
      return { type, value: null };
  }
}

function entryOf(store: Store, row: StateRow): HistoryEntry {
  return {
    ...valueOf(store, row),
    version: row.version as number | null,
    timestamp: row.at as number,
  };
}

const STATE_COLUMNS = "id, at, type, version, value";

/** Which of a key's states {@linkcode historyGet} returns. */
export interface HistoryRange {
  /** At most this many, the newest (all when omitted). */
  count?: number;
  /** Only states that began at or after this unix time in ms. */
  from?: number;
  /** Only states that began at or before this unix time in ms. */
  to?: number;
}

/**
 * HISTORY GET: a key's recorded states, newest first: those that began between `from` and `to`
 * (unix ms, both included; all when omitted), at most `count` of them. Empty when the key is not
 * tracked.
 *
 * @example
 * ```ts
 * historyGet(db, new TextEncoder().encode("k"), { count: 10 }); // [{ type: "string", value, version, timestamp }, ...]
 * ```
 */
export function historyGet(
  scope: Scope,
  key: Uint8Array,
  range: HistoryRange = {},
): HistoryEntry[] {
  const store = scope.store;
  return store.read(() =>
    store.all(
      `SELECT ${STATE_COLUMNS} FROM key_history WHERE db = ? AND key = ? AND at BETWEEN ? AND ? ` +
        "ORDER BY at DESC, id DESC LIMIT ?",
      scope.index,
      key,
      range.from ?? -Number.MAX_SAFE_INTEGER,
      range.to ?? Number.MAX_SAFE_INTEGER,
      range.count ?? -1,
    ).map((row) => entryOf(store, row))
  );
}

/**
 * HISTORY AT: the key's type and value at unix time `at` (ms), or null when it did not exist
 * then, or when that time is older than its recorded history. Throws for a stream, whose
 * entries are not recorded.
 *
 * @example
 * ```ts
 * historyAt(db, new TextEncoder().encode("k"), Date.now() - 60_000); // { type: "string", value } or null
 * ```
 */
export function historyAt(scope: Scope, key: Uint8Array, at: number): HistoryValue | null {
  const store = scope.store;
  return store.read(() => {
    const row = store.get(
      `SELECT ${STATE_COLUMNS} FROM key_history WHERE db = ? AND key = ? AND at <= ? ` +
        "ORDER BY at DESC, id DESC LIMIT 1",
      scope.index,
      key,
      at,
    );
    if (row === undefined || row.type === 0) return null;
    if (row.type === KeyType.stream) {
      throw new RedisError("ERR the history of a stream records its versions, not its entries");
    }
    if (isCurrent(scope, key, row) && expiredBy(scope, key, at)) return null;
    return valueOf(store, row);
  });
}

// Whether a state is the newest recorded: the key's current one.
function isCurrent(scope: Scope, key: Uint8Array, row: StateRow): boolean {
  return scope.store.get(
    "SELECT 1 FROM key_history WHERE db = ? AND key = ? AND (at, id) > (?, ?) LIMIT 1",
    scope.index,
    key,
    row.at as number,
    row.id as number,
  ) === undefined;
}

// Whether the key's current time to live had run out at `at` (the key may not be removed yet).
function expiredBy(scope: Scope, key: Uint8Array, at: number): boolean {
  const row = scope.store.get(
    "SELECT expire_at FROM keys WHERE db = ? AND key = ?",
    scope.index,
    key,
  );
  const expireAt = row?.expire_at as number | null | undefined;
  return expireAt !== null && expireAt !== undefined && expireAt <= at;
}

// #endregion reading
// #region retention

// Removes the states beyond a key's bounds: the oldest beyond MAXVERSIONS, and those replaced
// longer than RETENTION ago. (A new state applies the same bounds by trigger.)
function applyPolicy(store: Store, db: number, key: Uint8Array, now: number): number {
  const removed = store.run(
    "DELETE FROM key_history WHERE id IN (SELECT id FROM key_history " +
      "WHERE db = ?1 AND key = ?2 ORDER BY at, id LIMIT coalesce((SELECT entries - max_versions " +
      "FROM history_config WHERE db = ?1 AND key = ?2 AND entries > max_versions), 0))",
    db,
    key,
  );
  return removed + store.run(PRUNE_KEY_SQL, db, key, now);
}

// A key's states replaced before its retention window: every state older than the one in force
// at (now - retention).
const PRUNE_KEY_SQL = "DELETE FROM key_history WHERE db = ?1 AND key = ?2 AND (at, id) < (" +
  "SELECT h.at, h.id FROM key_history h JOIN history_config c ON c.db = h.db AND c.key = h.key " +
  "WHERE h.db = ?1 AND h.key = ?2 AND h.at <= ?3 - c.retention ORDER BY h.at DESC, h.id DESC " +
  "LIMIT 1)";

/** How many tracked keys with a retention one pass of {@linkcode pruneHistory} looks at. */
const PRUNE_BATCH = 100;

/** How often the active cycle applies retention, in ms. */
const PRUNE_EVERY = 1000;

type Cursor = { db: number; key: Uint8Array };

const FIRST: Cursor = { db: -1, key: new Uint8Array() };

// Applies retention to the batch of tracked keys after `cursor`, in one transaction; returns how
// many states it removed and where the next batch starts (null: the end was reached).
function pruneBatch(store: Store, now: number, cursor: Cursor): [number, Cursor | null] {
  const keys = store.all(
    "SELECT db, key FROM history_config WHERE retention IS NOT NULL AND (db, key) > (?, ?) " +
      "ORDER BY db, key LIMIT ?",
    cursor.db,
    cursor.key,
    PRUNE_BATCH,
  );
  const last = keys.at(-1);
  const next = keys.length < PRUNE_BATCH
    ? null
    : { db: last!.db as number, key: last!.key as Uint8Array };
  if (keys.length === 0) return [0, next];
  const removed = store.write(() => {
    let removed = 0;
    for (const row of keys) removed += store.run(PRUNE_KEY_SQL, row.db, row.key, now);
    return removed;
  });
  return [removed, next];
}

const pruneCursors = new WeakMap<Store, Cursor>();

/**
 * Removes states older than their key's retention, for the next batch of tracked keys (a write
 * applies its own key's bounds by itself; this catches keys nobody writes). Returns how many
 * states it removed.
 *
 * @example
 * ```ts
 * pruneHistory(store, Date.now()); // 0
 * ```
 */
export function pruneHistory(store: Store, now: number): number {
  const [removed, next] = pruneBatch(store, now, pruneCursors.get(store) ?? FIRST);
  if (next === null) pruneCursors.delete(store);
  else pruneCursors.set(store, next);
  return removed;
}

/**
 * Removes the states older than their key's retention of every tracked key, a batch of keys
 * per transaction (VACUUM). Returns how many states it removed.
 *
 * @example
 * ```ts
 * pruneAllHistory(store, Date.now()); // 0
 * ```
 */
export function pruneAllHistory(store: Store, now: number): number {
  let total = 0;
  for (let cursor: Cursor | null = FIRST; cursor !== null;) {
    const [removed, next]: [number, Cursor | null] = pruneBatch(store, now, cursor);
    total += removed;
    cursor = next;
  }
  return total;
}

/**
 * Has the store's active cycle apply history retention about once a second.
 *
 * @example
 * ```ts
 * const stop = applyRetentionInCycle(store);
 * stop();
 * ```
 */
export function applyRetentionInCycle(store: Store): () => void {
  let last = 0;
  return store.onCycle((now) => {
    if (now - last < PRUNE_EVERY) return;
    last = now;
    pruneHistory(store, now);
  });
}

// #endregion retention
