/**
 * Stream consumer groups: groups in `stream_groups` (last delivered id, entries read), consumers
 * in `stream_consumers` (last seen), and each group's pending entries in `stream_pending`, with
 * the consumer they were delivered to, keyed by id and indexed by consumer. Every read goes through
 * those keys: no command scans a stream or a group's pending list beyond what it returns.
 *
 * @module
 */

import { RedisError } from "./errors.ts";
import { findForWrite, findTyped, type KeyMeta, KeyType, type Scope } from "./keyspace.ts";
import type { Row, Store } from "./store.ts";
import { compareIds, cStringText, isZeroId, MAX_ID, MIN_ID, type StreamId } from "./stream_id.ts";
import {
  createStream,
  entriesAfter,
  lastIdOf,
  limitOf,
  type StreamEntry,
  type StreamState,
  streamState,
} from "./streams.ts";

/** Redis's texts for the consumer group errors raised in more than one place. */
export const GROUP_ERR = {
  keyMustExist: "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you " +
    "may want to use the MKSTREAM option to create an empty stream automatically.",
  busyGroup: "BUSYGROUP Consumer Group name already exists",
} as const;

/** Redis's -1: a group whose count of entries read is unknown. */
export const UNKNOWN_READS = -1n;

/**
 * Redis's NOGROUP error of the commands that name a key and a group (XREADGROUP adds where).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * noGroupError(b("s"), b("g")).message; // "NOGROUP No such key 's' or consumer group 'g'"
 * ```
 */
export function noGroupError(key: Uint8Array, group: Uint8Array, where = ""): RedisError {
  return new RedisError(
    `NOGROUP No such key '${cStringText(key)}' or consumer group '${cStringText(group)}'${where}`,
  );
}

/**
 * Redis's NOGROUP error of XGROUP's and XINFO's subcommands.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * noSuchGroupError(b("s"), b("g")).message; // "NOGROUP No such consumer group 'g' for key name 's'"
 * ```
 */
export function noSuchGroupError(key: Uint8Array, group: Uint8Array): RedisError {
  return new RedisError(
    `NOGROUP No such consumer group '${cStringText(group)}' for key name '${cStringText(key)}'`,
  );
}

/** A consumer group's delivery state. */
export interface Group {
  /** The last id delivered. */
  lastId: StreamId;
  /** The count of entries read, or -1 when unknown. */
  entriesRead: bigint;
}

// #region statements

const GROUP_SQL = "SELECT last_id, CAST(entries_read AS TEXT) AS entries_read FROM stream_groups " +
  "WHERE key_id = ? AND name = ?";
const SET_GROUP_SQL =
  "UPDATE stream_groups SET last_id = ?, entries_read = ? WHERE key_id = ? AND name = ?";
const SEEN_SQL = "INSERT INTO stream_consumers (key_id, grp, name, seen_at) VALUES (?, ?, ?, ?) " +
  "ON CONFLICT (key_id, grp, name) DO UPDATE SET seen_at = excluded.seen_at";
const PENDING_SQL =
  "SELECT consumer, delivered_at, CAST(delivery_count AS TEXT) AS delivery_count " +
  "FROM stream_pending WHERE key_id = ? AND grp = ? AND id = ?";
const SET_PENDING_SQL = "INSERT INTO stream_pending (key_id, grp, id, consumer, delivered_at, " +
  "delivery_count) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_id, grp, id) DO UPDATE SET " +
  "consumer = excluded.consumer, delivered_at = excluded.delivered_at, " +
  "delivery_count = excluded.delivery_count";
const DELETE_PENDING_SQL = "DELETE FROM stream_pending WHERE key_id = ? AND grp = ? AND id = ?";
const ENTRY_SQL = "SELECT data FROM streams WHERE key_id = ? AND id = ?";
// delivery_count is Redis's unsigned counter in a signed column: it wraps as it does.
const INCREMENTED_COUNT = "CASE delivery_count WHEN 9223372036854775807 THEN " +
  "-9223372036854775808 ELSE delivery_count + 1 END";

/**
 * A group's state from a row with `last_id` and `entries_read` (read as text: it is 64-bit).
 *
 * @example
 * ```ts
 * toGroup({ last_id: MIN_ID, entries_read: "-1" }); // { lastId: MIN_ID, entriesRead: -1n }
 * ```
 */
export function toGroup(row: Row): Group {
  return { lastId: row.last_id as StreamId, entriesRead: BigInt(row.entries_read as string) };
}

function bigOf(row: Row, column: string): bigint {
  return BigInt(row[column] as string);
}

// #endregion statements
// #region lookups

/**
 * A group of a stream, or null.
 *
 * @example
 * ```ts
 * findGroup(db.store, 1, new TextEncoder().encode("g")); // null
 * ```
 */
export function findGroup(store: Store, keyId: number, name: Uint8Array): Group | null {
  const row = store.get(GROUP_SQL, keyId, name);
  return row === undefined ? null : toGroup(row);
}

// The stream and its group, or Redis's NOGROUP error; `find` is findForWrite for writes, and
// findTyped for reads (which must not write: the file may be read-only).
function streamAndGroup(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  where = "",
  find: typeof findTyped = findForWrite,
): { meta: KeyMeta; group: Group } {
  const meta = find(scope, key, KeyType.stream);
  const found = meta === null ? null : findGroup(scope.store, meta.id, group);
  if (found === null) throw noGroupError(key, group, where);
  return { meta: meta!, group: found };
}

// The stream, which XGROUP's subcommands need to exist.
function existingStream(scope: Scope, key: Uint8Array): KeyMeta {
  const meta = findForWrite(scope, key, KeyType.stream);
  if (meta === null) throw new RedisError(GROUP_ERR.keyMustExist);
  return meta;
}

function requireGroup(scope: Scope, key: Uint8Array, meta: KeyMeta, group: Uint8Array): Group {
  const found = findGroup(scope.store, meta.id, group);
  if (found === null) throw noSuchGroupError(key, group);
  return found;
}

// #endregion lookups
// #region read counters

/**
 * Whether a tombstone (an id XDEL removed) may lie between `start` and `end` (null: the
 * stream's ends), as Redis 7.0 judges from the largest deleted id alone.
 *
 * @example
 * ```ts
 * rangeHasTombstones(state, MIN_ID, null); // false for a stream without deletions
 * ```
 */
export function rangeHasTombstones(
  state: StreamState,
  start: StreamId | null,
  end: StreamId | null,
): boolean {
  const deleted = state.maxDeletedId;
  if (state.length === 0 || isZeroId(deleted)) return false;
  if (compareIds(state.firstId, deleted) > 0) return false;
  return compareIds(start ?? MIN_ID, deleted) <= 0 && compareIds(deleted, end ?? MAX_ID) <= 0;
}

/**
 * How many entries were added up to an id (Redis's streamEstimateDistanceFromFirstEverEntry),
 * or -1 when the stream's deletions make it unknowable.
 *
 * @example
 * ```ts
 * estimateEntriesRead(state, state.lastId); // state.entriesAdded
 * ```
 */
export function estimateEntriesRead(state: StreamState, id: StreamId): bigint {
  const added = BigInt.asIntN(64, state.entriesAdded);
  if (state.entriesAdded === 0n) return 0n;
  if (state.length === 0 && compareIds(id, state.lastId) < 1) return added;
  const toLast = compareIds(id, state.lastId);
  if (toLast === 0) return added;
  if (toLast > 0) return UNKNOWN_READS;
  const toFirst = compareIds(id, state.firstId);
  if (isZeroId(state.maxDeletedId) || compareIds(state.maxDeletedId, state.firstId) < 0) {
    const before = BigInt.asIntN(64, state.entriesAdded - BigInt(state.length));
    if (toFirst < 0) return before;
    if (toFirst === 0) return BigInt.asIntN(64, before + 1n);
  }
  return UNKNOWN_READS;
}

/**
 * A group's lag: the entries not yet delivered to it, or null when unknown.
 *
 * @example
 * ```ts
 * groupLag(state, { lastId: MIN_ID, entriesRead: 0n }); // state.entriesAdded as a bigint
 * ```
 */
export function groupLag(state: StreamState, group: Group): bigint | null {
  if (state.entriesAdded === 0n) return 0n;
  let read = group.entriesRead;
  if (read === UNKNOWN_READS || rangeHasTombstones(state, group.lastId, null)) {
    read = estimateEntriesRead(state, group.lastId);
    if (read === UNKNOWN_READS) return null;
  }
  return BigInt.asIntN(64, state.entriesAdded - read);
}

// A group's count of entries read after one more delivered entry.
function readAfterDelivery(state: StreamState, entriesRead: bigint, id: StreamId): bigint {
  if (entriesRead !== UNKNOWN_READS && !rangeHasTombstones(state, id, null)) {
    return BigInt.asIntN(64, entriesRead + 1n);
  }
  return state.entriesAdded === 0n ? entriesRead : estimateEntriesRead(state, id);
}

// #endregion read counters
// #region XGROUP

/**
 * Throws Redis's error for an ENTRIESREAD below -1.
 *
 * @example
 * ```ts
 * checkEntriesRead(-2n); // throws "ERR value for ENTRIESREAD must be positive or -1"
 * ```
 */
export function checkEntriesRead(entriesRead: bigint): void {
  if (entriesRead < UNKNOWN_READS) {
    throw new RedisError("ERR value for ENTRIESREAD must be positive or -1");
  }
}

/** Options of {@linkcode xgroupCreate}. */
export interface GroupCreateOptions {
  /** Create an empty stream when the key is missing. */
  mkStream?: boolean;
  /** The group's count of entries read (-1: unknown, the default). */
  entriesRead?: bigint;
}

/**
 * XGROUP CREATE: creates a group whose last delivered id is `id(lastId)` (parsed once the key is
 * checked; `lastId` is the stream's last id, which `$` means). Throws BUSYGROUP when it exists.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xgroupCreate(db, b("s"), b("g"), (last) => last, { mkStream: true });
 * ```
 */
export function xgroupCreate(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  id: (lastId: StreamId) => StreamId,
  options: GroupCreateOptions = {},
): void {
  const store = scope.store;
  store.write(() => {
    let meta = findForWrite(scope, key, KeyType.stream);
    if (meta === null && !options.mkStream) throw new RedisError(GROUP_ERR.keyMustExist);
    const lastId = id(meta === null ? MIN_ID : lastIdOf(store, meta.id));
    meta ??= createStream(scope, key);
    const created = store.run(
      "INSERT INTO stream_groups (key_id, name, last_id, entries_read) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT DO NOTHING",
      meta.id,
      group,
      lastId,
      options.entriesRead ?? UNKNOWN_READS,
    );
    if (created === 0) throw new RedisError(GROUP_ERR.busyGroup);
  });
}

/**
 * XGROUP SETID: sets a group's last delivered id (`id(lastId)`, as for
 * {@linkcode xgroupCreate}) and its count of entries read (-1: unknown).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xgroupSetid(db, b("s"), b("g"), () => MIN_ID);
 * ```
 */
export function xgroupSetid(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  id: (lastId: StreamId) => StreamId,
  entriesRead: bigint = UNKNOWN_READS,
): void {
  const store = scope.store;
  store.write(() => {
    const meta = existingStream(scope, key);
    requireGroup(scope, key, meta, group);
    store.run(SET_GROUP_SQL, id(lastIdOf(store, meta.id)), entriesRead, meta.id, group);
  });
}

/**
 * XGROUP DESTROY: removes a group, its consumers and its pending entries; returns whether it
 * existed.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xgroupDestroy(db, b("s"), b("g")); // false
 * ```
 */
export function xgroupDestroy(scope: Scope, key: Uint8Array, group: Uint8Array): boolean {
  const store = scope.store;
  return store.write(() => {
    const meta = existingStream(scope, key);
    const removed = store.run(
      "DELETE FROM stream_groups WHERE key_id = ? AND name = ?",
      meta.id,
      group,
    );
    if (removed === 0) return false;
    store.run("DELETE FROM stream_consumers WHERE key_id = ? AND grp = ?", meta.id, group);
    store.run("DELETE FROM stream_pending WHERE key_id = ? AND grp = ?", meta.id, group);
    return true;
  });
}

/**
 * XGROUP CREATECONSUMER: adds a consumer to a group; returns whether it is new.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xgroupCreateconsumer(db, b("s"), b("g"), b("c")); // true
 * ```
 */
export function xgroupCreateconsumer(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  consumer: Uint8Array,
): boolean {
  const store = scope.store;
  return store.write(() => {
    const meta = existingStream(scope, key);
    requireGroup(scope, key, meta, group);
    return store.run(
      "INSERT INTO stream_consumers (key_id, grp, name, seen_at) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT DO NOTHING",
      meta.id,
      group,
      consumer,
      Date.now(),
    ) > 0;
  });
}

/**
 * XGROUP DELCONSUMER: removes a consumer and its pending entries; returns how many entries it
 * had pending (0 when it did not exist).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xgroupDelconsumer(db, b("s"), b("g"), b("c")); // 0
 * ```
 */
export function xgroupDelconsumer(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  consumer: Uint8Array,
): number {
  const store = scope.store;
  return store.write(() => {
    const meta = existingStream(scope, key);
    requireGroup(scope, key, meta, group);
    const existed = store.run(
      "DELETE FROM stream_consumers WHERE key_id = ? AND grp = ? AND name = ?",
      meta.id,
      group,
      consumer,
    );
    if (existed === 0) return 0;
    return store.run(
      "DELETE FROM stream_pending WHERE key_id = ? AND grp = ? AND consumer = ?",
      meta.id,
      group,
      consumer,
    );
  });
}

// #endregion XGROUP
// #region XREADGROUP

/** One stream of an XREADGROUP: its key, and which entries to read. */
export interface GroupReadRequest {
  /** The stream's key. */
  key: Uint8Array;
  /**
   * Parsed once the key and group are checked: null for new entries (`>`), or an id after
   * which to re-read the consumer's own pending entries.
   */
  after: () => StreamId | null;
}

/** An entry read again from a consumer's pending list: null fields when it was deleted since. */
export interface PendingRead {
  /** The entry's id. */
  id: StreamId;
  /** Its fields and values, encoded; null when the entry no longer exists. */
  data: Uint8Array | null;
}

/** Options of {@linkcode xreadgroup}. */
export interface GroupReadOptions {
  /** At most this many entries per stream (null: all). */
  count: number | null;
  /** Do not add the entries to the pending list (no acknowledgement needed). */
  noAck?: boolean;
}

/**
 * XREADGROUP: for each stream, new entries (delivered to the consumer and added to the group's
 * pending list unless `noAck`), or the consumer's pending entries after an id. Streams without
 * new entries are left out; a re-read of pending entries is always there, even empty. The consumer
 * is created when missing. Throws WRONGTYPE, NOGROUP or the id's error, in stream order.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xreadgroup(db, b("g"), b("c"), [{ key: b("s"), after: () => null }], { count: 10 });
 * ```
 */
export function xreadgroup(
  scope: Scope,
  group: Uint8Array,
  consumer: Uint8Array,
  requests: readonly GroupReadRequest[],
  options: GroupReadOptions,
): [Uint8Array, PendingRead[]][] {
  const store = scope.store;
  return store.write(() => {
    const where = " in XREADGROUP with GROUP option";
    const streams = requests.map((request) => {
      const { meta } = streamAndGroup(scope, request.key, group, where);
      return { key: request.key, meta, after: request.after() };
    });
    const now = Date.now();
    const out: [Uint8Array, PendingRead[]][] = [];
    // As Redis 7.0, the consumer is created (or seen) only by a read that returns the stream.
    for (const { key, meta, after } of streams) {
      if (after !== null) {
        store.run(SEEN_SQL, meta.id, group, consumer, now);
        out.push([key, rereadPending(store, meta.id, group, consumer, after, options.count, now)]);
        continue;
      }
      if (meta.size === 0) continue;
      const entries = deliverNew(store, meta, group, consumer, options, now);
      if (entries.length > 0) out.push([key, entries]);
    }
    return out;
  });
}

// Delivers the entries after the group's last id: the group moves on, and unless NOACK, the
// entries become pending for the consumer (taken from another consumer if one had them).
function deliverNew(
  store: Store,
  meta: KeyMeta,
  groupName: Uint8Array,
  consumer: Uint8Array,
  options: GroupReadOptions,
  now: number,
): StreamEntry[] {
  const group = findGroup(store, meta.id, groupName)!;
  const entries = entriesAfter(store, meta.id, group.lastId, options.count);
  if (entries.length === 0) return entries;
  store.run(SEEN_SQL, meta.id, groupName, consumer, now);
  const state = streamState(store, meta);
  let entriesRead = group.entriesRead;
  for (const entry of entries) entriesRead = readAfterDelivery(state, entriesRead, entry.id);
  const last = entries[entries.length - 1].id;
  store.run(SET_GROUP_SQL, last, entriesRead, meta.id, groupName);
  if (!options.noAck) {
    store.run(
      "INSERT INTO stream_pending (key_id, grp, id, consumer, delivered_at, delivery_count) " +
        "SELECT key_id, ?, id, ?, ?, 1 FROM streams WHERE key_id = ? AND id > ? AND id <= ? " +
        "ON CONFLICT (key_id, grp, id) DO UPDATE SET consumer = excluded.consumer, " +
        "delivered_at = excluded.delivered_at, delivery_count = 1",
      groupName,
      consumer,
      now,
      meta.id,
      group.lastId,
      last,
    );
  }
  return entries;
}

// Re-reads a consumer's pending entries after an id: each one still in the stream counts as
// delivered again.
function rereadPending(
  store: Store,
  keyId: number,
  group: Uint8Array,
  consumer: Uint8Array,
  after: StreamId,
  count: number | null,
  now: number,
): PendingRead[] {
  const rows = store.all(
    "SELECT p.id, s.data FROM stream_pending AS p LEFT JOIN streams AS s " +
      "ON s.key_id = p.key_id AND s.id = p.id WHERE p.key_id = ? AND p.grp = ? " +
      "AND p.consumer = ? AND p.id > ? ORDER BY p.id LIMIT ?",
    keyId,
    group,
    consumer,
    after,
    limitOf(count),
  );
  if (rows.length === 0) return [];
  store.run(
    `UPDATE stream_pending SET delivered_at = ?, delivery_count = ${INCREMENTED_COUNT} ` +
      "WHERE key_id = ? AND grp = ? AND consumer = ? AND id > ? AND id <= ? AND EXISTS " +
      "(SELECT 1 FROM streams AS s WHERE s.key_id = stream_pending.key_id " +
      "AND s.id = stream_pending.id)",
    now,
    keyId,
    group,
    consumer,
    after,
    rows[rows.length - 1].id,
  );
  return rows.map((row) => ({ id: row.id as StreamId, data: row.data as Uint8Array | null }));
}

// #endregion XREADGROUP
// #region XACK and XPENDING

/**
 * XACK: removes entries from a group's pending list; returns how many were pending (0 when the
 * key or the group is missing). The ids are parsed once the key is checked.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xack(db, b("s"), b("g"), () => [MIN_ID]); // 0
 * ```
 */
export function xack(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  ids: () => StreamId[],
): number {
  const store = scope.store;
  return store.write(() => {
    const meta = findForWrite(scope, key, KeyType.stream);
    if (meta === null || findGroup(store, meta.id, group) === null) return 0;
    let acknowledged = 0;
    for (const id of ids()) acknowledged += store.run(DELETE_PENDING_SQL, meta.id, group, id);
    return acknowledged;
  });
}

/** XPENDING's summary of a group's pending entries. */
export interface PendingSummary {
  /** How many entries are pending. */
  count: number;
  /** The smallest pending id, or null. */
  first: StreamId | null;
  /** The largest pending id, or null. */
  last: StreamId | null;
  /** Each consumer with pending entries, in name order, and how many it has. */
  consumers: [Uint8Array, number][];
}

/**
 * XPENDING without a range: how many entries are pending, the smallest and largest ids, and
 * the count of each consumer's.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xpendingSummary(db, b("s"), b("g")); // { count: 0, first: null, last: null, consumers: [] }
 * ```
 */
export function xpendingSummary(scope: Scope, key: Uint8Array, group: Uint8Array): PendingSummary {
  const store = scope.store;
  return store.read(() => {
    const { meta } = streamAndGroup(scope, key, group, "", findTyped);
    const row = store.get(
      "SELECT count(*) AS count, min(id) AS first, max(id) AS last FROM stream_pending " +
        "WHERE key_id = ? AND grp = ?",
      meta.id,
      group,
    )!;
    const consumers = store.all(
      "SELECT consumer, count(*) AS count FROM stream_pending WHERE key_id = ? AND grp = ? " +
        "GROUP BY consumer ORDER BY consumer",
      meta.id,
      group,
    ).map((c): [Uint8Array, number] => [c.consumer as Uint8Array, c.count as number]);
    return {
      count: row.count as number,
      first: row.first as StreamId | null,
      last: row.last as StreamId | null,
      consumers,
    };
  });
}

/** The range of XPENDING's extended form. */
export interface PendingRange {
  /** The smallest id. */
  start: StreamId;
  /** The largest id. */
  end: StreamId;
  /** At most this many entries. */
  count: number;
  /** Only entries idle at least this many ms (0: all). */
  minIdle?: number;
  /** Only this consumer's entries. */
  consumer?: Uint8Array;
}

/** A pending entry, as XPENDING's extended form reports it. */
export interface PendingEntry {
  /** The entry's id. */
  id: StreamId;
  /** The consumer it was delivered to. */
  consumer: Uint8Array;
  /** Milliseconds since it was last delivered. */
  idle: number;
  /** How many times it was delivered (a 64-bit count). */
  deliveries: bigint;
}

/**
 * XPENDING with a range: the pending entries from `start` to `end`, at most `count`, optionally
 * only a consumer's (none when that consumer does not exist) or only those idle long enough.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xpendingRange(db, b("s"), b("g"), { start: MIN_ID, end: MAX_ID, count: 10 }); // []
 * ```
 */
export function xpendingRange(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  range: PendingRange,
): PendingEntry[] {
  const store = scope.store;
  return store.read(() => {
    const { meta } = streamAndGroup(scope, key, group, "", findTyped);
    const now = Date.now();
    const limit = limitOf(range.count);
    const minIdle = range.minIdle ?? 0;
    const idleClause = "AND (? = 0 OR ? - delivered_at >= ?) ORDER BY id LIMIT ?";
    const columns =
      "SELECT id, consumer, delivered_at, CAST(delivery_count AS TEXT) AS delivery_count " +
      "FROM stream_pending WHERE key_id = ? AND grp = ? ";
    const rows = range.consumer === undefined
      ? store.all(
        `${columns}AND id >= ? AND id <= ? ${idleClause}`,
        meta.id,
        group,
        range.start,
        range.end,
        minIdle,
        now,
        minIdle,
        limit,
      )
      : store.all(
        `${columns}AND consumer = ? AND id >= ? AND id <= ? ${idleClause}`,
        meta.id,
        group,
        range.consumer,
        range.start,
        range.end,
        minIdle,
        now,
        minIdle,
        limit,
      );
    return rows.map((row) => ({
      id: row.id as StreamId,
      consumer: row.consumer as Uint8Array,
      idle: Math.max(0, now - (row.delivered_at as number)),
      deliveries: bigOf(row, "delivery_count"),
    }));
  });
}

// #endregion XACK and XPENDING
// #region XCLAIM and XAUTOCLAIM

/** The new delivery time of claimed entries: an idle time, or a unix time in ms. */
export type DeliveryTime = { idle: bigint } | { time: bigint };

/** XCLAIM's arguments after the consumer, parsed once the key and group are checked. */
export interface ClaimArgs {
  /** Claim only entries idle at least this many ms. */
  minIdle: bigint;
  /** The ids to claim. */
  ids: StreamId[];
  /** The claimed entries' new delivery time (default: now). */
  deliveryTime?: DeliveryTime;
  /** Set the delivery count instead of incrementing it. */
  retryCount?: bigint;
  /** Create pending entries for ids in the stream that are not pending. */
  force?: boolean;
  /** Return ids only, and leave delivery counts as they are. */
  justId?: boolean;
  /** Move the group's last delivered id forward to this one. */
  lastId?: StreamId;
}

/** A claimed entry: its id, and (unless JUSTID) its fields and values, encoded. */
export interface ClaimedEntry {
  /** The entry's id. */
  id: StreamId;
  /** Fields and values, encoded; null with JUSTID. */
  data: Uint8Array | null;
}

// The consumer that claims, created (and seen) when it first claims something.
function claimer(
  store: Store,
  keyId: number,
  group: Uint8Array,
  consumer: Uint8Array,
  now: number,
) {
  let seen = false;
  return () => {
    if (!seen) store.run(SEEN_SQL, keyId, group, consumer, now);
    seen = true;
  };
}

function deliveryTimeOf(time: DeliveryTime | undefined, now: number): number {
  if (time === undefined) return now;
  const at = "idle" in time ? BigInt(now) - time.idle : time.time;
  return at < 0n || at > BigInt(now) ? now : Number(at);
}

/**
 * XCLAIM: gives pending entries idle long enough to a consumer (created when it claims one).
 * Entries deleted from the stream leave the pending list. Returns the claimed entries.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xclaim(db, b("s"), b("g"), b("c"), () => ({ minIdle: 0n, ids: [MIN_ID] })); // []
 * ```
 */
export function xclaim(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  consumer: Uint8Array,
  args: () => ClaimArgs,
): ClaimedEntry[] {
  const store = scope.store;
  return store.write(() => {
    const { meta, group: found } = streamAndGroup(scope, key, group);
    const claim = args();
    const now = Date.now();
    if (claim.lastId !== undefined && compareIds(claim.lastId, found.lastId) > 0) {
      store.run(SET_GROUP_SQL, claim.lastId, found.entriesRead, meta.id, group);
    }
    const deliveredAt = deliveryTimeOf(claim.deliveryTime, now);
    const seen = claimer(store, meta.id, group, consumer, now);
    const out: ClaimedEntry[] = [];
    for (const id of claim.ids) {
      const pending = store.get(PENDING_SQL, meta.id, group, id);
      const entry = store.get(ENTRY_SQL, meta.id, id);
      if (entry === undefined) {
        if (pending !== undefined) store.run(DELETE_PENDING_SQL, meta.id, group, id);
        continue;
      }
      if (pending === undefined && !claim.force) continue;
      if (pending !== undefined && claim.minIdle > 0n) {
        if (BigInt(now - (pending.delivered_at as number)) < claim.minIdle) continue;
      }
      seen();
      let deliveries = pending === undefined ? 1n : bigOf(pending, "delivery_count");
      if (claim.retryCount !== undefined) deliveries = claim.retryCount;
      else if (!claim.justId) deliveries = BigInt.asIntN(64, deliveries + 1n);
      store.run(SET_PENDING_SQL, meta.id, group, id, consumer, deliveredAt, deliveries);
      out.push({ id, data: claim.justId ? null : entry.data as Uint8Array });
    }
    return out;
  });
}

/** XAUTOCLAIM's result. */
export interface AutoclaimResult {
  /** Where the next call should start; 0-0 when the pending list was scanned to its end. */
  next: StreamId;
  /** The claimed entries. */
  claimed: ClaimedEntry[];
  /** Pending ids whose entries were deleted from the stream (now removed from the list). */
  deleted: StreamId[];
}

/** XAUTOCLAIM's options. */
export interface AutoclaimOptions {
  /** Claim at most this many entries (and examine at most ten times as many). */
  count: number;
  /** Return ids only, and leave delivery counts as they are. */
  justId?: boolean;
}

// Redis allocates room for COUNT deleted ids (16 bytes each) up front, and fails past what its
// allocator can map: 80 TiB on Linux x86-64 with jemalloc, where redis-server 7.0.15 takes
// COUNT 5497558138880 and refuses one more.
const AUTOCLAIM_MAX_COUNT = 5497558138880;

/**
 * XAUTOCLAIM: claims, from `start` on, pending entries idle at least `minIdle` ms for a
 * consumer (created when it claims one), examining at most ten entries per claimable one.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xautoclaim(db, b("s"), b("g"), b("c"), 0n, MIN_ID, { count: 100 });
 * ```
 */
export function xautoclaim(
  scope: Scope,
  key: Uint8Array,
  group: Uint8Array,
  consumer: Uint8Array,
  minIdle: bigint,
  start: StreamId,
  options: AutoclaimOptions,
): AutoclaimResult {
  const store = scope.store;
  return store.write(() => {
    const { meta } = streamAndGroup(scope, key, group);
    if (options.count > AUTOCLAIM_MAX_COUNT) {
      throw new RedisError(
        "ERR Insufficient memory, failed allocating transient memory, COUNT too high.",
      );
    }
    const now = Date.now();
    let attempts = options.count * 10;
    let count = options.count;
    const rows = store.all(
      "SELECT p.id, p.delivered_at, CAST(p.delivery_count AS TEXT) AS delivery_count, s.data " +
        "FROM stream_pending AS p LEFT JOIN streams AS s ON s.key_id = p.key_id AND s.id = p.id " +
        "WHERE p.key_id = ? AND p.grp = ? AND p.id >= ? ORDER BY p.id LIMIT ?",
      meta.id,
      group,
      start,
      limitOf(attempts + 1),
    );
    const seen = claimer(store, meta.id, group, consumer, now);
    const result: AutoclaimResult = { next: MIN_ID, claimed: [], deleted: [] };
    for (const row of rows) {
      const id = row.id as StreamId;
      if (attempts === 0 || count === 0) {
        result.next = id;
        break;
      }
      attempts--;
      if (row.data === null) {
        store.run(DELETE_PENDING_SQL, meta.id, group, id);
        result.deleted.push(id);
        count--;
        continue;
      }
      if (minIdle > 0n && BigInt(now - (row.delivered_at as number)) < minIdle) continue;
      seen();
      let deliveries = bigOf(row, "delivery_count");
      if (!options.justId) deliveries = BigInt.asIntN(64, deliveries + 1n);
      store.run(SET_PENDING_SQL, meta.id, group, id, consumer, now, deliveries);
      result.claimed.push({ id, data: options.justId ? null : row.data as Uint8Array });
      count--;
    }
    return result;
  });
}

// #endregion XCLAIM and XAUTOCLAIM
