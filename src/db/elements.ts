/**
 * The element tables of collections whose elements are unique byte strings in BLOB order (hash
 * fields, set members, sorted set members): the SQL that the helpers shared by these types
 * (scans, random picks) run on them, written once per table.
 *
 * @module
 */

import type { Row, Store } from "./store.ts";

/**
 * An element table keyed by `(key_id, <element column>)`, with the SQL that walks it in
 * BLOB order. Every statement selects the element column first, then the other columns.
 *
 * @example
 * ```ts
 * const hashFields = new ElementTable("hashes", "field", ["value"]);
 * const first = hashFields.first(store, keyId); // { field, value } or undefined
 * ```
 */
export class ElementTable {
  /** The table's name. */
  readonly table: string;
  /** The column holding the element (the second part of the primary key). */
  readonly column: string;
  /** The selected columns, the element first, as SQL. */
  readonly selected: string;
  readonly #first: string;
  readonly #last: string;
  readonly #atOrAfter: string;
  readonly #lastBefore: string;
  readonly #all: string;
  readonly #nth: string;
  readonly #offsetFrom: string;
  readonly #counts: readonly string[];
  readonly #pages: readonly string[];

  /**
   * @param table the table's name
   * @param column the element column
   * @param extra other columns to select with it (a hash's value, a sorted set's score)
   */
  constructor(table: "hashes" | "sets" | "zsets", column: string, extra: readonly string[] = []) {
    this.table = table;
    this.column = column;
    this.selected = [column, ...extra].join(", ");
    const from = `SELECT ${this.selected} FROM ${table} WHERE key_id = ?`;
    this.#first = `${from} ORDER BY ${column} LIMIT 1`;
    this.#last = `${from} ORDER BY ${column} DESC LIMIT 1`;
    this.#atOrAfter = `${from} AND ${column} >= ? ORDER BY ${column} LIMIT 1`;
    this.#lastBefore = `${from} AND ${column} < ? ORDER BY ${column} DESC LIMIT 1`;
    this.#all = `${from} ORDER BY ${column}`;
    this.#nth = `${from} ORDER BY ${column} LIMIT 1 OFFSET ?`;
    this.#offsetFrom = `${from} AND ${column} >= ? ORDER BY ${column} LIMIT 1 OFFSET ?`;
    const range = `SELECT 1 FROM ${table} WHERE key_id = ? AND ${column} >= ?`;
    this.#counts = [
      `SELECT count(*) AS n FROM (${range} LIMIT ?)`,
      `SELECT count(*) AS n FROM (${range} AND ${column} < ? LIMIT ?)`,
    ];
    // Pages: lower bound inclusive or exclusive, with or without an exclusive upper bound.
    this.#pages = [">=", ">"].flatMap((lower) => [
      `${from} AND ${column} ${lower} ? ORDER BY ${column} LIMIT ?`,
      `${from} AND ${column} ${lower} ? AND ${column} < ? ORDER BY ${column} LIMIT ?`,
    ]);
  }

  /**
   * The element of a row.
   *
   * @example
   * ```ts
   * table.element({ member: new Uint8Array([97]) }); // Uint8Array [97]
   * ```
   */
  element(row: Row): Uint8Array {
    return row[this.column] as Uint8Array;
  }

  /**
   * The first row of a key in BLOB order, or undefined when it has none.
   *
   * @example
   * ```ts
   * table.first(store, 1);
   * ```
   */
  first(store: Store, keyId: number): Row | undefined {
    return store.get(this.#first, keyId);
  }

  /**
   * The last row of a key in BLOB order, or undefined when it has none.
   *
   * @example
   * ```ts
   * table.last(store, 1);
   * ```
   */
  last(store: Store, keyId: number): Row | undefined {
    return store.get(this.#last, keyId);
  }

  /**
   * The first row whose element is at or after `element`, or undefined.
   *
   * @example
   * ```ts
   * table.atOrAfter(store, 1, new TextEncoder().encode("m"));
   * ```
   */
  atOrAfter(store: Store, keyId: number, element: Uint8Array): Row | undefined {
    return store.get(this.#atOrAfter, keyId, element);
  }

  /**
   * The last row whose element is before `element`, or undefined.
   *
   * @example
   * ```ts
   * table.lastBefore(store, 1, new TextEncoder().encode("m"));
   * ```
   */
  lastBefore(store: Store, keyId: number, element: Uint8Array): Row | undefined {
    return store.get(this.#lastBefore, keyId, element);
  }

  /**
   * Every row of a key, in BLOB order.
   *
   * @example
   * ```ts
   * table.all(store, 1);
   * ```
   */
  all(store: Store, keyId: number): Row[] {
    return store.all(this.#all, keyId);
  }

  /**
   * Every row of a key, in BLOB order, read one at a time (stop early by leaving the loop).
   *
   * @example
   * ```ts
   * for (const row of table.iterate(store, 1)) console.log(row);
   * ```
   */
  iterate(store: Store, keyId: number): Iterable<Row> {
    return store.statement(this.#all).iterate(keyId) as Iterable<Row>;
  }

  /**
   * The row at position `index` (from 0) in BLOB order, or undefined. Walks `index` rows: for
   * small collections only.
   *
   * @example
   * ```ts
   * table.nth(store, 1, 0); // the first row
   * ```
   */
  nth(store: Store, keyId: number, index: number): Row | undefined {
    return store.get(this.#nth, keyId, index);
  }

  /**
   * The row `offset` places after the first one at or after `element`, or undefined. Walks
   * `offset` rows.
   *
   * @example
   * ```ts
   * table.offsetFrom(store, 1, new TextEncoder().encode("m"), 3);
   * ```
   */
  offsetFrom(store: Store, keyId: number, element: Uint8Array, offset: number): Row | undefined {
    return store.get(this.#offsetFrom, keyId, element, offset);
  }

  /**
   * How many rows are at or after `lower` (and before `upper` when given), counting up to
   * `limit`: walks that many rows at most.
   *
   * @example
   * ```ts
   * table.countRange(store, 1, new TextEncoder().encode("m"), null, 100);
   * ```
   */
  countRange(
    store: Store,
    keyId: number,
    lower: Uint8Array,
    upper: Uint8Array | null,
    limit: number,
  ): number {
    const row = upper === null
      ? store.get(this.#counts[0], keyId, lower, limit)
      : store.get(this.#counts[1], keyId, lower, upper, limit);
    return row!.n as number;
  }

  /**
   * Up to `limit` rows in BLOB order from `lower` (included, or excluded when `exclusive`),
   * below `upper` when it is given.
   *
   * @example
   * ```ts
   * table.page(store, 1, new Uint8Array(0), false, null, 10); // the first ten rows
   * ```
   */
  page(
    store: Store,
    keyId: number,
    lower: Uint8Array,
    exclusive: boolean,
    upper: Uint8Array | null,
    limit: number,
  ): Row[] {
    const sql = this.#pages[(exclusive ? 2 : 0) + (upper === null ? 0 : 1)];
    return upper === null
      ? store.all(sql, keyId, lower, limit)
      : store.all(sql, keyId, lower, upper, limit);
  }
}

/** The fields of hashes, with their values. */
export const HASH_FIELDS: ElementTable = new ElementTable("hashes", "field", ["value"]);

/** The members of sets. */
export const SET_MEMBERS: ElementTable = new ElementTable("sets", "member");
