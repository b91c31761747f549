/**
 * Many values read as one: node:sqlite gives every BLOB of a result an ArrayBuffer of its own,
 * which costs more than reading its row. A query wrapped by {@linkcode concatenating} returns
 * one row instead, the values' byte lengths and their bytes in one blob, and
 * {@linkcode splitConcatenated} cuts that blob into views. LRANGE of 100 elements reads three
 * times faster so, HGETALL of 100 fields more than twice; the concatenating query costs about
 * three rows more of its own, so that fewer than {@linkcode FEWEST_CONCATENATED} values are read
 * as rows.
 *
 * @module
 */

import type { Values } from "./store.ts";

/**
 * Wraps a query whose rows have BLOB columns (`value` unless `columns` names others), in the
 * order they should come back, into one that returns a single row: for each column, the byte
 * lengths of its values, comma-separated, then all their bytes concatenated (both NULL when
 * there are no rows). The inner query must deliver its rows in order (an ORDER BY with a LIMIT;
 * `LIMIT -1` for all): SQLite concatenates them as they come.
 *
 * @example
 * ```ts
 * concatenating("SELECT member FROM sets WHERE key_id = ? ORDER BY member LIMIT ? OFFSET ?");
 * concatenating("SELECT field, value FROM hashes WHERE key_id = ? ORDER BY field LIMIT -1", [
 *   "field",
 *   "value",
 * ]);
 * ```
 */
export function concatenating(query: string, columns: readonly string[] = ["value"]): string {
  const aggregates = columns.map((column) =>
    `group_concat(octet_length(${column})), CAST(group_concat(${column}, '') AS BLOB)`
  );
  return `SELECT ${aggregates.join(", ")} FROM (${query})`;
}

const EMPTY = new Uint8Array(0);

/**
 * From this many values on, reading them concatenated costs less than reading them as rows:
 * below, the concatenating query's own cost (about that of three rows) is more than the values'
 * buffers it saves. (It was 10 while every LIMIT parameter made SQLite prepare the statement
 * again on each run: see `preparedSql` in store.ts.)
 */
export const FEWEST_CONCATENATED = 4;

/**
 * The values of one column of a {@linkcode concatenating} query's row (the `column`-th it
 * concatenated, from 0), as views of its blob.
 *
 * @example
 * ```ts
 * splitConcatenated(["1,2", new Uint8Array([97, 98, 99])]); // [a, bc] as bytes
 * splitConcatenated(["1", new Uint8Array([97]), "1", new Uint8Array([98])], 1); // [b] as bytes
 * splitConcatenated([null, null]); // []
 * ```
 */
export function splitConcatenated(row: Values | undefined, column = 0): Uint8Array[] {
  const lengths = row?.[2 * column];
  if (typeof lengths !== "string") return [];
  const bytes = concatenatedBlob(row![2 * column + 1]);
  let at = 0;
  return commaIntegers(lengths).map((length) => bytes.subarray(at, at += length));
}

/**
 * The bytes of a concatenated blob column: a blob of only empty values comes back as an empty
 * text or a NULL.
 *
 * @example
 * ```ts
 * concatenatedBlob(null); // Uint8Array []
 * ```
 */
export function concatenatedBlob(column: unknown): Uint8Array {
  return column instanceof Uint8Array ? column : EMPTY;
}

/**
 * The integers of a `group_concat` of integers (comma-separated, each within ±2^53).
 *
 * @example
 * ```ts
 * commaIntegers("3,-20,0"); // [3, -20, 0]
 * ```
 */
export function commaIntegers(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let sign = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) { // ','
      out.push(sign * value);
      value = 0;
      sign = 1;
    } else if (c === 45) sign = -1; // '-'
    else value = value * 10 + (c - 48);
  }
  out.push(sign * value);
  return out;
}

/** SQLite's result code for a string or blob over its length limit (1,000,000,000 bytes here). */
const SQLITE_TOOBIG = 18;

/**
 * Reads `count` elements: as rows when they are fewer than {@linkcode FEWEST_CONCATENATED},
 * else with `concatenated` (a {@linkcode concatenating} query cut by
 * {@linkcode splitConcatenated}), and as rows again when their bytes together are longer than
 * SQLite allows one value to be (each alone may be as long as a string key's).
 *
 * @example
 * ```ts
 * readMany(20, () => ["concatenated"], () => ["rows"]); // ["concatenated"]
 * readMany(3, () => ["concatenated"], () => ["rows"]); // ["rows"]
 * ```
 */
export function readMany<T>(count: number, concatenated: () => T, rows: () => T): T {
  if (count < FEWEST_CONCATENATED) return rows();
  try {
    return concatenated();
  } catch (error) {
    if ((error as { errcode?: number }).errcode !== SQLITE_TOOBIG) throw error;
    return rows();
  }
}
