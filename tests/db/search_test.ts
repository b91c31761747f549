import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { searchTriggersInstalled } from "../../src/db/search.ts";
import { SeededRandom } from "../_helpers/random.ts";

function throwsRedis(fn: () => unknown, message: string | RegExp): void {
  assert.throws(
    fn,
    (e: unknown) =>
      e instanceof RedisError &&
      (typeof message === "string" ? e.message === message : message.test(e.message)),
  );
}

/** The keys (and fields) a query finds, as "key" or "key/field", in rank order. */
function found(db: Db, query: string, limit?: number): string[] {
  return db.ftsearch(query, { limit }).map((r) => r.field === null ? r.key : `${r.key}/${r.field}`);
}

/** Every document of the index with its text, in a canonical order. */
function indexContent(db: Db): string[] {
  const decode = (v: unknown) => v === null ? null : new TextDecoder().decode(v as Uint8Array);
  return scopeOf(db).store.all(
    "SELECT d.db, d.key, d.field, f.value FROM fts_docs d JOIN fts f ON f.rowid = d.id",
  ).map((row) => JSON.stringify([row.db, decode(row.key), decode(row.field), decode(row.value)]))
    .sort();
}

function counts(db: Db): [number, number] {
  const store = scopeOf(db).store;
  return [
    store.get("SELECT count(*) AS n FROM fts_docs")!.n as number,
    store.get("SELECT count(*) AS n FROM fts")!.n as number,
  ];
}

Deno.test("FTS ENABLE indexes the matching keys there are and those to come", () => {
  const db = Db.openMemory();
  db.set("doc:1", "The quick brown fox jumps over the lazy dog");
  db.set("doc:2", "A quick word about foxes");
  db.set("note:1", "quick but not indexed");
  db.hset("user:1", { name: "Alice Quick", city: "Paris" });
  assert.equal(db.ftsEnable("doc:*"), true);
  assert.equal(db.ftsEnable("user:*"), true);
  assert.equal(db.ftsEnable("doc:*"), false);
  assert.deepEqual(new Set(found(db, "quick")), new Set(["doc:1", "doc:2", "user:1/name"]));
  db.set("doc:3", "quick quick quick");
  db.hset("user:2", { bio: "Quickly" });
  assert.equal(found(db, "quick")[0], "doc:3", "the most relevant first");
  assert.deepEqual(found(db, "quick*").includes("user:2/bio"), true, "prefix queries");
  assert.deepEqual(found(db, "paris"), ["user:1/city"], "case and fields");
  assert.deepEqual(found(db, '"brown fox"'), ["doc:1"], "phrases");
  assert.deepEqual(found(db, "quick NOT fox"), found(db, "quick").filter((k) => k !== "doc:1"));
  assert.deepEqual(found(db, "quick", 2).length, 2);
  assert.deepEqual(found(db, "quick", 0), []);
  assert.deepEqual(db.ftsList(), ["doc:*", "user:*"]);
  db.close();
});

Deno.test("FTSEARCH scores, highlights and removes diacritics", () => {
  const db = Db.openMemory();
  db.ftsEnable("*");
  db.set("a", "Crème brûlée recipe");
  db.set("b", "creme and more creme");
  const results = db.ftsearch("creme", { highlight: true });
  assert.deepEqual(results.map((r) => r.key), ["b", "a"]);
  assert.ok(results[0].score > results[1].score && results[1].score > 0);
  assert.equal(results[1].highlight, "<b>Crème</b> brûlée recipe");
  assert.equal(
    db.ftsearch("recipe", { highlight: ["[", "]"] })[0].highlight,
    "Crème brûlée [recipe]",
  );
  assert.equal(db.ftsearch("recipe")[0].highlight, undefined);
  db.close();
});

Deno.test("FTS follows every write: overwrite, HDEL, DEL, RENAME, MOVE, COPY, expiry, FLUSHDB", () => {
  const db = Db.openMemory({ activeExpire: false });
  db.ftsEnable("doc:*");
  db.set("doc:1", "apple");
  db.set("doc:1", "banana");
  assert.deepEqual(found(db, "apple"), []);
  assert.deepEqual(found(db, "banana"), ["doc:1"]);
  db.append("doc:1", " cherry");
  assert.deepEqual(found(db, "cherry"), ["doc:1"]);
  db.hset("doc:h", { a: "apple", b: "apple pie" });
  db.hset("doc:h", { a: "plum" });
  db.hdel("doc:h", "b");
  assert.deepEqual(found(db, "apple"), []);
  assert.deepEqual(found(db, "plum"), ["doc:h/a"]);
  db.rename("doc:1", "other");
  assert.deepEqual(found(db, "banana"), [], "renamed out of the pattern");
  db.rename("other", "doc:2");
  assert.deepEqual(found(db, "banana"), ["doc:2"], "renamed into it");
  db.copy("doc:h", "doc:copy");
  assert.deepEqual(found(db, "plum").sort(), ["doc:copy/a", "doc:h/a"]);
  db.move("doc:copy", 1);
  assert.deepEqual(found(db, "plum"), ["doc:h/a"]);
  db.set("doc:2", "now a hash"); // a type change: the string goes, the hash comes
  db.del("doc:2");
  db.hset("doc:2", { x: "grape" });
  assert.deepEqual(found(db, "grape"), ["doc:2/x"]);
  db.set("doc:2", "melon");
  assert.deepEqual(found(db, "grape"), []);
  assert.deepEqual(found(db, "melon"), ["doc:2"]);
  // An expired key is absent at once, and leaves the index when it is removed.
  db.set("doc:e", "kiwi", { px: 60_000 });
  assert.deepEqual(found(db, "kiwi"), ["doc:e"]);
  // Its time runs out (set in the table: no waiting).
  scopeOf(db).store.run(
    "UPDATE keys SET expire_at = 1 WHERE key = ?",
    new TextEncoder().encode("doc:e"),
  );
  assert.deepEqual(found(db, "kiwi"), []);
  assert.equal(db.vacuum(), 1);
  db.flushdb();
  assert.deepEqual(found(db, "plum OR melon"), []);
  assert.deepEqual(counts(db), [0, 0]);
  assert.deepEqual(db.ftsList(), ["doc:*"], "patterns are configuration, not keys");
  db.set("doc:new", "fresh");
  assert.deepEqual(found(db, "fresh"), ["doc:new"]);
  db.close();
});

Deno.test("FTS patterns and searches are per database", () => {
  const db = Db.openMemory();
  db.ftsEnable("*");
  db.set("k", "shared word");
  db.select(1);
  db.set("k", "shared word");
  assert.deepEqual(found(db, "shared"), [], "database 1 has no pattern");
  assert.deepEqual(db.ftsList(), []);
  db.ftsEnable("k");
  assert.deepEqual(found(db, "shared"), ["k"]);
  db.select(0);
  assert.deepEqual(found(db, "shared"), ["k"]);
  db.close();
});

Deno.test("FTS DISABLE drops the keys no other pattern covers; the triggers go with the last", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  assert.equal(searchTriggersInstalled(store), false);
  db.set("doc:1", "word");
  db.set("doc:x", "word");
  db.ftsEnable("doc:*");
  db.ftsEnable("doc:[0-9]");
  assert.equal(searchTriggersInstalled(store), true);
  assert.equal(db.ftsDisable("doc:*"), true);
  assert.equal(db.ftsDisable("doc:*"), false);
  assert.deepEqual(found(db, "word"), ["doc:1"]);
  db.set("doc:y", "word");
  assert.deepEqual(found(db, "word"), ["doc:1"]);
  assert.equal(db.ftsDisable("doc:[0-9]"), true);
  assert.equal(searchTriggersInstalled(store), false);
  assert.deepEqual(counts(db), [0, 0]);
  db.close();
});

Deno.test("FTS REINDEX rebuilds a damaged index", () => {
  const db = Db.openMemory();
  db.ftsEnable("d*");
  db.set("d1", "alpha");
  db.hset("d2", { f: "alpha beta", g: "gamma" });
  const before = indexContent(db);
  scopeOf(db).store.run("DELETE FROM fts_docs");
  assert.deepEqual(found(db, "alpha"), []);
  assert.equal(db.ftsReindex(), 3);
  assert.deepEqual(indexContent(db), before);
  assert.deepEqual(found(db, "alpha").sort(), ["d1", "d2/f"]);
  db.close();
});

Deno.test("FTSEARCH errors: FTS5's message for a bad query, Redis's for bad options", () => {
  const db = Db.openMemory();
  db.ftsEnable("*");
  db.set("k", "text");
  throwsRedis(() => db.ftsearch("AND"), 'ERR full-text query: fts5: syntax error near "AND"');
  throwsRedis(() => db.ftsearch("nope:x"), "ERR full-text query: no such column: nope");
  throwsRedis(
    () => db.ftsearch("text", { limit: -1 }),
    "ERR value is out of range, must be positive",
  );
  throwsRedis(() => db.command("FTSEARCH", "text", "LIMIT"), "ERR syntax error");
  throwsRedis(() => db.command("FTSEARCH", "text", "HIGHLIGHT", "TAGS", "<"), "ERR syntax error");
  throwsRedis(() => db.command("FTSEARCH", "text", "BOGUS"), "ERR syntax error");
  throwsRedis(
    () => db.command("FTS", "ENABLE"),
    "ERR wrong number of arguments for 'fts|enable' command",
  );
  assert.deepEqual(found(db, "text"), ["k"]);
  db.close();
});

Deno.test("FTS: the triggers keep the index equal to a rebuild after any sequence of writes", () => {
  const random = new SeededRandom(424242);
  const db = Db.openMemory();
  db.ftsEnable("doc:*");
  db.ftsEnable("h[0-9]");
  const names = ["doc:1", "doc:2", "h1", "h2", "hx", "plain"];
  const words = ["red", "green", "blue", "red green"];
  const commands: (() => (string | number)[])[] = [
    () => ["SET", random.pick(names), random.pick(words)],
    () => ["APPEND", random.pick(names), ` ${random.pick(words)}`],
    () => ["HSET", random.pick(names), random.pick(["a", "b"]), random.pick(words)],
    () => ["HDEL", random.pick(names), random.pick(["a", "b"])],
    () => ["HINCRBY", random.pick(names), "n", 1],
    () => ["DEL", random.pick(names)],
    () => ["RENAME", random.pick(names), random.pick(names)],
    () => ["COPY", random.pick(names), random.pick(names), "REPLACE"],
    () => ["MOVE", random.pick(names), 1],
    () => ["GETDEL", random.pick(names)],
    () => ["SADD", random.pick(names), "m"],
    () => ["EXPIRE", random.pick(names), -1],
  ];
  for (let step = 0; step < 1000; step++) {
    const argv = random.pick(commands)();
    try {
      db.command(String(argv[0]), ...argv.slice(1));
    } catch {
      // WRONGTYPE and no such key: nothing changed
    }
  }
  const live = indexContent(db);
  const [docs, texts] = counts(db);
  assert.equal(docs, texts);
  assert.ok(docs > 0);
  db.ftsReindex();
  db.select(1);
  db.ftsReindex();
  assert.deepEqual(indexContent(db), live);
  db.close();
});

Deno.test("FTS indexes strings and hashes only; a key that changes type leaves the index", () => {
  const db = Db.openMemory();
  db.ftsEnable("doc:*");
  db.rpush("doc:list", "hello");
  db.sadd("doc:set", "hello");
  db.zadd("doc:zset", 1, "hello");
  db.xadd("doc:stream", "*", { text: "hello" });
  db.set("doc:string", "hello");
  assert.deepEqual(found(db, "hello"), ["doc:string"]);
  db.del("doc:string");
  db.rpush("doc:string", "hello");
  assert.deepEqual(found(db, "hello"), []);
  assert.deepEqual(counts(db), [0, 0]);
  assert.equal(db.ftsReindex(), 0, "a rebuild finds no document either");
  db.close();
});

Deno.test("FTS: binary values are indexed as their bytes' text, and any value can be written", () => {
  const db = Db.openMemory();
  db.ftsEnable("doc:*");
  db.set("doc:bin", new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0x42]));
  db.hset("doc:h", { f: new Uint8Array([0x80]) });
  assert.equal(db.get("doc:bin"), "\ufffd\ufffd\u0000AB");
  assert.deepEqual(found(db, "AB"), ["doc:bin"]);
  assert.deepEqual(counts(db), [2, 2]);
  db.close();
});
