import assert from "node:assert/strict";
import { Db } from "../../mod.ts";
import { Checkpointer } from "../../src/db/checkpointer.ts";
import { scopeOf } from "../../src/db/db.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("the checkpointer copies the WAL into the file while the connection writes on", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/c.db`;
    const db = Db.open(path);
    // No checkpoint of the writer's own: only the worker copies.
    scopeOf(db).store.sql.exec("PRAGMA wal_autocheckpoint = 0");
    const messages: string[] = [];
    const checkpointer = Checkpointer.start(path, { intervalMs: 5, log: (m) => messages.push(m) });

    try {
      const before = Deno.statSync(path).size;
      const value = "v".repeat(2000);
      for (let i = 0; i < 2000; i++) db.set(`key:${i}`, value);
      // The file grows by the pages the worker copied into it (about 4 MB of values).
      await until(() => Deno.statSync(path).size > before + 3_000_000, "the copy into the file");
      for (let i = 2000; i < 2100; i++) db.set(`key:${i}`, value);
      assert.equal(db.get("key:2099"), value);
    } finally {
      await checkpointer.close();
    }
    assert.deepEqual(messages, []);
    db.close();
    // Every connection closed: SQLite folded the log into the file and removed it.
    assert.throws(() => Deno.statSync(`${path}-wal`), Deno.errors.NotFound);
    const reopened = Db.open(path);
    assert.equal(reopened.get("key:1999"), "v".repeat(2000));
    reopened.close();
  }, { prefix: "redlite-checkpointer-" });
});

Deno.test("a checkpointer that cannot open its file says so once, and closes", async () => {
  await withTempDir(async (dir) => {
    const messages: string[] = [];
    const checkpointer = Checkpointer.start(`${dir}/missing/c.db`, {
      log: (m) => messages.push(m),
    });

    await until(() => messages.length > 0, "the worker's report");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(messages.length, 1, "reported once, however often it tries");
    assert.match(messages[0], /^background checkpoints cannot open the file \(trying again\): /);
    await checkpointer.close();
  }, { prefix: "redlite-checkpointer-" });
});

Deno.test("Store.checkpoint empties the WAL while the checkpointer copies it too", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/t.db`;
    const db = Db.open(path);
    const store = scopeOf(db).store;
    const checkpointer = Checkpointer.start(path, { intervalMs: 1 });
    try {
      // SQLite does not wait for another connection's checkpoint: without the retries, some of
      // these TRUNCATEs would find the worker's checkpoint under way and leave the WAL as it was.
      for (let round = 0; round < 60; round++) {
        db.transaction(() => {
          for (let i = 0; i < 200; i++) {
            db.set(`key:${(round * 7919 + i * 104729) % 50_000}`, "v".repeat(200));
          }
        });
        await new Promise((resolve) => setTimeout(resolve, round % 4));
        assert.equal(store.checkpoint(), true, `round ${round}`);
        assert.equal(Deno.statSync(`${path}-wal`).size, 0, `round ${round}`);
      }
    } finally {
      await checkpointer.close();
      db.close();
    }
  }, { prefix: "redlite-checkpointer-" });
});
