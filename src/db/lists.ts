/**
 * Lists: each element is a row of `lists (key_id, pos, value)`, in the order of `pos`. Pushes go
 * one gap (1,000,000) beyond either end, the first element of a new list sits at 0, LINSERT takes
 * the midpoint between neighbours, and a list whose gap runs out is renumbered. The ends are
 * reached through the primary key (`ORDER BY pos [DESC] LIMIT`), so pushes, pops and LINDEX at
 * either end are O(log n); an index is walked from whichever end is nearer. The length is the
 * keys row's `size`. In a server batch, pops of a list the key cache holds read the list's end
 * ahead and delete their rows late, all of one end in one statement (`popCached`).
 *
 * @module
 */

import {
  commaIntegers,
  concatenatedBlob,
  concatenating,
  readMany,
  splitConcatenated,
} from "./concatenated.ts";
import { equalBytes } from "./bytes.ts";
import { ERR, RedisError } from "./errors.ts";
import { LONGEST_CACHED_VALUE, type ReadAhead } from "./key_cache.ts";
import type { Values } from "./store.ts";
import {
  createCollection,
  findForWrite,
  findForWriteWith,
  findTyped,
  type KeyMeta,
  KeyType,
  META_COLUMNS,
  resize,
  type Scope,
} from "./keyspace.ts";

/** LPOS's rank of -2^63, the smallest 64-bit integer (exact as a double). */
export const LPOS_LLONG_MIN_RANK = -(2 ** 63);

/** The distance between neighbouring positions after a push or a renumbering. */
export const POSITION_GAP = 1_000_000;

/**
 * Positions stay within ±2^53 - 1, so that they are exact JavaScript numbers; a push or an insert
 * that would go beyond renumbers the list first.
 */
const POSITION_LIMIT = Number.MAX_SAFE_INTEGER;

/** An end of a list: LEFT is the head (index 0), RIGHT the tail. */
export type ListEnd = "LEFT" | "RIGHT";

/** Redis's texts for the list commands' own errors. */
export const LIST_ERR = {
  indexOutOfRange: "ERR index out of range",
  rankZero:
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  countNegative: "ERR COUNT can't be negative",
  maxlenNegative: "ERR MAXLEN can't be negative",
  numkeys: "ERR numkeys should be greater than 0",
  mpopCount: "ERR count should be greater than 0",
} as const;

/**
 * LEFT or RIGHT, in any case, as Redis reads a list end; anything else is a syntax error.
 *
 * @example
 * ```ts
 * parseListEnd("left"); // "LEFT"
 * ```
 */
export function parseListEnd(text: string): ListEnd {
  const upper = text.toUpperCase();
  if (upper === "LEFT" || upper === "RIGHT") return upper;
  throw new RedisError(ERR.syntax);
}

/**
 * Checks LPOS's options as Redis does, in the order RANK, COUNT, MAXLEN: RANK is not zero, COUNT
 * and MAXLEN are not negative. Throws Redis's error for the first that is wrong.
 *
 * @example
 * ```ts
 * checkLposOption("RANK", -1); // fine: the first match from the tail
 * checkLposOption("COUNT", -1); // throws "ERR COUNT can't be negative"
 * ```
 */
export function checkLposOption(name: "RANK" | "COUNT" | "MAXLEN", value: number): void {
  if (!Number.isInteger(value)) {
    throw new RedisError(name === "RANK" ? ERR.notInteger : lposNegative(name));
  }
  if (name === "RANK" ? value === 0 : value < 0) {
    throw new RedisError(name === "RANK" ? LIST_ERR.rankZero : lposNegative(name));
  }
}

function lposNegative(name: "COUNT" | "MAXLEN"): string {
  return name === "COUNT" ? LIST_ERR.countNegative : LIST_ERR.maxlenNegative;
}

/** The statements that work at one end of a list; the other end's are the mirror image. */
interface EndSql {
  /** The direction a push at this end moves positions in. */
  step: number;
  /** The position of the element at this end. */
  edge: string;
  /** A key's metadata, the position and the value of the element at this end (findForWriteWith). */
  findWithEnd: string;
  /** The position and the value of the element at this end. */
  endElement: string;
  /**
   * The positions, lengths and values of the `?3` elements nearest this end beyond the position
   * `?2`, in this end's order, concatenated: for the batch's pops to come (values longer than
   * {@linkcode LONGEST_CACHED_VALUE} are left out, and read when popped).
   */
  readAhead: string;
  /** The first `?` elements from this end, with their positions. */
  take: string;
  /** Removes the elements from this end through a position. */
  dropThrough: string;
  /** The position of the element `?` elements away from this end. */
  posAt: string;
  /** The value of the element `?` elements away from this end. */
  valueAt: string;
  /** Replaces the value (?1) of the element ?3 elements away from this end. */
  setAt: string;
  /** `?` values (LIMIT) starting `?` elements (OFFSET) away from this end, in this end's order. */
  range: string;
  /** {@linkcode range} concatenated (read with splitConcatenated): for ranges of many elements. */
  rangeConcatenated: string;
  /** Removes the elements nearer this end than the one ?2 elements away from it. */
  trim: string;
  /** Removes the first ?3 elements equal to a value, counting from this end. */
  remove: string;
  /** Positions of elements equal to a value, from this end up to a bound: LIMIT, OFFSET. */
  matches: string;
  /** How many elements lie from a position (inclusive) away from this end to another (exclusive). */
  countBetween: string;
  /** The position of the neighbour on this end's side of a position. */
  neighbour: string;
}

function endSql(desc: boolean): EndSql {
  const order = desc ? "pos DESC" : "pos";
  const reverse = desc ? "pos" : "pos DESC";
  const nearer = desc ? ">" : "<"; // nearer to this end than
  const farther = desc ? "<" : ">";
  const nth = `SELECT pos FROM lists WHERE key_id = ?1 ORDER BY ${order} LIMIT 1 OFFSET`;
  return {
    step: desc ? POSITION_GAP : -POSITION_GAP,
    edge: `SELECT pos FROM lists WHERE key_id = ? ORDER BY ${order} LIMIT 1`,
    findWithEnd: `SELECT ${META_COLUMNS}, e.pos, e.value FROM keys LEFT JOIN lists AS e ` +
      `ON e.key_id = keys.id AND e.pos = (SELECT pos FROM lists WHERE key_id = keys.id ` +
      `ORDER BY ${order} LIMIT 1) WHERE db = ?1 AND key = ?2`,
    endElement: `SELECT pos, value FROM lists WHERE key_id = ? ORDER BY ${order} LIMIT 1`,
    readAhead: "SELECT group_concat(pos), group_concat(octet_length(value)), CAST(group_concat(" +
      `iif(octet_length(value) <= ${LONGEST_CACHED_VALUE}, value, NULL), '') AS BLOB) FROM (` +
      `SELECT pos, value FROM lists WHERE key_id = ?1 AND pos ${farther} ?2 ` +
      `ORDER BY ${order} LIMIT ?3)`,
    take: `SELECT pos, value FROM lists WHERE key_id = ? ORDER BY ${order} LIMIT ?`,
    dropThrough: `DELETE FROM lists WHERE key_id = ? AND pos ${nearer}= ?`,
    posAt: `${nth} ?2`,
    valueAt: `SELECT value FROM lists WHERE key_id = ? ORDER BY ${order} LIMIT 1 OFFSET ?`,
    setAt: `UPDATE lists SET value = ?2 WHERE key_id = ?1 AND pos = (${nth} ?3)`,
    range: `SELECT value FROM lists WHERE key_id = ? ORDER BY ${order} LIMIT ? OFFSET ?`,
    rangeConcatenated: concatenating(
      `SELECT value FROM lists WHERE key_id = ? ORDER BY ${order} LIMIT ? OFFSET ?`,
    ),
    trim: `DELETE FROM lists WHERE key_id = ?1 AND pos ${nearer} (${nth} ?2)`,
    remove:
      `DELETE FROM lists WHERE key_id = ?1 AND pos IN (SELECT pos FROM lists WHERE key_id = ?1 AND value = ?2 ORDER BY ${order} LIMIT ?3)`,
    matches:
      `SELECT pos FROM lists WHERE key_id = ? AND value = ? AND pos ${nearer}= ? ORDER BY ${order} LIMIT ? OFFSET ?`,
    countBetween:
      `SELECT count(*) AS n FROM lists WHERE key_id = ? AND pos ${farther}= ? AND pos ${nearer} ?`,
    neighbour:
      `SELECT pos FROM lists WHERE key_id = ? AND pos ${nearer} ? ORDER BY ${reverse} LIMIT 1`,
  };
}

const SQL: Record<ListEnd, EndSql> = { LEFT: endSql(false), RIGHT: endSql(true) };

/** The farthest a position may be towards each end. */
const FARTHEST: Record<ListEnd, number> = { LEFT: -POSITION_LIMIT, RIGHT: POSITION_LIMIT };

const INSERT_SQL = "INSERT INTO lists (key_id, pos, value) VALUES (?, ?, ?)";
const DELETE_AT_SQL = "DELETE FROM lists WHERE key_id = ? AND pos = ?";
const VALUE_AT_SQL = "SELECT value FROM lists WHERE key_id = ? AND pos = ?";
const FIND_VALUE_SQL = "SELECT pos FROM lists WHERE key_id = ? AND value = ? ORDER BY pos LIMIT 1";

// Positions base, base + gap, ... in list order, in one statement. The new positions must not
// meet the old ones: SQLite checks the primary key row by row, not at the end of the statement.
const RENUMBER_SQL = `UPDATE lists SET pos = ?1 + (ranked.n - 1) * ${POSITION_GAP}
  FROM (SELECT pos AS old, row_number() OVER (ORDER BY pos) AS n FROM lists WHERE key_id = ?2) AS ranked
  WHERE lists.key_id = ?2 AND lists.pos = ranked.old`;
// For a list spread so wide that no free range is left within the limits: its rows move aside
// under the key id's negation (no key has a negative id), then come back renumbered.
const SET_ASIDE_SQL = "UPDATE lists SET key_id = -key_id WHERE key_id = ?";
const RENUMBER_SET_ASIDE_SQL =
  `UPDATE lists SET key_id = -key_id, pos = ?1 + (ranked.n - 1) * ${POSITION_GAP}
  FROM (SELECT pos AS old, row_number() OVER (ORDER BY pos) AS n FROM lists WHERE key_id = -?2) AS ranked
  WHERE lists.key_id = -?2 AND lists.pos = ranked.old`;

function opposite(end: ListEnd): ListEnd {
  return end === "LEFT" ? "RIGHT" : "LEFT";
}

function findList(scope: Scope, key: Uint8Array): KeyMeta | null {
  return findTyped(scope, key, KeyType.list);
}

function findListForWrite(scope: Scope, key: Uint8Array): KeyMeta | null {
  return findForWrite(scope, key, KeyType.list);
}

function createList(scope: Scope, key: Uint8Array): KeyMeta {
  return createCollection(scope, key, KeyType.list);
}

function edgePosition(scope: Scope, id: number, end: ListEnd): number | undefined {
  return scope.store.values(SQL[end].edge, id)?.[0] as number | undefined;
}

/**
 * Gives the list positions spaced by the gap again, with room for `room` more gaps beyond
 * either end within the limits. Positions move into a range that does not meet the current
 * one: centred on 0 when that is free, else just past either end.
 */
function renumber(scope: Scope, id: number, size: number, room: number): void {
  const store = scope.store;
  const first = edgePosition(scope, id, "LEFT")!;
  const last = edgePosition(scope, id, "RIGHT")!;
  const span = (size - 1) * POSITION_GAP;
  const centred = -Math.floor((size - 1) / 2) * POSITION_GAP;
  const margin = room * POSITION_GAP;
  const free = [centred, last + POSITION_GAP, first - POSITION_GAP - span].find((base) =>
    (base > last || base + span < first) &&
    base - margin >= -POSITION_LIMIT && base + span + margin <= POSITION_LIMIT
  );
  if (free !== undefined) {
    store.run(RENUMBER_SQL, free, id);
    return;
  }
  store.run(SET_ASIDE_SQL, id);
  store.run(RENUMBER_SET_ASIDE_SQL, centred, id);
}

/**
 * The position for the first of `count` elements pushed at an end of a list holding `size`
 * elements, whose element at that end is at `edge` (undefined for an empty list, which starts
 * at 0), renumbering the list first when the pushes would go beyond the limits.
 */
function pushPosition(
  scope: Scope,
  id: number,
  size: number,
  end: ListEnd,
  edge: number | undefined,
  count: number,
): number {
  const step = SQL[end].step;
  if (edge === undefined) return 0;
  if (Math.abs(edge + step * count) <= POSITION_LIMIT) return edge + step;
  renumber(scope, id, size, count);
  return edgePosition(scope, id, end)! + step;
}

/**
 * Inserts values one after another at an end of a list that holds `size` elements, whose
 * element at that end is at `edge`. Returns the position of the new element at that end.
 */
function insertAt(
  scope: Scope,
  id: number,
  size: number,
  end: ListEnd,
  edge: number | undefined,
  values: Uint8Array[],
): number {
  const step = SQL[end].step;
  let pos = pushPosition(scope, id, size, end, edge, values.length);
  for (const value of values) {
    scope.store.change(INSERT_SQL, id, pos, value);
    pos += step;
  }
  return pos - step;
}

/**
 * LPUSH / RPUSH (LPUSHX / RPUSHX with `onlyIfExists`): adds the values one by one at an end,
 * creating the list when missing. Returns the new length (0 when `onlyIfExists` found no list).
 * Throws WRONGTYPE for a key of another type.
 *
 * @example
 * ```ts
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * push(db, bytes("l"), "LEFT", [bytes("a"), bytes("b")]); // 2: the list is b, a
 * ```
 */
export function push(
  scope: Scope,
  key: Uint8Array,
  end: ListEnd,
  values: Uint8Array[],
  onlyIfExists = false,
): number {
  return scope.store.write(() => {
    const found = findForWriteWith(scope, key, KeyType.list, Date.now(), SQL[end].findWithEnd);
    let meta = found?.meta ?? null;
    if (meta === null) {
      if (onlyIfExists) return 0;
      meta = createList(scope, key);
    }
    // A list a batch's key cache knew: its end is where the batch's last push there left it,
    // when nothing wrote the list since; else it is read.
    const cache = scope.store.keyCache;
    const edge = found === null
      ? undefined
      : found.row !== null
      ? found.row[5] as number
      : cache!.listEdge(meta.id, meta.version, end) ?? edgePosition(scope, meta.id, end);
    const pushed = insertAt(scope, meta.id, meta.size, end, edge, values);
    resize(scope, meta, meta.size + values.length);
    cache?.rememberListEdge(meta.id, meta.version, end, pushed);
    return meta.size;
  });
}

/** Removes up to `count` elements from an end and returns them, in the order popped. */
function removeAt(scope: Scope, meta: KeyMeta, end: ListEnd, count: number): Uint8Array[] {
  const store = scope.store;
  const sql = SQL[end];
  if (count === 1) {
    // Reading the end element, then deleting it by its position, costs less than one DELETE
    // that finds it by a subquery.
    const row = store.values(sql.endElement, meta.id);
    if (row === undefined) return [];
    store.change(DELETE_AT_SQL, meta.id, row[0]);
    return [row[1] as Uint8Array];
  }
  const rows = store.all(sql.take, meta.id, count);
  // Popping the whole list leaves its rows to the key's deletion.
  if (rows.length > 0 && rows.length < meta.size) {
    store.run(sql.dropThrough, meta.id, rows[rows.length - 1].pos);
  }
  return rows.map((row) => row.value as Uint8Array);
}

function popFrom(scope: Scope, meta: KeyMeta, end: ListEnd, count: number): Uint8Array[] {
  const values = removeAt(scope, meta, end, Math.min(count, meta.size));
  resize(scope, meta, meta.size - values.length);
  return values;
}

/**
 * LPOP / RPOP without a count: removes and returns the element at an end, or null when the list
 * is missing. A list left empty is deleted.
 *
 * @example
 * ```ts
 * pop(db, new TextEncoder().encode("l"), "LEFT"); // the first element's bytes, or null
 * ```
 */
export function pop(scope: Scope, key: Uint8Array, end: ListEnd): Uint8Array | null {
  return scope.store.write(() => {
    // The list and its end element in one statement, then that element's row goes (or the
    // whole key with it, for the last element).
    const found = findForWriteWith(scope, key, KeyType.list, Date.now(), SQL[end].findWithEnd);
    if (found === null) return null;
    const { meta, row } = found;
    // A list the batch's key cache knew: its end element was not read with it.
    if (row === null) return popCached(scope, meta, end);
    if (meta.size > 1) scope.store.change(DELETE_AT_SQL, meta.id, row[5]);
    resize(scope, meta, meta.size - 1);
    return row[6] as Uint8Array;
  });
}

/**
 * A pop from a list the batch's key cache knows. Its elements at that end are read ahead, twice
 * as many each time the batch comes back for more, in one concatenated row; the popped rows
 * wait, and are deleted together in one statement when the batch next names the lists table or
 * ends. Tens of pops of one list in a batch then cost a few statements, not two each.
 */
function popCached(scope: Scope, meta: KeyMeta, end: ListEnd): Uint8Array | null {
  const store = scope.store;
  const cache = store.keyCache!;
  const sql = SQL[end];
  let element = cache.nextReadAhead(meta.id, meta.version, end);
  if (element === undefined) {
    // Beside the cache: this read skips the popped rows itself (a statement naming the lists
    // table would have them deleted first).
    const beyond = cache.poppedThrough(meta.id, end) ?? FARTHEST[end] * 2;
    const count = Math.min(meta.size, cache.readAheadCount(meta.id, end));
    const row = store.valuesBesideCache(sql.readAhead, meta.id, beyond, count);
    const elements = readAheadElements(row);
    if (elements.length === 0) return null;
    cache.keepReadAhead(meta.id, meta.version, end, elements, sql.dropThrough);
    element = cache.nextReadAhead(meta.id, meta.version, end)!;
  }
  const [pos, read] = element;
  const value = read ?? store.values(VALUE_AT_SQL, meta.id, pos)![0] as Uint8Array;
  const left = meta.size - 1;
  resize(scope, meta, left);
  // The last element goes with its key; any other waits for the drop.
  if (left > 0) cache.popped(meta.id, meta.version, end, pos);
  return value;
}

// The elements of a read ahead's row: positions and lengths as comma-separated integers, and
// the values that are not too long, one after another in a blob.
function readAheadElements(row: Values | undefined): ReadAhead[] {
  const positions = row?.[0];
  if (typeof positions !== "string") return [];
  const lengths = commaIntegers(row![1] as string);
  const blob = concatenatedBlob(row![2]);
  let at = 0;
  return commaIntegers(positions).map((pos, i): ReadAhead => {
    const length = lengths[i];
    if (length > LONGEST_CACHED_VALUE) return [pos, null];
    return [pos, blob.subarray(at, at += length)];
  });
}

/**
 * LPOP / RPOP with a count: removes and returns up to `count` elements from an end, in the
 * order popped; an empty array for a count of 0, null when the list is missing. Throws "ERR
 * value is out of range, must be positive" for a negative count.
 *
 * @example
 * ```ts
 * popCount(db, new TextEncoder().encode("l"), "RIGHT", 2); // the last two elements, last first
 * ```
 */
export function popCount(
  scope: Scope,
  key: Uint8Array,
  end: ListEnd,
  count: number,
): Uint8Array[] | null {
  if (!Number.isInteger(count) || count < 0) throw new RedisError(ERR.positive);
  return scope.store.write(() => {
    const meta = findListForWrite(scope, key);
    if (meta === null) return null;
    return count === 0 ? [] : popFrom(scope, meta, end, count);
  });
}

/**
 * LLEN: the length of a list, 0 when it is missing. O(1): the keys row keeps it.
 *
 * @example
 * ```ts
 * llen(db, new TextEncoder().encode("l")); // 0
 * ```
 */
export function llen(scope: Scope, key: Uint8Array): number {
  return findList(scope, key)?.size ?? 0;
}

/** An index counted from the head, as the number of steps from the nearer end. */
function fromNearerEnd(size: number, index: number): { end: ListEnd; offset: number } {
  return index < size - 1 - index
    ? { end: "LEFT", offset: index }
    : { end: "RIGHT", offset: size - 1 - index };
}

/** An index as Redis reads one (negative counts from the tail), or -1 when out of range. */
function resolveIndex(size: number, index: number): number {
  const resolved = index < 0 ? size + index : index;
  return resolved >= 0 && resolved < size ? resolved : -1;
}

/**
 * Redis's reading of a start and stop index pair (LRANGE, LTRIM): the first and last index
 * covered, or null when the range is empty.
 */
function resolveRange(size: number, start: number, stop: number): [number, number] | null {
  if (start < 0) start = Math.max(size + start, 0);
  if (stop < 0) stop = size + stop;
  if (start > stop || start >= size) return null;
  return [start, Math.min(stop, size - 1)];
}

/**
 * LRANGE: the elements from `start` to `stop` inclusive (negative indexes count from the tail;
 * out-of-range indexes are clamped), read from the nearer end.
 *
 * @example
 * ```ts
 * lrange(db, new TextEncoder().encode("l"), 0, -1); // every element
 * ```
 */
export function lrange(scope: Scope, key: Uint8Array, start: number, stop: number): Uint8Array[] {
  const meta = findList(scope, key);
  if (meta === null) return [];
  const range = resolveRange(meta.size, start, stop);
  if (range === null) return [];
  const [first, last] = range;
  const count = last - first + 1;
  const fromTail = meta.size - 1 - last < first;
  const sql = SQL[fromTail ? "RIGHT" : "LEFT"];
  const offset = fromTail ? meta.size - 1 - last : first;
  const values = readMany(
    count,
    () => splitConcatenated(scope.store.values(sql.rangeConcatenated, meta.id, count, offset)),
    () =>
      scope.store.allValues(sql.range, meta.id, count, offset).map((row) => row[0] as Uint8Array),
  );
  return fromTail ? values.reverse() : values;
}

/**
 * LINDEX: the element at an index (negative counts from the tail), or null when the list is
 * missing or the index is out of range.
 *
 * @example
 * ```ts
 * lindex(db, new TextEncoder().encode("l"), -1); // the last element, or null
 * ```
 */
export function lindex(scope: Scope, key: Uint8Array, index: number): Uint8Array | null {
  const meta = findList(scope, key);
  if (meta === null) return null;
  const resolved = resolveIndex(meta.size, index);
  if (resolved < 0) return null;
  const { end, offset } = fromNearerEnd(meta.size, resolved);
  return scope.store.get(SQL[end].valueAt, meta.id, offset)!.value as Uint8Array;
}

/**
 * LSET: replaces the element at an index. Throws "ERR no such key" for a missing list and "ERR
 * index out of range" for an index outside it.
 *
 * @example
 * ```ts
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * lset(db, bytes("l"), 0, bytes("first"));
 * ```
 */
export function lset(scope: Scope, key: Uint8Array, index: number, value: Uint8Array): void {
  scope.store.write(() => {
    const meta = findListForWrite(scope, key);
    if (meta === null) throw new RedisError(ERR.noSuchKey);
    const resolved = resolveIndex(meta.size, index);
    if (resolved < 0) throw new RedisError(LIST_ERR.indexOutOfRange);
    const { end, offset } = fromNearerEnd(meta.size, resolved);
    scope.store.run(SQL[end].setAt, meta.id, value, offset);
    resize(scope, meta, meta.size);
  });
}

/**
 * LTRIM: keeps only the elements from `start` to `stop` inclusive; a list left empty is deleted.
 * A missing list is left missing.
 *
 * @example
 * ```ts
 * ltrim(db, new TextEncoder().encode("l"), 0, 99); // keeps the first 100 elements
 * ```
 */
export function ltrim(scope: Scope, key: Uint8Array, start: number, stop: number): void {
  scope.store.write(() => {
    const meta = findListForWrite(scope, key);
    if (meta === null) return;
    const range = resolveRange(meta.size, start, stop);
    if (range === null) {
      resize(scope, meta, 0);
      return;
    }
    const [first, last] = range;
    if (first > 0) scope.store.run(SQL.LEFT.trim, meta.id, first);
    if (last < meta.size - 1) scope.store.run(SQL.RIGHT.trim, meta.id, meta.size - 1 - last);
    resize(scope, meta, last - first + 1);
  });
}

/**
 * The position for a new element beside the first element equal to `pivot`, on the side of
 * `side` (LEFT: before it): null when no element equals the pivot, undefined when no integer is
 * free there.
 */
function besidePivot(
  scope: Scope,
  id: number,
  pivot: Uint8Array,
  side: ListEnd,
): number | null | undefined {
  const store = scope.store;
  const found = store.get(FIND_VALUE_SQL, id, pivot)?.pos as number | undefined;
  if (found === undefined) return null;
  const neighbour = store.get(SQL[side].neighbour, id, found)?.pos as number | undefined;
  if (neighbour === undefined) {
    const pos = found + SQL[side].step;
    return Math.abs(pos) <= POSITION_LIMIT ? pos : undefined;
  }
  const low = Math.min(found, neighbour);
  const middle = low + Math.floor((Math.max(found, neighbour) - low) / 2);
  return middle !== found && middle !== neighbour ? middle : undefined;
}

/**
 * LINSERT: inserts a value before (or after) the first element equal to `pivot`. Returns the new
 * length, -1 when no element equals the pivot, 0 when the list is missing.
 *
 * @example
 * ```ts
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * linsert(db, bytes("l"), true, bytes("b"), bytes("a")); // a goes before the first b
 * ```
 */
export function linsert(
  scope: Scope,
  key: Uint8Array,
  before: boolean,
  pivot: Uint8Array,
  value: Uint8Array,
): number {
  const side: ListEnd = before ? "LEFT" : "RIGHT";
  return scope.store.write(() => {
    const meta = findListForWrite(scope, key);
    if (meta === null) return 0;
    let pos = besidePivot(scope, meta.id, pivot, side);
    if (pos === null) return -1;
    if (pos === undefined) {
      renumber(scope, meta.id, meta.size, 1);
      pos = besidePivot(scope, meta.id, pivot, side)!;
    }
    scope.store.run(INSERT_SQL, meta.id, pos, value);
    resize(scope, meta, meta.size + 1);
    return meta.size;
  });
}

/**
 * LREM: removes the first `count` elements equal to a value (from the tail when `count` is
 * negative, all of them when it is 0). Returns how many were removed; a list left empty is
 * deleted.
 *
 * @example
 * ```ts
 * lrem(db, new TextEncoder().encode("l"), -2, new TextEncoder().encode("x")); // the last two x
 * ```
 */
export function lrem(scope: Scope, key: Uint8Array, count: number, value: Uint8Array): number {
  return scope.store.write(() => {
    const meta = findListForWrite(scope, key);
    if (meta === null) return 0;
    const sql = SQL[count < 0 ? "RIGHT" : "LEFT"];
    const limit = count === 0 ? -1 : Math.min(Math.abs(count), meta.size);
    const removed = scope.store.run(sql.remove, meta.id, value, limit);
    if (removed > 0) resize(scope, meta, meta.size - removed);
    return removed;
  });
}

/** LPOS's options. */
export interface LposOptions {
  /** Which match to start from: 1 the first, 2 the second, -1 the last, ... (default 1). */
  rank?: number;
  /** How many matches to return, 0 for all; when absent, only the first match, not in an array. */
  count?: number;
  /** How many elements to compare at most, 0 for all (default 0). */
  maxlen?: number;
}

/**
 * LPOS: the indexes of elements equal to a value, in the order found: from the head, or from
 * the tail for a negative rank; skipping the first |rank| - 1 matches, up to `count` of them (0:
 * all), looking at no more than `maxlen` elements (0: all). Throws Redis's errors for a rank
 * of 0 and a negative count or maxlen.
 *
 * @example
 * ```ts
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * lpos(db, bytes("l"), bytes("x"), { rank: -1, count: 2 }); // the last two matches' indexes
 * ```
 */
export function lpos(
  scope: Scope,
  key: Uint8Array,
  value: Uint8Array,
  options: LposOptions = {},
): number[] {
  const { rank = 1, count = 1, maxlen = 0 } = options;
  checkLposOption("RANK", rank);
  checkLposOption("COUNT", count);
  checkLposOption("MAXLEN", maxlen);
  const meta = findList(scope, key);
  if (meta === null) return [];
  const end: ListEnd = rank < 0 ? "RIGHT" : "LEFT";
  const sql = SQL[end];
  const store = scope.store;
  // Redis 7.0 negates a rank of -2^63 into itself: every match is then past the rank, and the
  // count check (which subtracts the rank) overflows, so it searches from the tail as RANK -1
  // does and, given a COUNT, returns every match. 7.2 refuses such a rank.
  const llongMinRank = rank === LPOS_LLONG_MIN_RANK;
  // A rank beyond the length matches nothing.
  const skip = llongMinRank ? 0 : Math.abs(rank) - 1;
  if (skip >= meta.size) return [];
  const bound = maxlen === 0 || maxlen >= meta.size
    ? FARTHEST[opposite(end)]
    : store.get(sql.posAt, meta.id, maxlen - 1)!.pos as number;
  const everyMatch = count === 0 || (llongMinRank && options.count !== undefined);
  const limit = everyMatch ? -1 : Math.min(count, meta.size);
  const found = store.all(sql.matches, meta.id, value, bound, limit, skip);
  // Each match's index: the elements from the previous match (or the end) up to it.
  const indexes: number[] = [];
  let from = FARTHEST[end];
  let index = 0;
  for (const row of found) {
    const pos = row.pos as number;
    index += store.get(sql.countBetween, meta.id, from, pos)!.n as number;
    from = pos;
    indexes.push(end === "LEFT" ? index : meta.size - 1 - index);
  }
  return indexes;
}

/**
 * Moves the element at one end of a list to an end of the same list (LMOVE and RPOPLPUSH with
 * one key): a rotation, or nothing when both ends are the same. Returns the element.
 */
function rotate(scope: Scope, meta: KeyMeta, from: ListEnd, to: ListEnd): Uint8Array {
  let value: Uint8Array;
  if (from === to || meta.size === 1) {
    value = scope.store.get(SQL[from].valueAt, meta.id, 0)!.value as Uint8Array;
  } else {
    [value] = removeAt(scope, meta, from, 1);
    insertAt(scope, meta.id, meta.size - 1, to, edgePosition(scope, meta.id, to), [value]);
  }
  resize(scope, meta, meta.size);
  return value;
}

/**
 * LMOVE (and RPOPLPUSH): pops the element at one end of `source` and pushes it at an end of
 * `destination`, creating it when missing. Returns the element, or null when `source` is
 * missing. Throws WRONGTYPE, moving nothing, when either key holds another type. With one key
 * for both, the list rotates.
 *
 * @example
 * ```ts
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * lmove(db, bytes("todo"), bytes("done"), "LEFT", "RIGHT"); // the first of todo, now last of done
 * ```
 */
export function lmove(
  scope: Scope,
  source: Uint8Array,
  destination: Uint8Array,
  from: ListEnd,
  to: ListEnd,
): Uint8Array | null {
  return scope.store.write(() => {
    const sourceMeta = findListForWrite(scope, source);
    if (sourceMeta === null) return null;
    if (equalBytes(source, destination)) return rotate(scope, sourceMeta, from, to);
    const destinationMeta = findListForWrite(scope, destination) ?? createList(scope, destination);
    const [value] = popFrom(scope, sourceMeta, from, 1);
    const { id, size } = destinationMeta;
    insertAt(scope, id, size, to, size === 0 ? undefined : edgePosition(scope, id, to), [value]);
    resize(scope, destinationMeta, destinationMeta.size + 1);
    return value;
  });
}

/**
 * LMPOP: pops up to `count` elements from an end of the first of `keys` that holds a list.
 * Returns that key and the elements, or null when none does. Throws WRONGTYPE when a key before
 * the first list holds another type.
 *
 * @example
 * ```ts
 * const bytes = (s: string) => new TextEncoder().encode(s);
 * lmpop(db, [bytes("a"), bytes("b")], "LEFT", 10); // [key, elements] or null
 * ```
 */
export function lmpop(
  scope: Scope,
  keys: Uint8Array[],
  end: ListEnd,
  count: number,
): [Uint8Array, Uint8Array[]] | null {
  if (keys.length === 0) throw new RedisError(LIST_ERR.numkeys);
  if (!Number.isInteger(count) || count < 1) throw new RedisError(LIST_ERR.mpopCount);
  return scope.store.write(() => {
    for (const key of keys) {
      const meta = findListForWrite(scope, key);
      if (meta !== null) return [key, popFrom(scope, meta, end, count)];
    }
    return null;
  });
}
