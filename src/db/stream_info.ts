/**
 * XINFO: what Redis reports of a stream, its consumer groups and their consumers.
 *
 * @module
 */

import { ERR, RedisError } from "./errors.ts";
import { findTyped, type KeyMeta, KeyType, type Scope } from "./keyspace.ts";
import type { Row, Store } from "./store.ts";
import { MAX_ID, MIN_ID, type StreamId } from "./stream_id.ts";
import { radixTreeNodes } from "./stream_nodes.ts";
import { type Group, groupLag, noSuchGroupError, toGroup, UNKNOWN_READS } from "./stream_groups.ts";
import {
  entriesInRange,
  limitOf,
  type StreamEntry,
  type StreamState,
  streamState,
} from "./streams.ts";

/** What XINFO STREAM reports of every stream. */
export interface StreamSummary {
  /** The number of entries. */
  length: number;
  /** The radix tree's keys (Redis's listpack nodes). */
  radixTreeKeys: number;
  /** The radix tree's nodes. */
  radixTreeNodes: number;
  /** The last id handed out. */
  lastGeneratedId: StreamId;
  /** The largest id XDEL removed (0-0 when none). */
  maxDeletedEntryId: StreamId;
  /** Entries ever added, an unsigned 64-bit count. */
  entriesAdded: bigint;
  /** The first entry's id (0-0 when empty). */
  recordedFirstEntryId: StreamId;
}

/** XINFO STREAM without FULL. */
export interface StreamInfo extends StreamSummary {
  /** The number of consumer groups. */
  groups: number;
  /** The first entry, or null. */
  firstEntry: StreamEntry | null;
  /** The last entry, or null. */
  lastEntry: StreamEntry | null;
}

/** A pending entry in XINFO STREAM FULL. */
export interface PendingDetail {
  /** The entry's id. */
  id: StreamId;
  /** The consumer it was delivered to. */
  consumer: Uint8Array;
  /** The unix time in ms of its last delivery. */
  deliveredAt: number;
  /** How many times it was delivered (a 64-bit count). */
  deliveries: bigint;
}

/** A consumer in XINFO STREAM FULL. */
export interface ConsumerDetail {
  /** The consumer's name. */
  name: Uint8Array;
  /** The unix time in ms it was last seen. */
  seenTime: number;
  /** How many entries it has pending. */
  pelCount: number;
  /** Its first pending entries. */
  pending: PendingDetail[];
}

/** A group in XINFO STREAM FULL. */
export interface GroupDetail {
  /** The group's name. */
  name: Uint8Array;
  /** The last id delivered. */
  lastDeliveredId: StreamId;
  /** The count of entries read, or null when unknown. */
  entriesRead: bigint | null;
  /** Entries not delivered yet, or null when unknown. */
  lag: bigint | null;
  /** How many entries are pending. */
  pelCount: number;
  /** The first pending entries. */
  pending: PendingDetail[];
  /** Its consumers, in name order. */
  consumers: ConsumerDetail[];
}

/** XINFO STREAM FULL. */
export interface StreamFullInfo extends StreamSummary {
  /** The first entries. */
  entries: StreamEntry[];
  /** The groups, in name order. */
  groups: GroupDetail[];
}

/** A group in XINFO GROUPS. */
export interface GroupInfo {
  /** The group's name. */
  name: Uint8Array;
  /** How many consumers it has. */
  consumers: number;
  /** How many entries are pending. */
  pending: number;
  /** The last id delivered. */
  lastDeliveredId: StreamId;
  /** The count of entries read, or null when unknown. */
  entriesRead: bigint | null;
  /** Entries not delivered yet, or null when unknown. */
  lag: bigint | null;
}

/** A consumer in XINFO CONSUMERS. */
export interface ConsumerInfo {
  /** The consumer's name. */
  name: Uint8Array;
  /** How many entries it has pending. */
  pending: number;
  /** Milliseconds since it was last seen. */
  idle: number;
}

// The stream for XINFO: "ERR no such key" when missing.
function existing(scope: Scope, key: Uint8Array): KeyMeta {
  const meta = findTyped(scope, key, KeyType.stream);
  if (meta === null) throw new RedisError(ERR.noSuchKey);
  return meta;
}

function summary(store: Store, state: StreamState, keyId: number): StreamSummary {
  const nodes = store.all("SELECT id FROM stream_nodes WHERE key_id = ? ORDER BY id", keyId)
    .map((row) => row.id as StreamId);
  return {
    length: state.length,
    radixTreeKeys: nodes.length,
    radixTreeNodes: radixTreeNodes(nodes),
    lastGeneratedId: state.lastId,
    maxDeletedEntryId: state.maxDeletedId,
    entriesAdded: state.entriesAdded,
    recordedFirstEntryId: state.firstId,
  };
}

// FULL's COUNT as a LIMIT: 0 for all.
function fullLimit(count: number): number {
  return limitOf(count === 0 ? null : count);
}

function readsOf(group: Group): bigint | null {
  return group.entriesRead === UNKNOWN_READS ? null : group.entriesRead;
}

/**
 * XINFO STREAM: the stream's summary with its group count and first and last entries; or with
 * FULL (`fullCount()` a number: how many entries and pending entries to list, 0 for all), its
 * entries and groups in detail. `fullCount` is parsed once the key is checked. Throws "ERR no
 * such key" when missing.
 *
 * @example
 * ```ts
 * xinfoStream(db, new TextEncoder().encode("s"), () => null);
 * ```
 */
export function xinfoStream(
  scope: Scope,
  key: Uint8Array,
  fullCount: () => number | null,
): StreamInfo | StreamFullInfo {
  const store = scope.store;
  return store.read(() => {
    const meta = existing(scope, key);
    const count = fullCount();
    const state = streamState(store, meta);
    const base = summary(store, state, meta.id);
    if (count === null) {
      const groups = store.get(
        "SELECT count(*) AS n FROM stream_groups WHERE key_id = ?",
        meta.id,
      )!.n as number;
      const first = entriesInRange(store, meta.id, MIN_ID, MAX_ID, 1);
      const last = entriesInRange(store, meta.id, MIN_ID, MAX_ID, 1, true);
      return { ...base, groups, firstEntry: first[0] ?? null, lastEntry: last[0] ?? null };
    }
    const limit = fullLimit(count);
    return {
      ...base,
      entries: entriesInRange(store, meta.id, MIN_ID, MAX_ID, limit < 0 ? null : limit),
      groups: groupDetails(store, state, meta.id, limit),
    };
  });
}

function groupDetails(
  store: Store,
  state: StreamState,
  keyId: number,
  limit: number,
): GroupDetail[] {
  const groups = store.all(
    "SELECT name, last_id, CAST(entries_read AS TEXT) AS entries_read FROM stream_groups " +
      "WHERE key_id = ? ORDER BY name",
    keyId,
  );
  return groups.map((row) => {
    const name = row.name as Uint8Array;
    const group = toGroup(row);
    const pending = store.all(
      "SELECT id, consumer, delivered_at, CAST(delivery_count AS TEXT) AS delivery_count " +
        "FROM stream_pending WHERE key_id = ? AND grp = ? ORDER BY id LIMIT ?",
      keyId,
      name,
      limit,
    ).map(pendingDetail);
    return {
      name,
      lastDeliveredId: group.lastId,
      entriesRead: readsOf(group),
      lag: groupLag(state, group),
      pelCount: pendingCount(store, keyId, name),
      pending,
      consumers: consumerDetails(store, keyId, name, limit),
    };
  });
}

function pendingDetail(row: Row): PendingDetail {
  return {
    id: row.id as StreamId,
    consumer: row.consumer as Uint8Array,
    deliveredAt: row.delivered_at as number,
    deliveries: BigInt(row.delivery_count as string),
  };
}

function pendingCount(store: Store, keyId: number, group: Uint8Array): number {
  return store.get(
    "SELECT count(*) AS n FROM stream_pending WHERE key_id = ? AND grp = ?",
    keyId,
    group,
  )!.n as number;
}

const CONSUMERS_SQL = "SELECT c.name, c.seen_at, (SELECT count(*) FROM stream_pending AS p " +
  "WHERE p.key_id = c.key_id AND p.grp = c.grp AND p.consumer = c.name) AS pending " +
  "FROM stream_consumers AS c WHERE c.key_id = ? AND c.grp = ? ORDER BY c.name";

function consumerDetails(
  store: Store,
  keyId: number,
  group: Uint8Array,
  limit: number,
): ConsumerDetail[] {
  return store.all(CONSUMERS_SQL, keyId, group).map((row) => ({
    name: row.name as Uint8Array,
    seenTime: row.seen_at as number,
    pelCount: row.pending as number,
    pending: store.all(
      "SELECT id, consumer, delivered_at, CAST(delivery_count AS TEXT) AS delivery_count " +
        "FROM stream_pending WHERE key_id = ? AND grp = ? AND consumer = ? ORDER BY id LIMIT ?",
      keyId,
      group,
      row.name,
      limit,
    ).map(pendingDetail),
  }));
}

/**
 * XINFO GROUPS: the stream's groups in name order. Throws "ERR no such key" when missing.
 *
 * @example
 * ```ts
 * xinfoGroups(db, new TextEncoder().encode("s")); // []
 * ```
 */
export function xinfoGroups(scope: Scope, key: Uint8Array): GroupInfo[] {
  const store = scope.store;
  return store.read(() => {
    const meta = existing(scope, key);
    const state = streamState(store, meta);
    return store.all(
      "SELECT g.name, g.last_id, CAST(g.entries_read AS TEXT) AS entries_read, " +
        "(SELECT count(*) FROM stream_consumers AS c WHERE c.key_id = g.key_id " +
        "AND c.grp = g.name) AS consumers, (SELECT count(*) FROM stream_pending AS p " +
        "WHERE p.key_id = g.key_id AND p.grp = g.name) AS pending " +
        "FROM stream_groups AS g WHERE g.key_id = ? ORDER BY g.name",
      meta.id,
    ).map((row) => {
      const group = toGroup(row);
      return {
        name: row.name as Uint8Array,
        consumers: row.consumers as number,
        pending: row.pending as number,
        lastDeliveredId: group.lastId,
        entriesRead: readsOf(group),
        lag: groupLag(state, group),
      };
    });
  });
}

/**
 * XINFO CONSUMERS: a group's consumers in name order. Throws "ERR no such key" or NOGROUP.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * xinfoConsumers(db, b("s"), b("g"));
 * ```
 */
export function xinfoConsumers(scope: Scope, key: Uint8Array, group: Uint8Array): ConsumerInfo[] {
  const store = scope.store;
  return store.read(() => {
    const meta = existing(scope, key);
    const exists = store.get(
      "SELECT 1 AS found FROM stream_groups WHERE key_id = ? AND name = ?",
      meta.id,
      group,
    );
    if (exists === undefined) throw noSuchGroupError(key, group);
    const now = Date.now();
    return store.all(CONSUMERS_SQL, meta.id, group).map((row) => ({
      name: row.name as Uint8Array,
      pending: row.pending as number,
      idle: Math.max(0, now - (row.seen_at as number)),
    }));
  });
}
