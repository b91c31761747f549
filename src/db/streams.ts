/**
 * Streams: entries in the `streams` table keyed by (key_id, id), with fields and values encoded
 * in one BLOB (`stream_codec.ts`); the entry count is the key's `size`; the last id, the largest
 * deleted id and the count of entries ever added are in `stream_meta`; Redis's radix-tree nodes
 * in `stream_nodes` (`stream_nodes.ts`), which approximate trimming removes whole. Consumer groups
 * are in `stream_groups.ts`.
 *
 * @module
 */

import { ERR, RedisError } from "./errors.ts";
import {
  createCollection,
  findForWrite,
  findTyped,
  type KeyMeta,
  KeyType,
  resize,
  type Scope,
  touch,
} from "./keyspace.ts";
import { deleteKeyRow, type Row, type Store } from "./store.ts";
import { encodeItems, sameFields } from "./stream_codec.ts";
import {
  compareIds,
  idMs,
  idOfMs,
  idSeq,
  isZeroId,
  MAX_ID,
  MIN_ID,
  nextId,
  type ParsedId,
  type StreamId,
  U64_MAX,
} from "./stream_id.ts";
import {
  DEFAULT_NODE_LIMITS,
  entryBytes,
  newNodeBytes,
  nodeIsFull,
  type NodeLimits,
} from "./stream_nodes.ts";

/** Redis's texts for the stream errors raised in more than one place. */
export const STREAM_ERR = {
  idTooSmall: "ERR The ID specified in XADD is equal or smaller than the target stream top item",
  idZero: "ERR The ID specified in XADD must be greater than 0-0",
  exhausted: "ERR The stream has exhausted the last possible ID, unable to add more items",
  tooLarge: "ERR Elements are too large to be stored",
} as const;

/** An entry: its id and its fields and values, encoded (`decodeItems` reads them). */
export interface StreamEntry {
  /** The entry's id. */
  id: StreamId;
  /** Fields and values, alternating, encoded. */
  data: Uint8Array;
}

/** How to trim a stream: to a length, or below an id; exactly, or by whole nodes (`~`). */
export interface TrimOptions {
  /** Keep at most this many entries (MAXLEN). */
  maxlen?: number;
  /** Remove the entries below this id (MINID). */
  minid?: StreamId;
  /** Remove whole nodes only (`~`). */
  approx?: boolean;
  /** With `approx`: remove at most this many entries; 0 for no limit. */
  limit?: number;
}

// #region statements

const META_SQL = "SELECT last_id, max_deleted_id, CAST(entries_added AS TEXT) AS entries_added, " +
  "(SELECT id FROM streams WHERE key_id = ? ORDER BY id LIMIT 1) AS first_id " +
  "FROM stream_meta WHERE key_id = ?";
const INSERT_META_SQL =
  "INSERT INTO stream_meta (key_id, last_id, max_deleted_id, entries_added) VALUES (?, ?, ?, 0)";
// entries_added is Redis's unsigned counter in a signed column: it wraps as a uint64 does.
const ADDED_SQL = "UPDATE stream_meta SET last_id = ?, entries_added = CASE entries_added " +
  "WHEN 9223372036854775807 THEN -9223372036854775808 ELSE entries_added + 1 END WHERE key_id = ?";
const INSERT_ENTRY_SQL = "INSERT INTO streams (key_id, id, data) VALUES (?, ?, ?)";
const DELETE_ENTRY_SQL = "DELETE FROM streams WHERE key_id = ? AND id = ?";
const RANGE_SQL =
  "SELECT id, data FROM streams WHERE key_id = ? AND id >= ? AND id <= ? ORDER BY id LIMIT ?";
const REVERSE_RANGE_SQL =
  "SELECT id, data FROM streams WHERE key_id = ? AND id >= ? AND id <= ? ORDER BY id DESC LIMIT ?";
const AFTER_SQL = "SELECT id, data FROM streams WHERE key_id = ? AND id > ? ORDER BY id LIMIT ?";
const LAST_ENTRY_SQL = "SELECT id FROM streams WHERE key_id = ? ORDER BY id DESC LIMIT 1";
const INSERT_NODE_SQL = "INSERT INTO stream_nodes (key_id, id, last_id, live, deleted, bytes, " +
  "fields) VALUES (?, ?, ?, 1, 0, ?, ?)";
const APPEND_NODE_SQL = "UPDATE stream_nodes SET live = live + 1, bytes = bytes + ?, last_id = ? " +
  "WHERE key_id = ? AND id = ?";
const NODES_FROM_SQL = "SELECT id, last_id, live FROM stream_nodes WHERE key_id = ? AND id >= ? " +
  "ORDER BY id LIMIT ?";
const MARK_DELETED_SQL =
  "UPDATE stream_nodes SET live = live - ?, deleted = deleted + ? WHERE key_id = ? AND id = ?";
// The node holding an entry: the one with the largest first id not after it.
const RELEASE_SQL = "UPDATE stream_nodes SET live = live - 1, deleted = deleted + 1 " +
  "WHERE key_id = ? AND id = (SELECT id FROM stream_nodes WHERE key_id = ? AND id <= ? " +
  "ORDER BY id DESC LIMIT 1) RETURNING id, live";
const DELETE_NODE_SQL = "DELETE FROM stream_nodes WHERE key_id = ? AND id = ?";

// The key, its stream's last id and its last node, in one statement: the hot path of XADD.
const ADD_STATE_SQL =
  "SELECT k.id, k.type, k.size, k.expire_at, k.version, m.last_id, n.id AS node_id, n.live, " +
  "n.deleted, n.bytes, n.fields FROM keys AS k " +
  "LEFT JOIN stream_meta AS m ON m.key_id = k.id " +
  "LEFT JOIN stream_nodes AS n ON n.key_id = k.id AND n.id = " +
  "(SELECT id FROM stream_nodes WHERE key_id = k.id ORDER BY id DESC LIMIT 1) " +
  "WHERE k.db = ? AND k.key = ?";

/**
 * A count as SQLite's LIMIT: -1 for all (null, or beyond any stream's length: LIMIT takes
 * 64-bit integers only).
 *
 * @example
 * ```ts
 * limitOf(null); // -1
 * ```
 */
export function limitOf(count: number | null): number {
  return count === null || count > Number.MAX_SAFE_INTEGER ? -1 : count;
}

function toEntries(rows: Row[]): StreamEntry[] {
  return rows.map((row) => ({ id: row.id as StreamId, data: row.data as Uint8Array }));
}

// #endregion statements
// #region state

/** What lag and read counters are computed from (Redis's `stream` struct, without entries). */
export interface StreamState {
  /** The number of entries. */
  length: number;
  /** The last id handed out. */
  lastId: StreamId;
  /** The largest id XDEL removed. */
  maxDeletedId: StreamId;
  /** Entries ever added, an unsigned 64-bit count. */
  entriesAdded: bigint;
  /** The first entry's id, 0-0 when empty. */
  firstId: StreamId;
}

/**
 * The state of an existing stream.
 *
 * @example
 * ```ts
 * const meta = findTyped(db, new TextEncoder().encode("s"), KeyType.stream)!;
 * streamState(db.store, meta).lastId;
 * ```
 */
export function streamState(store: Store, meta: KeyMeta): StreamState {
  const row = store.get(META_SQL, meta.id, meta.id)!;
  const added = BigInt(row.entries_added as string);
  return {
    length: meta.size,
    lastId: row.last_id as StreamId,
    maxDeletedId: row.max_deleted_id as StreamId,
    entriesAdded: added < 0n ? added + U64_MAX + 1n : added,
    firstId: (row.first_id as StreamId | null) ?? MIN_ID,
  };
}

/**
 * The last id a stream handed out (XADD's lower bound, `$` of XREAD and XGROUP).
 *
 * @example
 * ```ts
 * lastIdOf(db.store, 1);
 * ```
 */
export function lastIdOf(store: Store, keyId: number): StreamId {
  return store.get("SELECT last_id FROM stream_meta WHERE key_id = ?", keyId)!.last_id as StreamId;
}

/**
 * The id of the last entry (Redis's "last valid id"), or null when the stream is empty.
 *
 * @example
 * ```ts
 * lastEntryId(db.store, 1); // null
 * ```
 */
export function lastEntryId(store: Store, keyId: number): StreamId | null {
  return (store.get(LAST_ENTRY_SQL, keyId)?.id as StreamId | undefined) ?? null;
}

/**
 * Creates an empty stream (XGROUP CREATE ... MKSTREAM) and returns its metadata. Inside a write
 * transaction, for a key that does not exist.
 *
 * @example
 * ```ts
 * db.store.write(() => createStream(db, new TextEncoder().encode("s")));
 * ```
 */
export function createStream(scope: Scope, key: Uint8Array, now: number = Date.now()): KeyMeta {
  const meta = createCollection(scope, key, KeyType.stream, now);
  scope.store.run(INSERT_META_SQL, meta.id, MIN_ID, MIN_ID);
  return meta;
}

// #endregion state
// #region adding

/** Options of {@linkcode xadd}. */
export interface XaddOptions {
  /** Do not create a missing stream: return null instead. */
  noMkStream?: boolean;
  /** Trim the stream after adding. */
  trim?: TrimOptions;
  /** The node limits (the server's configuration); Redis's defaults otherwise. */
  limits?: NodeLimits;
}

/** The stream's last node, which a new entry joins unless it is full. */
interface TailNode {
  id: StreamId;
  live: number;
  deleted: number;
  bytes: number;
  fields: Uint8Array;
}

/**
 * XADD: appends an entry (`fieldsAndValues` alternates them) with the given id, or a new one
 * for null (`*`); creates the stream unless `noMkStream`; trims it as asked. Returns the new
 * entry's id, or null when the stream is missing and `noMkStream` is set. Throws Redis's errors
 * for an id not above the stream's last one.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xadd(db, b("s"), null, [b("field"), b("value")]); // the new id
 * ```
 */
export function xadd(
  scope: Scope,
  key: Uint8Array,
  id: ParsedId | null,
  fieldsAndValues: Uint8Array[],
  options: XaddOptions = {},
): StreamId | null {
  if (id !== null && id.seqGiven && isZeroId(id.id)) throw new RedisError(STREAM_ERR.idZero);
  const store = scope.store;
  return store.write(() => {
    const now = Date.now();
    let row = store.get(ADD_STATE_SQL, scope.index, key);
    const expireAt = row?.expire_at as number | null | undefined;
    if (row !== undefined && expireAt !== null && expireAt! <= now) {
      deleteKeyRow(store, row.id as number, row.type as number);
      row = undefined;
    }
    if (row !== undefined && row.type !== KeyType.stream) throw new RedisError(ERR.wrongType);
    if (row === undefined && options.noMkStream) return null;
    const meta = row === undefined ? createStream(scope, key, now) : {
      id: row.id as number,
      type: KeyType.stream,
      size: row.size as number,
      expireAt: expireAt ?? null,
      version: row.version as number,
    };
    const lastId = (row?.last_id as StreamId | undefined) ?? MIN_ID;
    if (compareIds(lastId, MAX_ID) === 0) throw new RedisError(STREAM_ERR.exhausted);
    const newId = newEntryId(lastId, id, now);
    const tail = row === undefined || row.node_id === null ? null : {
      id: row.node_id as StreamId,
      live: row.live as number,
      deleted: row.deleted as number,
      bytes: row.bytes as number,
      fields: row.fields as Uint8Array,
    };
    placeInNode(
      store,
      meta.id,
      newId,
      fieldsAndValues,
      tail,
      options.limits ?? DEFAULT_NODE_LIMITS,
    );
    store.run(INSERT_ENTRY_SQL, meta.id, newId, encodeItems(fieldsAndValues));
    store.run(ADDED_SQL, newId, meta.id);
    const size = meta.size + 1;
    const removed = options.trim === undefined
      ? 0
      : trimEntries(store, meta.id, size, options.trim);
    resize(scope, meta, size - removed);
    return newId;
  });
}

// The id of a new entry: the one asked for, `<ms>-*` completed, or for `*` the clock's
// milliseconds (or the last id's successor when the clock is not ahead of it).
function newEntryId(lastId: StreamId, requested: ParsedId | null, now: number): StreamId {
  let id: StreamId;
  if (requested === null) {
    id = BigInt(now) > idMs(lastId) ? idOfMs(now) : nextId(lastId)!;
  } else if (!requested.seqGiven && idMs(requested.id) === idMs(lastId)) {
    // Redis 7.0 fails here without saying why, and reports its other error.
    if (idSeq(lastId) === U64_MAX) throw new RedisError(STREAM_ERR.tooLarge);
    id = nextId(lastId)!;
  } else {
    id = requested.id;
  }
  if (compareIds(id, lastId) <= 0) throw new RedisError(STREAM_ERR.idTooSmall);
  return id;
}

// The 64-bit two's complement difference of two unsigned 64-bit parts, as Redis stores it.
function delta(a: bigint, b: bigint): bigint {
  return BigInt.asIntN(64, a - b);
}

// Records a new entry in the last node, or in a new node when the last one is full.
function placeInNode(
  store: Store,
  keyId: number,
  id: StreamId,
  fieldsAndValues: Uint8Array[],
  tail: TailNode | null,
  limits: NodeLimits,
): void {
  if (tail === null || nodeIsFull(tail, fieldsAndValues, limits)) {
    const fields = encodeItems(fieldsAndValues, 0, 2);
    store.run(INSERT_NODE_SQL, keyId, id, id, newNodeBytes(fieldsAndValues), fields);
    return;
  }
  const bytes = entryBytes(
    fieldsAndValues,
    sameFields(tail.fields, fieldsAndValues),
    delta(idMs(id), idMs(tail.id)),
    delta(idSeq(id), idSeq(tail.id)),
  );
  store.run(APPEND_NODE_SQL, bytes, id, keyId, tail.id);
}

// #endregion adding
// #region trimming

/**
 * The default LIMIT of approximate trimming: 100 nodes' worth of entries, within 10,000 and
 * 1,000,000 as Redis bounds it.
 *
 * @example
 * ```ts
 * defaultTrimLimit(DEFAULT_NODE_LIMITS); // 10000
 * ```
 */
export function defaultTrimLimit(limits: NodeLimits): number {
  const limit = 100 * limits.maxEntries;
  if (limit <= 0) return 10000;
  return Math.min(limit, 1000000);
}

/** Trimming as asked for: the threshold, `~`, and LIMIT when it was given. */
export interface TrimRequest {
  /** MAXLEN's count. */
  maxlen?: number;
  /** MINID's id. */
  minid?: StreamId;
  /** `~`. */
  approx?: boolean;
  /** LIMIT's count, when given. */
  limit?: number;
}

/** Redis's errors for trimming options that do not go together. */
export const TRIM_ERR = {
  bothStrategies: "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
  limitWithoutStrategy:
    "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
  noStrategy: "ERR syntax error, XTRIM must be called with a trimming strategy",
  limitWithoutApprox: "ERR syntax error, LIMIT cannot be used without the special ~ option",
} as const;

/**
 * Throws Redis's error for a negative MAXLEN or LIMIT.
 *
 * @example
 * ```ts
 * checkTrimCount("LIMIT", -1); // throws "ERR The LIMIT argument must be >= 0."
 * ```
 */
export function checkTrimCount(option: "MAXLEN" | "LIMIT", value: number): void {
  if (value < 0) throw new RedisError(`ERR The ${option} argument must be >= 0.`);
}

/**
 * Checks trimming options as XADD (`adding`) and XTRIM do, with Redis's errors, and completes
 * LIMIT: for `~`, 100 nodes' worth of entries unless given; none for exact trimming. Returns
 * undefined when no trimming is asked for (XADD only).
 *
 * @example
 * ```ts
 * resolveTrim({ maxlen: 10, approx: true }, true, DEFAULT_NODE_LIMITS); // limit 10000
 * ```
 */
export function resolveTrim(
  request: TrimRequest,
  adding: boolean,
  limits: NodeLimits,
): TrimOptions | undefined {
  const { maxlen, minid, approx = false, limit } = request;
  if (maxlen !== undefined && minid !== undefined) throw new RedisError(TRIM_ERR.bothStrategies);
  if (maxlen !== undefined) checkTrimCount("MAXLEN", maxlen);
  if (limit !== undefined) checkTrimCount("LIMIT", limit);
  const strategy = maxlen !== undefined || minid !== undefined;
  if (limit !== undefined && limit > 0 && !strategy) {
    throw new RedisError(TRIM_ERR.limitWithoutStrategy);
  }
  if (!adding && !strategy) throw new RedisError(TRIM_ERR.noStrategy);
  if (limit !== undefined && !approx) throw new RedisError(TRIM_ERR.limitWithoutApprox);
  if (!strategy) return undefined;
  return { maxlen, minid, approx, limit: limit ?? (approx ? defaultTrimLimit(limits) : 0) };
}

// Trims a stream of `length` entries as Redis's streamTrim does, node by node from the first:
// whole nodes go while the rest still satisfies the threshold; then, unless approximate, entries
// are marked deleted inside the next node. Returns how many entries went.
function trimEntries(store: Store, keyId: number, length: number, trim: TrimOptions): number {
  const { maxlen, minid, approx = false, limit = 0 } = trim;
  if (maxlen !== undefined && length <= maxlen) return 0;
  let removed = 0;
  let lastRemoved: Row | null = null;
  let from: StreamId | null = MIN_ID;
  // Trimming on every XADD mostly stops at the first node: read one, then many at a time.
  let batch = 1;
  scan: while (from !== null) {
    const nodes = store.all(NODES_FROM_SQL, keyId, from, batch);
    for (const node of nodes) {
      if (maxlen !== undefined && length <= maxlen) break scan;
      const entries = node.live as number;
      if (limit > 0 && removed + entries > limit) break scan;
      const whole = maxlen !== undefined
        ? length - entries >= maxlen
        : compareIds(node.last_id as StreamId, minid!) < 0;
      if (whole) {
        lastRemoved = node;
        length -= entries;
        removed += entries;
        continue;
      }
      if (approx) break scan;
      removeNodesThrough(store, keyId, lastRemoved);
      lastRemoved = null;
      removed += trimInsideNode(store, keyId, node.id as StreamId, length, trim);
      break scan;
    }
    from = nodes.length < batch ? null : nextId(nodes[nodes.length - 1].id as StreamId);
    batch = 64;
  }
  removeNodesThrough(store, keyId, lastRemoved);
  return removed;
}

// Removes the first nodes, through `last`, and their entries.
function removeNodesThrough(store: Store, keyId: number, last: Row | null): void {
  if (last === null) return;
  store.run("DELETE FROM streams WHERE key_id = ? AND id <= ?", keyId, last.last_id);
  store.run("DELETE FROM stream_nodes WHERE key_id = ? AND id <= ?", keyId, last.id);
}

// Exact trimming inside the first node: its first entries go (and stay counted as deleted in the
// node, as Redis marks them). Returns how many.
function trimInsideNode(
  store: Store,
  keyId: number,
  nodeId: StreamId,
  length: number,
  trim: TrimOptions,
): number {
  const removed = trim.maxlen !== undefined
    ? store.run(
      "DELETE FROM streams WHERE key_id = ? AND id IN " +
        "(SELECT id FROM streams WHERE key_id = ? ORDER BY id LIMIT ?)",
      keyId,
      keyId,
      length - trim.maxlen,
    )
    : store.run("DELETE FROM streams WHERE key_id = ? AND id < ?", keyId, trim.minid!);
  if (removed > 0) store.run(MARK_DELETED_SQL, removed, removed, keyId, nodeId);
  return removed;
}

/**
 * XTRIM: trims a stream as asked; returns how many entries went (0 for a missing key).
 *
 * @example
 * ```ts
 * xtrim(db, new TextEncoder().encode("s"), { maxlen: 1000, approx: true }); // 0
 * ```
 */
export function xtrim(scope: Scope, key: Uint8Array, trim: TrimOptions): number {
  return scope.store.write(() => {
    const meta = findForWrite(scope, key, KeyType.stream);
    if (meta === null) return 0;
    const removed = trimEntries(scope.store, meta.id, meta.size, trim);
    if (removed > 0) resize(scope, meta, meta.size - removed);
    return removed;
  });
}

// #endregion trimming
// #region reading

/**
 * XRANGE and XREVRANGE: the entries from `start` to `end` (inclusive ids), in id order or
 * reversed, at most `count` of them (null: all). A missing key gives none; a count of 0 on an
 * existing stream gives null, as Redis's null reply.
 *
 * @example
 * ```ts
 * xrange(db, new TextEncoder().encode("s"), MIN_ID, MAX_ID); // [{ id, data }, ...]
 * ```
 */
export function xrange(
  scope: Scope,
  key: Uint8Array,
  start: StreamId,
  end: StreamId,
  count: number | null = null,
  reverse = false,
): StreamEntry[] | null {
  const meta = findTyped(scope, key, KeyType.stream);
  if (meta === null) return [];
  if (count === 0) return null;
  return entriesInRange(scope.store, meta.id, start, end, count, reverse);
}

/**
 * A stream's entries from `start` to `end` (inclusive), in id order or reversed, at most
 * `count` (null: all).
 *
 * @example
 * ```ts
 * entriesInRange(db.store, 1, MIN_ID, MAX_ID, 1); // the first entry, if any
 * ```
 */
export function entriesInRange(
  store: Store,
  keyId: number,
  start: StreamId,
  end: StreamId,
  count: number | null,
  reverse = false,
): StreamEntry[] {
  const sql = reverse ? REVERSE_RANGE_SQL : RANGE_SQL;
  return toEntries(store.all(sql, keyId, start, end, limitOf(count)));
}

/**
 * The entries after an id, in order, at most `count` (null: all).
 *
 * @example
 * ```ts
 * entriesAfter(db.store, 1, MIN_ID, 10);
 * ```
 */
export function entriesAfter(
  store: Store,
  keyId: number,
  after: StreamId,
  count: number | null,
): StreamEntry[] {
  return toEntries(store.all(AFTER_SQL, keyId, after, limitOf(count)));
}

/**
 * XLEN: the number of entries (0 for a missing key), from the key's row.
 *
 * @example
 * ```ts
 * xlen(db, new TextEncoder().encode("s")); // 0
 * ```
 */
export function xlen(scope: Scope, key: Uint8Array): number {
  return findTyped(scope, key, KeyType.stream)?.size ?? 0;
}

/** One stream of an XREAD: its key, and where to read after (given the stream's last id). */
export interface ReadRequest {
  /** The stream's key. */
  key: Uint8Array;
  /**
   * The id to read after, parsed once the key is checked (Redis reports a wrong type before a
   * bad id); `lastId` is the stream's last id (0-0 when missing), which `$` means.
   */
  after: (lastId: StreamId) => StreamId;
}

/**
 * XREAD: for each stream with entries after its id, the key and up to `count` of them (null:
 * all); streams with none are left out. Throws WRONGTYPE, or the id's error, in stream order.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xread(db, [{ key: b("s"), after: () => MIN_ID }], 10); // [[key, entries], ...]
 * ```
 */
export function xread(
  scope: Scope,
  requests: readonly ReadRequest[],
  count: number | null,
): [Uint8Array, StreamEntry[]][] {
  const store = scope.store;
  return store.read(() => {
    const streams = requests.map((request) => {
      const meta = findTyped(scope, request.key, KeyType.stream);
      const lastId = meta === null ? MIN_ID : lastIdOf(store, meta.id);
      return { key: request.key, meta, after: request.after(lastId) };
    });
    const out: [Uint8Array, StreamEntry[]][] = [];
    for (const { key, meta, after } of streams) {
      if (meta === null || meta.size === 0) continue;
      const entries = entriesAfter(store, meta.id, after, count);
      if (entries.length > 0) out.push([key, entries]);
    }
    return out;
  });
}

// #endregion reading
// #region deleting

/**
 * XDEL: removes entries by id; returns how many existed (0 for a missing key). The largest id
 * removed is remembered (XINFO's max-deleted-entry-id, consumer group lag).
 *
 * @example
 * ```ts
 * xdel(db, new TextEncoder().encode("s"), [MIN_ID]); // 0
 * ```
 */
export function xdel(scope: Scope, key: Uint8Array, ids: () => StreamId[]): number {
  const store = scope.store;
  return store.write(() => {
    const meta = findForWrite(scope, key, KeyType.stream);
    if (meta === null) return 0;
    let removed = 0;
    let largest = MIN_ID;
    for (const id of ids()) {
      if (store.run(DELETE_ENTRY_SQL, meta.id, id) === 0) continue;
      const node = store.runReturning(RELEASE_SQL, meta.id, meta.id, id)!;
      if ((node.live as number) === 0) store.run(DELETE_NODE_SQL, meta.id, node.id);
      if (compareIds(id, largest) > 0) largest = id;
      removed++;
    }
    if (removed === 0) return 0;
    store.run(
      "UPDATE stream_meta SET max_deleted_id = max(max_deleted_id, ?) WHERE key_id = ?",
      largest,
      meta.id,
    );
    resize(scope, meta, meta.size - removed);
    return removed;
  });
}

// #endregion deleting
// #region XSETID

/**
 * Throws XSETID's error for a largest deleted id above the new last id.
 *
 * @example
 * ```ts
 * checkMaxDeletedId(MAX_ID, MIN_ID); // fine
 * ```
 */
export function checkMaxDeletedId(lastId: StreamId, maxDeletedId: StreamId): void {
  if (compareIds(lastId, maxDeletedId) < 0) {
    throw new RedisError(
      "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
    );
  }
}

/** Options of {@linkcode xsetid}. */
export interface XsetidOptions {
  /** The count of entries ever added (not below the stream's length). */
  entriesAdded?: bigint;
  /** The largest deleted id (not above the new last id). */
  maxDeletedId?: StreamId;
}

/**
 * XSETID: sets a stream's last id, and optionally its count of added entries and largest
 * deleted id, with Redis's errors when they contradict its entries.
 *
 * @example
 * ```ts
 * xsetid(db, new TextEncoder().encode("s"), MAX_ID); // throws "ERR no such key" when missing
 * ```
 */
export function xsetid(
  scope: Scope,
  key: Uint8Array,
  lastId: StreamId,
  options: XsetidOptions = {},
): void {
  const { entriesAdded, maxDeletedId } = options;
  if (maxDeletedId !== undefined) checkMaxDeletedId(lastId, maxDeletedId);
  const store = scope.store;
  store.write(() => {
    const meta = findForWrite(scope, key, KeyType.stream);
    if (meta === null) throw new RedisError(ERR.noSuchKey);
    // Redis 7.0 does not compare the new last id with the largest deleted id.
    if (meta.size > 0) {
      if (compareIds(lastId, lastEntryId(store, meta.id)!) < 0) {
        throw new RedisError(
          "ERR The ID specified in XSETID is smaller than the target stream top item",
        );
      }
      if (entriesAdded !== undefined && BigInt(meta.size) > entriesAdded) {
        throw new RedisError(
          "ERR The entries_added specified in XSETID is smaller than the target stream length",
        );
      }
    }
    store.run(
      "UPDATE stream_meta SET last_id = ?, entries_added = coalesce(?, entries_added), " +
        "max_deleted_id = coalesce(?, max_deleted_id) WHERE key_id = ?",
      lastId,
      entriesAdded ?? null,
      maxDeletedId === undefined || isZeroId(maxDeletedId) ? null : maxDeletedId,
      meta.id,
    );
    touch(scope, meta.id);
  });
}

// #endregion XSETID
