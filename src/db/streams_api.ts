/**
 * The embedded API's side of streams: the options and results of the `Db` stream methods, and
 * their conversions from and to the byte-level modules (`streams.ts`, `stream_groups.ts`,
 * `stream_info.ts`). Ids are strings as Redis writes them (`"1700000000000-0"`); an entry is an
 * `[id, fields]` pair, its fields an object (a field given twice keeps its last value; use
 * `db.commandBytes("XRANGE", ...)` for duplicate or binary fields).
 *
 * @module
 */

import { type Bytes, toBytes, toText } from "./bytes.ts";
import { RedisError } from "./errors.ts";
import { normalizeInt64, toInt64 } from "./numbers.ts";
import { decodeItems } from "./length_prefixed.ts";
import type * as groups from "./stream_groups.ts";
import { idText, INVALID_ID, type ParsedId, parseId, type StreamId } from "./stream_id.ts";
import type * as info from "./stream_info.ts";
import type * as streams from "./streams.ts";

/** A stream entry: its id and its fields with their values. */
export type StreamEntry = [id: string, fields: Record<string, string>];

/** An entry re-read from a consumer's pending list: null fields when it was deleted since. */
export type PendingStreamEntry = [id: string, fields: Record<string, string> | null];

/** Streams to read and the id to read after in each: an object of keys to ids, or pairs. */
export type StreamIds = Record<string, Bytes> | Iterable<readonly [Bytes, Bytes]>;

/** Trimming options of {@linkcode Db.xtrim} (and {@linkcode Db.xadd}): one of maxlen or minid. */
export interface XtrimOptions {
  /** Keep at most this many entries (MAXLEN). */
  maxlen?: number;
  /** Remove entries with smaller ids (MINID). */
  minid?: Bytes;
  /** Trim whole radix-tree nodes only, as Redis's `~` (cheaper; may keep more). */
  approx?: boolean;
  /** With `approx`: remove at most this many entries (0: no limit; default 100 nodes' worth). */
  limit?: number;
}

/** Options of {@linkcode Db.xadd}. */
export interface XaddOptions extends XtrimOptions {
  /** Do not create a missing stream (the method returns null). */
  nomkstream?: boolean;
}

/** Options of {@linkcode Db.xrange} and {@linkcode Db.xrevrange}. */
export interface XrangeOptions {
  /** At most this many entries (0 or less: none). */
  count?: number;
}

/** Options of {@linkcode Db.xread}. */
export interface XreadOptions {
  /** At most this many entries per stream (0 or less: all). */
  count?: number;
}

/** Options of {@linkcode Db.xreadgroup}. */
export interface XreadgroupOptions extends XreadOptions {
  /** Do not add the entries to the pending list. */
  noack?: boolean;
}

/** Options of {@linkcode Db.xgroupCreate}. */
export interface XgroupCreateOptions {
  /** Create an empty stream when the key is missing. */
  mkstream?: boolean;
  /** The group's count of entries read (-1: unknown, the default). */
  entriesread?: number;
}

/** Options of {@linkcode Db.xgroupSetid}. */
export interface XgroupSetidOptions {
  /** The group's count of entries read (-1: unknown, the default). */
  entriesread?: number;
}

/** {@linkcode Db.xpending}'s summary of a group's pending entries. */
export interface XpendingSummary {
  /** How many entries are pending. */
  count: number;
  /** The smallest pending id, or null. */
  first: string | null;
  /** The largest pending id, or null. */
  last: string | null;
  /** Each consumer with pending entries and how many it has. */
  consumers: Record<string, number>;
}

/** The range of {@linkcode Db.xpending}'s extended form. */
export interface XpendingRange {
  /** The smallest id (`-`, an id, or `(id` exclusive). */
  start: Bytes;
  /** The largest id (`+`, an id, or `(id` exclusive). */
  end: Bytes;
  /** At most this many entries. */
  count: number;
  /** Only entries idle at least this many ms. */
  idle?: number;
  /** Only this consumer's entries. */
  consumer?: Bytes;
}

/** A pending entry, as {@linkcode Db.xpending}'s extended form returns it. */
export interface XpendingEntry {
  /** The entry's id. */
  id: string;
  /** The consumer it was delivered to. */
  consumer: string;
  /** Milliseconds since its last delivery. */
  idle: number;
  /** How many times it was delivered. */
  deliveries: number | bigint;
}

/** Options of {@linkcode Db.xclaim}. */
export interface XclaimOptions {
  /** Set the claimed entries' idle time (ms). */
  idle?: number;
  /** Set the claimed entries' last delivery to this unix time in ms (wins over `idle`). */
  time?: number;
  /** Set the delivery count instead of incrementing it. */
  retrycount?: number;
  /** Also claim ids that are in the stream but not pending. */
  force?: boolean;
  /** Return ids only, and leave delivery counts as they are. */
  justid?: boolean;
  /** Move the group's last delivered id forward to this one. */
  lastid?: Bytes;
}

/** Options of {@linkcode Db.xautoclaim}. */
export interface XautoclaimOptions {
  /** Claim at most this many entries (default 100). */
  count?: number;
  /** Return ids only, and leave delivery counts as they are. */
  justid?: boolean;
}

/** {@linkcode Db.xautoclaim}'s result. */
export interface XautoclaimResult<T> {
  /** Where the next call should start; `"0-0"` once the pending list was scanned to its end. */
  next: string;
  /** The claimed entries (or their ids with `justid`). */
  claimed: T[];
  /** Pending ids whose entries were deleted from the stream (now removed from the list). */
  deleted: string[];
}

/** Options of {@linkcode Db.xsetid}. */
export interface XsetidOptions {
  /** The count of entries ever added. */
  entriesadded?: number | bigint;
  /** The largest deleted id. */
  maxdeletedid?: Bytes;
}

/** Options of {@linkcode Db.xinfoStream} with FULL. */
export interface XinfoStreamFullOptions {
  /** FULL. */
  full: true;
  /** How many entries and pending entries to list (default 10; 0: all). */
  count?: number;
}

/** What {@linkcode Db.xinfoStream} reports of every stream. */
export interface XinfoStreamSummary {
  /** The number of entries. */
  length: number;
  /** The keys of Redis's radix tree (nodes of up to 100 entries). */
  radixTreeKeys: number;
  /** The nodes of Redis's radix tree. */
  radixTreeNodes: number;
  /** The last id handed out. */
  lastGeneratedId: string;
  /** The largest deleted id (`"0-0"` when none). */
  maxDeletedEntryId: string;
  /** Entries ever added. */
  entriesAdded: number | bigint;
  /** The first entry's id (`"0-0"` when empty). */
  recordedFirstEntryId: string;
}

/** {@linkcode Db.xinfoStream} without FULL. */
export interface XinfoStream extends XinfoStreamSummary {
  /** The number of consumer groups. */
  groups: number;
  /** The first entry, or null. */
  firstEntry: StreamEntry | null;
  /** The last entry, or null. */
  lastEntry: StreamEntry | null;
}

/** A pending entry in {@linkcode Db.xinfoStream}'s FULL form. */
export interface XinfoPending {
  /** The entry's id. */
  id: string;
  /** The consumer it was delivered to. */
  consumer: string;
  /** The unix time in ms of its last delivery. */
  deliveredAt: number;
  /** How many times it was delivered. */
  deliveries: number | bigint;
}

/** A consumer in {@linkcode Db.xinfoStream}'s FULL form. */
export interface XinfoConsumerFull {
  /** The consumer's name. */
  name: string;
  /** The unix time in ms it was last seen. */
  seenTime: number;
  /** How many entries it has pending. */
  pelCount: number;
  /** Its first pending entries. */
  pending: XinfoPending[];
}

/** A group in {@linkcode Db.xinfoStream}'s FULL form. */
export interface XinfoGroupFull {
  /** The group's name. */
  name: string;
  /** The last id delivered. */
  lastDeliveredId: string;
  /** The count of entries read, or null when unknown. */
  entriesRead: number | bigint | null;
  /** Entries not delivered yet, or null when unknown. */
  lag: number | bigint | null;
  /** How many entries are pending. */
  pelCount: number;
  /** The first pending entries. */
  pending: XinfoPending[];
  /** The consumers, in name order. */
  consumers: XinfoConsumerFull[];
}

/** {@linkcode Db.xinfoStream} with FULL. */
export interface XinfoStreamFull extends XinfoStreamSummary {
  /** The first entries. */
  entries: StreamEntry[];
  /** The groups, in name order. */
  groups: XinfoGroupFull[];
}

/** A group, as {@linkcode Db.xinfoGroups} reports it. */
export interface XinfoGroup {
  /** The group's name. */
  name: string;
  /** How many consumers it has. */
  consumers: number;
  /** How many entries are pending. */
  pending: number;
  /** The last id delivered. */
  lastDeliveredId: string;
  /** The count of entries read, or null when unknown. */
  entriesRead: number | bigint | null;
  /** Entries not delivered yet, or null when unknown. */
  lag: number | bigint | null;
}

/** A consumer, as {@linkcode Db.xinfoConsumers} reports it. */
export interface XinfoConsumer {
  /** The consumer's name. */
  name: string;
  /** How many entries it has pending. */
  pending: number;
  /** Milliseconds since it was last seen. */
  idle: number;
}

/**
 * The fields and values of an encoded entry as an object.
 *
 * @example
 * ```ts
 * fieldsOf(new Uint8Array([1, 102, 1, 118])); // { f: "v" }
 * ```
 */
export function fieldsOf(data: Uint8Array): Record<string, string> {
  const items = decodeItems(data);
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < items.length; i += 2) out[toText(items[i])] = toText(items[i + 1]);
  return out;
}

/**
 * An entry for the embedded API.
 *
 * @example
 * ```ts
 * entryOf({ id: MIN_ID, data: new Uint8Array([1, 102, 1, 118]) }); // ["0-0", { f: "v" }]
 * ```
 */
export function entryOf(entry: streams.StreamEntry): StreamEntry {
  return [idText(entry.id), fieldsOf(entry.data)];
}

/**
 * XADD's id argument: `"*"` (null: a new id), an id, or `<ms>-*`.
 *
 * @example
 * ```ts
 * addId("5-*"); // { id: 5-0, seqGiven: false }
 * ```
 */
export function addId(id: Bytes): ParsedId | null {
  const bytes = toBytes(id);
  if (bytes.length === 1 && bytes[0] === 42) return null;
  const parsed = parseId(bytes, { strict: true, seqWildcard: true });
  if (parsed === null) throw new RedisError(INVALID_ID);
  return parsed;
}

/**
 * The streams of XREAD and XREADGROUP as keys and id arguments.
 *
 * @example
 * ```ts
 * streamArgs({ s: "0" }); // [[the bytes of "s", the bytes of "0"]]
 * ```
 */
export function streamArgs(ids: StreamIds): [Uint8Array, Uint8Array][] {
  const pairs = Symbol.iterator in ids
    ? [...ids as Iterable<readonly [Bytes, Bytes]>]
    : Object.entries(ids as Record<string, Bytes>);
  return pairs.map(([key, id]) => [toBytes(key), toBytes(id)]);
}

/**
 * A COUNT option as the data modules take it: null for all (missing, 0 or negative).
 *
 * @example
 * ```ts
 * readCount(0); // null
 * ```
 */
export function readCount(count: number | undefined): number | null {
  if (count === undefined) return null;
  const value = Number(toInt64(count));
  return value <= 0 ? null : value;
}

/**
 * Streams and their entries as an object, or null when none has any (as Redis's null reply).
 *
 * @example
 * ```ts
 * streamsObject([], entryOf); // null
 * ```
 */
export function streamsObject<E, T>(
  found: [Uint8Array, E[]][],
  convert: (entry: E) => T,
): Record<string, T[]> | null {
  if (found.length === 0) return null;
  const out: Record<string, T[]> = {};
  for (const [key, entries] of found) out[toText(key)] = entries.map(convert);
  return out;
}

/**
 * A pending entry re-read by XREADGROUP.
 *
 * @example
 * ```ts
 * pendingEntryOf({ id: MIN_ID, data: null }); // ["0-0", null]
 * ```
 */
export function pendingEntryOf(entry: groups.PendingRead): PendingStreamEntry {
  return [idText(entry.id), entry.data === null ? null : fieldsOf(entry.data)];
}

/**
 * XCLAIM's options as the data module takes them.
 *
 * @example
 * ```ts
 * claimArgs(0, [MIN_ID], { justid: true }).justId; // true
 * ```
 */
export function claimArgs(
  minIdleTime: number,
  ids: StreamId[],
  options: XclaimOptions,
  lastId: StreamId | undefined,
): groups.ClaimArgs {
  const minIdle = BigInt(toInt64(minIdleTime));
  const retry = options.retrycount === undefined ? undefined : BigInt(toInt64(options.retrycount));
  let deliveryTime: groups.DeliveryTime | undefined;
  if (options.time !== undefined) deliveryTime = { time: BigInt(toInt64(options.time)) };
  else if (options.idle !== undefined) deliveryTime = { idle: BigInt(toInt64(options.idle)) };
  return {
    minIdle: minIdle < 0n ? 0n : minIdle,
    ids,
    deliveryTime,
    retryCount: retry !== undefined && retry < 0n ? undefined : retry,
    force: options.force,
    justId: options.justid,
    lastId,
  };
}

function int(value: bigint): number | bigint {
  return normalizeInt64(value);
}

function optionalInt(value: bigint | null): number | bigint | null {
  return value === null ? null : normalizeInt64(value);
}

/**
 * XPENDING's summary for the embedded API.
 *
 * @example
 * ```ts
 * pendingSummaryOf({ count: 0, first: null, last: null, consumers: [] });
 * ```
 */
export function pendingSummaryOf(summary: groups.PendingSummary): XpendingSummary {
  const consumers: Record<string, number> = {};
  for (const [name, count] of summary.consumers) consumers[toText(name)] = count;
  return {
    count: summary.count,
    first: summary.first === null ? null : idText(summary.first),
    last: summary.last === null ? null : idText(summary.last),
    consumers,
  };
}

/**
 * A pending entry of XPENDING's extended form for the embedded API.
 *
 * @example
 * ```ts
 * pendingEntryInfo({ id: MIN_ID, consumer: new Uint8Array([99]), idle: 5, deliveries: 1n });
 * ```
 */
export function pendingEntryInfo(entry: groups.PendingEntry): XpendingEntry {
  return {
    id: idText(entry.id),
    consumer: toText(entry.consumer),
    idle: entry.idle,
    deliveries: int(entry.deliveries),
  };
}

function summaryOf(summary: info.StreamSummary): XinfoStreamSummary {
  return {
    length: summary.length,
    radixTreeKeys: summary.radixTreeKeys,
    radixTreeNodes: summary.radixTreeNodes,
    lastGeneratedId: idText(summary.lastGeneratedId),
    maxDeletedEntryId: idText(summary.maxDeletedEntryId),
    entriesAdded: int(summary.entriesAdded),
    recordedFirstEntryId: idText(summary.recordedFirstEntryId),
  };
}

function pendingDetailOf(pending: info.PendingDetail): XinfoPending {
  return {
    id: idText(pending.id),
    consumer: toText(pending.consumer),
    deliveredAt: pending.deliveredAt,
    deliveries: int(pending.deliveries),
  };
}

/**
 * XINFO STREAM for the embedded API.
 *
 * @example
 * ```ts
 * streamInfoOf(xinfoStream(db, new TextEncoder().encode("s"), () => null));
 * ```
 */
export function streamInfoOf(
  result: info.StreamInfo | info.StreamFullInfo,
): XinfoStream | XinfoStreamFull {
  if (!("entries" in result)) {
    return {
      ...summaryOf(result),
      groups: result.groups,
      firstEntry: result.firstEntry === null ? null : entryOf(result.firstEntry),
      lastEntry: result.lastEntry === null ? null : entryOf(result.lastEntry),
    };
  }
  return {
    ...summaryOf(result),
    entries: result.entries.map(entryOf),
    groups: result.groups.map((group) => ({
      name: toText(group.name),
      lastDeliveredId: idText(group.lastDeliveredId),
      entriesRead: optionalInt(group.entriesRead),
      lag: optionalInt(group.lag),
      pelCount: group.pelCount,
      pending: group.pending.map(pendingDetailOf),
      consumers: group.consumers.map((consumer) => ({
        name: toText(consumer.name),
        seenTime: consumer.seenTime,
        pelCount: consumer.pelCount,
        pending: consumer.pending.map(pendingDetailOf),
      })),
    })),
  };
}

/**
 * XINFO GROUPS' group for the embedded API.
 *
 * @example
 * ```ts
 * xinfoGroups(db, new TextEncoder().encode("s")).map(groupInfoOf);
 * ```
 */
export function groupInfoOf(group: info.GroupInfo): XinfoGroup {
  return {
    name: toText(group.name),
    consumers: group.consumers,
    pending: group.pending,
    lastDeliveredId: idText(group.lastDeliveredId),
    entriesRead: optionalInt(group.entriesRead),
    lag: optionalInt(group.lag),
  };
}

/**
 * XINFO CONSUMERS' consumer for the embedded API.
 *
 * @example
 * ```ts
 * consumerInfoOf({ name: new Uint8Array([99]), pending: 0, idle: 5 }); // { name: "c", ... }
 * ```
 */
export function consumerInfoOf(consumer: info.ConsumerInfo): XinfoConsumer {
  return { name: toText(consumer.name), pending: consumer.pending, idle: consumer.idle };
}
