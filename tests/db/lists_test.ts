import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { POSITION_GAP } from "../../src/db/lists.ts";
import { decodeItems } from "../../src/db/length_prefixed.ts";
import { MOST_CHUNK_BYTES, MOST_CHUNK_ELEMENTS } from "../../src/db/list_chunks.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { statementsOf } from "../_helpers/statements.ts";

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

function throwsRedis(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof RedisError && e.message === message);
}

/** The list's chunks as the table holds them: positions and elements, in order. */
function chunks(db: Db, key: string): { pos: number; values: string[] }[] {
  const store = scopeOf(db).store;
  return store.all(
    "SELECT pos, count, lists.value AS value FROM lists JOIN keys ON keys.id = lists.key_id WHERE keys.key = ? ORDER BY pos",
    new TextEncoder().encode(key),
  ).map((row) => {
    const values = decodeItems(row.value as Uint8Array).map((v) => new TextDecoder().decode(v));
    assert.equal(row.count, values.length, "a chunk's count is its elements'");
    return { pos: row.pos as number, values };
  });
}

/** How many keys rows and list elements the database holds: what a deleted list leaves behind. */
function storedRows(db: Db): { keys: number; elements: number } {
  const store = scopeOf(db).store;
  return {
    keys: store.get("SELECT count(*) AS n FROM keys")!.n as number,
    elements: store.get("SELECT coalesce(sum(count), 0) AS n FROM lists")!.n as number,
  };
}

/** Elements "0", "1", ... as strings. */
function numbered(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => String(from + i));
}

function setExpireAt(db: Db, key: string, expireAt: number): void {
  scopeOf(db).store.run(
    "UPDATE keys SET expire_at = ? WHERE key = ?",
    expireAt,
    new TextEncoder().encode(key),
  );
}

function expireAtOf(db: Db, key: string): number | null {
  const row = scopeOf(db).store.get(
    "SELECT expire_at FROM keys WHERE key = ?",
    new TextEncoder().encode(key),
  );
  return row?.expire_at as number | null;
}

Deno.test("LPUSH and RPUSH create the list and add at either end, one element at a time", () => {
  const db = Db.openMemory();
  assert.equal(db.lpush("l", "b", "a"), 2);
  assert.equal(db.rpush("l", "c", "d"), 4);
  assert.deepEqual(db.lrange("l", 0, -1), ["a", "b", "c", "d"]);
  assert.deepEqual(chunks(db, "l"), [{ pos: 0, values: ["a", "b", "c", "d"] }]);
  assert.equal(db.llen("l"), 4);
  db.close();
});

Deno.test("pushes fill the chunk at their end, then start one a gap beyond it", () => {
  const db = Db.openMemory();
  const right = numbered(MOST_CHUNK_ELEMENTS * 2 + 3);
  db.rpush("l", ...right);
  assert.deepEqual(chunks(db, "l"), [
    { pos: 0, values: right.slice(0, MOST_CHUNK_ELEMENTS) },
    { pos: POSITION_GAP, values: right.slice(MOST_CHUNK_ELEMENTS, 2 * MOST_CHUNK_ELEMENTS) },
    { pos: 2 * POSITION_GAP, values: right.slice(2 * MOST_CHUNK_ELEMENTS) },
  ]);
  db.lpush("l", "x", "y");
  assert.deepEqual(chunks(db, "l")[0], { pos: -POSITION_GAP, values: ["y", "x"] });
  // A chunk holds no more than its bytes: 100-byte elements, 101 bytes each with their lengths.
  const long = Array.from({ length: 20 }, (_, i) => String(i).padStart(100, "-"));
  db.rpush("m", ...long);
  const perChunk = Math.floor(MOST_CHUNK_BYTES / 101);
  assert.deepEqual(chunks(db, "m").map((chunk) => chunk.values.length), [
    perChunk,
    perChunk,
    20 - 2 * perChunk,
  ]);
  // An element longer than a chunk's bytes has a chunk of its own.
  db.rpush("n", "a", "b".repeat(5000), "c");
  assert.deepEqual(chunks(db, "n").map((chunk) => chunk.values.map((v) => v.length)), [
    [1],
    [5000],
    [1],
  ]);
  assert.deepEqual(db.lrange("n", 0, -1), ["a", "b".repeat(5000), "c"]);
  db.close();
});

Deno.test("LPUSHX and RPUSHX add only to an existing list", () => {
  const db = Db.openMemory();
  assert.equal(db.lpushx("l", "a"), 0);
  assert.equal(db.rpushx("l", "a"), 0);
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  db.rpush("l", "b");
  assert.equal(db.lpushx("l", "a"), 2);
  assert.equal(db.rpushx("l", "c", "d"), 4);
  assert.deepEqual(db.lrange("l", 0, -1), ["a", "b", "c", "d"]);
  db.close();
});

Deno.test("list commands throw WRONGTYPE on another type and change nothing", () => {
  const db = Db.openMemory();
  db.set("s", "v");
  db.rpush("l", "a", "b");
  const attempts: (() => unknown)[] = [
    () => db.lpush("s", "a"),
    () => db.rpush("s", "a"),
    () => db.lpushx("s", "a"),
    () => db.rpushx("s", "a"),
    () => db.lpop("s"),
    () => db.rpop("s", 2),
    () => db.llen("s"),
    () => db.lrange("s", 0, -1),
    () => db.lindex("s", 0),
    () => db.lset("s", 0, "x"),
    () => db.ltrim("s", 0, 0),
    () => db.linsert("s", "BEFORE", "v", "x"),
    () => db.lrem("s", 0, "v"),
    () => db.lpos("s", "v"),
    () => db.lmove("s", "l", "LEFT", "RIGHT"),
    () => db.lmove("l", "s", "LEFT", "RIGHT"),
    () => db.rpoplpush("l", "s"),
    () => db.lmpop(["missing", "s", "l"], "LEFT"),
  ];
  for (const attempt of attempts) throwsRedis(attempt, WRONGTYPE);
  assert.equal(db.get("s"), "v");
  assert.deepEqual(db.lrange("l", 0, -1), ["a", "b"]);
  db.close();
});

Deno.test("LPOP and RPOP without a count return one element or null", () => {
  const db = Db.openMemory();
  assert.equal(db.lpop("l"), null);
  db.rpush("l", "a", "b", "c");
  assert.equal(db.lpop("l"), "a");
  assert.equal(db.rpop("l"), "c");
  assert.equal(db.rpop("l"), "b");
  assert.equal(db.lpop("l"), null);
  db.close();
});

Deno.test("LPOP and RPOP with a count follow Redis 7.0", () => {
  const db = Db.openMemory();
  assert.equal(db.lpop("missing", 2), null);
  assert.equal(db.lpop("missing", 0), null);
  db.rpush("l", "a", "b", "c", "d", "e");
  assert.deepEqual(db.lpop("l", 0), []);
  assert.deepEqual(db.lpop("l", 2), ["a", "b"]);
  assert.deepEqual(db.rpop("l", 2), ["e", "d"]);
  assert.deepEqual(db.rpop("l", 10), ["c"]);
  assert.equal(db.lpop("l", 1), null);
  db.rpush("l", "a");
  throwsRedis(() => db.lpop("l", -1), "ERR value is out of range, must be positive");
  throwsRedis(() => db.rpop("l", 1.5), "ERR value is out of range, must be positive");
  assert.deepEqual(db.lrange("l", 0, -1), ["a"]);
  db.close();
});

Deno.test("a list popped empty is deleted with all its rows", () => {
  const db = Db.openMemory();
  db.rpush("l", "a", "b", "c");
  db.lpop("l", 3);
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  db.rpush("l", "a", "b");
  db.rpop("l");
  db.lpop("l");
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  db.rpush("l", "a", "b");
  db.lmpop(["l"], "RIGHT", { count: 5 });
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  db.close();
});

Deno.test("LRANGE and LINDEX agree with a model at every index, from either end", () => {
  const db = Db.openMemory();
  const model = Array.from({ length: 21 }, (_, i) => `v${i}`);
  db.rpush("l", ...model);
  for (let index = -25; index < 25; index++) {
    assert.equal(db.lindex("l", index), model.at(index) ?? null, `LINDEX ${index}`);
  }
  for (let start = -23; start < 23; start += 3) {
    for (let stop = -23; stop < 23; stop += 2) {
      const from = start < 0 ? Math.max(model.length + start, 0) : start;
      const to = stop < 0 ? model.length + stop : stop;
      const expected = to < from ? [] : model.slice(from, to + 1);
      assert.deepEqual(db.lrange("l", start, stop), expected, `${start} ${stop}`);
    }
  }
  assert.deepEqual(db.lrange("missing", 0, -1), []);
  assert.equal(db.lindex("missing", 0), null);
  throwsRedis(() => db.lrange("l", 0.5, 1), "ERR value is not an integer or out of range");
  throwsRedis(() => db.lindex("l", NaN), "ERR value is not an integer or out of range");
  db.close();
});

Deno.test("LSET replaces an element, and refuses a missing key or an index beyond the list", () => {
  const db = Db.openMemory();
  db.rpush("l", "a", "b", "c");
  assert.equal(db.lset("l", 0, "A"), "OK");
  assert.equal(db.lset("l", -1, "C"), "OK");
  assert.equal(db.lset("l", 1, "B"), "OK");
  assert.deepEqual(db.lrange("l", 0, -1), ["A", "B", "C"]);
  throwsRedis(() => db.lset("l", 3, "x"), "ERR index out of range");
  throwsRedis(() => db.lset("l", -4, "x"), "ERR index out of range");
  throwsRedis(() => db.lset("missing", 0, "x"), "ERR no such key");
  assert.deepEqual(db.lrange("l", 0, -1), ["A", "B", "C"]);
  assert.equal(db.llen("missing"), 0);
  db.close();
});

Deno.test("LTRIM keeps a range, deleting the list when the range is empty", () => {
  const db = Db.openMemory();
  db.rpush("l", "a", "b", "c", "d", "e");
  assert.equal(db.ltrim("l", 1, -2), "OK");
  assert.deepEqual(db.lrange("l", 0, -1), ["b", "c", "d"]);
  db.ltrim("l", -100, 100);
  assert.deepEqual(db.lrange("l", 0, -1), ["b", "c", "d"]);
  db.ltrim("l", 2, 2);
  assert.deepEqual(db.lrange("l", 0, -1), ["d"]);
  assert.equal(db.llen("l"), 1);
  db.ltrim("l", 1, 0);
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  assert.equal(db.ltrim("missing", 0, 1), "OK");
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  db.close();
});

Deno.test("LINSERT inserts beside the first match, or answers -1 and 0", () => {
  const db = Db.openMemory();
  assert.equal(db.linsert("missing", "BEFORE", "a", "x"), 0);
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  db.rpush("l", "a", "b", "a");
  assert.equal(db.linsert("l", "BEFORE", "a", "x"), 4);
  assert.equal(db.linsert("l", "AFTER", "a", "y"), 5);
  assert.equal(db.linsert("l", "AFTER", "b", "z"), 6);
  assert.equal(db.linsert("l", "BEFORE", "nope", "w"), -1);
  assert.deepEqual(db.lrange("l", 0, -1), ["x", "a", "y", "b", "z", "a"]);
  throwsRedis(
    () => db.linsert("l", "MIDDLE" as "BEFORE", "a", "x"),
    "ERR syntax error",
  );
  assert.equal(db.llen("l"), 6);
  db.close();
});

Deno.test("LINSERT splits a full chunk between its neighbours, renumbering when none is free", () => {
  const db = Db.openMemory();
  const expected = numbered(2 * MOST_CHUNK_ELEMENTS);
  db.rpush("l", ...expected);
  db.linsert("l", "BEFORE", "5", "x");
  expected.splice(5, 0, "x");
  assert.deepEqual(db.lrange("l", 0, -1), expected);
  const split = chunks(db, "l");
  assert.deepEqual(split.map((chunk) => chunk.pos), [0, POSITION_GAP / 2, POSITION_GAP]);
  const half = MOST_CHUNK_ELEMENTS / 2;
  assert.deepEqual(split.map((chunk) => chunk.values.length), [
    half + 1,
    half,
    MOST_CHUNK_ELEMENTS,
  ]);
  // No integer between the first two chunks: the next split renumbers the list.
  scopeOf(db).store.run("UPDATE lists SET pos = 1 WHERE pos = ?", POSITION_GAP / 2);
  for (let i = 0; i < half; i++) {
    db.linsert("l", "AFTER", "x", `y${i}`);
    expected.splice(6, 0, `y${i}`);
  }
  assert.deepEqual(db.lrange("l", 0, -1), expected);
  const positions = chunks(db, "l").map((chunk) => chunk.pos);
  const gaps = positions.slice(1).map((pos, i) => pos - positions[i]);
  assert.ok(gaps.every((gap) => gap >= POSITION_GAP / 4), String(positions));
  db.close();
});

Deno.test("a push beyond the largest exact position renumbers the list first", () => {
  const db = Db.openMemory();
  const values = numbered(MOST_CHUNK_ELEMENTS + 5);
  db.rpush("l", ...values.slice(0, 3));
  const store = scopeOf(db).store;
  // Move the list next to the top limit, as years of RPUSH and LPOP would; it comes back
  // centred on 0.
  store.run("UPDATE lists SET pos = ?", Number.MAX_SAFE_INTEGER);
  db.rpush("l", ...values.slice(3));
  assert.deepEqual(db.lrange("l", 0, -1), values);
  assert.deepEqual(chunks(db, "l").map((chunk) => chunk.pos), [0, POSITION_GAP]);
  db.close();
});

Deno.test("a list spread over the whole position range is renumbered through a set-aside", () => {
  const db = Db.openMemory();
  const values = numbered(3 * MOST_CHUNK_ELEMENTS);
  db.rpush("l", ...values);
  const store = scopeOf(db).store;
  const limit = Number.MAX_SAFE_INTEGER;
  // The ends at both limits and the middle around 0: no free range is left for a renumbering.
  store.run("UPDATE lists SET pos = ? WHERE pos = 0", -limit);
  store.run("UPDATE lists SET pos = ? WHERE pos = ?", limit, 2 * POSITION_GAP);
  db.lpush("l", "first");
  db.rpush("l", "last");
  assert.deepEqual(db.lrange("l", 0, -1), ["first", ...values, "last"]);
  const positions = chunks(db, "l").map((chunk) => chunk.pos);
  assert.ok(positions.every((pos) => Math.abs(pos) < 10 * POSITION_GAP), String(positions));
  assert.equal(store.get("SELECT count(*) AS n FROM lists WHERE key_id < 0")!.n, 0);
  db.close();
});

Deno.test("LREM removes from the head, from the tail, or everywhere", () => {
  const db = Db.openMemory();
  db.rpush("l", "x", "a", "x", "b", "x", "c", "x");
  assert.equal(db.lrem("l", 2, "x"), 2);
  assert.deepEqual(db.lrange("l", 0, -1), ["a", "b", "x", "c", "x"]);
  assert.equal(db.lrem("l", -1, "x"), 1);
  assert.deepEqual(db.lrange("l", 0, -1), ["a", "b", "x", "c"]);
  assert.equal(db.lrem("l", 0, "nope"), 0);
  assert.equal(db.lrem("l", 0, "x"), 1);
  assert.equal(db.llen("l"), 3);
  assert.equal(db.lrem("missing", 0, "x"), 0);
  db.lrem("l", 0, "a");
  db.lrem("l", 0, "b");
  db.lrem("l", 0, "c");
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  db.close();
});

Deno.test("LPOS finds matches by rank, count and maxlen", () => {
  const db = Db.openMemory();
  db.rpush("l", "a", "b", "c", "a", "b", "c", "a");
  assert.equal(db.lpos("l", "a"), 0);
  assert.equal(db.lpos("l", "c"), 2);
  assert.equal(db.lpos("l", "nope"), null);
  assert.equal(db.lpos("l", "a", { rank: 2 }), 3);
  assert.equal(db.lpos("l", "a", { rank: -1 }), 6);
  assert.equal(db.lpos("l", "a", { rank: -3 }), 0);
  assert.equal(db.lpos("l", "a", { rank: 4 }), null);
  assert.deepEqual(db.lpos("l", "a", { count: 0 }), [0, 3, 6]);
  assert.deepEqual(db.lpos("l", "a", { count: 2, rank: -1 }), [6, 3]);
  assert.deepEqual(db.lpos("l", "b", { count: 0, maxlen: 4 }), [1]);
  assert.deepEqual(db.lpos("l", "c", { count: 0, rank: -1, maxlen: 2 }), [5]);
  assert.equal(db.lpos("l", "c", { maxlen: 2 }), null);
  assert.deepEqual(db.lpos("l", "a", { count: 0, rank: 5 }), []);
  assert.deepEqual(db.lpos("missing", "a", { count: 1 }), []);
  assert.equal(db.lpos("missing", "a"), null);
  // Redis 7.0 negates a rank of -2^63 into itself: from the tail as RANK -1, and with a COUNT
  // every match (7.2 refuses such a rank).
  assert.equal(db.lpos("l", "a", { rank: -(2 ** 63) }), db.lpos("l", "a", { rank: -1 }));
  assert.deepEqual(
    db.lpos("l", "a", { rank: -(2 ** 63), count: 1 }),
    db.lpos("l", "a", { rank: -1, count: 0 }),
  );
  db.close();
});

Deno.test("LPOS refuses a zero rank and negative count or maxlen, in Redis's order", () => {
  const db = Db.openMemory();
  db.rpush("l", "a");
  throwsRedis(
    () => db.lpos("l", "a", { rank: 0 }),
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  );
  throwsRedis(() => db.lpos("l", "a", { count: -1 }), "ERR COUNT can't be negative");
  throwsRedis(() => db.lpos("l", "a", { maxlen: -1 }), "ERR MAXLEN can't be negative");
  throwsRedis(
    () => db.lpos("missing", "a", { rank: 0, count: -1 }),
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
  );
  throwsRedis(() => db.command("LPOS", "l", "a", "COUNT", "x"), "ERR COUNT can't be negative");
  db.close();
});

Deno.test("LMOVE moves between lists, creating the destination and deleting an empty source", () => {
  const db = Db.openMemory();
  db.rpush("src", "a", "b");
  assert.equal(db.lmove("src", "dst", "LEFT", "RIGHT"), "a");
  assert.equal(db.lmove("src", "dst", "RIGHT", "LEFT"), "b");
  assert.deepEqual(db.lrange("dst", 0, -1), ["b", "a"]);
  assert.equal(db.llen("src"), 0);
  assert.equal(db.lmove("src", "dst", "LEFT", "RIGHT"), null);
  assert.equal(db.rpoplpush("dst", "dst2"), "a");
  assert.deepEqual(db.lrange("dst2", 0, -1), ["a"]);
  assert.deepEqual(storedRows(db), { keys: 2, elements: 2 });
  throwsRedis(() => db.lmove("dst", "x", "UP" as "LEFT", "RIGHT"), "ERR syntax error");
  db.close();
});

Deno.test("LMOVE into a key of another type pops nothing", () => {
  const db = Db.openMemory();
  db.rpush("l", "a", "b");
  db.set("s", "v");
  throwsRedis(() => db.lmove("l", "s", "LEFT", "RIGHT"), WRONGTYPE);
  assert.deepEqual(db.lrange("l", 0, -1), ["a", "b"]);
  assert.equal(db.lmove("missing", "s", "LEFT", "RIGHT"), null);
  db.close();
});

Deno.test("LMOVE on one key rotates it and keeps the key's expiry", () => {
  const db = Db.openMemory();
  db.rpush("l", "1", "2", "3");
  const expireAt = Date.now() + 100_000;
  setExpireAt(db, "l", expireAt);
  assert.equal(db.lmove("l", "l", "LEFT", "RIGHT"), "1");
  assert.deepEqual(db.lrange("l", 0, -1), ["2", "3", "1"]);
  assert.equal(db.rpoplpush("l", "l"), "1");
  assert.deepEqual(db.lrange("l", 0, -1), ["1", "2", "3"]);
  assert.equal(db.lmove("l", "l", "RIGHT", "RIGHT"), "3");
  assert.deepEqual(db.lrange("l", 0, -1), ["1", "2", "3"]);
  assert.equal(expireAtOf(db, "l"), expireAt);
  db.rpush("one", "x");
  setExpireAt(db, "one", expireAt);
  assert.equal(db.lmove("one", "one", "LEFT", "RIGHT"), "x");
  assert.deepEqual(db.lrange("one", 0, -1), ["x"]);
  assert.equal(expireAtOf(db, "one"), expireAt);
  db.close();
});

Deno.test("LMPOP pops from the first key holding a list", () => {
  const db = Db.openMemory();
  assert.equal(db.lmpop(["a", "b"], "LEFT"), null);
  db.rpush("b", "1", "2", "3");
  assert.deepEqual(db.lmpop(["a", "b"], "LEFT"), ["b", ["1"]]);
  assert.deepEqual(db.lmpop(["a", "b"], "RIGHT", { count: 5 }), ["b", ["3", "2"]]);
  assert.equal(db.llen("b"), 0);
  throwsRedis(() => db.lmpop([], "LEFT"), "ERR numkeys should be greater than 0");
  throwsRedis(() => db.lmpop(["a"], "LEFT", { count: 0 }), "ERR count should be greater than 0");
  throwsRedis(() => db.lmpop(["a"], "UP" as "LEFT"), "ERR syntax error");
  db.close();
});

Deno.test("an expired list is missing to reads and replaced by writes", () => {
  const db = Db.openMemory({ activeExpire: false });
  db.rpush("l", "a", "b");
  setExpireAt(db, "l", Date.now() - 1);
  assert.equal(db.llen("l"), 0);
  assert.deepEqual(db.lrange("l", 0, -1), []);
  assert.equal(db.lindex("l", 0), null);
  assert.equal(db.lpos("l", "a"), null);
  assert.equal(db.rpushx("l", "x"), 0);
  assert.equal(db.rpush("l", "c"), 1);
  assert.deepEqual(db.lrange("l", 0, -1), ["c"]);
  assert.equal(expireAtOf(db, "l"), null);
  assert.deepEqual(storedRows(db), { keys: 1, elements: 1 });
  db.close();
});

Deno.test("lists are binary-safe through commandBytes", () => {
  const db = Db.openMemory();
  const bytes = new Uint8Array([0, 255, 13, 10]);
  db.rpush(bytes, bytes, new Uint8Array());
  assert.deepEqual(db.commandBytes("LRANGE", bytes, 0, -1), [bytes, new Uint8Array()]);
  assert.equal(db.lpos(bytes, new Uint8Array()), 1);
  db.close();
});

Deno.test("LPUSH without elements is an arity error", () => {
  const db = Db.openMemory();
  throwsRedis(() => db.lpush("l"), "ERR wrong number of arguments for 'lpush' command");
  throwsRedis(() => db.rpushx("l"), "ERR wrong number of arguments for 'rpushx' command");
  assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
  db.close();
});

/** LINSERT on an array model of the list: changes it as Redis changes the list; returns the reply. */
function modelLinsert(model: string[], before: boolean, pivot: string, element: string): number {
  const at = model.indexOf(pivot);
  if (at < 0) return model.length === 0 ? 0 : -1;
  model.splice(before ? at : at + 1, 0, element);
  return model.length;
}

/** LMOVE of a list onto itself on an array model: changes it as Redis does; returns the reply. */
function modelRotate(model: string[], from: string, to: string): string | null {
  const moved = from === "LEFT" ? model.shift() : model.pop();
  if (moved === undefined) return null;
  if (to === "LEFT") model.unshift(moved);
  else model.push(moved);
  return moved;
}

/** LREM on an array model of the list: changes it as Redis changes the list; returns the reply. */
function modelLrem(model: string[], count: number, element: string): number {
  const matches = model.flatMap((item, i) => item === element ? [i] : []);
  const chosen = count > 0 ? matches.slice(0, count) : count < 0 ? matches.slice(count) : matches;
  for (const i of chosen.reverse()) model.splice(i, 1);
  return chosen.length;
}

Deno.test("random list operations agree with an array model", () => {
  const db = Db.openMemory();
  const random = new SeededRandom(7);
  const model: string[] = [];
  for (let step = 0; step < 2000; step++) {
    const value = `v${random.int(6)}`;
    switch (random.int(8)) {
      case 0:
        db.lpush("l", value);
        model.unshift(value);
        break;
      case 1:
        db.rpush("l", value);
        model.push(value);
        break;
      case 2:
        assert.equal(db.lpop("l"), model.shift() ?? null);
        break;
      case 3:
        assert.equal(db.rpop("l"), model.pop() ?? null);
        break;
      case 4: {
        const before = random.int(2) === 0;
        const expected = modelLinsert(model, before, value, `i${step}`);
        assert.equal(db.linsert("l", before ? "BEFORE" : "AFTER", value, `i${step}`), expected);
        break;
      }
      case 5: {
        const count = random.range(-2, 2);
        assert.equal(db.lrem("l", count, value), modelLrem(model, count, value));
        break;
      }
      case 6: {
        const from = random.int(2) === 0 ? "LEFT" : "RIGHT";
        const to = random.int(2) === 0 ? "LEFT" : "RIGHT";
        assert.equal(db.lmove("l", "l", from, to), modelRotate(model, from, to));
        break;
      }
      default: {
        const index = random.range(-model.length - 2, model.length + 1);
        assert.equal(db.lindex("l", index), model.at(index) ?? null);
      }
    }
    assert.equal(db.llen("l"), model.length);
  }
  assert.deepEqual(db.lrange("l", 0, -1), model);
  db.close();
});

// Random commands over a list of hundreds of elements, some long: pushes of many values at once,
// pops with counts, and every command that rewrites chunks, against an array model. In batches,
// the key cache keeps the list's end chunks between commands.
function randomChunkedOperations(seed: number, batch: number): void {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  const random = new SeededRandom(seed);
  const value = () =>
    random.int(8) === 0
      ? `${random.int(99)}`.padEnd(random.range(100, 2500), "x")
      : `v${random.int(6)}`;
  let model: string[] = [];
  const step = () => {
    const element = value();
    switch (random.int(12)) {
      case 0:
      case 1: {
        const values = Array.from({ length: random.range(1, 300) }, value);
        const left = random.int(2) === 0;
        assert.equal(
          left ? db.lpush("l", ...values) : db.rpush("l", ...values),
          model.length + values.length,
        );
        model = left ? [...values.reverse(), ...model] : [...model, ...values];
        break;
      }
      case 2:
      case 3: {
        const count = random.range(1, 200);
        const left = random.int(2) === 0;
        const expected = left ? model.slice(0, count) : model.slice(-count).reverse();
        const popped = left ? db.lpop("l", count) : db.rpop("l", count);
        assert.deepEqual(popped, model.length === 0 ? null : expected);
        model = left ? model.slice(count) : model.slice(0, Math.max(model.length - count, 0));
        break;
      }
      case 4: {
        const pivot = model[random.int(model.length + 1)] ?? "none";
        const before = random.int(2) === 0;
        const expected = modelLinsert(model, before, pivot, element);
        assert.equal(db.linsert("l", before ? "BEFORE" : "AFTER", pivot, element), expected);
        break;
      }
      case 5: {
        const count = random.range(-3, 3);
        assert.equal(db.lrem("l", count, element), modelLrem(model, count, element));
        break;
      }
      case 6: {
        if (model.length === 0) break;
        const index = random.range(-model.length, model.length - 1);
        db.lset("l", index, element);
        model[index < 0 ? model.length + index : index] = element;
        break;
      }
      case 7: {
        const start = random.range(-5, 40);
        const stop = random.range(-40, model.length + 5);
        db.ltrim("l", start, stop);
        const from = start < 0 ? Math.max(model.length + start, 0) : start;
        const to = stop < 0 ? model.length + stop : Math.min(stop, model.length - 1);
        model = from > to ? [] : model.slice(from, to + 1);
        break;
      }
      case 8: {
        const rank = random.int(2) === 0 ? random.range(1, 3) : -random.range(1, 3);
        const count = random.range(0, 4);
        const maxlen = random.int(3) === 0 ? random.range(1, model.length + 2) : 0;
        const indexes = model.flatMap((item, i) => item === element ? [i] : []);
        const within = (i: number) =>
          maxlen === 0 || (rank > 0 ? i < maxlen : i >= model.length - maxlen);
        const ordered = (rank > 0 ? indexes : indexes.reverse()).filter(within);
        const found = ordered.slice(Math.abs(rank) - 1);
        assert.deepEqual(
          db.lpos("l", element, { rank, count, maxlen }),
          count === 0 ? found : found.slice(0, count),
        );
        break;
      }
      case 9: {
        const from = random.int(2) === 0 ? "LEFT" : "RIGHT";
        const to = random.int(2) === 0 ? "LEFT" : "RIGHT";
        assert.equal(db.lmove("l", "l", from, to), modelRotate(model, from, to));
        break;
      }
      case 10: {
        const start = random.range(-model.length - 3, model.length + 3);
        const stop = random.range(-model.length - 3, model.length + 3);
        const from = start < 0 ? Math.max(model.length + start, 0) : start;
        const to = stop < 0 ? model.length + stop : stop;
        assert.deepEqual(db.lrange("l", start, stop), from > to ? [] : model.slice(from, to + 1));
        break;
      }
      default: {
        const index = random.range(-model.length - 2, model.length + 1);
        assert.equal(db.lindex("l", index), model.at(index) ?? null);
      }
    }
    assert.equal(db.llen("l"), model.length);
  };
  try {
    for (let round = 0; round < 400 / batch; round++) {
      if (batch === 1) step();
      else store.writeBatch(() => Array.from({ length: batch }, step));
      assert.deepEqual(db.lrange("l", 0, -1), model);
    }
    assert.equal(
      store.get("SELECT coalesce(sum(count), 0) AS n FROM lists")!.n,
      model.length,
      "the chunks' counts add up to the length",
    );
  } finally {
    db.close();
  }
}

Deno.test("random commands on lists of many chunks agree with an array model", () => {
  for (const seed of [1, 2, 3]) randomChunkedOperations(seed, 1);
});

Deno.test("random commands on lists of many chunks agree with an array model in batches", () => {
  for (const seed of [4, 5, 6]) randomChunkedOperations(seed, 20);
});

Deno.test("a batch's pops of a cached list write their chunk once, at its end, or not at all", () => {
  const db = Db.open(":memory:");
  const store = scopeOf(db).store;
  try {
    db.rpush("l", "a", "b", "c", "d", "e", "f", "g", "h");
    const popped = store.writeBatch(() => [
      db.rpop("l"),
      db.rpop("l"),
      db.rpop("l"),
      db.lpop("l"),
      db.lpop("l"),
      db.rpop("l"),
      db.llen("l"),
    ]);
    assert.deepEqual(popped, ["h", "g", "f", "a", "b", "e", 2]);
    assert.deepEqual(chunks(db, "l"), [{ pos: 0, values: ["c", "d"] }]);
    assert.deepEqual(storedRows(db), { keys: 1, elements: 2 });

    db.rpush("l", "x", "y", "z");
    assert.throws(() =>
      store.writeBatch(() => {
        db.rpop("l");
        db.rpop("l");
        db.rpop("l");
        throw new Error("the batch fails");
      })
    );
    assert.deepEqual(db.lrange("l", 0, -1), ["c", "d", "x", "y", "z"], "rolled back");

    store.writeBatch(() => {
      for (let i = 0; i < 5; i++) db.rpop("l");
    });
    assert.deepEqual(storedRows(db), { keys: 0, elements: 0 }, "emptied: the key goes");
  } finally {
    db.close();
  }
});

Deno.test("a batch's pops take empty, binary and long values alike, from both ends", () => {
  const db = Db.open(":memory:");
  const store = scopeOf(db).store;
  const random = new SeededRandom(17);
  const sizes = [0, 1, 3, 16_384, 16_385, 20_000, 0, 2, 5, 16_383, 100_000, 1, 0];
  const values = sizes.map((size) => Uint8Array.from({ length: size }, () => random.int(256)));
  values[1] = new Uint8Array([44]); // a comma
  try {
    for (const end of ["LEFT", "RIGHT"] as const) {
      db.commandBytes("DEL", "l");
      db.commandBytes("RPUSH", "l", ...values);
      const model = values.slice();
      const popped = store.writeBatch(() => {
        const out: unknown[] = [];
        for (let i = 0; i < values.length + 2; i++) {
          out.push(db.commandBytes(end === "LEFT" ? "LPOP" : "RPOP", "l"));
        }
        return out;
      });
      const expected = [...(end === "LEFT" ? model : model.reverse()), null, null];
      // Lengths first, then the bytes: a diff of 100 KB arrays would take the assertion long.
      const lengths = (list: unknown[]) => list.map((v) => (v as Uint8Array | null)?.length ?? -1);
      assert.deepEqual(lengths(popped), lengths(expected), end);
      const same = (a: unknown, b: unknown) =>
        a === b ||
        (a instanceof Uint8Array && b instanceof Uint8Array && a.every((x, i) => x === b[i]));
      assert.ok(popped.every((value, i) => same(value, expected[i])), `${end}: the bytes`);
      assert.deepEqual(storedRows(db), { keys: 0, elements: 0 });
    }
  } finally {
    db.close();
  }
});

Deno.test("a batch's pushes and pops cross chunks at the position limits exactly", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  const limit = Number.MAX_SAFE_INTEGER;
  const all = numbered(5 * MOST_CHUNK_ELEMENTS);
  try {
    for (const end of ["LEFT", "RIGHT"] as const) {
      db.del("l");
      db.rpush("l", ...all);
      // The end chunks at each limit, as years of pushes and pops would leave them.
      store.run("UPDATE lists SET pos = ? WHERE pos = 0", -limit);
      store.run("UPDATE lists SET pos = ? WHERE pos = (SELECT max(pos) FROM lists)", limit);
      const pop = end === "LEFT" ? () => db.lpop("l") : () => db.rpop("l");
      const count = MOST_CHUNK_ELEMENTS + 6;
      const popped = store.writeBatch(() => Array.from({ length: count }, pop));
      const expected = end === "LEFT" ? all.slice(0, count) : all.slice(-count).reverse();
      assert.deepEqual(popped, expected, end);
      const left = end === "LEFT" ? all.slice(count) : all.slice(0, -count);
      assert.deepEqual(db.lrange("l", 0, -1), left);
      // Pushes beyond the chunk at the limit renumber the list, in the batch.
      const pushed = numbered(2 * MOST_CHUNK_ELEMENTS, 10_000);
      store.writeBatch(() => {
        for (const value of pushed) end === "LEFT" ? db.rpush("l", value) : db.lpush("l", value);
      });
      const expectedAfter = end === "LEFT" ? [...left, ...pushed] : [...pushed.reverse(), ...left];
      assert.deepEqual(db.lrange("l", 0, -1), expectedAfter);
      assert.ok(chunks(db, "l").every((chunk) => Math.abs(chunk.pos) < limit));
    }
  } finally {
    db.close();
  }
});

Deno.test("a batch's capped list (LPUSH, LTRIM 0 99) and queue (RPUSH, LPOP) work at both ends of many chunks", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    const capped: string[] = [];
    const queue = numbered(3 * MOST_CHUNK_ELEMENTS);
    db.rpush("q", ...queue);
    for (let batch = 0; batch < 4; batch++) {
      store.writeBatch(() => {
        for (let i = 0; i < 150; i++) {
          const value = `c${batch}:${i}`;
          db.lpush("capped", value);
          db.ltrim("capped", 0, 99);
          capped.unshift(value);
          capped.length = Math.min(capped.length, 100);
          db.rpush("q", value);
          queue.push(value);
          assert.equal(db.lpop("q"), queue.shift());
        }
      });
      assert.deepEqual(db.lrange("capped", 0, -1), capped);
      assert.deepEqual(db.lrange("q", 0, -1), queue);
    }
    assert.ok(chunks(db, "q").length > 2, "the queue spans chunks");
    for (const key of ["capped", "q"]) {
      assert.ok(
        chunks(db, key).every((chunk) => chunk.values.length > 0),
        `${key}: no empty chunk`,
      );
    }
  } finally {
    db.close();
  }
});

Deno.test("a batch keeps from its first push the end chunk of a list the batch before pushed to more than once", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    db.rpush("l", "a");
    store.writeBatch(() => {
      db.lpush("l", "b");
      db.lpush("l", "c");
    });
    // A write outside a batch in between: the next batch does not use the cache this one kept.
    db.set("elsewhere", "x");
    const seen = statementsOf(store, () =>
      store.writeBatch(() => {
        db.lpush("l", "d");
        db.lpush("l", "e");
        db.rpush("l", "f");
      })).filter((sql) => /\b(keys|lists)\b/.test(sql));
    // One read of the key with its chunk; the chunk and the key's row are written once, at the
    // end of the batch (not recorded here).
    assert.equal(seen.length, 1, seen.join("\n"));
    assert.match(seen[0], /^SELECT .* FROM keys LEFT JOIN lists/);
    assert.deepEqual(db.lrange("l", 0, -1), ["e", "d", "c", "b", "a", "f"]);
  } finally {
    db.close();
  }
});
