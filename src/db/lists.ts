/**
 * Lists: a list's elements are in chunks of up to 240, rows of `lists (key_id, pos, count,
 * value)` in the order of `pos` (list_chunks.ts has the format). A new chunk at an end goes one
 * gap (1,000,000) beyond it, the first chunk of a new list sits at 0, a chunk grown too long
 * splits into chunks between it and its neighbour, and a list whose gaps run out is renumbered.
 * Pushes and pops work on the chunk at their end, read once and written once per command, or
 * once per server batch when the key cache keeps it (`ListEnds`); the other commands read and
 * rewrite whole chunks, reaching an index by the chunks' counts from the nearer end. The length
 * is the keys row's `size`.
 *
 * @module
 */

import { equalBytes } from "./bytes.ts";
import { ERR, RedisError } from "./errors.ts";
import { decodeItems } from "./length_prefixed.ts";
import {
  chunked,
  chunkFits,
  chunkRun,
  encodeChunk,
  encodedBytes,
  EncodedElements,
  ListChunk,
  type ListEnd,
  type ListEnds,
  matchingIndexes,
  MOST_CHUNK_ELEMENTS,
  newListEnds,
  POSITION_GAP,
} from "./list_chunks.ts";
import { PartialWriteError, type Values } from "./store.ts";
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

export { type ListEnd, POSITION_GAP };

/** LPOS's rank of -2^63, the smallest 64-bit integer (exact as a double). */
export const LPOS_LLONG_MIN_RANK = -(2 ** 63);

/**
 * Positions stay within ±2^53 - 1, so that they are exact JavaScript numbers; a push or an insert
 * that would go beyond renumbers the list first.
 */
const POSITION_LIMIT = Number.MAX_SAFE_INTEGER;

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
  /** The direction a new chunk at this end moves positions in. */
  step: number;
  /** A key's metadata, and the position, count and value of the chunk at this end. */
  findWithEnd: string;
  /** The position, count and value of the chunk at this end. */
  endChunk: string;
  /** Chunks from a position (?2, inclusive) away from this end, in this end's order: LIMIT ?3. */
  chunks: string;
  /** {@linkcode chunks}' positions and counts only. */
  counts: string;
  /** Removes the chunks nearer this end than a position. */
  dropBefore: string;
}

function endSql(desc: boolean): EndSql {
  const order = desc ? "pos DESC" : "pos";
  const nearer = desc ? ">" : "<"; // nearer to this end than
  const farther = desc ? "<" : ">";
  return {
    step: desc ? POSITION_GAP : -POSITION_GAP,
    findWithEnd: `SELECT ${META_COLUMNS}, e.pos, e.count, e.value FROM keys LEFT JOIN lists AS e ` +
      `ON e.key_id = keys.id AND e.pos = (SELECT pos FROM lists WHERE key_id = keys.id ` +
      `ORDER BY ${order} LIMIT 1) WHERE db = ?1 AND key = ?2`,
    endChunk: `SELECT pos, count, value FROM lists WHERE key_id = ? ORDER BY ${order} LIMIT 1`,
    chunks:
      `SELECT pos, count, value FROM lists WHERE key_id = ?1 AND pos ${farther}= ?2 ORDER BY ${order} LIMIT ?3`,
    counts:
      `SELECT pos, count FROM lists WHERE key_id = ?1 AND pos ${farther}= ?2 ORDER BY ${order} LIMIT ?3`,
    dropBefore: `DELETE FROM lists WHERE key_id = ? AND pos ${nearer} ?`,
  };
}

const SQL: Record<ListEnd, EndSql> = { LEFT: endSql(false), RIGHT: endSql(true) };

/**
 * An index this near an end is reached by reading the chunks before it whole; a farther one, by
 * their counts first (SQLite then copies none of their values).
 */
const SKIPPED_BY_READING = 2 * MOST_CHUNK_ELEMENTS;

/** The farthest a position may be towards each end. */
const FARTHEST: Record<ListEnd, number> = { LEFT: -POSITION_LIMIT, RIGHT: POSITION_LIMIT };

const CHUNK_AT_SQL = "SELECT count, value FROM lists WHERE key_id = ? AND pos = ?";
const UPDATE_CHUNK_SQL = "UPDATE lists SET count = ?3, value = ?4 WHERE key_id = ?1 AND pos = ?2";
const INSERT_CHUNK_SQL = "INSERT INTO lists (key_id, pos, count, value) VALUES (?, ?, ?, ?)";
const DELETE_CHUNK_SQL = "DELETE FROM lists WHERE key_id = ? AND pos = ?";
const NEXT_CHUNK_SQL = "SELECT pos FROM lists WHERE key_id = ? AND pos > ? ORDER BY pos LIMIT 1";
const CHUNKS_BEFORE_SQL = "SELECT count(*) FROM lists WHERE key_id = ? AND pos < ?";
const CHUNK_COUNT_SQL = "SELECT count(*) FROM lists WHERE key_id = ?";
const EDGES_SQL = "SELECT min(pos), max(pos) FROM lists WHERE key_id = ?";

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

function createList(scope: Scope, key: Uint8Array, now: number = Date.now()): KeyMeta {
  return createCollection(scope, key, KeyType.list, now);
}

// #region renumbering

/**
 * Gives the list's chunks positions spaced by the gap again, with room for `room` more gaps
 * beyond either end within the limits. Positions move into a range that does not meet the
 * current one: centred on 0 when that is free, else just past either end. Returns the first
 * chunk's new position.
 */
function renumber(scope: Scope, id: number, room: number): number {
  const store = scope.store;
  const chunks = store.values(CHUNK_COUNT_SQL, id)![0] as number;
  const [first, last] = store.values(EDGES_SQL, id)! as number[];
  const span = (chunks - 1) * POSITION_GAP;
  const centred = -Math.floor((chunks - 1) / 2) * POSITION_GAP;
  const margin = room * POSITION_GAP;
  const free = [centred, last + POSITION_GAP, first - POSITION_GAP - span].find((base) =>
    (base > last || base + span < first) &&
    base - margin >= -POSITION_LIMIT && base + span + margin <= POSITION_LIMIT
  );
  if (free !== undefined) {
    store.run(RENUMBER_SQL, free, id);
    return free;
  }
  store.run(SET_ASIDE_SQL, id);
  store.run(RENUMBER_SET_ASIDE_SQL, centred, id);
  return centred;
}

/**
 * Positions for `count` new chunks right after the chunk at `pos` (before its neighbour),
 * renumbering the list when no integers are free there. Returns the chunk's position (which a
 * renumbering moves) and the new ones, in order.
 */
function positionsAfter(scope: Scope, id: number, pos: number, count: number): [number, number[]] {
  const store = scope.store;
  const next = store.values(NEXT_CHUNK_SQL, id, pos)?.[0] as number | undefined;
  const bound = next ?? Math.min(pos + (count + 1) * POSITION_GAP, POSITION_LIMIT + 1);
  if (bound - pos > count) {
    const step = (bound - pos) / (count + 1);
    return [pos, Array.from({ length: count }, (_, i) => pos + Math.floor(step * (i + 1)))];
  }
  const rank = store.values(CHUNKS_BEFORE_SQL, id, pos)![0] as number;
  const moved = renumber(scope, id, count) + rank * POSITION_GAP;
  return positionsAfter(scope, id, moved, count);
}

// #endregion renumbering
// #region chunks read and written whole

/**
 * The chunks of a list from an end, in that end's order, from the one at `from` (or the end's
 * own), as position, count and value: read a few rows at a time, more each time.
 */
function* chunksFrom(
  scope: Scope,
  id: number,
  end: ListEnd,
  from = FARTHEST[end],
): Generator<[pos: number, count: number, value: Uint8Array]> {
  const sql = SQL[end].chunks;
  const step = end === "LEFT" ? 1 : -1;
  for (let page = 1;; page = Math.min(page * 2, 64)) {
    const rows = scope.store.allValues(sql, id, from, page);
    for (const row of rows) yield row as [number, number, Uint8Array];
    if (rows.length < page) return;
    from = (rows[rows.length - 1][0] as number) + step;
  }
}

/**
 * The chunk holding the element `offset` elements away from an end: its position, and how many
 * elements the chunks nearer that end hold.
 */
function chunkAt(scope: Scope, id: number, end: ListEnd, offset: number): [number, number] {
  const step = end === "LEFT" ? 1 : -1;
  let before = 0;
  let from = FARTHEST[end];
  for (let page = 4;; page = Math.min(page * 4, 1024)) {
    const rows = scope.store.allValues(SQL[end].counts, id, from, page);
    for (const [pos, count] of rows as number[][]) {
      if (before + count > offset) return [pos, before];
      before += count;
    }
    if (rows.length < page) throw new Error("a list holds fewer elements than its size");
    from = (rows[rows.length - 1][0] as number) + step;
  }
}

/** The elements of the chunk at a position, in list order. */
function chunkElements(scope: Scope, id: number, pos: number): Uint8Array[] {
  return decodeItems(scope.store.values(CHUNK_AT_SQL, id, pos)![1] as Uint8Array);
}

/**
 * Writes the elements of the chunk at `pos` (read whole and changed): deletes it when none are
 * left, splits it into chunks after it when they do not fit in one.
 */
function saveChunk(scope: Scope, id: number, pos: number, elements: Uint8Array[]): void {
  const store = scope.store;
  if (elements.length === 0) {
    store.run(DELETE_CHUNK_SQL, id, pos);
    return;
  }
  const pieces = chunkFits(elements.length, encodedBytes(elements))
    ? [elements]
    : chunked(elements);
  let positions: number[] = [];
  if (pieces.length > 1) [pos, positions] = positionsAfter(scope, id, pos, pieces.length - 1);
  const [first, ...rest] = pieces;
  store.run(UPDATE_CHUNK_SQL, id, pos, first.length, encodeChunk(first, encodedBytes(first)));
  rest.forEach((piece, i) => {
    store.run(
      INSERT_CHUNK_SQL,
      id,
      positions[i],
      piece.length,
      encodeChunk(piece, encodedBytes(piece)),
    );
  });
}

// #endregion chunks read and written whole
// #region the ends: pushes and pops

/**
 * A list's chunks at its ends as commands push and pop there: read once, and written once at
 * the end of the command, or of the server's batch when the key cache keeps them.
 */
function endsOf(scope: Scope, meta: KeyMeta): ListEnds {
  return scope.store.keyCache?.listEnds(meta.id) ?? newListEnds();
}

/**
 * Runs a command's pushes and pops on lists' ends. In a batch, ends the key cache kept hold the
 * changes of earlier commands, which were answered, and this command's own as it makes them: a
 * failure (SQLite's, as the ends are read or written) then fails the whole batch.
 */
function onEnds<T>(scope: Scope, fn: () => T): T {
  if (scope.store.keyCache === null) return fn();
  try {
    return fn();
  } catch (error) {
    throw error instanceof PartialWriteError ? error : new PartialWriteError(error);
  }
}

/** Writes the chunks the ends changed, beside the key cache (these are this list's only). */
function writeEnds(scope: Scope, id: number, ends: ListEnds): void {
  for (const chunk of ends.touched) {
    const write = chunk.write(id);
    if (write !== null) scope.store.writeBesideCache(...write);
  }
  ends.touched = ends.touched.filter((chunk) => chunk === ends.LEFT || chunk === ends.RIGHT);
}

/**
 * The chunk at an end that still holds an element, read (after the ends' changes are written)
 * when the one held is empty or none is; undefined when the list has no chunk. The other end's
 * chunk stays held, and is the one used when the read finds it (the list's only chunk). `size`
 * is the list's length now: a chunk holding all of it is at both ends.
 */
function endChunk(
  scope: Scope,
  id: number,
  ends: ListEnds,
  end: ListEnd,
  size: number,
): ListChunk | undefined {
  const held = ends[end];
  if (held !== undefined && held.count > 0) return held;
  writeEnds(scope, id, ends);
  ends[end] = undefined;
  const row = scope.store.valuesBesideCache(SQL[end].endChunk, id);
  if (row === undefined) return undefined;
  const other = ends[opposite(end)];
  if (other !== undefined && other.pos === row[0]) return ends[end] = other;
  return holdEnd(
    ends,
    end,
    new ListChunk(row[0] as number, row[2] as Uint8Array, row[1] as number, true),
    size,
  );
}

/** Holds a chunk as an end's (and the other end's too when it holds all `size` elements). */
function holdEnd(ends: ListEnds, end: ListEnd, chunk: ListChunk, size: number): ListChunk {
  ends[end] = chunk;
  if (chunk.count === size) ends[opposite(end)] = chunk;
  ends.touched.push(chunk);
  return chunk;
}

/**
 * Pushes values one by one at an end of a list holding `size` elements: into the chunk there
 * while they fit, then into new chunks one gap beyond (the list is renumbered first when that
 * would pass the limits). Returns the new length.
 */
function pushAt(
  scope: Scope,
  id: number,
  ends: ListEnds,
  end: ListEnd,
  values: readonly Uint8Array[],
  size: number,
): number {
  const step = SQL[end].step;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let chunk = size === 0 ? ends[end] : endChunk(scope, id, ends, end, size);
    if (chunk === undefined || !chunk.fits(value)) {
      let pos = chunk === undefined ? 0 : chunk.pos + step;
      if (Math.abs(pos) > POSITION_LIMIT) {
        writeEnds(scope, id, ends);
        ends.LEFT = ends.RIGHT = undefined;
        ends.touched = [];
        renumber(scope, id, values.length - i);
        pos = endChunk(scope, id, ends, end, size)!.pos + step;
      }
      chunk = holdEnd(ends, end, ListChunk.empty(pos), size);
    }
    chunk.push(end, value);
    size++;
  }
  return size;
}

/** Pops up to `count` elements from an end of a list holding `size`, in the order popped. */
function popAt(
  scope: Scope,
  id: number,
  ends: ListEnds,
  end: ListEnd,
  count: number,
  size: number,
): Uint8Array[] {
  const popped: Uint8Array[] = [];
  for (; popped.length < count && size > 0; size--) {
    const chunk = endChunk(scope, id, ends, end, size);
    if (chunk === undefined) break;
    popped.push(chunk.pop(end)!);
  }
  return popped;
}

/**
 * Ends a command's pushes and pops: the list's new length goes in its keys row, and the chunks
 * changed are written, or kept for the batch by the key cache. A list left empty goes with its
 * key, chunks and all. `now` is the command's time, when it read the clock already.
 */
function finish(
  scope: Scope,
  meta: KeyMeta,
  ends: ListEnds,
  size: number,
  now: number = Date.now(),
): void {
  const cache = scope.store.keyCache;
  if (size === 0) {
    // Its rows are deleted with the key: the changes need not be written first.
    for (const chunk of ends.touched) chunk.changed = false;
    cache?.forgetListEnds(meta.id);
  } else if (cache === null || !cache.keepListEnds(meta.id, ends)) {
    // Written before the keys row, which HISTORY's triggers copy the rows with.
    writeEnds(scope, meta.id, ends);
  }
  resize(scope, meta, size, now);
}

/**
 * The values to push: copies that the key cache may keep past the command (the caller's bytes may
 * be a view of a connection's buffer), when a batch runs.
 */
function keptValues(scope: Scope, values: Uint8Array[]): Uint8Array[] {
  const cache = scope.store.keyCache;
  return cache === null ? values : values.map((value) => cache.copy(value));
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
    const now = Date.now();
    const found = findForWriteWith(scope, key, KeyType.list, now, SQL[end].findWithEnd);
    let meta = found?.meta ?? null;
    if (meta === null) {
      if (onlyIfExists) return 0;
      meta = createList(scope, key, now);
    }
    const list = meta;
    return onEnds(scope, () => {
      const ends = withEndRead(endsOf(scope, list), found?.row ?? null, end, list.size);
      const size = pushAt(scope, list.id, ends, end, keptValues(scope, values), list.size);
      finish(scope, list, ends, size, now);
      return size;
    });
  });
}

/** The ends, holding the end chunk that the key's lookup read with it (`row`), if any. */
function withEndRead(ends: ListEnds, row: Values | null, end: ListEnd, size: number): ListEnds {
  if (row !== null && row[5] !== null && ends[end] === undefined) {
    const chunk = new ListChunk(row[5] as number, row[7] as Uint8Array, row[6] as number, true);
    holdEnd(ends, end, chunk, size);
  }
  return ends;
}

function popFrom(scope: Scope, meta: KeyMeta, end: ListEnd, count: number): Uint8Array[] {
  return onEnds(scope, () => {
    const ends = endsOf(scope, meta);
    const values = popAt(scope, meta.id, ends, end, count, meta.size);
    finish(scope, meta, ends, meta.size - values.length);
    return values;
  });
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
    // The list and its end chunk in one statement.
    const now = Date.now();
    const found = findForWriteWith(scope, key, KeyType.list, now, SQL[end].findWithEnd);
    if (found === null) return null;
    const { meta, row } = found;
    return onEnds(scope, () => {
      const ends = withEndRead(endsOf(scope, meta), row, end, meta.size);
      const [value] = popAt(scope, meta.id, ends, end, 1, meta.size);
      finish(scope, meta, ends, meta.size - 1, now);
      return value;
    });
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

// #endregion the ends: pushes and pops

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

/** A chunk's elements in an end's order. */
function inEndOrder(elements: Uint8Array[], end: ListEnd): Uint8Array[] {
  return end === "LEFT" ? elements : elements.reverse();
}

/**
 * `count` elements from `offset` elements away from an end, still encoded, in list order. The
 * chunks before them are skipped by their counts: read with the others when few, else counted
 * first without their values.
 */
function elementsFrom(
  scope: Scope,
  id: number,
  end: ListEnd,
  offset: number,
  count: number,
): EncodedElements {
  const [pos, before] = offset < SKIPPED_BY_READING
    ? [FARTHEST[end], 0]
    : chunkAt(scope, id, end, offset);
  let skip = offset - before;
  let taken = 0;
  const runs: Uint8Array[] = [];
  for (const [, elements, blob] of chunksFrom(scope, id, end, pos)) {
    if (skip >= elements) {
      skip -= elements;
      continue;
    }
    const take = Math.min(elements - skip, count - taken);
    runs.push(
      end === "LEFT"
        ? chunkRun(blob, skip, skip + take)
        : chunkRun(blob, elements - skip - take, elements - skip),
    );
    taken += take;
    skip = 0;
    if (taken === count) break;
  }
  return new EncodedElements(taken, end === "LEFT" ? runs : runs.reverse());
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
  return lrangeEncoded(scope, key, start, stop).decoded();
}

/**
 * {@linkcode lrange}'s elements as the chunks hold them: the reply LRANGE sends (see
 * {@linkcode EncodedElements}).
 *
 * @example
 * ```ts
 * lrangeEncoded(db, new TextEncoder().encode("l"), 0, 99).count; // up to 100
 * ```
 */
export function lrangeEncoded(
  scope: Scope,
  key: Uint8Array,
  start: number,
  stop: number,
): EncodedElements {
  const meta = findList(scope, key);
  const range = meta === null ? null : resolveRange(meta.size, start, stop);
  if (range === null) return new EncodedElements(0, []);
  const [first, last] = range;
  const count = last - first + 1;
  if (meta!.size - 1 - last >= first) return elementsFrom(scope, meta!.id, "LEFT", first, count);
  return elementsFrom(scope, meta!.id, "RIGHT", meta!.size - 1 - last, count);
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
  return elementsFrom(scope, meta.id, end, offset, 1).decoded()[0];
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
    const [pos, before] = chunkAt(scope, meta.id, end, offset);
    const elements = chunkElements(scope, meta.id, pos);
    const at = end === "LEFT" ? offset - before : elements.length - 1 - (offset - before);
    elements[at] = value;
    saveChunk(scope, meta.id, pos, elements);
    resize(scope, meta, meta.size);
  });
}

/**
 * Removes the `count` elements nearest an end (count < the list's length): the chunks holding
 * only such elements go in one statement, the one holding some is rewritten.
 */
function trimEnd(scope: Scope, id: number, end: ListEnd, count: number): void {
  const [pos, before] = chunkAt(scope, id, end, count);
  scope.store.run(SQL[end].dropBefore, id, pos);
  if (count === before) return;
  const elements = chunkElements(scope, id, pos);
  const kept = end === "LEFT"
    ? elements.slice(count - before)
    : elements.slice(0, elements.length - (count - before));
  saveChunk(scope, id, pos, kept);
}

/** LTRIM removes at most this many elements as pops do; more, by whole chunks. */
const TRIMMED_AS_POPS = MOST_CHUNK_ELEMENTS;

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
    const fromTail = meta.size - 1 - last;
    if (first + fromTail <= TRIMMED_AS_POPS) {
      // A few elements at the ends (a capped list's LPUSH then LTRIM 0 N): popped from the end
      // chunks, which a batch keeps for its next push.
      onEnds(scope, () => {
        const ends = endsOf(scope, meta);
        let size = meta.size;
        size -= popAt(scope, meta.id, ends, "LEFT", first, size).length;
        size -= popAt(scope, meta.id, ends, "RIGHT", fromTail, size).length;
        finish(scope, meta, ends, size);
      });
      return;
    }
    if (first > 0) trimEnd(scope, meta.id, "LEFT", first);
    if (fromTail > 0) trimEnd(scope, meta.id, "RIGHT", fromTail);
    resize(scope, meta, last - first + 1);
  });
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
  return scope.store.write(() => {
    const meta = findListForWrite(scope, key);
    if (meta === null) return 0;
    for (const [pos, , blob] of chunksFrom(scope, meta.id, "LEFT")) {
      const [at] = matchingIndexes(blob, pivot);
      if (at === undefined) continue;
      const elements = decodeItems(blob);
      elements.splice(before ? at : at + 1, 0, value);
      saveChunk(scope, meta.id, pos, elements);
      resize(scope, meta, meta.size + 1);
      return meta.size;
    }
    return -1;
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
    const end: ListEnd = count < 0 ? "RIGHT" : "LEFT";
    const limit = count === 0 ? meta.size : Math.min(Math.abs(count), meta.size);
    let removed = 0;
    for (const [pos, , blob] of chunksFrom(scope, meta.id, end)) {
      if (matchingIndexes(blob, value).length === 0) continue;
      const elements = inEndOrder(decodeItems(blob), end);
      const kept: Uint8Array[] = [];
      for (const element of elements) {
        if (removed < limit && equalBytes(element, value)) removed++;
        else kept.push(element);
      }
      if (kept.length < elements.length) saveChunk(scope, meta.id, pos, inEndOrder(kept, end));
      if (removed === limit) break;
    }
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
  // Redis 7.0 negates a rank of -2^63 into itself: every match is then past the rank, and the
  // count check (which subtracts the rank) overflows, so it searches from the tail as RANK -1
  // does and, given a COUNT, returns every match. 7.2 refuses such a rank.
  const llongMinRank = rank === LPOS_LLONG_MIN_RANK;
  // A rank beyond the length matches nothing.
  let skip = llongMinRank ? 0 : Math.abs(rank) - 1;
  if (skip >= meta.size) return [];
  const compared = maxlen === 0 ? meta.size : Math.min(maxlen, meta.size);
  const everyMatch = count === 0 || (llongMinRank && options.count !== undefined);
  const limit = everyMatch ? meta.size : count;
  const indexes: number[] = [];
  // How many elements lie between this end and the chunk read.
  let passed = 0;
  for (const [, elements, blob] of chunksFrom(scope, meta.id, end)) {
    const matches = matchingIndexes(blob, value);
    // Each match's distance from this end, nearest first.
    const distances = end === "LEFT"
      ? matches.map((i) => passed + i)
      : matches.reverse().map((i) => passed + elements - 1 - i);
    for (const distance of distances) {
      if (distance >= compared) return indexes;
      if (skip > 0) skip--;
      else if (indexes.push(end === "LEFT" ? distance : meta.size - 1 - distance) === limit) {
        return indexes;
      }
    }
    passed += elements;
    if (passed >= compared) return indexes;
  }
  return indexes;
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
    const { id, size } = sourceMeta;
    if (equalBytes(source, destination)) {
      return onEnds(scope, () => rotate(scope, sourceMeta, from, to));
    }
    const destinationMeta = findListForWrite(scope, destination) ?? createList(scope, destination);
    return onEnds(scope, () => {
      const sourceEnds = endsOf(scope, sourceMeta);
      const destinationEnds = endsOf(scope, destinationMeta);
      const [value] = popAt(scope, id, sourceEnds, from, 1, size);
      // A popped value is the batch's own bytes (read, or copied when pushed): kept as it is.
      const pushed = pushAt(
        scope,
        destinationMeta.id,
        destinationEnds,
        to,
        [value],
        destinationMeta.size,
      );
      finish(scope, destinationMeta, destinationEnds, pushed);
      finish(scope, sourceMeta, sourceEnds, size - 1);
      return value;
    });
  });
}

/**
 * Moves the element at one end of a list to an end of the same list (LMOVE and RPOPLPUSH with
 * one key): a rotation, or nothing when both ends are the same. Returns the element.
 */
function rotate(scope: Scope, meta: KeyMeta, from: ListEnd, to: ListEnd): Uint8Array {
  const ends = endsOf(scope, meta);
  const { id, size } = meta;
  let value: Uint8Array;
  if (from === to || size === 1) {
    value = endChunk(scope, id, ends, from, size)!.peek(from)!;
  } else {
    [value] = popAt(scope, id, ends, from, 1, size);
    pushAt(scope, id, ends, to, [value], size - 1);
  }
  finish(scope, meta, ends, size);
  return value;
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
