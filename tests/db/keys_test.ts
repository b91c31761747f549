import assert from "node:assert/strict";
import type { SQLInputValue } from "node:sqlite";
import { Db, RedisError } from "../../mod.ts";
import { toBytes } from "../../src/db/bytes.ts";
import { scopeOf } from "../../src/db/db.ts";
import { MAX_EXPIRE_AT } from "../../src/db/expiry.ts";
import { createKey, KeyType, type KeyTypeNumber } from "../../src/db/keyspace.ts";
import { encodeChunk, encodedBytes } from "../../src/db/list_chunks.ts";
import { ELEMENT_TABLES } from "../../src/db/store.ts";
import { makeId } from "../../src/db/stream_id.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const b = (s: string) => new TextEncoder().encode(s);

function throwsRedis(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof RedisError && e.message === message);
}

// Collections are written row by row here, as their own modules would write them.
const ELEMENT_INSERTS: Record<string, string> = {
  hashes: "INSERT INTO hashes (key_id, field, value) VALUES (?, ?, ?)",
  lists: "INSERT INTO lists (key_id, pos, count, value) VALUES (?, ?, ?, ?)",
  sets: "INSERT INTO sets (key_id, member) VALUES (?, ?)",
  zsets: "INSERT INTO zsets (key_id, member, score) VALUES (?, ?, ?)",
  streams: "INSERT INTO streams (key_id, id, data) VALUES (?, ?, ?)",
  stream_meta:
    "INSERT INTO stream_meta (key_id, last_id, max_deleted_id, entries_added) VALUES (?, ?, ?, ?)",
  stream_nodes:
    "INSERT INTO stream_nodes (key_id, id, last_id, live, deleted, bytes, fields) VALUES (?, ?, ?, ?, ?, ?, ?)",
  stream_groups:
    "INSERT INTO stream_groups (key_id, name, last_id, entries_read) VALUES (?, ?, ?, ?)",
  stream_consumers: "INSERT INTO stream_consumers (key_id, grp, name, seen_at) VALUES (?, ?, ?, ?)",
  stream_pending:
    "INSERT INTO stream_pending (key_id, grp, id, consumer, delivered_at, delivery_count) VALUES (?, ?, ?, ?, ?, ?)",
};

type Elements = Record<string, SQLInputValue[][]>;

/** Creates a collection key in the selected database with the given rows of its tables. */
function addCollection(db: Db, key: string, type: KeyTypeNumber, elements: Elements): number {
  const scope = scopeOf(db);
  return scope.store.write(() => {
    const id = createKey(scope, b(key), type);
    for (const [table, rows] of Object.entries(elements)) {
      for (const row of rows) scope.store.run(ELEMENT_INSERTS[table], id, ...row);
    }
    const size = Object.values(elements)[0].length;
    scope.store.run("UPDATE keys SET size = ? WHERE id = ?", size, id);
    return id;
  });
}

const HASH: Elements = { hashes: [[b("f1"), b("v1")], [b("f2"), b("v2")]] };
// A list's rows are chunks (list_chunks.ts); one element each here, so that a key's size is its
// count of rows as for the other types.
const chunk = (element: string) => encodeChunk([b(element)], encodedBytes([b(element)]));
const LIST: Elements = {
  lists: [[0, 1, chunk("a")], [1_000_000, 1, chunk("b")], [2_000_000, 1, chunk("c")]],
};
const SET: Elements = { sets: [[b("m1")], [b("m2")]] };
const ZSET: Elements = { zsets: [[b("m1"), 1.5], [b("m2"), -2]] };
const streamId = (ms: number, seq: number) => makeId(BigInt(ms), BigInt(seq));
const STREAM: Elements = {
  streams: [[streamId(1, 0), b("fields-1")], [streamId(2, 5), b("fields-2")]],
  stream_meta: [[streamId(2, 5), streamId(0, 0), 2]],
  stream_nodes: [[streamId(1, 0), streamId(2, 5), 2, 0, 40, b("fields")]],
  stream_groups: [[b("g"), streamId(1, 0), 1]],
  stream_consumers: [[b("g"), b("alice"), 100]],
  stream_pending: [[b("g"), streamId(1, 0), b("alice"), 100, 1]],
};

const COLLECTIONS: [string, KeyTypeNumber, Elements][] = [
  ["hash", KeyType.hash, HASH],
  ["list", KeyType.list, LIST],
  ["set", KeyType.set, SET],
  ["zset", KeyType.zset, ZSET],
  ["stream", KeyType.stream, STREAM],
];

function keyRow(db: Db, key: string): Record<string, SQLInputValue> | undefined {
  const scope = scopeOf(db);
  const row = scope.store.get(
    "SELECT id, type, size, expire_at, version FROM keys WHERE db = ? AND key = ?",
    scope.index,
    b(key),
  );
  return row === undefined ? undefined : { ...row };
}

/** The rows of every element table of a key (without key_id), as the tables hold them. */
function elementsOf(db: Db, key: string): Elements {
  const row = keyRow(db, key);
  assert.ok(row, `${key} exists`);
  const out: Elements = {};
  for (const table of ELEMENT_TABLES[row.type as number] ?? []) {
    out[table] = scopeOf(db).store.all(`SELECT * FROM ${table} WHERE key_id = ?`, row.id)
      .map(({ key_id: _, ...rest }) => Object.values(rest));
  }
  return out;
}

function elementRowCount(db: Db): number {
  const store = scopeOf(db).store;
  return Object.values(ELEMENT_TABLES).flat()
    .reduce(
      (sum, table) => sum + (store.get(`SELECT count(*) AS n FROM ${table}`)!.n as number),
      0,
    );
}

function withCollections(db: Db): void {
  db.set("string", "v");
  for (const [key, type, elements] of COLLECTIONS) addCollection(db, key, type, elements);
}

Deno.test("Db.del deletes keys of every type with their elements, each existing key once", () => {
  const db = Db.openMemory();
  withCollections(db);
  assert.equal(db.del("string", "hash", "list", "missing", "hash"), 3);
  assert.equal(db.del("set", "zset", "stream"), 3);
  assert.equal(db.dbsize(), 0);
  assert.equal(elementRowCount(db), 0);
  db.set("x", "1");
  assert.equal(db.del("x", "z"), 1);
  assert.equal(db.del("x"), 0);
  db.set("expired", "v", { pxat: 1 });
  assert.equal(db.del("expired"), 0);
  assert.equal(db.unlink("expired"), 0);
  assert.equal(keyRow(db, "expired"), undefined, "the expired row is removed");
  db.close();
});

Deno.test("Db.exists and Db.touch count a key named twice twice and never expired keys", () => {
  const db = Db.openMemory();
  db.set("x", "1");
  db.set("y", "2");
  db.set("expired", "v", { pxat: 1 });
  addCollection(db, "h", KeyType.hash, HASH);
  assert.equal(db.exists("x", "y"), 2);
  assert.equal(db.exists("x", "x", "missing", "expired", "h"), 3);
  assert.equal(db.touch("y", "y", "expired"), 2);
  assert.equal(db.exists(new Uint8Array([0xff])), 0);
  db.close();
});

Deno.test("Db.type names every type, and none for missing and expired keys", () => {
  const db = Db.openMemory();
  withCollections(db);
  for (const name of ["string", "hash", "list", "set", "zset", "stream"]) {
    assert.equal(db.type(name), name);
  }
  db.set("expired", "v", { pxat: 1 });
  assert.equal(db.type("expired"), "none");
  assert.equal(db.type("missing"), "none");
  db.close();
});

Deno.test("Db.keys matches patterns through a prefix range, in the selected database only", () => {
  const db = Db.openMemory();
  for (const key of ["user:1", "user:2", "user:10", "usr:1", "", "h*llo", "hello", "U"]) {
    db.set(key, "v");
  }
  db.set(new Uint8Array([0xff, 0x61]), "v");
  db.set(new Uint8Array([0xff, 0xff]), "v");
  db.set("user:expired", "v", { pxat: 1 });
  db.select(1);
  db.set("user:other-db", "v");
  db.select(0);
  assert.deepEqual(db.keys("user:*"), ["user:1", "user:10", "user:2"]);
  assert.deepEqual(db.keys("user:?"), ["user:1", "user:2"]);
  assert.deepEqual(db.keys("*:1"), ["user:1", "usr:1"]);
  assert.deepEqual(db.keys("h\\*llo"), ["h*llo"]);
  assert.deepEqual(db.keys("h[*e]llo"), ["h*llo", "hello"]);
  assert.deepEqual(db.keys("hello"), ["hello"]);
  assert.deepEqual(db.keys("u"), []);
  assert.equal(db.keys("*").length, 10, "a lone * matches the empty key too");
  assert.ok(db.keys("*").includes(""));
  assert.ok(!db.keys("**").includes(""), "other patterns never match the empty key");
  assert.deepEqual(db.keys(""), [""]);
  assert.deepEqual(db.commandBytes("KEYS", new Uint8Array([0xff, 0x2a])), [
    new Uint8Array([0xff, 0x61]),
    new Uint8Array([0xff, 0xff]),
  ]);
  db.select(1);
  assert.deepEqual(db.keys("*"), ["user:other-db"]);
  db.select(2);
  assert.deepEqual(db.keys("*"), []);
  db.close();
});

Deno.test("Db.scan walks every key once, with MATCH, TYPE and the selected database", () => {
  const db = Db.openMemory();
  for (let i = 0; i < 95; i++) db.set(`k:${i}`, "v");
  addCollection(db, "k:hash", KeyType.hash, HASH);
  db.set("k:expired", "v", { pxat: 1 });
  db.select(3);
  for (let i = 0; i < 40; i++) db.set(`other:${i}`, "v");
  db.select(0);
  const collect = (options: Parameters<Db["scan"]>[1]) => {
    const seen: string[] = [];
    let cursor = 0;
    let steps = 0;
    do {
      const [next, found] = db.scan(cursor, options);
      assert.ok(found.length <= (options?.count ?? 10));
      seen.push(...found);
      cursor = next;
      steps++;
    } while (cursor !== 0);
    return { seen, steps };
  };
  const all = collect({ count: 7 });
  assert.equal(all.seen.length, 96);
  assert.equal(new Set(all.seen).size, 96);
  assert.ok(all.steps >= Math.ceil(137 / 7), "rows of other databases count as examined");
  assert.deepEqual(collect({ match: "k:1*", count: 5 }).seen.sort(), db.keys("k:1*"));
  assert.deepEqual(collect({ type: "hash" }).seen, ["k:hash"]);
  assert.deepEqual(collect({ type: "HASH", match: "*" }).seen, ["k:hash"]);
  assert.deepEqual(collect({ type: "nosuchtype" }).seen, []);
  assert.deepEqual(db.scan(0, { count: 1000 })[0], 0);
  assert.equal(db.scan(0, { count: 1000 })[1].length, 96);
  throwsRedis(() => db.scan(0, { count: 0 }), "ERR syntax error");
  throwsRedis(() => db.scan(0, { count: 1.5 }), "ERR value is not an integer or out of range");
  throwsRedis(() => db.scan(-1), "ERR invalid cursor");
  db.close();
});

Deno.test("Db.scan returns every key present for the whole iteration while others come and go", () => {
  const random = new SeededRandom(7);
  const db = Db.openMemory();
  const stable = new Set<string>();
  for (let i = 0; i < 200; i++) {
    db.set(`stable:${i}`, "v");
    stable.add(`stable:${i}`);
  }
  for (let round = 0; round < 5; round++) {
    const seen = new Set<string>();
    let cursor = 0;
    let extra = 0;
    do {
      const [next, found] = db.scan(cursor, { count: random.range(1, 20) });
      for (const key of found) seen.add(key);
      cursor = next;
      // Churn between steps: new keys, deleted keys, renamed keys.
      db.set(`new:${round}:${extra++}`, "v");
      db.del(`new:${round}:${random.int(extra)}`);
      const victim = `stable:${random.int(200)}`;
      if (random.int(4) === 0 && stable.has(victim)) {
        db.rename(victim, `renamed:${round}:${extra}`);
        stable.delete(victim);
      }
    } while (cursor !== 0);
    for (const key of stable) assert.ok(seen.has(key), `${key} seen in round ${round}`);
  }
  db.close();
});

Deno.test("Db.randomkey returns live keys of the selected database only, null when there are none", () => {
  const db = Db.openMemory();
  assert.equal(db.randomkey(), null);
  db.select(1);
  for (let i = 0; i < 50; i++) db.set(`db1:${i}`, "v");
  db.select(0);
  assert.equal(db.randomkey(), null, "keys of another database do not count");
  for (let i = 0; i < 50; i++) db.set(`expired:${i}`, "v", { pxat: 1 });
  assert.equal(db.randomkey(), null, "expired keys do not count");
  db.set("a", "1");
  db.set("b", "2");
  db.set("c", "3");
  // Gaps between the live keys: deleted rows and rows of another database.
  db.select(1);
  for (let i = 0; i < 25; i++) db.del(`db1:${i}`);
  for (let i = 50; i < 80; i++) db.set(`db1:${i}`, "v");
  db.select(0);
  db.set("d", "4");
  const seen = new Set<string | null>();
  // Each call returns each key with a probability of several percent: 1000 calls see them all.
  for (let i = 0; i < 1000; i++) seen.add(db.randomkey());
  assert.deepEqual([...seen].sort(), ["a", "b", "c", "d"]);
  db.close();
});

Deno.test("Db.rename keeps the row, its elements and time to live; replaces a key of any type", () => {
  const db = Db.openMemory();
  withCollections(db);
  const before = keyRow(db, "hash")!;
  const elements = elementsOf(db, "hash");
  db.expire("hash", 100);
  assert.equal(db.rename("hash", "renamed"), "OK");
  assert.equal(db.exists("hash"), 0);
  const after = keyRow(db, "renamed")!;
  assert.equal(after.id, before.id, "updated in place");
  assert.notEqual(after.version, before.version);
  assert.deepEqual(elementsOf(db, "renamed"), elements);
  assert.equal(db.ttl("renamed"), 100);
  // Onto a key of another type: that key and its elements are gone.
  const streamRows = elementRowCount(db);
  assert.equal(db.rename("renamed", "stream"), "OK");
  assert.equal(db.type("stream"), "hash");
  assert.equal(elementRowCount(db), streamRows - 7, "the stream's rows are deleted");
  assert.equal(db.rename("stream", "stream"), "OK");
  assert.equal(db.type("stream"), "hash");
  throwsRedis(() => db.rename("missing", "x"), "ERR no such key");
  throwsRedis(() => db.rename("missing", "missing"), "ERR no such key");
  db.set("expired", "v", { pxat: 1 });
  throwsRedis(() => db.rename("expired", "x"), "ERR no such key");
  db.close();
});

Deno.test("Db.renamenx renames only onto a free name", () => {
  const db = Db.openMemory();
  db.set("a", "1");
  db.set("b", "2");
  assert.equal(db.renamenx("a", "b"), false);
  assert.deepEqual([db.get("a"), db.get("b")], ["1", "2"]);
  assert.equal(db.renamenx("a", "a"), false);
  assert.equal(db.renamenx("a", "c"), true);
  assert.deepEqual([db.get("a"), db.get("c")], [null, "1"]);
  db.set("expired", "v", { pxat: 1 });
  assert.equal(db.renamenx("c", "expired"), true, "an expired key frees its name");
  throwsRedis(() => db.renamenx("missing", "x"), "ERR no such key");
  db.close();
});

Deno.test("Db.copy copies every type's elements and time to live, within and across databases", () => {
  const db = Db.openMemory();
  withCollections(db);
  db.expire("zset", 500);
  for (const [key] of COLLECTIONS) {
    assert.equal(db.copy(key, `${key}:copy`), true);
    assert.deepEqual(elementsOf(db, `${key}:copy`), elementsOf(db, key), key);
    assert.notEqual(keyRow(db, `${key}:copy`)!.id, keyRow(db, key)!.id);
    assert.equal(keyRow(db, `${key}:copy`)!.size, keyRow(db, key)!.size);
  }
  assert.equal(db.ttl("zset:copy"), 500);
  assert.equal(db.copy("string", "string:copy"), true);
  assert.equal(db.get("string:copy"), "v");
  // The copy is independent: deleting the source keeps it.
  const streamElements = elementsOf(db, "stream");
  db.del("stream");
  assert.deepEqual(elementsOf(db, "stream:copy"), streamElements);
  // Existing target: false, or replaced (with its elements) with `replace`.
  const rows = elementRowCount(db);
  assert.equal(db.copy("hash", "list:copy"), false);
  assert.equal(db.type("list:copy"), "list");
  assert.equal(db.copy("hash", "list:copy", { replace: true }), true);
  assert.equal(db.type("list:copy"), "hash");
  assert.equal(elementRowCount(db), rows - 3 + 2);
  // Another database, same name.
  assert.equal(db.copy("set", "set", { db: 4 }), true);
  db.select(4);
  assert.deepEqual(elementsOf(db, "set"), SET);
  db.select(0);
  throwsRedis(() => db.copy("set", "set"), "ERR source and destination objects are the same");
  throwsRedis(
    () => db.copy("set", "set", { db: 0 }),
    "ERR source and destination objects are the same",
  );
  throwsRedis(() => db.copy("set", "x", { db: 16 }), "ERR DB index is out of range");
  throwsRedis(
    () => db.copy("set", "x", { db: 1.5 }),
    "ERR value is not an integer or out of range",
  );
  assert.equal(db.exists("x"), 0);
  assert.equal(db.copy("missing", "x"), false);
  db.close();
});

Deno.test("Db.move moves the row in place, keeping its elements and time to live", () => {
  const db = Db.openMemory();
  addCollection(db, "l", KeyType.list, LIST);
  db.pexpire("l", 100_000);
  const before = keyRow(db, "l")!;
  assert.equal(db.move("l", 2), true);
  assert.equal(db.exists("l"), 0);
  db.select(2);
  assert.equal(keyRow(db, "l")!.id, before.id);
  assert.deepEqual(elementsOf(db, "l"), { lists: LIST.lists });
  assert.ok(db.pttl("l") > 99_000);
  db.set("s", "db2");
  db.select(0);
  db.set("s", "db0");
  assert.equal(db.move("s", 2), false, "the target has the name");
  assert.equal(db.get("s"), "db0");
  assert.equal(db.move("missing", 2), false);
  throwsRedis(() => db.move("s", 0), "ERR source and destination objects are the same");
  throwsRedis(() => db.move("s", 16), "ERR DB index is out of range");
  throwsRedis(() => db.move("s", -1), "ERR DB index is out of range");
  assert.equal(db.get("s"), "db0");
  db.close();
});

Deno.test("Db.expire and its siblings set times, delete keys given a past time, honour conditions", () => {
  const db = Db.openMemory();
  db.set("y", "1");
  assert.equal(db.expire("y", 100), true);
  assert.equal(db.ttl("y"), 100);
  assert.equal(db.pttl("y") > 99_000 && db.pttl("y") <= 100_000, true);
  assert.equal(db.persist("y"), true);
  assert.equal(db.ttl("y"), -1);
  assert.equal(db.expire("missing", 100), false);
  // Conditions: GT and LT treat no time to live as infinite.
  assert.equal(db.expire("y", 100, { gt: true }), false);
  assert.equal(db.expire("y", 100, { xx: true }), false);
  assert.equal(db.expire("y", 100, { lt: true }), true);
  assert.equal(db.expire("y", 200, { nx: true }), false);
  assert.equal(db.expire("y", 200, { gt: true }), true);
  assert.equal(db.expire("y", 150, { gt: true }), false);
  assert.equal(db.expire("y", 150, { xx: true, lt: true }), true);
  assert.equal(db.ttl("y"), 150);
  throwsRedis(
    () => db.expire("y", 1, { nx: true, xx: true }),
    "ERR NX and XX, GT or LT options at the same time are not compatible",
  );
  throwsRedis(
    () => db.expire("y", 1, { gt: true, lt: true }),
    "ERR GT and LT options at the same time are not compatible",
  );
  throwsRedis(() => db.expire("y", 1.5), "ERR value is not an integer or out of range");
  assert.equal(db.ttl("y"), 150, "errors change nothing");
  // Absolute times.
  assert.equal(db.pexpireat("y", 4_102_444_800_499), true);
  assert.equal(db.pexpiretime("y"), 4_102_444_800_499);
  assert.equal(db.expiretime("y"), 4_102_444_800);
  assert.equal(db.pexpireat("y", 4_102_444_800_500), true);
  assert.equal(db.expiretime("y"), 4_102_444_801, "rounded to the nearest second");
  assert.equal(db.expireat("y", 4_102_444_800), true);
  assert.equal(db.pexpiretime("y"), 4_102_444_800_000);
  // A time in the past deletes the key, with its elements.
  assert.equal(db.expire("y", 0), true);
  assert.equal(db.exists("y"), 0);
  addCollection(db, "h", KeyType.hash, HASH);
  assert.equal(db.pexpire("h", -1), true);
  assert.equal(keyRow(db, "h"), undefined);
  assert.equal(elementRowCount(db), 0);
  db.set("z", "v");
  assert.equal(db.expireat("z", 1, { xx: true }), false, "a condition keeps the key");
  assert.equal(db.expireat("z", 1, { lt: true }), true);
  assert.equal(db.exists("z"), 0);
  db.close();
});

Deno.test("Db.ttl and its siblings answer -2 for missing and expired keys, -1 without expiry", () => {
  const db = Db.openMemory();
  for (const read of [db.ttl, db.pttl, db.expiretime, db.pexpiretime]) {
    assert.equal(read.call(db, "missing"), -2);
  }
  db.set("k", "v");
  for (const read of [db.ttl, db.pttl, db.expiretime, db.pexpiretime]) {
    assert.equal(read.call(db, "k"), -1);
  }
  db.set("expired", "v", { pxat: 1 });
  for (const read of [db.ttl, db.pttl, db.expiretime, db.pexpiretime]) {
    assert.equal(read.call(db, "expired"), -2);
  }
  db.set("k", "v", { px: 1499 });
  assert.equal(db.ttl("k"), 1);
  db.set("k", "v", { px: 2600 });
  assert.equal(db.ttl("k"), 3);
  assert.equal(db.persist("expired"), false);
  assert.equal(db.persist("missing"), false);
  db.close();
});

Deno.test("Expire times beyond 2^53 ms are stored clamped and read back without error", () => {
  const db = Db.openMemory();
  db.set("k", "v");
  assert.equal(db.command("PEXPIREAT", "k", "9223372036854775807"), 1);
  assert.equal(db.pexpiretime("k"), MAX_EXPIRE_AT);
  assert.equal(db.get("k"), "v");
  assert.equal(db.exists("k"), 1);
  assert.equal(db.command("SET", "s", "v", "PX", String(2n ** 60n)), "OK");
  assert.equal(db.get("s"), "v");
  assert.equal(db.pexpiretime("s"), MAX_EXPIRE_AT);
  assert.equal(db.command("PEXPIRE", "s", String(2n ** 62n), "LT"), 0);
  db.close();
});

Deno.test("Writes to a key's expiry change its version; reads and refused writes do not", () => {
  const db = Db.openMemory();
  db.set("k", "v");
  const version = () => keyRow(db, "k")!.version;
  let last = version();
  for (const write of [() => db.expire("k", 100), () => db.persist("k")]) {
    assert.equal(write(), true);
    assert.notEqual(version(), last);
    last = version();
  }
  db.ttl("k");
  db.exists("k");
  db.expire("k", 100, { xx: true });
  db.persist("k");
  assert.equal(version(), last);
  db.close();
});

Deno.test("Db.dbsize, Db.flushdb and Db.flushall", () => {
  const db = Db.openMemory();
  withCollections(db);
  db.set("expired", "v", { pxat: 1 });
  assert.equal(db.dbsize(), 6);
  db.select(5);
  assert.equal(db.dbsize(), 0);
  db.set("five", "v");
  addCollection(db, "h5", KeyType.hash, HASH);
  assert.equal(db.dbsize(), 2);
  assert.equal(db.flushdb(), "OK");
  assert.equal(db.dbsize(), 0);
  db.select(0);
  assert.equal(db.dbsize(), 6, "FLUSHDB empties the selected database only");
  assert.equal(elementRowCount(db), 2 + 3 + 2 + 2 + 7);
  db.select(5);
  addCollection(db, "h5", KeyType.hash, HASH);
  assert.equal(db.flushall(), "OK");
  assert.equal(db.dbsize(), 0);
  db.select(0);
  assert.equal(db.dbsize(), 0);
  assert.equal(elementRowCount(db), 0);
  assert.equal(scopeOf(db).store.get("SELECT count(*) AS n FROM keys")!.n, 0);
  db.close();
});

Deno.test("the kept key counts follow every way keys come and go", () => {
  const db = Db.openMemory({ activeExpire: false });
  const store = scopeOf(db).store;
  const check = (step: string) => {
    const kept = store.all("SELECT db, n FROM key_counts WHERE n <> 0 ORDER BY db");
    const counted = store.all("SELECT db, count(*) AS n FROM keys GROUP BY db ORDER BY db");
    assert.deepEqual(kept.map((row) => ({ ...row })), counted.map((row) => ({ ...row })), step);
  };
  db.set("a", "1");
  db.set("a", "2");
  db.mset({ b: "1", c: "1" });
  db.lpush("list", "x");
  check("created");
  db.rpop("list");
  db.del("b");
  check("deleted");
  db.rename("a", "c");
  check("renamed over another key");
  db.move("c", 3);
  db.copy("c", "d", { db: 3 });
  check("moved and copied");
  db.set("gone", "v", { pxat: 1 });
  assert.equal(db.dbsize(), 0, "an expired key is not counted");
  store.removeExpired(Date.now(), 10);
  check("expired key removed");
  db.flushall();
  check("flushed");
  db.close();
});

// What version 3 added (HISTORY's and full-text search's tables), gone from a file made older.
function dropVersion3Tables(raw: import("node:sqlite").DatabaseSync): void {
  for (const table of ["history_config", "key_history", "key_history_elements", "fts_patterns"]) {
    raw.exec(`DROP TABLE ${table}`);
  }
  raw.exec("DROP TABLE fts_docs");
  raw.exec("DROP TABLE fts");
}

// The lists table of versions 1 to 3, one row per element (version 4 stores chunks).
function restoreVersion3Lists(raw: import("node:sqlite").DatabaseSync): void {
  raw.exec("DROP TABLE lists");
  raw.exec(
    "CREATE TABLE lists (key_id INTEGER NOT NULL, pos INTEGER NOT NULL, value BLOB NOT NULL, " +
      "PRIMARY KEY (key_id, pos)) WITHOUT ROWID",
  );
}

Deno.test("a file of schema version 1 gets its key counts when opened", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/v1.db`;
    const db = Db.open(path);
    db.set("a", "1");
    db.select(2);
    db.set("b", "1");
    db.set("c", "1");
    db.close();
    const { DatabaseSync } = await import("node:sqlite");
    const raw = new DatabaseSync(path);
    // What version 1 had: no counts, no triggers keeping them.
    for (const trigger of ["insert", "delete", "move"]) {
      raw.exec(`DROP TRIGGER keys_counted_${trigger}`);
    }
    raw.exec("DROP TABLE key_counts");
    dropVersion3Tables(raw);
    restoreVersion3Lists(raw);
    raw.exec("PRAGMA user_version = 1");
    raw.close();
    assert.throws(() => Db.open(path, { readOnly: true }), /open it once without readOnly/);
    const upgraded = Db.open(path);
    assert.equal(upgraded.dbsize(), 1);
    upgraded.select(2);
    assert.equal(upgraded.dbsize(), 2);
    upgraded.close();
  });
});

Deno.test("Key commands through db.command check their arguments before changing anything", () => {
  const db = Db.openMemory();
  db.set("k", "v");
  const errors: [string[], string][] = [
    [["EXPIRE", "k", "10", "FOO"], "ERR Unsupported option FOO"],
    [
      ["EXPIRE", "k", "10", "NX", "LT"],
      "ERR NX and XX, GT or LT options at the same time are not compatible",
    ],
    [["EXPIRE", "k", "9223372036854776"], "ERR invalid expire time in 'expire' command"],
    [["COPY", "k", "x", "DB", "99"], "ERR DB index is out of range"],
    [["COPY", "k", "x", "REPLACE", "BAD"], "ERR syntax error"],
    [["MOVE", "k", "x"], "ERR value is not an integer or out of range"],
    [["FLUSHDB", "NOW"], "ERR syntax error"],
    [["FLUSHALL", "SYNC", "SYNC"], "ERR syntax error"],
    [["SCAN", "0", "COUNT", "0"], "ERR syntax error"],
    [["SCAN", "x"], "ERR invalid cursor"],
    [["RENAME", "missing", "k"], "ERR no such key"],
  ];
  for (const [args, message] of errors) {
    throwsRedis(() => db.command(args[0], ...args.slice(1)), message);
  }
  assert.deepEqual([db.get("k"), db.ttl("k"), db.dbsize()], ["v", -1, 1]);
  throwsRedis(
    () => db.command("EXPIRE", "k", "1", new Uint8Array([0x41, 0x00, 0x42])),
    "ERR Unsupported option A",
  );
  db.close();
});

Deno.test("Key functions bind keys as bytes: string and Uint8Array keys are the same key", () => {
  const db = Db.openMemory();
  db.set(toBytes("k"), "v");
  assert.equal(db.exists("k"), 1);
  assert.equal(db.rename(new Uint8Array([0x6b]), "k2"), "OK");
  assert.deepEqual(db.keys(new Uint8Array([0x6b, 0x2a])), ["k2"]);
  db.close();
});
