import assert from "node:assert/strict";
import { Db } from "../../mod.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

// The embedded contract of the foundation issue, line by line, with the values it promises.
Deno.test("the embedded contract works exactly as written", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/data.db`;
    const db = Db.open(path); // also Db.openMemory()
    assert.equal(db.set("a", "1"), "OK");
    assert.equal(db.set("a", "2", { nx: true }), null); // not set
    assert.equal(db.set("s", "v", { px: 30 }), "OK"); // options: ex, px, exat, pxat, nx, xx, keepttl, get
    assert.equal(db.get("a"), "1"); // null when missing or expired
    assert.equal(db.get("missing"), null);
    assert.equal(db.getBytes(new Uint8Array([0, 255])), null); // binary-safe keys and values
    db.set(new Uint8Array([0, 255]), new Uint8Array([1, 2]));
    assert.deepEqual(db.getBytes(new Uint8Array([0, 255])), new Uint8Array([1, 2]));
    assert.equal(db.incr("n"), 1);
    assert.equal(db.incrby("n", 10), 11);
    assert.equal(db.decr("n"), 10);
    assert.equal(db.mset({ x: "1", y: "2" }), "OK");
    assert.deepEqual(db.mget("x", "y", "z"), ["1", "2", null]);
    assert.equal(db.del("x", "z"), 1);
    assert.equal(db.exists("x", "y"), 1);
    assert.equal(db.type("y"), "string");
    assert.equal(db.type("x"), "none");
    assert.equal(db.expire("y", 100), true);
    assert.equal(db.ttl("y"), 100);
    const pttl = db.pttl("y");
    assert.ok(pttl > 99_000 && pttl <= 100_000, String(pttl));
    assert.equal(db.persist("y"), true);
    assert.equal(db.ttl("y"), -1);
    assert.equal(db.ttl("x"), -2);
    db.set("user:1", "a");
    db.set("user:2", "b");
    assert.deepEqual(db.keys("user:*").sort(), ["user:1", "user:2"]);
    assert.equal(db.select(5), "OK");
    assert.equal(db.dbsize(), 0);
    db.set("k", "v");
    assert.equal(db.dbsize(), 1);
    assert.equal(db.flushdb(), "OK");
    assert.equal(db.dbsize(), 0);
    db.close();

    const reopened = Db.open(path);
    assert.equal(reopened.get("a"), "1");
    assert.equal(reopened.get("k"), null); // database 5 was flushed; 0 is selected again
    reopened.close();
  });
});
