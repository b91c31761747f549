/**
 * The chunks a list is stored in, as Redis's quicklist keeps a list in listpacks: a row of
 * `lists (key_id, pos, count, value)` holds up to {@linkcode MOST_CHUNK_ELEMENTS} consecutive
 * elements, `value` being each element's length (an unsigned LEB128 varint) then its bytes (length_prefixed.ts), in
 * list order. A chunk stays within {@linkcode MOST_CHUNK_BYTES}, so that its row fits in its
 * B-tree page (SQLite moves the rest of a longer row to overflow pages); an element longer than
 * that has a chunk of its own. A push or a pop then rewrites one short row, or, in a server
 * batch, one row for all of the batch's pushes and pops at that end.
 *
 * @module
 */

import { decodeItems, encodedSize, itemEnd, itemStart, writeItem } from "./length_prefixed.ts";

/**
 * The distance between neighbouring chunks' positions after a push or a renumbering: chunks
 * split in two take positions between their neighbours.
 */
export const POSITION_GAP = 1_000_000;

/**
 * The most elements one chunk holds: as many as fill {@linkcode MOST_CHUNK_BYTES} with elements of
 * three bytes (four with their lengths). With 128 a chunk, a list of short elements needed a new
 * chunk (a B-tree insert) nearly twice as often, and its file was 8% bigger.
 */
export const MOST_CHUNK_ELEMENTS = 240;

/**
 * The most bytes one chunk's `value` holds, unless it holds one longer element: with the row's
 * other columns, within what SQLite keeps in a 4,096-byte page of a WITHOUT ROWID table (1,002
 * bytes of a row).
 */
export const MOST_CHUNK_BYTES = 960;

/**
 * The elements as one chunk's `value`, `bytes` long (the sum of their {@linkcode encodedSize}s).
 *
 * @example
 * ```ts
 * const a = new Uint8Array([97]);
 * encodeChunk([a, a], 4); // Uint8Array [1, 97, 1, 97]
 * ```
 */
export function encodeChunk(elements: readonly Uint8Array[], bytes: number): Uint8Array {
  const blob = new Uint8Array(bytes);
  let at = 0;
  for (const element of elements) at = writeItem(blob, at, element);
  return blob;
}

/**
 * The indexes (in list order) of a chunk's elements equal to `value`, found in its bytes: no view
 * is made of the others, so that a search (LPOS, LREM, LINSERT's pivot) costs little where nothing
 * matches.
 *
 * @example
 * ```ts
 * matchingIndexes(new Uint8Array([1, 97, 1, 98, 1, 97]), new Uint8Array([97])); // [0, 2]
 * ```
 */
export function matchingIndexes(blob: Uint8Array, value: Uint8Array): number[] {
  const found: number[] = [];
  for (let at = 0, i = 0; at < blob.length; i++) {
    const start = itemStart(blob, at);
    at = itemEnd;
    if (at - start === value.length && equalAt(blob, start, value)) found.push(i);
  }
  return found;
}

// Whether `value`'s bytes are at `at` in `blob`.
function equalAt(blob: Uint8Array, at: number, value: Uint8Array): boolean {
  for (let i = 0; i < value.length; i++) if (blob[at + i] !== value[i]) return false;
  return true;
}

/**
 * The bytes of elements `from` to `to` (exclusive) of a chunk's `value`, still encoded: a view of
 * it, found by reading the lengths before them.
 *
 * @example
 * ```ts
 * chunkRun(new Uint8Array([1, 97, 1, 98, 1, 99]), 1, 3); // Uint8Array [1, 98, 1, 99]
 * ```
 */
export function chunkRun(blob: Uint8Array, from: number, to: number): Uint8Array {
  let at = 0;
  let start = 0;
  for (let i = 0; i < to && at < blob.length; i++) {
    if (i === from) start = at;
    itemStart(blob, at);
    at = itemEnd;
  }
  return blob.subarray(start, at);
}

/**
 * Elements as chunks store them, in order: runs of encoded elements (each its length and its
 * bytes), `count` of them in all. A reply of many list elements goes to the client from these
 * bytes as they are, without a view per element.
 *
 * @example
 * ```ts
 * const elements = new EncodedElements(2, [new Uint8Array([1, 97]), new Uint8Array([1, 98])]);
 * elements.decoded(); // [Uint8Array [97], Uint8Array [98]]
 * ```
 */
export class EncodedElements {
  /**
   * @param count how many elements the runs hold
   * @param runs the encoded elements, in order
   */
  constructor(readonly count: number, readonly runs: readonly Uint8Array[]) {}

  /**
   * The elements, as views of the runs.
   *
   * @example
   * ```ts
   * new EncodedElements(0, []).decoded(); // []
   * ```
   */
  decoded(): Uint8Array[] {
    return this.runs.flatMap(decodeItems);
  }
}

/**
 * Whether `count` elements of `bytes` bytes in all (their {@linkcode encodedSize}s) fit in one
 * chunk: no more than {@linkcode MOST_CHUNK_ELEMENTS}, and within {@linkcode MOST_CHUNK_BYTES}
 * unless there is only one.
 *
 * @example
 * ```ts
 * chunkFits(1, 100_000); // true: one long element has a chunk of its own
 * chunkFits(2, 2_000); // false
 * ```
 */
export function chunkFits(count: number, bytes: number): boolean {
  return count <= 1 || (count <= MOST_CHUNK_ELEMENTS && bytes <= MOST_CHUNK_BYTES);
}

/**
 * Elements in consecutive chunks that each {@linkcode chunkFits}: as few as the elements'
 * count needs, of even counts, each cut earlier where its bytes would not fit.
 *
 * @example
 * ```ts
 * const elements = Array.from({ length: 600 }, () => new Uint8Array(1));
 * chunked(elements).map((c) => c.length); // [200, 200, 200]
 * ```
 */
export function chunked(elements: readonly Uint8Array[]): Uint8Array[][] {
  const pieces = Math.ceil(elements.length / MOST_CHUNK_ELEMENTS);
  const even = Math.ceil(elements.length / Math.max(pieces, 1));
  const chunks: Uint8Array[][] = [];
  let chunk: Uint8Array[] = [];
  let bytes = 0;
  for (const element of elements) {
    const size = encodedSize(element);
    if (chunk.length > 0 && (chunk.length >= even || !chunkFits(chunk.length + 1, bytes + size))) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(element);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * The bytes of all the elements' {@linkcode encodedSize}s.
 *
 * @example
 * ```ts
 * encodedBytes([new Uint8Array(3), new Uint8Array(0)]); // 5
 * ```
 */
export function encodedBytes(elements: readonly Uint8Array[]): number {
  let bytes = 0;
  for (const element of elements) bytes += encodedSize(element);
  return bytes;
}

/** An end of a list: LEFT is the head (index 0), RIGHT the tail. */
export type ListEnd = "LEFT" | "RIGHT";

const EMPTY = new Uint8Array(0);

/** The statements that write a chunk's row: parameters key id, position, count, value. */
const CHUNK_SQL = {
  insert: "INSERT INTO lists (key_id, pos, count, value) VALUES (?, ?, ?, ?)",
  update: "UPDATE lists SET count = ?3, value = ?4 WHERE key_id = ?1 AND pos = ?2",
  delete: "DELETE FROM lists WHERE key_id = ? AND pos = ?",
} as const;

/** A statement and its parameters. */
export type ChunkWrite = [sql: string, ...params: (number | Uint8Array)[]];

/**
 * One chunk of a list held in memory while commands push and pop at its ends, and written back
 * once ({@linkcode ListChunk.write}). The elements read from its row stay encoded (`body`) until
 * a pop takes one; pushed elements are kept beside them, so that pushes decode nothing.
 *
 * @example
 * ```ts
 * const chunk = ListChunk.empty(0);
 * chunk.push("RIGHT", new Uint8Array([97]));
 * chunk.pop("LEFT"); // Uint8Array [97]
 * chunk.write(1); // ["DELETE ...", ...]: nothing was stored, so null
 * ```
 */
export class ListChunk {
  /** Its position in the list's rows. */
  pos: number;
  /** How many elements it holds. */
  count: number;
  /** The sum of its elements' {@linkcode encodedSize}s. */
  bytes: number;
  /** Whether its row exists. */
  stored: boolean;
  /** Whether it differs from its row. */
  changed = false;
  // Elements pushed at the left, the leftmost last; then the encoded elements read, as many as
  // bodyCount, in body's bytes from `from` to `to`; then elements pushed at the right, in order.
  readonly #front: Uint8Array[] = [];
  #body: Uint8Array;
  #from = 0;
  #to: number;
  #bodyCount: number;
  // Where the body's elements start, from the first pop at the right on (a length reads from its
  // start only); those popped at the left since stay in it, before `from`.
  #starts: number[] | undefined;
  readonly #back: Uint8Array[] = [];

  /**
   * @param pos its position
   * @param value its row's encoded elements
   * @param count how many elements `value` holds
   * @param stored whether its row exists
   */
  constructor(pos: number, value: Uint8Array, count: number, stored: boolean) {
    this.pos = pos;
    this.#body = value;
    this.#to = value.length;
    this.#bodyCount = count;
    this.count = count;
    this.bytes = value.length;
    this.stored = stored;
  }

  /**
   * A new chunk, with no row yet.
   *
   * @example
   * ```ts
   * ListChunk.empty(-1_000_000).count; // 0
   * ```
   */
  static empty(pos: number): ListChunk {
    return new ListChunk(pos, EMPTY, 0, false);
  }

  /**
   * Whether one more element fits ({@linkcode chunkFits}).
   *
   * @example
   * ```ts
   * ListChunk.empty(0).fits(new Uint8Array(5000)); // true: alone
   * ```
   */
  fits(element: Uint8Array): boolean {
    return chunkFits(this.count + 1, this.bytes + encodedSize(element));
  }

  /**
   * Adds an element at an end.
   *
   * @example
   * ```ts
   * ListChunk.empty(0).push("LEFT", new Uint8Array([97]));
   * ```
   */
  push(end: ListEnd, element: Uint8Array): void {
    (end === "LEFT" ? this.#front : this.#back).push(element);
    this.count++;
    this.bytes += encodedSize(element);
    this.changed = true;
  }

  /**
   * Removes and returns the element at an end; undefined when the chunk is empty.
   *
   * @example
   * ```ts
   * ListChunk.empty(0).pop("RIGHT"); // undefined
   * ```
   */
  pop(end: ListEnd): Uint8Array | undefined {
    const element = this.#at(end, true);
    if (element === undefined) return undefined;
    this.count--;
    this.bytes -= encodedSize(element);
    this.changed = true;
    return element;
  }

  /**
   * The element at an end, left in place; undefined when the chunk is empty.
   *
   * @example
   * ```ts
   * ListChunk.empty(0).peek("LEFT"); // undefined
   * ```
   */
  peek(end: ListEnd): Uint8Array | undefined {
    return this.#at(end, false);
  }

  // The element at an end, taken away when `take`.
  #at(end: ListEnd, take: boolean): Uint8Array | undefined {
    const [near, far] = end === "LEFT" ? [this.#front, this.#back] : [this.#back, this.#front];
    if (near.length > 0) return take ? near.pop() : near[near.length - 1];
    if (this.#bodyCount > 0) return end === "LEFT" ? this.#bodyFirst(take) : this.#bodyLast(take);
    if (far.length === 0) return undefined;
    return take ? far.shift() : far[0];
  }

  // The first element of the body, taken away when `take`.
  #bodyFirst(take: boolean): Uint8Array {
    const from = itemStart(this.#body, this.#from);
    const to = itemEnd;
    if (take) {
      this.#from = to;
      this.#bodyCount--;
    }
    return this.#body.subarray(from, to);
  }

  // The last element of the body, taken away when `take`.
  #bodyLast(take: boolean): Uint8Array {
    const starts = this.#starts ??= this.#elementStarts();
    const start = starts[starts.length - 1];
    const from = itemStart(this.#body, start);
    const to = itemEnd;
    if (take) {
      starts.pop();
      this.#to = start;
      this.#bodyCount--;
    }
    return this.#body.subarray(from, to);
  }

  #elementStarts(): number[] {
    const starts: number[] = [];
    for (let at = this.#from; at < this.#to; at = itemEnd) {
      starts.push(at);
      itemStart(this.#body, at);
    }
    return starts;
  }

  /**
   * The statement that writes the chunk's row as the chunk is now (an INSERT, an UPDATE, or a
   * DELETE when it is empty), for key `id`; null when the row is already so. The chunk then
   * counts as written: the caller must run it.
   *
   * @example
   * ```ts
   * const chunk = ListChunk.empty(0);
   * chunk.push("RIGHT", new Uint8Array([97]));
   * chunk.write(7); // [INSERT ..., 7, 0, 1, Uint8Array [1, 97]]
   * ```
   */
  write(id: number): ChunkWrite | null {
    if (!this.changed) return null;
    this.changed = false;
    if (this.count === 0) {
      if (!this.stored) return null;
      this.stored = false;
      return [CHUNK_SQL.delete, id, this.pos];
    }
    const sql = this.stored ? CHUNK_SQL.update : CHUNK_SQL.insert;
    this.stored = true;
    return [sql, id, this.pos, this.count, this.#value()];
  }

  // The encoded elements, in list order.
  #value(): Uint8Array {
    const front = this.#front;
    const back = this.#back;
    const body = this.#body.subarray(this.#from, this.#to);
    if (front.length === 0 && back.length === 0) return body;
    const value = new Uint8Array(this.bytes);
    let at = 0;
    for (let i = front.length - 1; i >= 0; i--) at = writeItem(value, at, front[i]);
    value.set(body, at);
    at += body.length;
    for (const element of back) at = writeItem(value, at, element);
    // The new value is the body from now on, so that the next write copies nothing again.
    this.#body = value;
    this.#from = 0;
    this.#to = value.length;
    this.#starts = undefined;
    this.#bodyCount = this.count;
    front.length = 0;
    back.length = 0;
    return value;
  }
}

/**
 * A list's chunks at its two ends as commands push and pop there (the same chunk at both when it
 * holds the whole list), and every chunk they changed since they were last written.
 */
export interface ListEnds {
  /** The chunk at the head, when read or made. */
  LEFT: ListChunk | undefined;
  /** The chunk at the tail, when read or made. */
  RIGHT: ListChunk | undefined;
  /** The chunks held since the last write: each is written when it {@linkcode ListChunk.changed}. */
  touched: ListChunk[];
}

/**
 * Ends holding no chunk yet.
 *
 * @example
 * ```ts
 * newListEnds().touched; // []
 * ```
 */
export function newListEnds(): ListEnds {
  return { LEFT: undefined, RIGHT: undefined, touched: [] };
}
