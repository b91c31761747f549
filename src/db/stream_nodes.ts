/**
 * The shape of Redis's stream storage, reproduced so that what depends on it matches Redis:
 * entries live in a radix tree of listpacks ("nodes") keyed by their first (master) id; a new node
 * starts when the last one holds stream-node-max-entries entries (live or deleted) or its listpack
 * would reach stream-node-max-bytes. Approximate trimming (`~`) removes whole nodes only, and XINFO
 * STREAM reports the tree's keys and nodes. This module computes listpack sizes byte for byte (as
 * Redis 7.0's listpack.c encodes elements) and the radix tree's node count.
 *
 * @module
 */

import { parseInt64 } from "./numbers.ts";
import type { StreamId } from "./stream_id.ts";

/** The node limits: Redis's `stream-node-max-entries` and `stream-node-max-bytes`. */
export interface NodeLimits {
  /** Entries (live or deleted) in a node before a new one starts; 0: no limit. */
  maxEntries: number;
  /** Listpack bytes a node may reach; 0: no limit (but 1 GB). */
  maxBytes: number;
}

/** Redis's defaults: 100 entries, 4096 bytes. */
export const DEFAULT_NODE_LIMITS: NodeLimits = { maxEntries: 100, maxBytes: 4096 };

const LISTPACK_MAX_SIZE = 2 ** 30;
/** A listpack's header (total bytes, element count) and end marker. */
const LISTPACK_OVERHEAD = 7;
/** A small integer element (flags, the master entry's terminator): one byte and its back-length. */
const SMALL_INT = 2;

// The back-length that follows each element, for an element of `length` bytes.
function backlenSize(length: number): number {
  if (length <= 127) return 1;
  if (length < 16383) return 2;
  if (length < 2097151) return 3;
  if (length < 268435455) return 4;
  return 5;
}

/**
 * The bytes an integer element takes in a listpack, back-length included.
 *
 * @example
 * ```ts
 * intElementSize(100); // 2
 * intElementSize(-1); // 3
 * ```
 */
export function intElementSize(value: number | bigint): number {
  let size: number;
  if (value >= 0 && value <= 127) size = 1;
  else if (value >= -4096 && value <= 4095) size = 2;
  else if (value >= -32768 && value <= 32767) size = 3;
  else if (value >= -8388608 && value <= 8388607) size = 4;
  else if (value >= -2147483648 && value <= 2147483647) size = 5;
  else size = 9;
  return size + 1;
}

/**
 * The bytes a field or value takes in a listpack: as an integer when it reads as one (`string2ll`
 * syntax), else as a string with a 1, 2 or 5 byte header; back-length included.
 *
 * @example
 * ```ts
 * itemElementSize(new TextEncoder().encode("hello")); // 7
 * ```
 */
export function itemElementSize(item: Uint8Array): number {
  const integer = parseInt64(item);
  if (integer !== null) return intElementSize(integer);
  const length = item.length;
  const encoded = length + (length < 64 ? 1 : length < 4096 ? 2 : 5);
  return encoded + backlenSize(encoded);
}

/**
 * The bytes an entry adds to its node: flags, the id as differences from the master id, the
 * field count and fields unless they are the master entry's, the values, and the element count.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * entryBytes([b("f"), b("v")], true, 0n, 1n); // 11
 * ```
 */
export function entryBytes(
  fieldsAndValues: readonly Uint8Array[],
  sameFields: boolean,
  msDelta: bigint,
  seqDelta: bigint,
): number {
  const fieldCount = fieldsAndValues.length / 2;
  let size = SMALL_INT + intElementSize(msDelta) + intElementSize(seqDelta);
  for (let i = 1; i < fieldsAndValues.length; i += 2) size += itemElementSize(fieldsAndValues[i]);
  let elements = fieldCount + 3;
  if (!sameFields) {
    size += intElementSize(fieldCount);
    for (let i = 0; i < fieldsAndValues.length; i += 2) size += itemElementSize(fieldsAndValues[i]);
    elements += fieldCount + 1;
  }
  return size + intElementSize(elements);
}

/**
 * The bytes of a new node's listpack holding its first entry, without its two counters (live and
 * deleted entries, whose size varies with their values).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * newNodeBytes([b("f"), b("v")]); // 25
 * ```
 */
export function newNodeBytes(fieldsAndValues: readonly Uint8Array[]): number {
  let master = intElementSize(fieldsAndValues.length / 2) + SMALL_INT;
  for (let i = 0; i < fieldsAndValues.length; i += 2) master += itemElementSize(fieldsAndValues[i]);
  return LISTPACK_OVERHEAD + master + entryBytes(fieldsAndValues, true, 0n, 0n);
}

/** What decides whether a node takes another entry. */
export interface NodeFill {
  /** Live entries. */
  live: number;
  /** Entries marked deleted. */
  deleted: number;
  /** Listpack bytes without the two counters. */
  bytes: number;
}

/**
 * Whether an entry of these fields and values starts a new node after this one, as Redis
 * decides it: by the listpack's bytes plus the entry's raw length, then by the entry count.
 *
 * @example
 * ```ts
 * nodeIsFull({ live: 100, deleted: 0, bytes: 1000 }, [], DEFAULT_NODE_LIMITS); // true
 * ```
 */
export function nodeIsFull(
  node: NodeFill,
  fieldsAndValues: readonly Uint8Array[],
  limits: NodeLimits,
): boolean {
  let rawLength = 0;
  for (const item of fieldsAndValues) rawLength += item.length;
  const maxBytes = limits.maxBytes <= 0 || limits.maxBytes > LISTPACK_MAX_SIZE
    ? LISTPACK_MAX_SIZE
    : limits.maxBytes;
  const bytes = node.bytes + intElementSize(node.live) + intElementSize(node.deleted);
  if (bytes + rawLength >= maxBytes) return true;
  return limits.maxEntries > 0 && node.live + node.deleted >= limits.maxEntries;
}

/**
 * The node count of a radix tree (Redis's rax) holding these 16-byte keys, in ascending order:
 * the tree Redis builds is the compressed trie, with one node per run of single-child bytes, one
 * per branching point and one per key. An empty tree has its root only.
 *
 * @example
 * ```ts
 * radixTreeNodes([new Uint8Array(16)]); // 2
 * ```
 */
export function radixTreeNodes(keys: readonly StreamId[]): number {
  if (keys.length === 0) return 1;
  return subtreeNodes(keys, 0, keys.length, 0);
}

// Nodes under the point `depth` bytes into keys[from, to), which share their first `depth` bytes.
function subtreeNodes(keys: readonly StreamId[], from: number, to: number, depth: number): number {
  if (depth === 16) return 1;
  const first = keys[from];
  const last = keys[to - 1];
  let common = depth;
  while (common < 16 && first[common] === last[common]) common++;
  if (common > depth) return 1 + subtreeNodes(keys, from, to, common);
  let nodes = 1;
  for (let start = from; start < to;) {
    let end = start + 1;
    while (end < to && keys[end][depth] === keys[start][depth]) end++;
    nodes += subtreeNodes(keys, start, end, depth + 1);
    start = end;
  }
  return nodes;
}
