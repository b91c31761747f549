/**
 * Applies `schema.sql` to a new database file and migrates older ones, by `PRAGMA user_version`.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import schemaSql from "../../schema.sql" with { type: "text" };

/** The schema version this code writes. A file with a higher version was written by a newer Redlite. */
export const SCHEMA_VERSION = 1;

/**
 * Migrations from each older version to the next: `MIGRATIONS[n]` takes a file from version n
 * to n + 1. Version 0 is a new, empty file.
 */
const MIGRATIONS: Record<number, (sql: DatabaseSync) => void> = {
  0: (sql) => sql.exec(schemaSql),
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
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `this database was written by a newer Redlite (schema version ${current}; this one reads up to ${SCHEMA_VERSION})`,
    );
  }
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

function userVersion(sql: DatabaseSync): number {
  const row = sql.prepare("PRAGMA user_version").get() as { user_version: number };
  return row.user_version;
}

function hasForeignTables(sql: DatabaseSync): boolean {
  const row = sql.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
    .get() as { n: number };
  return row.n > 0;
}
