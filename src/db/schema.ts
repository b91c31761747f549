/**
 * Applies `schema.sql` to a new database file and migrates older ones, by `PRAGMA user_version`.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import schemaSql from "../../schema.sql" with { type: "text" };

/** The schema version this code writes. A file with a higher version was written by a newer Redlite. */
export const SCHEMA_VERSION = 2;

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

/**
 * Migrations from each older version to the next: `MIGRATIONS[n]` takes a file from version n
 * to n + 1. Version 0 is a new, empty file.
 */
const MIGRATIONS: Record<number, (sql: DatabaseSync) => void> = {
  0: (sql) => sql.exec(schemaSql),
  1: (sql) => sql.exec(KEY_COUNTS_SQL),
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
