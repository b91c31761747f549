import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

Deno.test("Db.openMemory gives a working database", () => {
  const db = Db.openMemory();
  assert.equal(db.set("a", "1"), "OK");
  assert.equal(db.get("a"), "1");
  db.close();
  assert.equal(db.isOpen, false);
});

Deno.test("Db.open keeps data across close and reopen", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/data.db`;
    const db = Db.open(path);
    db.set("k", "v");
    db.close();
    const again = Db.open(path);
    assert.equal(again.get("k"), "v");
    again.close();
  });
});

Deno.test("Db.open refuses a file that is not a SQLite database and leaves it unchanged", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/text`;
    const content = "this is not a database, just some text that is long enough".repeat(20);
    await Deno.writeTextFile(path, content);
    assert.throws(() => Db.open(path), /not a SQLite database/);
    assert.equal(await Deno.readTextFile(path), content);
  });
});

Deno.test("Db.open refuses a file written by a newer schema", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/newer.db`;
    const db = Db.open(path);
    db.close();
    const { DatabaseSync } = await import("node:sqlite");
    const raw = new DatabaseSync(path);
    raw.exec("PRAGMA user_version = 999");
    raw.close();
    assert.throws(() => Db.open(path), /newer Redlite/);
  });
});

Deno.test("Db.select switches the logical database and rejects out-of-range indexes", () => {
  const db = Db.openMemory();
  db.set("k", "zero");
  assert.equal(db.select(5), "OK");
  assert.equal(db.get("k"), null);
  db.set("k", "five");
  db.select(0);
  assert.equal(db.get("k"), "zero");
  assert.throws(
    () => db.select(16),
    (e: unknown) => e instanceof RedisError && e.message === "ERR DB index is out of range",
  );
  db.close();
});

Deno.test("Db.session has its own selected database on the same data", () => {
  const db = Db.openMemory();
  const other = db.session();
  other.select(3);
  other.set("k", "three");
  assert.equal(db.get("k"), null);
  db.select(3);
  assert.equal(db.get("k"), "three");
  db.close();
});

Deno.test("Db.transaction commits together or rolls back entirely, and nests", () => {
  const db = Db.openMemory();
  db.transaction((tx) => {
    tx.set("a", "1");
    assert.throws(() =>
      tx.transaction((inner) => {
        inner.set("b", "2");
        throw new Error("inner fails");
      })
    );
    tx.set("c", "3");
  });
  assert.deepEqual([db.get("a"), db.get("b"), db.get("c")], ["1", null, "3"]);
  assert.throws(() =>
    db.transaction((tx) => {
      tx.set("a", "changed");
      throw new Error("outer fails");
    })
  );
  assert.equal(db.get("a"), "1");
  db.close();
});

Deno.test("Db.set supports the embedded contract's options", async () => {
  const db = Db.openMemory();
  assert.equal(db.set("a", "1"), "OK");
  assert.equal(db.set("a", "2", { nx: true }), null);
  assert.equal(db.set("a", "2", { xx: true, get: true }), "1");
  assert.equal(db.set("missing", "x", { xx: true }), null);
  assert.equal(db.set("s", "v", { px: 30 }), "OK");
  assert.equal(db.get("s"), "v");
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.equal(db.get("s"), null);
  assert.throws(() => db.set("a", "1", { ex: 1, px: 1 }), /ERR syntax error/);
  assert.throws(() => db.set("a", "1", { ex: 0 }), /ERR invalid expire time in 'set' command/);
  db.close();
});

Deno.test("Db.getBytes is binary-safe for keys and values", () => {
  const db = Db.openMemory();
  const key = new Uint8Array([0, 255]);
  const value = new Uint8Array([1, 0, 254]);
  db.set(key, value);
  assert.deepEqual(db.getBytes(key), value);
  assert.equal(db.get("missing"), null);
  db.close();
});

Deno.test("Db.command runs commands by name and throws Redis errors", () => {
  const db = Db.openMemory();
  assert.equal(db.command("SET", "k", "v", "EX", 100), "OK");
  assert.equal(db.command("get", "k"), "v");
  assert.throws(
    () => db.command("NOSUCH", "a"),
    /ERR unknown command 'NOSUCH', with args beginning with: 'a' /,
  );
  assert.throws(() => db.command("GET"), /ERR wrong number of arguments for 'get' command/);
  db.close();
});
