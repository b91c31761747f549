import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { statementsOf } from "../_helpers/statements.ts";

function redisError(message: string | RegExp) {
  return (error: unknown) =>
    error instanceof RedisError &&
    (typeof message === "string" ? error.message === message : message.test(error.message));
}

const WRONGTYPE = redisError("WRONGTYPE Operation against a key holding the wrong kind of value");

// What the keys table and the hashes table hold for a key: its recorded size and its real one.
function sizes(db: Db, key: string): { recorded: number | null; rows: number } {
  const store = scopeOf(db).store;
  const row = store.get(
    "SELECT id, size FROM keys WHERE db = ? AND key = ?",
    db.selected,
    new TextEncoder().encode(key),
  );
  if (row === undefined) return { recorded: null, rows: 0 };
  const count = store.get("SELECT count(*) AS n FROM hashes WHERE key_id = ?", row.id)!;
  return { recorded: row.size as number, rows: count.n as number };
}

function expireNow(db: Db, key: string): void {
  scopeOf(db).store.run(
    "UPDATE keys SET expire_at = 1 WHERE db = ? AND key = ?",
    db.selected,
    new TextEncoder().encode(key),
  );
}

Deno.test("Db.hset takes one field, an object, pairs or a Map and counts new fields", () => {
  const db = Db.openMemory();
  assert.equal(db.hset("h", "a", "1"), 1);
  assert.equal(db.hset("h", "a", "2"), 0);
  assert.equal(db.hset("h", { a: "3", b: "4" }), 1);
  assert.equal(db.hset("h", [["c", "5"], [new Uint8Array([0, 255]), "bin"]]), 2);
  assert.equal(db.hset("h", new Map([["d", "6"]])), 1);
  assert.equal(db.hset("h", [["e", "1"], ["e", "2"]]), 1);
  assert.equal(db.hget("h", "a"), "3");
  assert.equal(db.hget("h", "e"), "2");
  assert.deepEqual(
    db.commandBytes("HGET", "h", new Uint8Array([0, 255])),
    new TextEncoder().encode("bin"),
  );
  assert.equal(db.hlen("h"), 6);
  assert.deepEqual(sizes(db, "h"), { recorded: 6, rows: 6 });
  assert.throws(
    () => db.hset("h", {}),
    redisError("ERR wrong number of arguments for 'hset' command"),
  );
  db.close();
});

Deno.test("Db.hsetnx and Db.hmset", () => {
  const db = Db.openMemory();
  assert.equal(db.hsetnx("h", "f", "1"), true);
  assert.equal(db.hsetnx("h", "f", "2"), false);
  assert.equal(db.hget("h", "f"), "1");
  assert.equal(db.hmset("h", { g: "3", f: "4" }), "OK");
  assert.deepEqual(db.hgetall("h"), { f: "4", g: "3" });
  assert.deepEqual(sizes(db, "h"), { recorded: 2, rows: 2 });
  db.close();
});

Deno.test("Db.hget, hmget, hexists, hstrlen on present and missing keys and fields", () => {
  const db = Db.openMemory();
  db.hset("h", { a: "héllo", empty: "" });
  assert.equal(db.hget("h", "a"), "héllo");
  assert.equal(db.hget("h", "empty"), "");
  assert.equal(db.hget("h", "z"), null);
  assert.equal(db.hget("missing", "a"), null);
  assert.deepEqual(db.hmget("h", "a", "z", "a"), ["héllo", null, "héllo"]);
  assert.deepEqual(db.hmget("missing", "a", "b"), [null, null]);
  assert.equal(db.hexists("h", "empty"), true);
  assert.equal(db.hexists("h", "z"), false);
  assert.equal(db.hexists("missing", "z"), false);
  assert.equal(db.hstrlen("h", "a"), 6);
  assert.equal(db.hstrlen("h", "z"), 0);
  assert.equal(db.hstrlen("missing", "a"), 0);
  assert.throws(
    () => db.hmget("h"),
    redisError("ERR wrong number of arguments for 'hmget' command"),
  );
  db.close();
});

Deno.test("Db.hgetall, hkeys, hvals are in byte order; empty for a missing key", () => {
  const db = Db.openMemory();
  db.hset("h", { b: "2", a: "1", "": "0", ab: "3" });
  assert.deepEqual(db.hkeys("h"), ["", "a", "ab", "b"]);
  assert.deepEqual(db.hvals("h"), ["0", "1", "3", "2"]);
  assert.deepEqual(Object.entries(db.hgetall("h")), [["", "0"], ["a", "1"], ["ab", "3"], [
    "b",
    "2",
  ]]);
  assert.deepEqual(db.hgetall("missing"), {});
  assert.deepEqual(db.hkeys("missing"), []);
  assert.deepEqual(db.hvals("missing"), []);
  assert.equal(db.hlen("missing"), 0);
  db.close();
});

Deno.test("Db.hdel counts removed fields and deletes the emptied hash", () => {
  const db = Db.openMemory();
  db.hset("h", { a: "1", b: "2", c: "3" });
  assert.equal(db.hdel("h", "a", "a", "z"), 1);
  assert.equal(db.hdel("missing", "a"), 0);
  assert.deepEqual(sizes(db, "h"), { recorded: 2, rows: 2 });
  assert.equal(db.hdel("h", "b", "c"), 2);
  assert.deepEqual(sizes(db, "h"), { recorded: null, rows: 0 });
  assert.equal(db.sadd("h", "now a set"), 1);
  assert.throws(() => db.hdel("h"), redisError("ERR wrong number of arguments for 'hdel' command"));
  db.close();
});

Deno.test("hash methods throw WRONGTYPE on other types and change nothing", () => {
  const db = Db.openMemory();
  db.set("s", "text");
  db.sadd("set", "m");
  assert.throws(() => db.hset("s", "f", "v"), WRONGTYPE);
  assert.throws(() => db.hsetnx("s", "f", "v"), WRONGTYPE);
  assert.throws(() => db.hmset("set", { f: "v" }), WRONGTYPE);
  assert.throws(() => db.hget("s", "f"), WRONGTYPE);
  assert.throws(() => db.hmget("s", "f"), WRONGTYPE);
  assert.throws(() => db.hgetall("set"), WRONGTYPE);
  assert.throws(() => db.hdel("s", "f"), WRONGTYPE);
  assert.throws(() => db.hexists("s", "f"), WRONGTYPE);
  assert.throws(() => db.hkeys("s"), WRONGTYPE);
  assert.throws(() => db.hvals("s"), WRONGTYPE);
  assert.throws(() => db.hlen("set"), WRONGTYPE);
  assert.throws(() => db.hstrlen("s", "f"), WRONGTYPE);
  assert.throws(() => db.hincrby("s", "f", 1), WRONGTYPE);
  assert.throws(() => db.hincrbyfloat("s", "f", 1), WRONGTYPE);
  assert.throws(() => db.hrandfield("s"), WRONGTYPE);
  assert.throws(() => db.hrandfield("s", 2), WRONGTYPE);
  assert.throws(() => db.hscan("s", 0), WRONGTYPE);
  assert.equal(db.get("s"), "text");
  assert.deepEqual(db.smembers("set"), ["m"]);
  db.close();
});

Deno.test("Db.hincrby adds 64-bit integers and refuses bad values without writing", () => {
  const db = Db.openMemory();
  assert.equal(db.hincrby("h", "n", 5), 5);
  assert.equal(db.hincrby("h", "n", -7), -2);
  assert.equal(db.hincrby("h", "big", 2n ** 62n), 2n ** 62n);
  assert.equal(db.hincrby("h", "big", 2n ** 62n - 1n), 2n ** 63n - 1n);
  assert.throws(
    () => db.hincrby("h", "big", 1),
    redisError("ERR increment or decrement would overflow"),
  );
  assert.equal(db.hget("h", "big"), "9223372036854775807");
  db.hset("h", { text: "abc", float: "1.5", spaced: " 1", zero: "01" });
  for (const field of ["text", "float", "spaced", "zero"]) {
    assert.throws(() => db.hincrby("h", field, 1), redisError("ERR hash value is not an integer"));
  }
  assert.equal(db.hget("h", "zero"), "01");
  assert.throws(
    () => db.hincrby("h", "n", 1.5),
    redisError("ERR value is not an integer or out of range"),
  );
  assert.throws(
    () => db.hincrby("h", "n", 2n ** 63n),
    redisError("ERR value is not an integer or out of range"),
  );
  assert.throws(() => db.hincrby("new", "n", 1.5), /not an integer/);
  db.set("str", "x");
  assert.throws(() => db.hincrby("str", "n", 1), WRONGTYPE);
  assert.equal(db.hlen("new"), 0);
  assert.equal(db.hget("h", "n"), "-2");
  assert.deepEqual(sizes(db, "h"), { recorded: 6, rows: 6 });
  db.close();
});

Deno.test("Db.hincrbyfloat computes in long double and prints as Redis", () => {
  const db = Db.openMemory();
  assert.equal(db.hincrbyfloat("h", "f", 0.1), "0.1");
  assert.equal(db.hincrbyfloat("h", "f", "0.2"), "0.3");
  assert.equal(db.hincrbyfloat("h", "g", "3.0e3"), "3000");
  assert.equal(db.hincrbyfloat("h", "g", -3000), "0");
  assert.equal(db.hincrbyfloat("h", "int", "5"), "5");
  assert.throws(
    () => db.hincrbyfloat("h", "f", "abc"),
    redisError("ERR value is not a valid float"),
  );
  assert.throws(
    () => db.hincrbyfloat("h", "f", Number.NaN),
    redisError("ERR value is not a valid float"),
  );
  assert.throws(
    () => db.hincrbyfloat("h", "f", Infinity),
    redisError("ERR value is NaN or Infinity"),
  );
  db.hset("h", { text: "abc", inf: "inf" });
  assert.throws(() => db.hincrbyfloat("h", "text", 1), redisError("ERR hash value is not a float"));
  assert.throws(
    () => db.hincrbyfloat("h", "inf", 1),
    redisError("ERR increment would produce NaN or Infinity"),
  );
  assert.throws(() => db.hincrbyfloat("new", "f", "x"), /not a valid float/);
  assert.equal(db.hlen("new"), 0);
  assert.deepEqual(db.hgetall("h"), { f: "0.3", g: "0", int: "5", text: "abc", inf: "inf" });
  db.close();
});

Deno.test("Db.hrandfield draws fields, distinct for a positive count, repeated for a negative one", () => {
  const db = Db.openMemory();
  assert.equal(db.hrandfield("missing"), null);
  assert.deepEqual(db.hrandfield("missing", 3), []);
  db.hset("h", { a: "1", b: "2", c: "3" });
  assert.ok(["a", "b", "c"].includes(db.hrandfield("h")!));
  assert.deepEqual(db.hrandfield("h", 0), []);
  assert.deepEqual(db.hrandfield("h", 10).toSorted(), ["a", "b", "c"]);
  const two = db.hrandfield("h", 2);
  assert.equal(new Set(two).size, 2);
  const repeated = db.hrandfield("h", -20);
  assert.equal(repeated.length, 20);
  assert.ok(repeated.every((field) => ["a", "b", "c"].includes(field)));
  const pairs = db.hrandfield("h", -5, { withvalues: true });
  assert.equal(pairs.length, 5);
  for (const [field, value] of pairs) assert.equal(db.hget("h", field), value);
  assert.throws(() => db.hrandfield("h", 1.5), /not an integer/);
  db.close();
});

Deno.test("Db.hrandfield on a large hash returns existing fields with their values", () => {
  const db = Db.openMemory();
  const fields = Object.fromEntries(
    Array.from({ length: 3000 }, (_, i) => [`field:${i}`, `v${i}`]),
  );
  db.hset("h", fields);
  // A few (by random descent) and many (by reading the hash once).
  for (const count of [5, 500]) {
    const picked = db.hrandfield("h", count, { withvalues: true });
    assert.equal(picked.length, count);
    assert.equal(new Set(picked.map(([field]) => field)).size, count);
    for (const [field, value] of picked) assert.equal(fields[field], value);
  }
  const repeated = db.hrandfield("h", -5, { withvalues: true });
  for (const [field, value] of repeated) assert.equal(fields[field], value);
  for (let i = 0; i < 20; i++) assert.ok(db.hrandfield("h")! in fields);
  db.close();
});

Deno.test("an expired hash is absent to reads and replaced by writes", () => {
  const db = Db.openMemory();
  db.hset("h", { a: "1", b: "2" });
  expireNow(db, "h");
  assert.equal(db.hget("h", "a"), null);
  assert.equal(db.hlen("h"), 0);
  assert.deepEqual(db.hgetall("h"), {});
  assert.equal(db.hexists("h", "a"), false);
  assert.equal(db.hrandfield("h"), null);
  assert.deepEqual(db.hscan("h", 0), [0, {}]);
  assert.equal(db.hset("h", "c", "3"), 1);
  assert.deepEqual(db.hgetall("h"), { c: "3" });
  assert.deepEqual(sizes(db, "h"), { recorded: 1, rows: 1 });
  db.close();
});

Deno.test("Db.hscan returns a small hash whole and pages through a large one", () => {
  const db = Db.openMemory();
  db.hset("small", { a: "1", b: "2", c: "3" });
  assert.deepEqual(db.hscan("small", 0, { count: 1 }), [0, { a: "1", b: "2", c: "3" }]);
  assert.deepEqual(db.hscan("small", 0, { match: "[ab]" }), [0, { a: "1", b: "2" }]);
  const fields = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`f${i}`, `${i}`]));
  db.hset("big", fields);
  const seen: Record<string, string> = {};
  let cursor = 0;
  let steps = 0;
  do {
    const [next, found] = db.hscan("big", cursor, { count: 7 });
    assert.ok(Object.keys(found).length <= 7);
    Object.assign(seen, found);
    cursor = next;
    steps++;
  } while (cursor !== 0);
  assert.deepEqual(seen, fields);
  assert.ok(steps >= 500 / 7);
  assert.throws(() => db.hscan("big", -1), redisError("ERR invalid cursor"));
  assert.throws(() => db.hscan("big", 0, { count: 0 }), redisError("ERR syntax error"));
  db.close();
});

Deno.test("a batch's writes of a field it knows are made once, with the last value, or not at all", () => {
  const db = Db.open(":memory:");
  const store = scopeOf(db).store;
  // The value as the table holds it, read past the key cache.
  const stored = () =>
    new TextDecoder().decode(
      store.valuesBesideCache("SELECT value FROM hashes WHERE field = x'66'")![0] as Uint8Array,
    );
  try {
    db.hset("h", { f: "0" });
    const replies = store.writeBatch(() => {
      const added = [];
      for (let i = 1; i <= 5; i++) added.push(db.hset("h", { f: String(i) }));
      return added;
    });
    assert.deepEqual(replies, [0, 0, 0, 0, 0]);
    assert.equal(stored(), "5");
    assert.deepEqual(sizes(db, "h"), { recorded: 1, rows: 1 });

    assert.throws(() =>
      store.writeBatch(() => {
        for (let i = 6; i <= 9; i++) db.hset("h", { f: String(i) });
        throw new Error("the batch fails");
      })
    );
    assert.equal(stored(), "5", "rolled back");
    assert.equal(db.hget("h", "f"), "5");
  } finally {
    db.close();
  }
});

Deno.test("a batch's HSETs of a field its lookup found write the field once, at the end", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    db.hset("h", { f: "0" });
    // The batch before used the key twice: this batch caches it at its first HSET.
    store.writeBatch(() => {
      db.hset("h", { f: "1" });
      db.hset("h", { f: "2" });
    });
    // A write outside a batch in between: the next batch does not use the cache this one kept.
    db.set("elsewhere", "x");
    const seen = statementsOf(store, () =>
      store.writeBatch(() => {
        for (let i = 3; i <= 6; i++) db.hset("h", { f: String(i) });
      }));
    // The lookup (which also tells whether the field exists), then nothing until the batch's end
    // writes the field (not recorded here).
    assert.equal(seen.filter((sql) => /\bhashes\b/.test(sql)).length, 1, seen.join("\n"));
    assert.match(seen.find((sql) => /\bhashes\b/.test(sql))!, /^SELECT .* EXISTS/);
    assert.equal(db.hget("h", "f"), "6");
    assert.deepEqual(sizes(db, "h"), { recorded: 1, rows: 1 });
  } finally {
    db.close();
  }
});
