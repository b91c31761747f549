import assert from "node:assert/strict";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import { Db } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { historyGet } from "../../src/db/history.ts";
import { KeyType } from "../../src/db/keyspace.ts";
import { decodeItems } from "../../src/db/length_prefixed.ts";
import { chunked, chunkFits, POSITION_GAP } from "../../src/db/list_chunks.ts";
import { llen, lrange } from "../../src/db/lists.ts";
import { SCHEMA_VERSION } from "../../src/db/schema.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const b = (s: string) => new TextEncoder().encode(s);
const hex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16)).join(".");
const hexes = (elements: readonly Uint8Array[]) => elements.map(hex);

// The lists of the version-3 file, in list order, and the positions their rows had there (any
// integers: pushes went one gap beyond an end, inserts between neighbours).
const MIXED = [
  b(""),
  new Uint8Array([0, 255, 128, 10, 0]),
  new Uint8Array(1000).fill(120),
  b("text"), // stored as TEXT, as another client may have written it
  b("last"),
];
const MIXED_POSITIONS = [-2_000_000, -1_000_000, 0, 3, 1_000_000];
const LONG = Array.from({ length: 300 }, (_, i) => b(`e${i}`));
// Longer than the most elements the migration chunks at once (128 * 1024).
const WINDOWED = 140_000;
const windowed = Array.from({ length: WINDOWED }, (_, i) => b(`w${i}`));

// The recorded states of key "h", oldest first: two lists, one element a row, a hash and a
// deletion.
const STATE_SHORT = [b("a"), b(""), b("c")];
const STATE_LONG = Array.from(
  { length: 200 },
  (_, i) => i === 7 ? new Uint8Array([0, 200]) : b(`h${i}`),
);
const STATE_HASH: [Uint8Array, Uint8Array][] = [[b("f"), b("v")], [b("g"), b("w")]];

const OLD_LISTS_SQL =
  "CREATE TABLE lists (key_id INTEGER NOT NULL, pos INTEGER NOT NULL, value BLOB NOT NULL, " +
  "PRIMARY KEY (key_id, pos)) WITHOUT ROWID";

function addListKey(raw: DatabaseSync, key: string, size: number): number {
  const row = raw.prepare(
    "INSERT INTO keys (db, key, type, size, version, created_at, updated_at) " +
      "VALUES (0, ?, ?, ?, 1, 1, 1) RETURNING id",
  ).get(b(key), KeyType.list, size) as { id: number };
  return row.id;
}

function addState(
  raw: DatabaseSync,
  at: number,
  type: number,
  size: number | null,
  elements: SQLInputValue[][],
): number {
  const { id } = raw.prepare(
    "INSERT INTO key_history (db, key, at, type, version, size) VALUES (0, ?, ?, ?, ?, ?) " +
      "RETURNING id",
  ).get(b("h"), at, type, type === 0 ? null : at, size) as { id: number };
  const insert = raw.prepare(
    "INSERT INTO key_history_elements (history_id, pos, member, value, score) " +
      "VALUES (?, ?, ?, ?, NULL)",
  );
  for (const [pos, member, value] of elements) insert.run(id, pos, member, value ?? null);
  return id;
}

/**
 * A file of schema version 3 in the folder `dir`: lists one row per element, and HISTORY's
 * states of list "h" one row per element, tracked with its triggers installed.
 */
function versionThreeFile(dir: string): string {
  const path = `${dir}/v3.db`;
  const db = Db.open(path);
  db.historyEnable("h");
  db.close();
  const raw = new DatabaseSync(path);
  raw.exec("DROP TABLE lists");
  raw.exec(OLD_LISTS_SQL);
  const insert = raw.prepare("INSERT INTO lists (key_id, pos, value) VALUES (?, ?, ?)");
  const mixed = addListKey(raw, "mixed", MIXED.length);
  MIXED.forEach((element, i) => {
    const value = i === 3 ? new TextDecoder().decode(element) : element;
    insert.run(mixed, MIXED_POSITIONS[i], value);
  });
  const long = addListKey(raw, "long", LONG.length);
  LONG.forEach((element, i) => insert.run(long, i * 1000, element));
  const window = addListKey(raw, "windowed", WINDOWED);
  raw.prepare(
    "INSERT INTO lists (key_id, pos, value) WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL " +
      "SELECT i + 1 FROM n WHERE i < ? - 1) SELECT ?, i * 7 - 500000, CAST('w' || i AS BLOB) FROM n",
  ).run(WINDOWED, window);
  const h = addListKey(raw, "h", STATE_LONG.length);
  STATE_LONG.forEach((element, i) => insert.run(h, (i - 100) * POSITION_GAP, element));
  addState(raw, 1000, KeyType.list, 3, STATE_SHORT.map((e, i) => [i * POSITION_GAP, e]));
  addState(raw, 2000, KeyType.hash, 2, STATE_HASH.map(([f, v]) => [0, f, v]));
  addState(raw, 3000, 0, null, []);
  addState(raw, 4000, KeyType.list, 200, STATE_LONG.map((e, i) => [(i - 100) * 1000, e]));
  raw.exec("PRAGMA user_version = 3");
  raw.close();
  return path;
}

/** The chunk rows of a list key, in list order. */
function chunkRows(
  raw: DatabaseSync,
  key: string,
): { pos: number; count: number; value: Uint8Array }[] {
  return raw.prepare(
    "SELECT pos, count, value FROM lists WHERE key_id = (SELECT id FROM keys WHERE key = ?) " +
      "ORDER BY pos",
  ).all(b(key)).map((row) => ({ ...row }) as { pos: number; count: number; value: Uint8Array });
}

/** Checks a list's rows are chunks of its elements, at positions spaced one gap apart. */
function assertChunks(raw: DatabaseSync, key: string, elements: Uint8Array[]): number[] {
  const rows = chunkRows(raw, key);
  assert.deepEqual(rows.map((row) => row.pos), rows.map((_, k) => k * POSITION_GAP), key);
  for (const row of rows) {
    assert.equal(decodeItems(row.value).length, row.count, key);
    assert.ok(row.count > 0 && chunkFits(row.count, row.value.length), key);
  }
  assert.deepEqual(hexes(rows.flatMap((row) => decodeItems(row.value))), hexes(elements), key);
  return rows.map((row) => row.count);
}

Deno.test("schema version 4: a version-3 file's lists and list states become chunks", async () => {
  await withTempDir((dir) => {
    const path = versionThreeFile(dir);
    Db.open(path).close();
    const raw = new DatabaseSync(path);
    const pragma = (name: string) => Object.values(raw.prepare(`PRAGMA ${name}`).get()!)[0];
    assert.equal(pragma("user_version"), 4);
    assert.equal(SCHEMA_VERSION, 4);
    assert.deepEqual(
      raw.prepare("SELECT name FROM pragma_table_info('lists')").all().map((row) => row.name),
      ["key_id", "pos", "count", "value"],
    );
    assert.equal(
      raw.prepare(
        "SELECT count(*) AS n FROM sqlite_schema WHERE sql LIKE '%lists_v3%' OR name = 'lists_v3'",
      ).get()!.n,
      0,
      "the old table is gone, and no trigger names it",
    );
    assertChunks(raw, "mixed", MIXED);
    assert.deepEqual(assertChunks(raw, "long", LONG), chunked(LONG).map((c) => c.length));
    assert.ok(assertChunks(raw, "windowed", windowed).length > 1);
    assertChunks(raw, "h", STATE_LONG);
    // The list states hold chunks at gap positions; the hash state is as it was.
    const elements = raw.prepare(
      "SELECT h.type, e.pos, e.member, e.value, e.score FROM key_history h " +
        "JOIN key_history_elements e ON e.history_id = h.id ORDER BY h.at, e.pos, e.member",
    ).all();
    const lists = elements.filter((row) => row.type === KeyType.list);
    assert.ok(lists.every((row) => row.value === null && row.score === null));
    assert.deepEqual(
      hexes(lists.flatMap((row) => decodeItems(row.member as Uint8Array))),
      hexes([...STATE_SHORT, ...STATE_LONG]),
    );
    assert.deepEqual(
      lists.map((row) => row.pos),
      [0, ...chunked(STATE_LONG).map((_, k) => k * POSITION_GAP)],
    );
    assert.deepEqual(
      elements.filter((row) => row.type === KeyType.hash).map((row) => [row.member, row.value]),
      STATE_HASH,
    );
    // HISTORY's triggers copy the new rows: a new version of "h" records its chunks.
    raw.prepare("UPDATE keys SET version = 5, updated_at = 5000 WHERE key = ?").run(b("h"));
    raw.close();
    const db = Db.open(path);
    const states = historyGet(scopeOf(db), b("h"));
    assert.deepEqual(states.map((state) => state.type), ["list", "list", "none", "hash", "list"]);
    assert.deepEqual(hexes(states[0].value as Uint8Array[]), hexes(STATE_LONG));
    assert.deepEqual(hexes(states[1].value as Uint8Array[]), hexes(STATE_LONG));
    assert.deepEqual(states[3].value, STATE_HASH);
    assert.deepEqual(hexes(states[4].value as Uint8Array[]), hexes(STATE_SHORT));
    db.close();
  });
});

Deno.test("schema version 4: a migrated file's lists answer LRANGE and keep working", async () => {
  await withTempDir((dir) => {
    const path = versionThreeFile(dir);
    const db = Db.open(path);
    const scope = scopeOf(db);
    const lists: [string, Uint8Array[]][] = [
      ["mixed", MIXED],
      ["long", LONG],
      ["windowed", windowed],
      ["h", STATE_LONG],
    ];
    for (const [key, elements] of lists) {
      assert.equal(llen(scope, b(key)), elements.length, key);
      assert.deepEqual(hexes(lrange(scope, b(key), 0, -1)), hexes(elements), key);
    }
    assert.deepEqual(db.lrange("long", 98, 101), ["e98", "e99", "e100", "e101"]);
    assert.deepEqual(db.lrange("mixed", -2, -1), ["text", "last"]);
    // Writes after the migration, recorded by HISTORY.
    db.rpush("h", "pushed");
    db.lpop("h", 2);
    const expected = [...STATE_LONG.slice(2), b("pushed")];
    assert.deepEqual(hexes(lrange(scope, b("h"), 0, -1)), hexes(expected));
    assert.deepEqual(
      hexes(historyGet(scope, b("h"), { count: 1 })[0].value as Uint8Array[]),
      hexes(expected),
    );
    db.close();
  });
});
