import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";

function redisError(message: string): (error: unknown) => boolean {
  return (error) => error instanceof RedisError && error.message === message;
}

Deno.test("sort orders numbers, or bytes with alpha, and windows with limit", () => {
  const db = Db.openMemory();
  db.rpush("l", "10", "9", "-1.5", "100", "9");
  assert.deepEqual(db.sort("l"), ["-1.5", "9", "9", "10", "100"]);
  assert.deepEqual(db.sort("l", { desc: true }), ["100", "10", "9", "9", "-1.5"]);
  assert.deepEqual(db.sort("l", { alpha: true }), ["-1.5", "10", "100", "9", "9"]);
  assert.deepEqual(db.sort("l", { limit: { offset: 1, count: 2 } }), ["9", "9"]);
  assert.deepEqual(db.sort("l", { limit: { offset: 3, count: -1 } }), ["10", "100"]);
  assert.deepEqual(db.sort("l", { limit: { offset: 10, count: 2 } }), []);
  assert.deepEqual(db.sort("missing"), []);
  db.close();
});

Deno.test("sort by other keys and get their values, # for the element", () => {
  const db = Db.openMemory();
  db.zadd("users", { "1": 0, "2": 0, "3": 0 });
  db.set("age_1", "40");
  db.set("age_2", "20");
  db.set("age_3", "30");
  db.set("name_1", "ann");
  db.set("name_3", "cid");
  assert.deepEqual(db.sort("users", { by: "age_*" }), ["2", "3", "1"]);
  assert.deepEqual(db.sort("users", { by: "age_*", get: ["#", "name_*"] }), [
    "2",
    null,
    "3",
    "cid",
    "1",
    "ann",
  ]);
  assert.deepEqual(db.sort("users", { by: "name_*", alpha: true }), ["2", "1", "3"]);
  // A pattern without `*` keeps the sorted set's own order.
  assert.deepEqual(db.sort("users", { by: "nosort", desc: true }), ["3", "2", "1"]);
  assert.deepEqual(db.sortRo("users", { get: ["age_*"] }), ["40", "20", "30"]);
  db.close();
});

Deno.test("sort with store writes a list, replacing the destination", () => {
  const db = Db.openMemory();
  db.rpush("l", "3", "1", "2");
  db.set("dst", "string");
  assert.equal(db.sort("l", { store: "dst" }), 3);
  assert.deepEqual(db.lrange("dst", 0, -1), ["1", "2", "3"]);
  assert.equal(db.sort("l", { get: ["missing_*"], store: "dst" }), 3);
  assert.deepEqual(db.lrange("dst", 0, -1), ["", "", ""]);
  assert.equal(db.sort("l", { limit: { offset: 5, count: 1 }, store: "dst" }), 0);
  assert.equal(db.exists("dst"), 0);
  db.close();
});

Deno.test("sort refuses other types and non-numbers, and stores nothing then", () => {
  const db = Db.openMemory();
  db.set("s", "v");
  assert.throws(
    () => db.sort("s"),
    redisError("WRONGTYPE Operation against a key holding the wrong kind of value"),
  );
  db.rpush("l", "1", "x");
  db.rpush("dst", "kept");
  assert.throws(
    () => db.sort("l", { store: "dst" }),
    redisError("ERR One or more scores can't be converted into double"),
  );
  assert.deepEqual(db.lrange("dst", 0, -1), ["kept"]);
  assert.deepEqual(db.sort("l", { alpha: true }), ["1", "x"]);
  // Every element is converted, even when the limit selects none of them.
  assert.throws(
    () => db.sort("l", { limit: { offset: 5, count: 1 } }),
    redisError("ERR One or more scores can't be converted into double"),
  );
  db.close();
});

Deno.test("sort by a constant keeps the native order: numeric for a small set of integers", () => {
  const db = Db.openMemory();
  db.sadd("ints", "10", "-1", "9", "3");
  assert.deepEqual(db.sort("ints", { by: "nosort" }), ["-1", "3", "9", "10"]);
  assert.deepEqual(db.sort("ints", { by: "nosort", desc: true }), ["-1", "3", "9", "10"]);
  db.rpush("l", "b", "c", "a");
  assert.deepEqual(db.sort("l", { by: "nosort", desc: true }), ["a", "c", "b"]);
  db.close();
});

Deno.test("sort by a pattern with a limit leaves equal elements as Redis's quicksort does", () => {
  const db = Db.openMemory();
  db.rpush("l", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
  // Every weight is missing: all equal. Without a limit the order is kept (a stable sort).
  assert.deepEqual(db.sort("l", { by: "w_*", alpha: true, limit: { offset: 0, count: 3 } }), [
    "j",
    "b",
    "c",
  ]);
  assert.deepEqual(db.sort("l", { by: "w_*", alpha: true }).slice(0, 3), ["a", "b", "c"]);
  db.close();
});

Deno.test("sort alpha compares up to a NUL byte, and whole bytes when storing", () => {
  const db = Db.openMemory();
  db.rpush("l", "a\0b", "a\0a", "a");
  assert.deepEqual(db.sort("l", { alpha: true }), ["a\0b", "a\0a", "a"]);
  db.sort("l", { alpha: true, store: "dst" });
  assert.deepEqual(db.lrange("dst", 0, -1), ["a", "a\0a", "a\0b"]);
  db.close();
});
