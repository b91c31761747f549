/**
 * Version 4 of the schema: lists in chunks (list_chunks.ts) where they were one row per element.
 * {@linkcode chunkStoredLists} converts the lists table and the lists' recorded states (HISTORY).
 *
 * @module
 */

import type { DatabaseSync, StatementSync } from "node:sqlite";
import {
  chunked,
  encodeChunk,
  encodedBytes,
  MOST_CHUNK_ELEMENTS,
  POSITION_GAP,
} from "./list_chunks.ts";
import { toBytes } from "./bytes.ts";
import { commaIntegers, concatenating, readMany, splitConcatenated } from "./concatenated.ts";
import type { Values } from "./store.ts";

// Version 4: lists in chunks, as Redis's quicklist keeps a list in listpacks (see list_chunks.ts).
const LIST_CHUNKS_SQL = `
-- A list's elements in chunks of consecutive elements, in list order by \`pos\`: up to 240
-- elements a chunk, \`count\` of them, and \`value\` each element's length (an unsigned LEB128
-- varint) then its bytes, within 960 bytes unless the chunk holds one longer element (so that a
-- row fits in its B-tree page). A push or a pop rewrites the chunk at its end. Chunks are spaced
-- 1,000,000 (POSITION_GAP) apart: a new chunk at either end goes one gap beyond it, a chunk split
-- in two takes positions between its neighbours, and a list is renumbered when there is no room.
-- A recorded state of a list (HISTORY's key_history_elements) holds its chunks the same way, each
-- in \`member\` at its position.
CREATE TABLE lists (
  key_id INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  count INTEGER NOT NULL,
  value BLOB NOT NULL,
  PRIMARY KEY (key_id, pos)
) WITHOUT ROWID;
`;

// A node:sqlite statement in array mode (Node 24's setReturnArrays, missing from Deno's types).
type ArrayModeStatement = StatementSync & { setReturnArrays(enabled: boolean): void };

function arrayStatement(sql: DatabaseSync, text: string): StatementSync {
  const statement = sql.prepare(text) as ArrayModeStatement;
  statement.setReturnArrays(true);
  return statement;
}

// The most elements of one list held in memory while its chunks are made: a longer list is
// chunked this many elements at a time (a multiple of MOST_CHUNK_ELEMENTS, so that only its last
// chunks can hold fewer).
const MIGRATION_WINDOW = MOST_CHUNK_ELEMENTS * 1024;

/**
 * Cuts the elements of lists, given in list order one list after another, into chunks, and
 * hands each to `write` with its owner and position (the k-th chunk of a list at k gaps).
 */
class ChunkWriter {
  #owner: number | null = null;
  #elements: Uint8Array[] = [];
  #next = 0;

  constructor(
    private readonly write: (owner: number, pos: number, chunk: Uint8Array[]) => void,
  ) {}

  /** Adds the next element of `owner`'s list (ending the previous owner's list). */
  add(owner: number, element: Uint8Array): void {
    if (owner !== this.#owner) {
      this.end();
      this.#owner = owner;
    }
    this.#elements.push(element);
    if (this.#elements.length >= MIGRATION_WINDOW) this.#flush();
  }

  /** Writes the chunks of the list added last. */
  end(): void {
    this.#flush();
    this.#owner = null;
    this.#next = 0;
  }

  #flush(): void {
    if (this.#owner === null || this.#elements.length === 0) return;
    for (const chunk of chunked(this.#elements)) {
      this.write(this.#owner, this.#next++ * POSITION_GAP, chunk);
    }
    this.#elements = [];
  }
}

// Renames a table without rewriting what names it elsewhere: HISTORY's triggers read the lists
// table by name, and ALTER TABLE would make them name the renamed one (then dropped).
function renameTableOnly(sql: DatabaseSync, table: string, to: string): void {
  const legacy = sql.prepare("PRAGMA legacy_alter_table").get() as { legacy_alter_table: number };
  sql.exec("PRAGMA legacy_alter_table = ON");
  try {
    sql.exec(`ALTER TABLE ${table} RENAME TO ${to}`);
  } finally {
    sql.exec(`PRAGMA legacy_alter_table = ${legacy.legacy_alter_table}`);
  }
}

// The old lists table is read a page of rows at a time, after the last row read, the page's
// values, key ids and positions each concatenated into one value (not one value per element
// from node:sqlite: see concatenated.ts), or as rows where its values are too long for one.
const OLD_LIST_PAGE = 1024;

const OLD_LIST_PAGES = ["", "WHERE (key_id, pos) > (?, ?)"].map((after) => {
  const rows = `SELECT key_id, pos, value FROM lists_v3 ${after} ORDER BY key_id, pos ` +
    `LIMIT ${OLD_LIST_PAGE}`;
  return {
    rows,
    concatenated: "SELECT group_concat(octet_length(value)), " +
      "CAST(group_concat(value, '') AS BLOB), group_concat(key_id), group_concat(pos) " +
      `FROM (${rows})`,
  };
});

/** A page of the old lists table: its elements, the key id of each, and the last row's key. */
type OldListPage = { keyIds: number[]; elements: Uint8Array[]; last: [number, bigint] };

// The last of comma-separated integers, exactly.
const lastInteger = (text: string) => BigInt(text.slice(text.lastIndexOf(",") + 1));

/** The statements reading a page of the old lists table, as rows and concatenated. */
type PageStatements = { rows: StatementSync; concatenated: StatementSync };

// The page of the old lists table after the row `cursor` (the first page when empty), in key
// and list order; null past its end.
function oldListPage(page: PageStatements, cursor: [] | [number, bigint]): OldListPage | null {
  return readMany(OLD_LIST_PAGE, () => {
    const row = page.concatenated.get(...cursor) as unknown as Values;
    if (typeof row[2] !== "string") return null;
    const last: [number, bigint] = [Number(lastInteger(row[2])), lastInteger(String(row[3]))];
    return { keyIds: commaIntegers(row[2]), elements: splitConcatenated(row), last };
  }, () => {
    const rows = page.rows.all(...cursor) as unknown as Values[];
    if (rows.length === 0) return null;
    const last = rows.at(-1)!;
    return {
      keyIds: rows.map((row) => row[0] as number),
      elements: rows.map((row) => toBytes(row[2] as Uint8Array | string)),
      last: [last[0] as number, BigInt(last[1] as number)],
    };
  });
}

// The old lists table's pages, in key and list order.
function* oldListPages(sql: DatabaseSync): Generator<OldListPage> {
  const [first, next] = OLD_LIST_PAGES.map((page) => ({
    rows: arrayStatement(sql, page.rows),
    concatenated: arrayStatement(sql, page.concatenated),
  }));
  for (let page = oldListPage(first, []); page !== null; page = oldListPage(next, page.last)) {
    yield page;
  }
}

// Rewrites every list, one row per element, as chunks in the new lists table, reading the old
// one in key and list order.
function chunkLists(sql: DatabaseSync): void {
  renameTableOnly(sql, "lists", "lists_v3");
  sql.exec(LIST_CHUNKS_SQL);
  const insert = sql.prepare("INSERT INTO lists (key_id, pos, count, value) VALUES (?, ?, ?, ?)");
  const writer = new ChunkWriter((keyId, pos, chunk) => {
    insert.run(keyId, pos, chunk.length, encodeChunk(chunk, encodedBytes(chunk)));
  });
  for (const page of oldListPages(sql)) {
    page.elements.forEach((element, i) => writer.add(page.keyIds[i], element));
  }
  writer.end();
  sql.exec("DROP TABLE lists_v3");
}

const OLD_STATE_ROWS =
  "SELECT member FROM key_history_elements WHERE history_id = ? ORDER BY pos, member";

// Rewrites the recorded states of lists (HISTORY), one row per element, as one row per chunk:
// the chunk in \`member\` at k gaps, as the triggers copy the lists table's rows now. A state's
// elements are read (concatenated unless too long for one value) before its rows are replaced:
// a chunk's bytes may equal an element's.
function chunkListHistory(sql: DatabaseSync): void {
  const concatenated = arrayStatement(sql, concatenating(`${OLD_STATE_ROWS} LIMIT -1`, ["member"]));
  const rows = arrayStatement(sql, OLD_STATE_ROWS);
  const remove = sql.prepare("DELETE FROM key_history_elements WHERE history_id = ?");
  const insert = sql.prepare(
    "INSERT INTO key_history_elements (history_id, pos, member, value, score) " +
      "VALUES (?, ?, ?, NULL, NULL)",
  );
  const writer = new ChunkWriter((id, pos, chunk) => {
    insert.run(id, pos, encodeChunk(chunk, encodedBytes(chunk)));
  });
  const states = arrayStatement(sql, "SELECT id, size FROM key_history WHERE type = 3 ORDER BY id")
    .all() as unknown as [number, number][];
  for (const [id, size] of states) {
    const elements = readMany(
      size,
      () => splitConcatenated(concatenated.get(id) as unknown as Values),
      () =>
        (rows.all(id) as unknown as Values[]).map((row) => toBytes(row[0] as Uint8Array | string)),
    );
    remove.run(id);
    for (const element of elements) writer.add(id, element);
    writer.end();
  }
}

/**
 * Converts a version-3 file's lists (one row per element) and their recorded states into chunks.
 * Runs inside the migration's transaction.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * const sql = new DatabaseSync(":memory:");
 * sql.exec("CREATE TABLE lists (key_id INTEGER, pos INTEGER, value BLOB, PRIMARY KEY (key_id, pos)) WITHOUT ROWID");
 * sql.exec("CREATE TABLE key_history (id INTEGER PRIMARY KEY, type INTEGER, size INTEGER)");
 * sql.exec("CREATE TABLE key_history_elements (history_id INTEGER, pos INTEGER, member BLOB, value BLOB, score REAL)");
 * chunkStoredLists(sql);
 * ```
 */
export function chunkStoredLists(sql: DatabaseSync): void {
  chunkLists(sql);
  chunkListHistory(sql);
}
