/**
 * Sorted sets at scale: ZADD, ZSCORE and ZRANGE 0 9 on sorted sets of a thousand, a hundred
 * thousand and a million members, each group measured against its cost at a thousand. The
 * target: every operation within 2 times its 1k cost at 1M (O(log n) through the indexes).
 *
 * The sets are built once per run in a temporary file with one bulk INSERT each.
 *
 * @module
 */

import { Db } from "../mod.ts";
import { scopeOf } from "../src/db/db.ts";

const SIZES = [1_000, 100_000, 1_000_000];

const path = await Deno.makeTempFile({ prefix: "redlite-zsets-bench-", suffix: ".db" });
const db = Db.open(path);
const store = scopeOf(db).store;

// Members m0 .. m(n-1) with scattered integer scores, written straight into the tables.
function build(key: string, size: number): void {
  db.zadd(key, { seed: 0 });
  const row = store.get("SELECT id FROM keys WHERE db = 0 AND key = CAST(? AS BLOB)", key)!;
  store.write(() => {
    store.run("DELETE FROM zsets WHERE key_id = ?", row.id);
    store.run(
      "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) " +
        "INSERT INTO zsets (key_id, member, score) " +
        "SELECT ?, CAST('m' || i AS BLOB), (i * 7919) % ? FROM n",
      size,
      row.id,
      size,
    );
    store.run("UPDATE keys SET size = ? WHERE id = ?", size, row.id);
  });
}

for (const size of SIZES) build(`z${size}`, size);

let counter = 0;
function randomMember(size: number): string {
  return `m${Math.floor(Math.random() * size)}`;
}

for (const size of SIZES) {
  const key = `z${size}`;
  const label = size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1_000}k`;
  const baseline = size === SIZES[0];
  Deno.bench({
    name: `ZADD (new score of an existing member), ${label} members`,
    group: "ZADD",
    baseline,
    fn: () => {
      db.zadd(key, (counter++ * 7907) % size, randomMember(size));
    },
  });
  Deno.bench({
    name: `ZSCORE, ${label} members`,
    group: "ZSCORE",
    baseline,
    fn: () => {
      db.zscore(key, randomMember(size));
    },
  });
  Deno.bench({
    name: `ZRANGE 0 9, ${label} members`,
    group: "ZRANGE 0 9",
    baseline,
    fn: () => {
      db.zrange(key, 0, 9);
    },
  });
}

globalThis.addEventListener("unload", () => {
  db.close();
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      Deno.removeSync(path + suffix);
    } catch {
      // already gone
    }
  }
});
