/**
 * HSCAN, SSCAN and ZSCAN over an element table: pages in BLOB order, with a cursor that
 * resumes after the last element returned.
 *
 * The guarantee Redis gives, and this keeps: an element present during the whole iteration is
 * returned at least once (possibly more than once); elements added or removed meanwhile may or
 * may not be.
 *
 * How the cursor works (Redlite's choice; Redis's cursor walks its hash table's buckets):
 *
 * - A collection of at most {@linkcode SCAN_WHOLE_SIZE} elements is returned whole with cursor
 *   0, whatever COUNT says, as Redis does for its small encodings (listpacks, intsets).
 * - A larger one is read in pages of COUNT elements in BLOB order. The cursor of a page names
 *   the last element it returned: a number (below 2^52, so exact in JavaScript) whose low 28
 *   bits are a random id in an in-memory table of this store, holding the element itself and
 *   the key's id, and whose high 24 bits are the element's first 3 bytes. The next call resumes
 *   just after that element, with one indexed range query: neither elements added nor elements
 *   removed meanwhile can make it skip one. A position rather than a count of elements already
 *   returned, which deletions would shift.
 * - The table keeps the last 4096 cursors of the store. A cursor it does not know (from
 *   another process or connection, from before a restart, too old, or of another key) resumes
 *   from its 3-byte prefix instead, which is at or before the element it named: some elements
 *   come again, none is skipped. Iterating from one process at a time always progresses; an
 *   iteration whose every step went to another process than the step before could repeat
 *   itself forever when more than COUNT elements share their first 3 bytes. (The ids are
 *   random so that another process's cursor is unlikely to name an entry here: 4096 entries
 *   out of 2^28 ids.)
 * - With MATCH, a literal prefix of the pattern narrows the range read; the rest of the
 *   pattern filters the page after it is read, as Redis does (so a page may come back empty
 *   with a cursor that is not 0).
 *
 * @module
 */

import { compareBytes } from "./bytes.ts";
import type { ElementTable } from "./elements.ts";
import { globMatch, globPrefix, prefixUpperBound } from "./glob.ts";
import type { KeyMeta } from "./keyspace.ts";
import type { Row, Store } from "./store.ts";

/** Collections up to this size are scanned whole in one call, with cursor 0. */
export const SCAN_WHOLE_SIZE = 128;

const ID_LIMIT = 2 ** 28;
const REMEMBERED = 4096;
const PREFIX_BYTES = 3;

/** Where a cursor resumes: after (or at) an element. */
interface Position {
  element: Uint8Array;
  exclusive: boolean;
}

/** The cursors a store handed out: the last element of each page, by entry id. */
class CursorTable {
  readonly #entries = new Map<number, { keyId: number; element: Uint8Array }>();

  remember(keyId: number, element: Uint8Array): number {
    // Random ids: a cursor of another process is unlikely to name an entry of this one.
    let id: number;
    do id = 1 + Math.floor(Math.random() * (ID_LIMIT - 1)); while (this.#entries.has(id));
    this.#entries.set(id, { keyId, element: element.slice() });
    if (this.#entries.size > REMEMBERED) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    return prefixNumber(element) * ID_LIMIT + id;
  }

  resolve(keyId: number, cursor: number): Position {
    const id = cursor % ID_LIMIT;
    const prefix = Math.floor(cursor / ID_LIMIT) % 2 ** (8 * PREFIX_BYTES);
    const entry = this.#entries.get(id);
    if (entry !== undefined && entry.keyId === keyId && prefixNumber(entry.element) === prefix) {
      return { element: entry.element, exclusive: true };
    }
    return { element: prefixBytes(prefix), exclusive: false };
  }
}

const tables = new WeakMap<Store, CursorTable>();

function cursorTable(store: Store): CursorTable {
  let table = tables.get(store);
  if (table === undefined) {
    table = new CursorTable();
    tables.set(store, table);
  }
  return table;
}

// The first bytes as a big-endian number, zero-padded.
function prefixNumber(element: Uint8Array): number {
  let value = 0;
  for (let i = 0; i < PREFIX_BYTES; i++) value = value * 256 + (element[i] ?? 0);
  return value;
}

// The bytes of a prefix number without its trailing zero bytes: a prefix of (so at or before)
// every element whose padded prefix it is.
function prefixBytes(prefix: number): Uint8Array {
  const bytes = new Uint8Array(PREFIX_BYTES);
  for (let i = PREFIX_BYTES - 1; i >= 0; i--) {
    bytes[i] = prefix % 256;
    prefix = Math.floor(prefix / 256);
  }
  let end = PREFIX_BYTES;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

/** What a scan step reads: MATCH (null for none) and COUNT. */
export interface ScanStepOptions {
  /** Only elements matching this glob; null for all. */
  match: Uint8Array | null;
  /** How many elements to read (a hint, as in Redis). */
  count: number;
}

/**
 * A scan step's options, or a function that parses them: HSCAN, SSCAN and ZSCAN read their
 * options only once the key is found, as Redis does (a missing key answers an empty scan, and
 * another type WRONGTYPE, whatever the options).
 */
export type ScanStepOptionsSource = ScanStepOptions | (() => ScanStepOptions);

/** One step of a scan: the cursor to continue from (0 at the end) and the rows found. */
export interface ScanStep {
  /** Where the next call continues; 0 when the iteration is over. */
  cursor: number;
  /** The rows of this step that MATCH accepted, in BLOB order. */
  rows: Row[];
}

const EMPTY = new Uint8Array(0);

/**
 * One step of HSCAN, SSCAN or ZSCAN over a key's elements (see the module's notes on the
 * cursor). `meta` is the key's metadata (null when it is missing).
 *
 * @example
 * ```ts
 * const meta = findTyped(db, key, KeyType.set);
 * const { cursor, rows } = scanElements(db.store, SET_MEMBERS, meta, 0, { match: null, count: 10 });
 * ```
 */
export function scanElements(
  store: Store,
  table: ElementTable,
  meta: KeyMeta | null,
  cursor: number,
  options: ScanStepOptionsSource,
): ScanStep {
  if (meta === null) return { cursor: 0, rows: [] };
  const { match, count } = typeof options === "function" ? options() : options;
  const filter = (rows: Row[]) =>
    match === null ? rows : rows.filter((row) => globMatch(match, table.element(row)));
  if (meta.size <= SCAN_WHOLE_SIZE) return { cursor: 0, rows: filter(table.all(store, meta.id)) };
  const cursors = cursorTable(store);
  let from: Position = cursor === 0
    ? { element: EMPTY, exclusive: false }
    : cursors.resolve(meta.id, cursor);
  let upper: Uint8Array | null = null;
  if (match !== null) {
    const literal = globPrefix(match);
    upper = prefixUpperBound(literal);
    if (compareBytes(literal, from.element) > 0) from = { element: literal, exclusive: false };
  }
  const limit = Math.min(count, meta.size) + 1;
  const rows = table.page(store, meta.id, from.element, from.exclusive, upper, limit);
  if (rows.length <= count) return { cursor: 0, rows: filter(rows) };
  rows.length = count;
  return { cursor: cursors.remember(meta.id, table.element(rows[count - 1])), rows: filter(rows) };
}
