/**
 * SORT and SORT_RO over lists, sets and sorted sets, as Redis 7.0's sort.c: numeric or ALPHA
 * order, BY patterns (keys, or hash fields with `->`; a pattern without `*` keeps the native
 * order), GET patterns (`#` for the element itself), LIMIT, ASC/DESC and STORE into a list.
 *
 * ALPHA compares bytes as C strings (up to the first NUL byte): Redis compares with strcoll,
 * which is strcmp in the C and C.UTF-8 locales it runs in; with STORE it compares whole byte
 * strings.
 *
 * Order where Redis leaves it to its data structures: a set is read as Redis iterates it when it
 * is an intset (every member an integer, at most `set-max-intset-entries` of them: numeric
 * order); a larger set, or one with other members, is a hash table whose order Redis draws from
 * a random seed at start-up, so Redlite reads it in byte order. This shows in `SORT set BY
 * constant` (no sorting at all) and among elements that compare equal (ALPHA BY a pattern).
 * Elements that compare equal keep their order (Redis's qsort is glibc's stable merge sort),
 * except with BY a pattern and a LIMIT, where Redis uses its own partial quicksort, reproduced
 * by `_pqsort.ts`.
 *
 * @module
 */

import { compareBytes, concatBytes } from "./bytes.ts";
import { ERR, RedisError } from "./errors.ts";
import { deleteKey, findForWrite, findKey, type KeyMeta, KeyType, type Scope } from "./keyspace.ts";
import * as lists from "./lists.ts";
import { parseDouble, parseInt64 } from "./numbers.ts";
import * as zsets from "./zsets.ts";
import { partialQuicksort } from "./_pqsort.ts";

/** What SORT was asked to do. */
export interface SortOptions {
  /** A BY pattern: sort by the values of other keys (`*` is the element; `key->field` reads a hash). */
  by?: Uint8Array;
  /** LIMIT: skip `offset` elements, return `count` (negative: all). */
  limit?: { offset: number; count: number };
  /** GET patterns: return these instead of the elements (`#`: the element itself). */
  get?: readonly Uint8Array[];
  /** Largest first. */
  desc?: boolean;
  /** Compare as byte strings instead of numbers. */
  alpha?: boolean;
  /** `set-max-intset-entries`: the largest set of integers read in numeric order (default 512). */
  intsetEntries?: number;
}

/** Redis's default `set-max-intset-entries`. */
const INTSET_ENTRIES = 512;

const STAR = 42; // '*'
const NOT_A_DOUBLE = "ERR One or more scores can't be converted into double";

function isSpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}

/** The smallest normal double (DBL_MIN): strtod sets ERANGE for anything smaller but 0. */
const SMALLEST_NORMAL = 2.2250738585072014e-308;

// A sort score as Redis reads it with strtod: leading spaces skipped, the text ending at a NUL
// byte, an empty text 0; trailing bytes, NaN, overflow and underflow refused (null). Redis
// refuses whatever sets ERANGE, and glibc sets it for subnormal results too (5e-324), which
// other commands accept.
function sortScore(bytes: Uint8Array): number | null {
  let end = bytes.indexOf(0);
  if (end < 0) end = bytes.length;
  if (end === 0) return 0;
  let start = 0;
  while (start < end && isSpace(bytes[start])) start++;
  const score = parseDouble(bytes.subarray(start, end));
  return score !== null && score !== 0 && Math.abs(score) < SMALLEST_NORMAL ? null : score;
}

// Where a C string ends: Redis searches patterns with strchr and strstr, which stop at NUL.
function cLength(bytes: Uint8Array): number {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes.length : nul;
}

function indexOfArrow(pattern: Uint8Array, from: number, end: number): number {
  for (let i = from; i + 1 < end; i++) {
    if (pattern[i] === 45 && pattern[i + 1] === 62) return i; // "->"
  }
  return -1;
}

/**
 * Whether a BY pattern names other keys (has a `*`); a constant one means "do not sort".
 *
 * @example
 * ```ts
 * isSortPattern(new TextEncoder().encode("weight_*")); // true
 * ```
 */
export function isSortPattern(pattern: Uint8Array): boolean {
  const star = pattern.indexOf(STAR);
  return star >= 0 && star < cLength(pattern);
}

// The value a BY or GET pattern names for an element (Redis's lookupKeyByPattern): the string at
// the key with the first `*` replaced by the element, or with `key->field` the hash field; null
// when missing or of another type.
function lookupByPattern(
  scope: Scope,
  pattern: Uint8Array,
  element: Uint8Array,
): Uint8Array | null {
  const end = cLength(pattern);
  if (end === 1 && pattern[0] === 35) return element; // "#"
  const star = pattern.indexOf(STAR);
  if (star < 0 || star >= end) return null;
  let arrow = indexOfArrow(pattern, star + 1, end);
  if (arrow >= 0 && arrow + 2 === end) arrow = -1; // "->" at the end is literal
  const keyEnd = arrow < 0 ? pattern.length : arrow;
  const key = concatBytes(pattern.subarray(0, star), element, pattern.subarray(star + 1, keyEnd));
  const meta = findKey(scope, key);
  if (meta === null) return null;
  if (arrow < 0) {
    if (meta.type !== KeyType.string) return null;
    return scope.store.get("SELECT value FROM keys WHERE id = ?", meta.id)!.value as Uint8Array;
  }
  if (meta.type !== KeyType.hash) return null;
  const row = scope.store.get(
    "SELECT value FROM hashes WHERE key_id = ? AND field = ?",
    meta.id,
    pattern.subarray(arrow + 2),
  );
  return row === undefined ? null : row.value as Uint8Array;
}

/** The collection to sort: its metadata, or null for a missing key (an empty list to SORT). */
function findSortable(scope: Scope, key: Uint8Array): KeyMeta | null {
  const meta = findKey(scope, key);
  if (
    meta !== null && meta.type !== KeyType.list && meta.type !== KeyType.set &&
    meta.type !== KeyType.zset
  ) {
    throw new RedisError(ERR.wrongType);
  }
  return meta;
}

function allElements(
  scope: Scope,
  key: Uint8Array,
  meta: KeyMeta,
  intsetEntries: number,
): Uint8Array[] {
  if (meta.type === KeyType.list) return lists.lrange(scope, key, 0, -1);
  if (meta.type === KeyType.zset) {
    return zsets.zrange(scope, key, { by: "rank", start: 0, stop: -1 }).map((e) => e.member);
  }
  const members = scope.store.all("SELECT member FROM sets WHERE key_id = ?", meta.id)
    .map((row) => row.member as Uint8Array);
  return meta.size <= intsetEntries ? intsetOrder(members) : members;
}

// Redis keeps a small set of integers as an intset, iterated in numeric order; the members of
// any other set stay in byte order.
function intsetOrder(members: Uint8Array[]): Uint8Array[] {
  const numbers: bigint[] = [];
  for (const member of members) {
    const value = parseInt64(member);
    if (value === null) return members;
    numbers.push(BigInt(value));
  }
  const order = members.map((_, i) => i).sort((a, b) =>
    numbers[a] < numbers[b] ? -1 : numbers[a] > numbers[b] ? 1 : 0
  );
  return order.map((i) => members[i]);
}

// strcoll in the C locale: strcmp, which ends each string at its first NUL byte.
function compareCStrings(a: Uint8Array, b: Uint8Array): number {
  return compareBytes(a.subarray(0, cLength(a)), b.subarray(0, cLength(b)));
}

/** One element with what it is sorted by. */
interface SortItem {
  element: Uint8Array;
  score: number;
  compareBy: Uint8Array | null;
}

// Redis's sortCompare: numbers with ties broken by the elements' bytes; ALPHA as strcoll, or
// as whole byte strings when storing.
function comparator(
  alpha: boolean,
  byPattern: boolean,
  storing: boolean,
): (a: SortItem, b: SortItem) => number {
  if (!alpha) {
    return (a, b) =>
      a.score > b.score ? 1 : a.score < b.score ? -1 : compareBytes(a.element, b.element);
  }
  const text = storing ? compareBytes : compareCStrings;
  if (!byPattern) return (a, b) => text(a.element, b.element);
  // Missing BY values first.
  return (a, b) => {
    if (a.compareBy === null || b.compareBy === null) {
      return a.compareBy === b.compareBy ? 0 : a.compareBy === null ? -1 : 1;
    }
    return text(a.compareBy, b.compareBy);
  };
}

/** Positions of the sorted elements SORT outputs (inclusive; `end < start` for none). */
interface Window {
  start: number;
  end: number;
}

// Sorts all the elements (every one is converted, whatever the window), as sortCommandGeneric
// does; only a BY pattern with a window smaller than everything uses the partial quicksort.
function sortItems(
  scope: Scope,
  elements: Uint8Array[],
  options: SortOptions,
  window: Window,
  storing: boolean,
): Uint8Array[] {
  const alpha = options.alpha ?? false;
  const by = options.by;
  let convertible = true;
  const items: SortItem[] = elements.map((element) => {
    const value = by === undefined ? element : lookupByPattern(scope, by, element);
    const item: SortItem = { element, score: 0, compareBy: null };
    if (alpha) item.compareBy = by === undefined ? null : value;
    else if (value !== null) {
      const score = sortScore(value);
      if (score === null) convertible = false;
      else item.score = score;
    }
    return item;
  });
  if (!convertible) throw new RedisError(NOT_A_DOUBLE);
  const ascending = comparator(alpha, by !== undefined, storing);
  const compare = options.desc ? (a: SortItem, b: SortItem) => -ascending(a, b) || 0 : ascending;
  const { start, end } = window;
  if (end < start) return [];
  if (by !== undefined && (start !== 0 || end !== items.length - 1)) {
    partialQuicksort(items, compare, start, end);
  } else items.sort(compare);
  return items.map((item) => item.element);
}

// The elements SORT outputs, after its LIMIT, as sortCommandGeneric selects them.
function sortedWindow(
  scope: Scope,
  key: Uint8Array,
  options: SortOptions,
  storing: boolean,
): Uint8Array[] {
  const meta = findSortable(scope, key);
  let { alpha, by } = options;
  let keepOrder = by !== undefined && !isSortPattern(by);
  // A set has no order of its own: stored results are sorted, so that they are repeatable.
  if (keepOrder && meta?.type === KeyType.set && storing) {
    keepOrder = false;
    alpha = true;
    by = undefined;
  }
  const size = meta?.size ?? 0;
  const offset = options.limit?.offset ?? 0;
  const count = options.limit?.count ?? -1;
  let start = offset < 0 ? 0 : offset;
  let end = count < 0 ? size - 1 : start + count - 1;
  if (start >= size) {
    start = size - 1;
    end = size - 2;
  }
  if (end >= size) end = size - 1;
  if (meta === null) return [];
  if (keepOrder && end < start) return [];
  if (keepOrder && meta.type === KeyType.zset) {
    const query = { by: "rank" as const, start, stop: end, reverse: options.desc ?? false };
    return zsets.zrange(scope, key, query).map((entry) => entry.member);
  }
  if (keepOrder && meta.type === KeyType.list) {
    if (!options.desc) return lists.lrange(scope, key, start, end);
    return lists.lrange(scope, key, size - 1 - end, size - 1 - start).reverse();
  }
  const elements = allElements(scope, key, meta, options.intsetEntries ?? INTSET_ENTRIES);
  const ordered = keepOrder
    ? elements
    : sortItems(scope, elements, { ...options, alpha, by }, { start, end }, storing);
  return end < start ? [] : ordered.slice(start, end + 1);
}

function output(
  scope: Scope,
  elements: Uint8Array[],
  get: readonly Uint8Array[] | undefined,
): (Uint8Array | null)[] {
  if (get === undefined || get.length === 0) return elements;
  const out: (Uint8Array | null)[] = [];
  for (const element of elements) {
    for (const pattern of get) out.push(lookupByPattern(scope, pattern, element));
  }
  return out;
}

/**
 * SORT (and SORT_RO): the elements of a list, set or sorted set in order, or the values their
 * GET patterns name (null for a missing one). Throws WRONGTYPE for another type, and "ERR One
 * or more scores can't be converted into double" for a numeric sort of non-numbers.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * sort(db, b("ids"), { desc: true, limit: { offset: 0, count: 10 } });
 * sort(db, b("ids"), { by: b("weight_*"), get: [b("#"), b("user:*->name")] });
 * ```
 */
export function sort(
  scope: Scope,
  key: Uint8Array,
  options: SortOptions = {},
): (Uint8Array | null)[] {
  return output(scope, sortedWindow(scope, key, options, false), options.get);
}

/**
 * SORT ... STORE: stores what {@linkcode sort} would return as a list in `destination`
 * (missing GET values as empty strings), replacing it; an empty result deletes it. Returns the
 * number of elements stored.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * sortStore(db, b("ids"), b("sorted"), { alpha: true }); // the length of "sorted"
 * ```
 */
export function sortStore(
  scope: Scope,
  key: Uint8Array,
  destination: Uint8Array,
  options: SortOptions = {},
): number {
  return scope.store.write(() => {
    const values = output(scope, sortedWindow(scope, key, options, true), options.get)
      .map((value) => value ?? new Uint8Array(0));
    const old = findForWrite(scope, destination);
    if (old !== null) deleteKey(scope, old);
    if (values.length > 0) lists.push(scope, destination, "RIGHT", values);
    return values.length;
  });
}
