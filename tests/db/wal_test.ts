import assert from "node:assert/strict";
import { Db } from "../../mod.ts";
import { WAL_CHECKPOINT_PAGES } from "../../src/db/store.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

Deno.test("the WAL is copied into the file and starts over every WAL_CHECKPOINT_PAGES pages", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/wal.db`;
    const db = Db.open(path);
    try {
      // Each write of a 3 KB value to a key of its own adds at least one page to the WAL: twice the
      // checkpoint's number of writes would make a WAL of twice its size without a checkpoint.
      const value = "v".repeat(3000);
      let largest = 0;
      for (let i = 0; i < 2 * WAL_CHECKPOINT_PAGES; i++) {
        db.set(`key:${i}`, value);
        if (i % 500 === 0) largest = Math.max(largest, Deno.statSync(`${path}-wal`).size);
      }
      const frame = 4096 + 24;
      assert.ok(
        largest > WAL_CHECKPOINT_PAGES * frame / 2,
        "the WAL grew well past SQLite's 1,000",
      );
      assert.ok(
        largest < (WAL_CHECKPOINT_PAGES + 1000) * frame,
        `the WAL stayed bounded (${largest})`,
      );
      assert.equal(db.get(`key:${2 * WAL_CHECKPOINT_PAGES - 1}`), value);
    } finally {
      db.close();
    }
  }, { prefix: "redlite-wal-" });
});
