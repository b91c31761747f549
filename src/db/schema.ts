/**
 * Applies `schema.sql` to a new database file and migrates older ones, by `PRAGMA user_version`.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import schemaSql from "../../schema.sql" with { type: "text" };
import { chunkStoredLists } from "./schema_list_chunks.ts";

/** The schema version this code writes. A file with a higher version was written by a newer Redlite. */
export const SCHEMA_VERSION = 4;

// Version 2: the number of keys of each logical database, kept by triggers, so that DBSIZE and
// INFO's keyspace do not count millions of rows. Keys that expired and are not removed yet are
// in it (as in Redis's own count); DBSIZE subtracts them through the expiry index.
const KEY_COUNTS_SQL = `
CREATE TABLE key_counts (db INTEGER PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO key_counts (db, n)
  WITH RECURSIVE dbs(db) AS (SELECT 0 UNION ALL SELECT db + 1 FROM dbs WHERE db < 15)
  SELECT db, (SELECT count(*) FROM keys WHERE keys.db = dbs.db) FROM dbs;
CREATE TRIGGER keys_counted_insert AFTER INSERT ON keys BEGIN
  UPDATE key_counts SET n = n + 1 WHERE db = NEW.db;
END;
CREATE TRIGGER keys_counted_delete AFTER DELETE ON keys BEGIN
  UPDATE key_counts SET n = n - 1 WHERE db = OLD.db;
END;
CREATE TRIGGER keys_counted_move AFTER UPDATE OF db ON keys WHEN OLD.db <> NEW.db BEGIN
  UPDATE key_counts SET n = n - 1 WHERE db = OLD.db;
  UPDATE key_counts SET n = n + 1 WHERE db = NEW.db;
END;
`;

// Version 3: Redlite's own features' tables, empty until used: HISTORY (history_config,
// key_history, key_history_elements) and full-text search (fts_patterns, fts_docs, the FTS5 table
// fts). The triggers on the keys and hashes tables that feed them are not here: src/db/history.ts
// and src/db/search.ts create them when the feature is first enabled and drop them with its last
// use, so that writes cost nothing more in a file that does not use them.
const EXTRAS_SQL = `
-- History (HISTORY ENABLE): the keys whose changes are recorded, by name, so that a key's history
-- outlives DEL and the key's re-creation. retention (ms) and max_versions bound what is kept
-- (NULL: no bound); entries counts the key's rows in key_history (kept by the triggers below).
-- The triggers that record changes of the keys table are created by src/db/history.ts when the
-- first key is enabled and dropped with the last, so that a file with no history pays nothing.
CREATE TABLE history_config (
  db INTEGER NOT NULL,
  key BLOB NOT NULL,
  retention INTEGER,
  max_versions INTEGER,
  entries INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (db, key)
) WITHOUT ROWID;
CREATE INDEX history_config_retained ON history_config (db, key) WHERE retention IS NOT NULL;

-- One row per recorded state of a key, in the order written: from \`at\` (unix ms) on, the key had
-- this type (0: it did not exist: deleted, expired, renamed or moved away), \`version\` (the keys
-- row's version; NULL for type 0), \`size\` (a string's length, a collection's cardinality) and, for
-- a string, \`value\`. A collection's elements at that state are in key_history_elements; a
-- stream's are not recorded (a stream is itself a log).
CREATE TABLE key_history (
  id INTEGER PRIMARY KEY,
  db INTEGER NOT NULL,
  key BLOB NOT NULL,
  at INTEGER NOT NULL,
  type INTEGER NOT NULL,
  version INTEGER,
  size INTEGER,
  value BLOB
);
CREATE INDEX key_history_by_time ON key_history (db, key, at);

-- The elements of a recorded collection: a hash's fields (member) and values, a list's values
-- (member) at their positions, a set's members, a sorted set's members and scores.
CREATE TABLE key_history_elements (
  history_id INTEGER NOT NULL,
  pos INTEGER NOT NULL,
  member BLOB NOT NULL,
  value BLOB,
  score REAL,
  PRIMARY KEY (history_id, pos, member)
) WITHOUT ROWID;

-- Every new state counts toward its key's MAXVERSIONS (the oldest beyond it go) and RETENTION
-- (states replaced longer ago than it go, keeping the one in force at that time).
CREATE TRIGGER key_history_bounded AFTER INSERT ON key_history BEGIN
  UPDATE history_config SET entries = entries + 1 WHERE db = NEW.db AND key = NEW.key;
  DELETE FROM key_history WHERE id IN (
    SELECT id FROM key_history WHERE db = NEW.db AND key = NEW.key ORDER BY at, id
    LIMIT coalesce((SELECT entries - max_versions FROM history_config
      WHERE db = NEW.db AND key = NEW.key AND entries > max_versions), 0));
  DELETE FROM key_history WHERE db = NEW.db AND key = NEW.key AND (at, id) < (
    SELECT at, id FROM key_history WHERE db = NEW.db AND key = NEW.key
      AND at <= NEW.at - (SELECT retention FROM history_config WHERE db = NEW.db AND key = NEW.key)
    ORDER BY at DESC, id DESC LIMIT 1);
END;
CREATE TRIGGER key_history_forgotten AFTER DELETE ON key_history BEGIN
  UPDATE history_config SET entries = entries - 1 WHERE db = OLD.db AND key = OLD.key;
  DELETE FROM key_history_elements WHERE history_id = OLD.id;
END;

-- Full-text search (FTS ENABLE): the glob patterns whose string keys and hash fields are indexed,
-- per database. A pattern is tested in SQL as a range of keys (its literal prefix, below \`upper\`)
-- and, unless it is that prefix and \`*\`, a SQLite GLOB (\`glob\`, Redis's pattern translated). The
-- triggers that keep the index are created by src/db/search.ts with the first pattern and dropped
-- with the last.
CREATE TABLE fts_patterns (
  db INTEGER NOT NULL,
  pattern BLOB NOT NULL,
  prefix BLOB NOT NULL,
  upper BLOB,
  glob BLOB,
  PRIMARY KEY (db, pattern)
) WITHOUT ROWID;

-- One indexed document per string key (field NULL) or hash field; its id is the rowid of its text
-- in the FTS5 table.
CREATE TABLE fts_docs (
  id INTEGER PRIMARY KEY,
  db INTEGER NOT NULL,
  key BLOB NOT NULL,
  field BLOB
);
CREATE INDEX fts_docs_by_key ON fts_docs (db, key, field);
CREATE VIRTUAL TABLE fts USING fts5(value, tokenize = 'unicode61 remove_diacritics 2');
`;

/**
 * Migrations from each older version to the next: `MIGRATIONS[n]` takes a file from version n
 * to n + 1. Version 0 is a new, empty file.
 */
const MIGRATIONS: Record<number, (sql: DatabaseSync) => void> = {
  0: (sql) => sql.exec(schemaSql),
  1: (sql) => sql.exec(KEY_COUNTS_SQL),
  2: (sql) => sql.exec(EXTRAS_SQL),
  3: chunkStoredLists,
};

/**
 * Brings a database to {@linkcode SCHEMA_VERSION} inside one transaction. Throws when the file
 * was written by a newer version of Redlite, or holds tables that are not Redlite's.
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * migrate(new DatabaseSync(":memory:"));
 * ```
 */
export function migrate(sql: DatabaseSync): void {
  const current = userVersion(sql);
  if (current === SCHEMA_VERSION) return;
  if (current > SCHEMA_VERSION) throw newerSchema(current);
  sql.exec("BEGIN IMMEDIATE");
  try {
    // Another process may have migrated the file while we waited for the write lock.
    let version = userVersion(sql);
    if (version === 0 && hasForeignTables(sql)) {
      throw new Error("this SQLite file holds tables that are not Redlite's; refusing to use it");
    }
    for (; version < SCHEMA_VERSION; version++) MIGRATIONS[version](sql);
    sql.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    sql.exec("COMMIT");
  } catch (error) {
    sql.exec("ROLLBACK");
    throw error;
  }
}

/**
 * Checks that a file opened read-only has this code's schema: it cannot be migrated. Throws
 * when it was written by a newer Redlite, or by an older one (open it writable once to upgrade).
 *
 * @example
 * ```ts
 * import { DatabaseSync } from "node:sqlite";
 * const sql = new DatabaseSync(":memory:");
 * migrate(sql);
 * requireCurrentSchema(sql); // fine
 * ```
 */
export function requireCurrentSchema(sql: DatabaseSync): void {
  const current = userVersion(sql);
  if (current > SCHEMA_VERSION) throw newerSchema(current);
  if (current < SCHEMA_VERSION) {
    throw new Error(
      `this database has schema version ${current}; open it once without readOnly to upgrade it to ${SCHEMA_VERSION}`,
    );
  }
}

function newerSchema(current: number): Error {
  return new Error(
    `this database was written by a newer Redlite (schema version ${current}; this one reads up to ${SCHEMA_VERSION})`,
  );
}

function userVersion(sql: DatabaseSync): number {
  const row = sql.prepare("PRAGMA user_version").get() as { user_version: number };
  return row.user_version;
}

function hasForeignTables(sql: DatabaseSync): boolean {
  const row = sql.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
    .get() as { n: number };
  return row.n > 0;
}
