/**
 * Full-text search (FTS, FTSEARCH) over string values and hash fields' values, with SQLite's FTS5.
 *
 * Indexing is opted into per database by Redis glob patterns (`fts_patterns`): every string key
 * and every field of every hash key whose name matches one is a document of the FTS5 table `fts`
 * (tokenizer unicode61, diacritics removed), listed in `fts_docs` by (db, key, field). SQLite
 * triggers keep the index in step with every write, DEL, expiry, RENAME, MOVE, COPY and FLUSH; they
 * exist only while some pattern does, so a file without one pays nothing on its writes. While they
 * exist, every write to the keys and hashes tables pays one test of the patterns (a range
 * comparison, and SQLite's GLOB for patterns that are not a prefix and `*`).
 *
 * @module
 */

import type { SQLInputValue } from "node:sqlite";
import { RedisError } from "./errors.ts";
import { sqlGlob } from "./glob.ts";
import type { Scope } from "./keyspace.ts";
import type { Store } from "./store.ts";

// #region triggers

// Whether a keys row `r` (or a row with db and key columns) is covered by a pattern of its database.
const covered = (r: string) =>
  `EXISTS (SELECT 1 FROM fts_patterns p WHERE p.db = ${r}.db AND ${r}.key >= p.prefix ` +
  `AND (p.upper IS NULL OR ${r}.key < p.upper) AND (p.glob IS NULL OR ${r}.key GLOB p.glob))`;

// Whether the hash with keys row id `id` is covered.
const coveredHash = (id: string) =>
  `EXISTS (SELECT 1 FROM keys k JOIN fts_patterns p ON p.db = k.db WHERE k.id = ${id} ` +
  "AND k.key >= p.prefix AND (p.upper IS NULL OR k.key < p.upper) " +
  "AND (p.glob IS NULL OR k.key GLOB p.glob))";

// The documents of a field of the hash with keys row id `id`.
const fieldDocs = (id: string, field: string) =>
  "SELECT d.id FROM keys k JOIN fts_docs d ON d.db = k.db AND d.key = k.key " +
  `AND d.field = ${field} WHERE k.id = ${id}`;

// Documents leave by their fts_docs rows alone: the trigger fts_doc_deleted removes each one's
// text by its rowid. (FTS5 answers `rowid IN (...)` by scanning the whole table: a hundred times
// slower than one lookup per document already at a thousand documents.)
const unindexKey = (r: string) => `
  DELETE FROM fts_docs WHERE db = ${r}.db AND key = ${r}.key;`;

const unindexField = (id: string, field: string) => `
  DELETE FROM fts_docs WHERE id IN (${fieldDocs(id, field)});`;

const INDEX_NEW_STRING = `
  INSERT INTO fts_docs (db, key, field) VALUES (NEW.db, NEW.key, NULL);
  INSERT INTO fts (rowid, value) VALUES (last_insert_rowid(), NEW.value);`;

const INDEX_NEW_FIELD = `
  INSERT INTO fts_docs (db, key, field) SELECT db, key, NEW.field FROM keys WHERE id = NEW.key_id;
  INSERT INTO fts (rowid, value) VALUES (last_insert_rowid(), NEW.value);`;

// A key arriving under a covered name (RENAME, MOVE, a set operation's result): its string value,
// or every field of its hash.
const INDEX_NEW_KEY = `
  INSERT INTO fts_docs (db, key, field) SELECT NEW.db, NEW.key, NULL WHERE NEW.type = 1;
  INSERT INTO fts_docs (db, key, field)
    SELECT NEW.db, NEW.key, field FROM hashes WHERE key_id = NEW.id AND NEW.type = 2;
  INSERT INTO fts (rowid, value)
    SELECT d.id, CASE WHEN d.field IS NULL THEN NEW.value ELSE h.value END
    FROM fts_docs d LEFT JOIN hashes h ON h.key_id = NEW.id AND h.field = d.field
    WHERE d.db = NEW.db AND d.key = NEW.key;`;

const MOVED = "(NEW.db IS NOT OLD.db OR NEW.key IS NOT OLD.key)";

const TRIGGERS: readonly [name: string, definition: string][] = [
  [
    "fts_doc_deleted",
    `AFTER DELETE ON fts_docs BEGIN
  DELETE FROM fts WHERE rowid = OLD.id;
END`,
  ],
  [
    "fts_string_created",
    `AFTER INSERT ON keys WHEN NEW.type = 1 AND ${covered("NEW")} BEGIN${INDEX_NEW_STRING}
END`,
  ],
  [
    "fts_string_written",
    `AFTER UPDATE OF value ON keys WHEN NEW.type = 1 AND ${covered("NEW")} BEGIN${
      unindexKey("NEW")
    }${INDEX_NEW_STRING}
END`,
  ],
  [
    "fts_moved_away",
    `AFTER UPDATE OF db, key ON keys WHEN ${MOVED}
  AND EXISTS (SELECT 1 FROM fts_docs WHERE db = OLD.db AND key = OLD.key) BEGIN${unindexKey("OLD")}
END`,
  ],
  [
    "fts_moved_here",
    `AFTER UPDATE OF db, key ON keys WHEN ${MOVED} AND NEW.type IN (1, 2) AND ${
      covered("NEW")
    } BEGIN${INDEX_NEW_KEY}
END`,
  ],
  [
    "fts_key_deleted",
    `AFTER DELETE ON keys WHEN EXISTS (SELECT 1 FROM fts_docs WHERE db = OLD.db AND key = OLD.key)
  BEGIN${unindexKey("OLD")}
END`,
  ],
  [
    "fts_field_created",
    `AFTER INSERT ON hashes WHEN ${coveredHash("NEW.key_id")} BEGIN${INDEX_NEW_FIELD}
END`,
  ],
  [
    "fts_field_written",
    `AFTER UPDATE OF value ON hashes WHEN ${coveredHash("NEW.key_id")} BEGIN${
      unindexField("NEW.key_id", "NEW.field")
    }${INDEX_NEW_FIELD}
END`,
  ],
  [
    "fts_field_deleted",
    `AFTER DELETE ON hashes WHEN EXISTS (${fieldDocs("OLD.key_id", "OLD.field")}) BEGIN${
      unindexField("OLD.key_id", "OLD.field")
    }
END`,
  ],
];

const CREATE_TRIGGERS_SQL = TRIGGERS
  .map(([name, definition]) => `CREATE TRIGGER IF NOT EXISTS ${name} ${definition};`)
  .join("\n");

const DROP_TRIGGERS_SQL = TRIGGERS.map(([name]) => `DROP TRIGGER IF EXISTS ${name};`).join("\n");

/**
 * Whether the index's triggers are installed in the file (some pattern is enabled).
 *
 * @example
 * ```ts
 * searchTriggersInstalled(store); // false in a new file
 * ```
 */
export function searchTriggersInstalled(store: Store): boolean {
  return store.get(
    "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?",
    TRIGGERS[0][0],
  ) !== undefined;
}

// #endregion triggers
// #region patterns

// Indexes the keys of database ?1 that the condition covers and no document lists yet: string
// values, then hash fields, then the text of every document added.
const indexStatements = (condition: string) => [
  "INSERT INTO fts_docs (db, key, field) SELECT k.db, k.key, NULL FROM keys k " +
  `WHERE k.db = ?1 AND k.type = 1 AND ${condition} ` +
  "AND NOT EXISTS (SELECT 1 FROM fts_docs d WHERE d.db = k.db AND d.key = k.key)",
  "INSERT INTO fts_docs (db, key, field) SELECT k.db, k.key, h.field FROM keys k " +
  `JOIN hashes h ON h.key_id = k.id WHERE k.db = ?1 AND k.type = 2 AND ${condition} ` +
  "AND NOT EXISTS (SELECT 1 FROM fts_docs d WHERE d.db = k.db AND d.key = k.key)",
];

// The keys one pattern covers (?2 prefix, ?3 upper, ?4 glob): a range of the keys index.
const PATTERN_CONDITION =
  "k.key >= ?2 AND (?3 IS NULL OR k.key < ?3) AND (?4 IS NULL OR k.key GLOB ?4)";

const INDEX_PATTERN_SQL = indexStatements(PATTERN_CONDITION);
const INDEX_ALL_SQL = indexStatements(covered("k"));

const INDEX_TEXTS_SQL = "INSERT INTO fts (rowid, value) " +
  "SELECT d.id, CASE WHEN d.field IS NULL THEN k.value ELSE h.value END FROM fts_docs d " +
  "JOIN keys k ON k.db = d.db AND k.key = d.key " +
  "LEFT JOIN hashes h ON h.key_id = k.id AND h.field = d.field WHERE d.id > ?";

// Runs index statements and returns how many documents they added.
function indexDocuments(store: Store, statements: string[], ...params: SQLInputValue[]): number {
  const before = Number(store.get("SELECT ifnull(max(id), 0) AS id FROM fts_docs")!.id);
  let added = 0;
  for (const sql of statements) added += store.run(sql, ...params);
  if (added > 0) store.run(INDEX_TEXTS_SQL, before);
  return added;
}

/**
 * FTS ENABLE: indexes the string values and hash fields of the keys of the selected database
 * matching a glob pattern, now and from now on. Returns 1 when the pattern is new, 0 when it was
 * enabled already.
 *
 * @example
 * ```ts
 * ftsEnable(db, new TextEncoder().encode("doc:*")); // 1
 * ```
 */
export function ftsEnable(scope: Scope, pattern: Uint8Array): number {
  const store = scope.store;
  const { prefix, upper, glob } = sqlGlob(pattern);
  return store.write(() => {
    const added = store.runReturning(
      "INSERT INTO fts_patterns (db, pattern, prefix, upper, glob) VALUES (?, ?, ?, ?, ?) " +
        "ON CONFLICT DO NOTHING RETURNING 1",
      scope.index,
      pattern,
      prefix,
      upper,
      glob,
    );
    if (added === undefined) return 0;
    store.execSchema(CREATE_TRIGGERS_SQL);
    indexDocuments(store, INDEX_PATTERN_SQL, scope.index, prefix, upper, glob);
    return 1;
  });
}

/**
 * FTS DISABLE: stops indexing the keys of a pattern of the selected database, and removes from
 * the index those no other pattern covers. Returns 1 when the pattern was enabled, else 0.
 *
 * @example
 * ```ts
 * ftsDisable(db, new TextEncoder().encode("doc:*")); // 1
 * ```
 */
export function ftsDisable(scope: Scope, pattern: Uint8Array): number {
  const store = scope.store;
  return store.write(() => {
    const removed = store.run(
      "DELETE FROM fts_patterns WHERE db = ? AND pattern = ?",
      scope.index,
      pattern,
    );
    if (removed === 0) return 0;
    unindexUncovered(store, scope.index);
    if (store.get("SELECT 1 FROM fts_patterns LIMIT 1") === undefined) {
      store.execSchema(DROP_TRIGGERS_SQL);
    }
    return 1;
  });
}

// The documents no pattern covers any more leave (their texts with them, by trigger).
function unindexUncovered(store: Store, db: number): void {
  store.run(`DELETE FROM fts_docs WHERE db = ? AND NOT ${covered("fts_docs")}`, db);
}

/**
 * FTS LIST: the patterns enabled in the selected database, in byte order.
 *
 * @example
 * ```ts
 * ftsList(db); // [bytes of "doc:*"]
 * ```
 */
export function ftsList(scope: Scope): Uint8Array[] {
  return scope.store.all(
    "SELECT pattern FROM fts_patterns WHERE db = ? ORDER BY pattern",
    scope.index,
  ).map((row) => row.pattern as Uint8Array);
}

/**
 * FTS REINDEX: rebuilds the selected database's index from its keys and patterns (and drops
 * texts no document lists, in any database), and merges the FTS5 index's segments. Returns how many documents (string values and hash fields) it holds.
 *
 * @example
 * ```ts
 * ftsReindex(db); // 0
 * ```
 */
export function ftsReindex(scope: Scope): number {
  const store = scope.store;
  return store.write(() => {
    // The documents leave with their texts (by trigger, while some pattern exists), then any
    // text no document lists (a damaged index, or no trigger): their rowids would be taken again.
    store.run("DELETE FROM fts_docs WHERE db = ?", scope.index);
    store.run("DELETE FROM fts WHERE rowid NOT IN (SELECT id FROM fts_docs)");
    const documents = indexDocuments(store, INDEX_ALL_SQL, scope.index);
    store.run("INSERT INTO fts (fts) VALUES ('optimize')");
    return documents;
  });
}

// #endregion patterns
// #region searching

/** Options of {@linkcode ftsearch}. */
export interface SearchOptions {
  /** At most this many results (default 10). */
  limit?: number;
  /** Mark the matched terms of each result's text with these tags. */
  highlight?: [open: Uint8Array, close: Uint8Array];
}

/** One result of {@linkcode ftsearch}. */
export interface SearchResult {
  /** The key. */
  key: Uint8Array;
  /** The hash field whose value matched; null for a string key. */
  field: Uint8Array | null;
  /** bm25's relevance, made positive: larger is more relevant. */
  score: number;
  /** The matched text with its terms marked, when asked for. */
  highlight?: Uint8Array;
}

/** FTSEARCH's default LIMIT. */
export const DEFAULT_SEARCH_LIMIT = 10;

const SEARCH_FROM = "FROM fts JOIN fts_docs d ON d.id = fts.rowid " +
  "JOIN keys k ON k.db = d.db AND k.key = d.key " +
  "WHERE fts MATCH ?1 AND d.db = ?2 AND (k.expire_at IS NULL OR k.expire_at > ?3) " +
  "ORDER BY bm25(fts), d.key, d.field LIMIT ?4";
const SEARCH_SQL = `SELECT d.key, d.field, -bm25(fts) AS score ${SEARCH_FROM}`;
const SEARCH_HIGHLIGHT_SQL =
  `SELECT d.key, d.field, -bm25(fts) AS score, highlight(fts, 0, ?5, ?6) AS highlight ${SEARCH_FROM}`;

/**
 * FTSEARCH: the indexed string keys and hash fields of the selected database matching an FTS5
 * query, most relevant first (bm25; ties in key and field order). Throws `ERR` with FTS5's
 * message for a query it cannot parse.
 *
 * @example
 * ```ts
 * ftsearch(db, new TextEncoder().encode("hello world"), { limit: 5 }); // [{ key, field, score }, ...]
 * ```
 */
export function ftsearch(
  scope: Scope,
  query: Uint8Array,
  options: SearchOptions = {},
): SearchResult[] {
  const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
  const highlight = options.highlight;
  const text = new TextDecoder().decode(query);
  const params = [text, scope.index, Date.now(), limit] as const;
  let rows;
  try {
    rows = highlight === undefined
      ? scope.store.all(SEARCH_SQL, ...params)
      : scope.store.all(SEARCH_HIGHLIGHT_SQL, ...params, highlight[0], highlight[1]);
  } catch (error) {
    throw queryError(error);
  }
  return rows.map((row) => {
    const result: SearchResult = {
      key: row.key as Uint8Array,
      field: row.field as Uint8Array | null,
      score: row.score as number,
    };
    if (highlight !== undefined) result.highlight = textBytes(row.highlight);
    return result;
  });
}

// highlight() answers text: back to bytes.
function textBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  return new TextEncoder().encode(String(value ?? ""));
}

// FTS5's errors for a query it cannot read, as ERR replies; anything else is not the query's.
function queryError(error: unknown): unknown {
  const message = (error as Error)?.message ?? "";
  if (/^(fts5: |unknown special query|no such column|unterminated string)/.test(message)) {
    return new RedisError(`ERR full-text query: ${message}`);
  }
  return error;
}

// #endregion searching
