import assert from "node:assert/strict";
import { preparedSql, Store } from "../../src/db/store.ts";

Deno.test("preparedSql hides every LIMIT parameter from the planner and leaves the rest", () => {
  assert.equal(
    preparedSql("SELECT value FROM lists WHERE key_id = ? ORDER BY pos LIMIT ? OFFSET ?"),
    "SELECT value FROM lists WHERE key_id = ? ORDER BY pos LIMIT +? OFFSET ?",
  );
  assert.equal(
    preparedSql("SELECT a FROM t LIMIT ?2 OFFSET ?3 UNION ALL SELECT b FROM u limit\n?4"),
    "SELECT a FROM t LIMIT +?2 OFFSET ?3 UNION ALL SELECT b FROM u limit\n+?4",
  );
  assert.equal(preparedSql("SELECT a FROM t LIMIT 1"), "SELECT a FROM t LIMIT 1");
  assert.equal(
    preparedSql("SELECT a FROM t LIMIT -1 OFFSET ?"),
    "SELECT a FROM t LIMIT -1 OFFSET ?",
  );
});

Deno.test("a LIMIT parameter still limits as SQLite reads it: all, none, some, or an error", () => {
  const store = Store.open(":memory:");
  try {
    const sql =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n LIMIT ? OFFSET ?";
    const limited = (limit: unknown, offset = 0) =>
      store.allValues(sql, limit as number, offset).map((row) => row[0]);
    assert.deepEqual(limited(-1), [1, 2, 3, 4, 5]);
    assert.deepEqual(limited(0), []);
    assert.deepEqual(limited(2, 1), [2, 3]);
    assert.deepEqual(limited(2.0, 3), [4, 5]);
    assert.deepEqual(limited("3"), [1, 2, 3], "a text of digits converts, as before");
    assert.throws(() => limited(null), /datatype mismatch/);
    assert.throws(() => limited(1.5), /datatype mismatch/);
    assert.equal(store.statement(sql).sourceSQL, preparedSql(sql), "the store prepares it so");
    assert.equal(store.arrayStatement(sql).sourceSQL, preparedSql(sql));
  } finally {
    store.close();
  }
});
