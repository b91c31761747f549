import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import type { Store } from "../../src/db/store.ts";
import { compact, VACUUM_BATCH } from "../../src/db/vacuum.ts";
import { untilCommitted } from "../_helpers/commits.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const b = (s: string) => new TextEncoder().encode(s);

function throwsRedis(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof RedisError && e.message === message);
}

/** Gives keys an expiry time already past, in the table (no waiting for time to pass). */
function expireNow(store: Store, db: number, ...keys: string[]): void {
  for (const key of keys) {
    store.run("UPDATE keys SET expire_at = 1 WHERE db = ? AND key = ?", db, b(key));
  }
}

function rows(store: Store): number {
  return store.get("SELECT count(*) AS n FROM keys")!.n as number;
}

Deno.test("KEYINFO reports a string's metadata", () => {
  const db = Db.openMemory();
  const before = Date.now();
  db.set("k", "hello");
  const info = db.keyinfo("k")!;
  assert.equal(info.type, "string");
  assert.equal(info.ttl, -1);
  assert.equal(info.size, 5);
  assert.equal(info.encoding, "embstr");
  assert.ok(info.createdAt >= before && info.createdAt <= Date.now());
  assert.equal(info.updatedAt, info.createdAt);
  db.set("k", "12345");
  const after = db.keyinfo("k")!;
  assert.equal(after.encoding, "int");
  assert.equal(after.createdAt, info.createdAt, "an overwrite does not create the key");
  assert.ok(after.updatedAt >= info.updatedAt);
  assert.ok(after.version > info.version, "every write gives a new version");
  db.pexpire("k", 5000);
  const ttl = db.keyinfo("k")!.ttl;
  assert.ok(ttl > 4000 && ttl <= 5000, String(ttl));
  db.set("k", "x".repeat(45));
  assert.equal(db.keyinfo("k")!.encoding, "raw");
  assert.equal(db.keyinfo("k")!.size, 45);
  db.close();
});

Deno.test("KEYINFO: collections' cardinality and OBJECT ENCODING's names; null when missing", () => {
  const db = Db.openMemory({ activeExpire: false });
  db.hset("h", { a: "1", b: "2" });
  db.rpush("l", "a", "b", "c");
  db.sadd("s", "1", "2");
  db.sadd("t", "x");
  db.zadd("z", { a: 1 });
  db.xadd("x", "1-1", { f: "v" });
  for (
    const [key, type, size] of [
      ["h", "hash", 2],
      ["l", "list", 3],
      ["s", "set", 2],
      ["t", "set", 1],
      ["z", "zset", 1],
      ["x", "stream", 1],
    ] as const
  ) {
    const info = db.keyinfo(key)!;
    assert.equal(info.type, type, key);
    assert.equal(info.size, size, key);
    assert.equal(info.encoding, db.command("OBJECT", "ENCODING", key), key);
  }
  assert.equal(db.keyinfo("missing"), null);
  expireNow(scopeOf(db).store, 0, "h");
  assert.equal(db.keyinfo("h"), null, "expired, not yet removed");
  db.close();
});

Deno.test("VACUUM removes every expired key of every database and reports how many", () => {
  const db = Db.openMemory({ activeExpire: false });
  const store = scopeOf(db).store;
  for (let i = 0; i < 5; i++) db.set(`gone:${i}`, "v");
  db.hset("gone:h", { f: "v" });
  db.set("stays", "v", { ex: 3600 });
  db.select(7);
  db.set("gone:other", "v");
  db.set("stays", "v");
  expireNow(store, 0, "gone:0", "gone:1", "gone:2", "gone:3", "gone:4", "gone:h");
  expireNow(store, 7, "gone:other");
  assert.equal(rows(store), 9);
  assert.equal(db.vacuum(), 7);
  assert.equal(rows(store), 2);
  assert.equal(store.get("SELECT count(*) AS n FROM hashes")!.n, 0, "elements go with their keys");
  assert.equal(db.vacuum(), 0);
  db.close();
});

Deno.test("VACUUM removes expired keys in bounded transactions", () => {
  const db = Db.openMemory({ activeExpire: false });
  const store = scopeOf(db).store;
  const expired = VACUUM_BATCH * 2 + 500;
  db.transaction(() => {
    for (let i = 0; i < expired; i++) db.set(`k:${i}`, "v");
  });
  store.run("UPDATE keys SET expire_at = 1");
  let commits = 0;
  const stop = store.onCommit(() => commits++);
  assert.equal(db.vacuum(), expired);
  stop();
  assert.equal(commits, 3, "one commit per batch of VACUUM_BATCH keys");
  db.close();
});

Deno.test("VACUUM gives the space of deleted data back to the file system", async () => {
  // SQLite's VACUUM attaches a database, which Deno allows only with every permission.
  await withTempDir(async (dir) => {
    const path = `${dir}/vacuum.db`;
    const fixture = new URL("../fixtures/vacuum_shrink.ts", import.meta.url).pathname;
    const output = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", fixture, path],
      stderr: "inherit",
    }).output();
    assert.ok(output.success);
    const [removed, before, after] = JSON.parse(new TextDecoder().decode(output.stdout));
    assert.equal(removed, 0);
    assert.ok(after < before / 10, `${before} -> ${after} bytes`);
  });
});

Deno.test("VACUUM without every permission removes expired keys and keeps the file's pages", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/vacuum.db`;
    const db = Db.open(path, { activeExpire: false });
    db.set("a", "x".repeat(10_000));
    db.set("b", "1");
    expireNow(scopeOf(db).store, 0, "a");
    const fullPermissions = compact(scopeOf(db).store);
    assert.equal(db.vacuum(), 1);
    assert.deepEqual([db.dbsize(), db.get("b")], [1, "1"]);
    if (!fullPermissions) {
      const freePages = scopeOf(db).store.get("PRAGMA freelist_count")!.freelist_count as number;
      assert.ok(freePages > 0, "the value's pages stay free in the file");
    }
    db.close();
  });
});

Deno.test("VACUUM refuses to run inside a transaction, changing nothing", () => {
  const db = Db.openMemory({ activeExpire: false });
  db.set("k", "v");
  expireNow(scopeOf(db).store, 0, "k");
  throwsRedis(
    () => db.transaction(() => db.vacuum()),
    "ERR VACUUM cannot run inside a transaction",
  );
  assert.equal(rows(scopeOf(db).store), 1);
  db.close();
});

Deno.test("VACUUM applies every tracked key's history retention", () => {
  const db = Db.openMemory({ activeExpire: false });
  const store = scopeOf(db).store;
  db.historyEnable("k", { retention: 1000 });
  db.set("k", "a");
  db.set("k", "b");
  store.run("UPDATE key_history SET at = at - 10000");
  db.vacuum();
  assert.deepEqual(db.historyGet("k").map((e) => e.value), ["b"]);
  db.close();
});

Deno.test("AUTOVACUUM shows and controls the active expiration cycle", async () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  assert.deepEqual(db.autovacuum(), { enabled: true, interval: 100 }, "Redis's hz 10, on");
  assert.deepEqual(db.autovacuum({ enabled: false }), { enabled: false, interval: 100 });
  assert.deepEqual(db.autovacuum({ interval: 5 }), { enabled: false, interval: 5 });
  db.set("k", "v");
  expireNow(store, 0, "k");
  // Off: forty intervals pass and the key is still in the table.
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(rows(store), 1);
  const removed = untilCommitted(store, () => rows(store) === 0);
  assert.deepEqual(db.autovacuum({ enabled: true }), { enabled: true, interval: 5 });
  await removed;
  db.close();
});

Deno.test("AUTOVACUUM errors change nothing", () => {
  const db = Db.openMemory();
  throwsRedis(
    () => db.autovacuum({ interval: 0 }),
    "ERR interval must be between 1 and 2147483647 ms",
  );
  throwsRedis(
    () => db.autovacuum({ interval: 1.5 }),
    "ERR value is not an integer or out of range",
  );
  throwsRedis(
    () => db.command("AUTOVACUUM", "INTERVAL", 2 ** 31),
    "ERR interval must be between 1 and 2147483647 ms",
  );
  throwsRedis(() => db.command("AUTOVACUUM", "INTERVAL"), "ERR syntax error");
  throwsRedis(() => db.command("AUTOVACUUM", "ON", "now"), "ERR syntax error");
  throwsRedis(() => db.command("AUTOVACUUM", "MAYBE"), "ERR syntax error");
  assert.deepEqual(db.autovacuum(), { enabled: true, interval: 100 });
  assert.equal(db.command("AUTOVACUUM", "off"), "OK");
  assert.equal(db.command("AUTOVACUUM", "INTERVAL", 250), "OK");
  assert.deepEqual(db.command("AUTOVACUUM"), { enabled: 0, interval_ms: 250 });
  db.close();
});

Deno.test("a file of schema version 2 gets HISTORY's and FTS's tables when opened", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/v2.db`;
    const db = Db.open(path);
    db.set("doc:1", "hello world");
    db.close();
    const { DatabaseSync } = await import("node:sqlite");
    const raw = new DatabaseSync(path);
    // What version 2 had: none of version 3's tables.
    for (const table of ["history_config", "key_history", "key_history_elements", "fts_patterns"]) {
      raw.exec(`DROP TABLE ${table}`);
    }
    raw.exec("DROP TABLE fts_docs");
    raw.exec("DROP TABLE fts");
    // Nor version 4's lists table of chunks: its lists table held one row per element.
    raw.exec("DROP TABLE lists");
    raw.exec(
      "CREATE TABLE lists (key_id INTEGER NOT NULL, pos INTEGER NOT NULL, value BLOB NOT NULL, " +
        "PRIMARY KEY (key_id, pos)) WITHOUT ROWID",
    );
    raw.exec("PRAGMA user_version = 2");
    raw.close();
    assert.throws(() => Db.open(path, { readOnly: true }), /open it once without readOnly/);
    const upgraded = Db.open(path);
    upgraded.historyEnable("doc:1");
    upgraded.set("doc:1", "hello again");
    assert.deepEqual(upgraded.historyGet("doc:1").map((entry) => entry.value), [
      "hello again",
      "hello world",
    ]);
    assert.equal(upgraded.ftsEnable("doc:*"), true);
    assert.deepEqual(upgraded.ftsearch("again").map((result) => result.key), ["doc:1"]);
    upgraded.close();
  });
});

Deno.test("db.command runs Redlite's commands in-process and answers JavaScript values", () => {
  const db = Db.openMemory({ activeExpire: false });
  db.set("doc:1", "hello world");
  const info = db.command("KEYINFO", "doc:1") as Record<string, unknown>;
  assert.deepEqual([info.type, info.ttl, info.size, info.encoding], ["string", -1, 11, "embstr"]);
  assert.equal(db.command("KEYINFO", "missing"), null);
  assert.equal(db.command("HISTORY", "ENABLE", "doc:1", "RETENTION", 60_000), "OK");
  db.set("doc:1", "hello again");
  const states = db.command("HISTORY", "GET", "doc:1") as Record<string, unknown>[];
  assert.deepEqual(states.map((state) => [state.type, state.value]), [
    ["string", "hello again"],
    ["string", "hello world"],
  ]);
  assert.equal(db.command("HISTORY", "AT", "doc:1", states[0].timestamp as number), "hello again");
  assert.equal(db.command("HISTORY", "CLEAR", "doc:1"), 2);
  assert.equal(db.command("FTS", "ENABLE", "doc:*"), 1);
  assert.deepEqual(db.command("FTS", "LIST"), ["doc:*"]);
  assert.deepEqual(db.command("FTSEARCH", "again"), [{ key: "doc:1", field: null }]);
  assert.equal(db.command("FTS", "REINDEX"), 1);
  assert.equal(db.command("FTS", "DISABLE", "doc:*"), 1);
  assert.equal(db.command("HISTORY", "DISABLE", "doc:1"), 1);
  assert.equal(db.command("VACUUM"), 0);
  assert.deepEqual(db.command("AUTOVACUUM"), { enabled: 0, interval_ms: 100 });
  db.close();
});
