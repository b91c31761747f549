/**
 * Random elements of a collection (SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER), without reading
 * or sorting the whole collection when it is large and few elements are asked for. Shared by
 * every type whose elements are unique byte strings: give it the type's {@linkcode ElementTable}.
 *
 * Distribution:
 *
 * - Collections of at most {@linkcode EXACT_RANDOM_SIZE} elements, and requests for more than
 *   1/256 of a collection's size (where reading it all costs less than the seeks would), are
 *   served exactly uniformly with `Math.random()`: one row is reached by a random offset, or the
 *   rows are read in one pass, keeping only those drawn (selection sampling; memory for the
 *   result only).
 * - In larger collections, an element costs a few dozen indexed seeks, whatever the size: a
 *   random descent through the elements' byte prefixes, then a random walk of 0 to 255 steps
 *   forward in BLOB order (wrapping around). The descent starts from the first and the last
 *   element, picks uniformly one of the byte values that elements have just after the prefix
 *   they share (an element that is that prefix itself counts as one more choice; a value no
 *   element has is drawn again, 16 times at most, then the next value that exists is taken),
 *   narrows to the elements with that byte, and repeats until one element is left. The walk
 *   spreads what the descent gives one element over the 256 elements after it.
 * - This is close to uniform when elements are spread evenly over their byte prefixes (random
 *   ids, hashes, UUIDs, fixed-width numbers: in tests no element came up more than about 3 times
 *   as often as it should), and biased when they are not: the descent is uniform over the
 *   branches at each byte, not over the elements, so the elements of small branches come up
 *   more often than those of large ones. With 19,990 members "a0".."a19989" and 10 members
 *   "b0".."b9", the ten "b" members take about half of the draws; with the decimal numbers
 *   0..19999 (where "0" is a branch of its own and "1" leads 11,111 members), the most frequent
 *   members come up about 15 times as often as they should.
 * - Without repetition, elements drawn twice are drawn again, and if that takes too long the
 *   rest are taken in BLOB order after a random element: the result is always the requested
 *   size, at a cost proportional to it.
 *
 * @module
 */

import type { ElementTable } from "./elements.ts";
import { byteString } from "./bytes.ts";
import { RedisError } from "./errors.ts";
import type { Row, Store } from "./store.ts";

/** Up to this size, collections are sampled exactly uniformly. */
export const EXACT_RANDOM_SIZE = 1024;

/**
 * The most elements drawn with repetition in one call: beyond it, "ERR value is out of range".
 * Redis 7.0 would try to answer any count, and run out of memory.
 */
export const MAX_REPEATED_DRAWS = 2 ** 24;

// A random descent costs about as much as reading this many rows: asked for more than the
// collection's size over this, reading it all is cheaper.
const ROWS_PER_DESCENT = 256;
const BYTE_DRAWS = 16;
const SMOOTHING_STEPS = 256;

function randomInt(n: number): number {
  return Math.floor(Math.random() * n);
}

/**
 * One random element of a key that has `size` (at least 1) elements.
 *
 * @example
 * ```ts
 * const row = randomElement(db.store, SET_MEMBERS, meta.id, meta.size);
 * ```
 */
export function randomElement(store: Store, table: ElementTable, keyId: number, size: number): Row {
  if (size <= EXACT_RANDOM_SIZE) return table.nth(store, keyId, randomInt(size))!;
  return descend(store, table, keyId, table.first(store, keyId)!, table.last(store, keyId)!);
}

/**
 * `count` random elements of a key that has `size` (at least 1) elements: distinct ones
 * (all of them when `count` is at least `size`), or with `repeat`, drawn independently (at
 * most {@linkcode MAX_REPEATED_DRAWS}).
 *
 * @example
 * ```ts
 * const rows = randomElements(db.store, SET_MEMBERS, meta.id, meta.size, 3, false);
 * ```
 */
export function randomElements(
  store: Store,
  table: ElementTable,
  keyId: number,
  size: number,
  count: number,
  repeat: boolean,
): Row[] {
  if (count <= 0) return [];
  if (repeat && count > MAX_REPEATED_DRAWS) throw new RedisError("ERR value is out of range");
  if (!repeat && count >= size) return table.all(store, keyId);
  if (size <= EXACT_RANDOM_SIZE || count * ROWS_PER_DESCENT >= size) {
    const rows = table.iterate(store, keyId);
    return shuffle(
      repeat ? drawWithRepetition(rows, size, count) : drawDistinct(rows, size, count),
    );
  }
  const first = table.first(store, keyId)!;
  const last = table.last(store, keyId)!;
  if (repeat) {
    return Array.from({ length: count }, () => descend(store, table, keyId, first, last));
  }
  return distinctByDescent(store, table, keyId, count, first, last);
}

// `count` uniform ranks among `size`, sorted; the rows at those ranks, read in one pass.
function drawWithRepetition(rows: Iterable<Row>, size: number, count: number): Row[] {
  const ranks = new Float64Array(count);
  for (let i = 0; i < count; i++) ranks[i] = randomInt(size);
  ranks.sort();
  const out: Row[] = [];
  let rank = 0;
  for (const row of rows) {
    while (out.length < count && ranks[out.length] === rank) out.push(row);
    if (out.length === count) break;
    rank++;
  }
  return out;
}

// Selection sampling (Knuth's algorithm S): each row is taken with the probability that leaves a
// uniform sample of `count` distinct rows, in one pass.
function drawDistinct(rows: Iterable<Row>, size: number, count: number): Row[] {
  const out: Row[] = [];
  let remaining = size;
  for (const row of rows) {
    if (randomInt(remaining) < count - out.length) {
      out.push(row);
      if (out.length === count) break;
    }
    remaining--;
  }
  return out;
}

// Fisher-Yates: the rows in a uniformly random order.
function shuffle(rows: Row[]): Row[] {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

function distinctByDescent(
  store: Store,
  table: ElementTable,
  keyId: number,
  count: number,
  first: Row,
  last: Row,
): Row[] {
  const chosen = new Map<string, Row>();
  const add = (row: Row) => {
    const key = byteString(table.element(row));
    if (!chosen.has(key)) chosen.set(key, row);
  };
  for (let draws = 4 * count + 16; draws > 0 && chosen.size < count; draws--) {
    add(descend(store, table, keyId, first, last));
  }
  // Too many repeats: the rest in BLOB order after a random element, wrapping around once.
  let from = table.element(descend(store, table, keyId, first, last));
  let exclusive = false;
  let wrapped = false;
  while (chosen.size < count) {
    const rows = table.page(store, keyId, from, exclusive, null, count);
    for (const row of rows) {
      add(row);
      if (chosen.size === count) break;
    }
    if (rows.length < count) {
      if (wrapped) break;
      wrapped = true;
      from = new Uint8Array(0);
      exclusive = false;
    } else {
      from = table.element(rows[rows.length - 1]);
      exclusive = true;
    }
  }
  return [...chosen.values()];
}

function sharedPrefixLength(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function withByte(prefix: Uint8Array, byte: number): Uint8Array {
  const out = new Uint8Array(prefix.length + 1);
  out.set(prefix);
  out[prefix.length] = byte;
  return out;
}

// A random element: the random descent, then a uniform number of steps forward (wrapping
// around), which spreads the share of an element the descent favours over its neighbours.
function descend(store: Store, table: ElementTable, keyId: number, low: Row, high: Row): Row {
  const row = randomDescent(store, table, keyId, low, high);
  const step = randomInt(SMOOTHING_STEPS);
  if (step === 0) return row;
  const ahead = table.offsetFrom(store, keyId, table.element(row), step);
  if (ahead !== undefined) return ahead;
  const remaining = table.countRange(store, keyId, table.element(row), null, step);
  return table.nth(store, keyId, step - remaining)!;
}

// The random descent of the module's notes, between the rows `low` and `high` (inclusive).
function randomDescent(store: Store, table: ElementTable, keyId: number, low: Row, high: Row): Row {
  for (;;) {
    const lowElement = table.element(low);
    const highElement = table.element(high);
    const depth = sharedPrefixLength(lowElement, highElement);
    if (depth === highElement.length) return low; // one element left
    const prefix = highElement.subarray(0, depth);
    // `low` may be the shared prefix itself: a choice of its own, just below the first branch.
    const isPrefix = lowElement.length === depth;
    const firstOfBranches = isPrefix ? table.page(store, keyId, lowElement, true, null, 1)[0] : low;
    const firstByte = table.element(firstOfBranches)[depth];
    const lastByte = highElement[depth];
    const lowest = isPrefix ? firstByte - 1 : firstByte;
    let chosen: Row | undefined;
    for (let draw = 0; draw < BYTE_DRAWS; draw++) {
      const byte = lowest + randomInt(lastByte - lowest + 1);
      if (isPrefix && byte === lowest) return low;
      chosen = byte === firstByte
        ? firstOfBranches
        : table.atOrAfter(store, keyId, withByte(prefix, byte))!;
      if (table.element(chosen)[depth] === byte) break;
    }
    const byte = table.element(chosen!)[depth];
    low = chosen!;
    if (byte !== lastByte) high = table.lastBefore(store, keyId, withByte(prefix, byte + 1))!;
  }
}
