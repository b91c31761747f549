import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";

function redisError(message: string): (error: unknown) => boolean {
  return (error) => error instanceof RedisError && error.message === message;
}

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

function keyRows(db: Db): number {
  return scopeOf(db).store.get("SELECT count(*) AS n FROM keys")!.n as number;
}

function memberRows(db: Db): number {
  return scopeOf(db).store.get("SELECT count(*) AS n FROM zsets")!.n as number;
}

Deno.test("zadd adds members, updates scores and counts only the added ones", () => {
  const db = Db.openMemory();
  assert.equal(db.zadd("z", { a: 1, b: 2 }), 2);
  assert.equal(db.zadd("z", { a: 3, c: 4 }), 1);
  assert.equal(db.zadd("z", [["d", 5], [new Uint8Array([0xff]), 6]]), 2);
  assert.equal(db.zadd("z", 7, "e"), 1);
  assert.deepEqual(db.zrange("z", 0, -1, { withscores: true }), [
    ["b", 2],
    ["a", 3],
    ["c", 4],
    ["d", 5],
    ["\ufffd", 6],
    ["e", 7],
  ]);
  assert.equal(db.zcard("z"), 6);
  db.close();
});

Deno.test("zadd options NX, XX, GT, LT and CH behave as Redis's", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1, b: 2 });
  assert.equal(db.zadd("z", { a: 10, c: 3 }, { nx: true }), 1);
  assert.equal(db.zscore("z", "a"), 1);
  assert.equal(db.zadd("z", { a: 10, d: 4 }, { xx: true }), 0);
  assert.equal(db.zscore("z", "a"), 10);
  assert.equal(db.zscore("z", "d"), null);
  assert.equal(db.zadd("z", { a: 5, b: 5, e: 1 }, { gt: true, ch: true }), 2); // b updated, e added
  assert.deepEqual(db.zmscore("z", "a", "b", "e"), [10, 5, 1]);
  assert.equal(db.zadd("z", { a: 5, b: 9 }, { lt: true, ch: true }), 1);
  assert.deepEqual(db.zmscore("z", "a", "b"), [5, 5]);
  assert.equal(db.zadd("z", { a: 5 }, { ch: true }), 0); // same score: not a change
  assert.equal(db.zadd("missing", { a: 1 }, { xx: true }), 0);
  assert.equal(keyRows(db), 1);
  db.close();
});

Deno.test("zadd with incr returns the new score, or null when an option prevents it", () => {
  const db = Db.openMemory();
  assert.equal(db.zadd("z", 2, "a", { incr: true }), 2);
  assert.equal(db.zadd("z", 1.5, "a", { incr: true }), 3.5);
  assert.equal(db.zadd("z", 1, "a", { incr: true, nx: true }), null);
  assert.equal(db.zadd("z", 1, "b", { incr: true, xx: true }), null);
  assert.equal(db.zadd("z", -1, "a", { incr: true, gt: true }), null);
  assert.equal(db.zadd("z", -1, "a", { incr: true, lt: true }), 2.5);
  assert.equal(db.zadd("z", { c: 1 }, { incr: true }), 1);
  assert.throws(
    () => db.zadd("z", { a: 1, b: 2 }, { incr: true }),
    redisError("ERR INCR option supports a single increment-element pair"),
  );
  assert.equal(db.zincrby("z", 10, "a"), 12.5);
  assert.equal(db.zincrby("new", -3, "m"), -3);
  db.close();
});

Deno.test("zadd and zincrby refuse bad input and change nothing", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1 });
  assert.throws(
    () => db.zadd("z", { a: 2 }, { nx: true, xx: true }),
    redisError("ERR XX and NX options at the same time are not compatible"),
  );
  assert.throws(
    () => db.zadd("z", { a: 2 }, { gt: true, lt: true }),
    redisError("ERR GT, LT, and/or NX options at the same time are not compatible"),
  );
  assert.throws(
    () => db.zadd("z", { a: 2 }, { gt: true, nx: true }),
    redisError("ERR GT, LT, and/or NX options at the same time are not compatible"),
  );
  assert.throws(() => db.zadd("z", { b: 2, c: NaN }), redisError("ERR value is not a valid float"));
  assert.throws(() => db.zincrby("z", NaN, "a"), redisError("ERR value is not a valid float"));
  db.zadd("inf", Infinity, "x");
  assert.throws(
    () => db.zincrby("inf", -Infinity, "x"),
    redisError("ERR resulting score is not a number (NaN)"),
  );
  assert.equal(db.zscore("inf", "x"), Infinity);
  assert.deepEqual(db.zrange("z", 0, -1, { withscores: true }), [["a", 1]]);
  db.set("s", "text");
  assert.throws(() => db.zadd("s", { a: 1 }), redisError(WRONGTYPE));
  assert.throws(() => db.zincrby("s", 1, "a"), redisError(WRONGTYPE));
  assert.equal(db.get("s"), "text");
  db.close();
});

Deno.test("zrem removes members and deletes an emptied sorted set", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1, b: 2, c: 3 });
  assert.equal(db.zrem("z", "a", "missing", "a"), 1);
  assert.equal(db.zcard("z"), 2);
  assert.equal(db.zrem("z", "b", "c"), 2);
  assert.equal(db.zcard("z"), 0);
  assert.equal(keyRows(db), 0);
  assert.equal(memberRows(db), 0);
  assert.equal(db.zrem("missing", "a"), 0);
  db.close();
});

Deno.test("members order by score, then by bytes", () => {
  const db = Db.openMemory();
  const low = new Uint8Array([0x01]);
  const high = new Uint8Array([0xfe]);
  db.zadd("z", [["b", 1], ["a", 1], [high, 1], [low, 1], ["", 1], ["aa", 1], ["z", 0]]);
  const order = db.commandBytes("ZRANGE", "z", 0, -1) as Uint8Array[];
  assert.deepEqual(order.map((m) => [...m]), [[122], [], [1], [97], [97, 97], [98], [254]]);
  db.close();
});

Deno.test("zrange by rank normalizes indexes as Redis", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1, b: 2, c: 3, d: 4, e: 5 });
  assert.deepEqual(db.zrange("z", 0, 1), ["a", "b"]);
  assert.deepEqual(db.zrange("z", -2, -1), ["d", "e"]);
  assert.deepEqual(db.zrange("z", -100, 1), ["a", "b"]);
  assert.deepEqual(db.zrange("z", 3, 100), ["d", "e"]);
  assert.deepEqual(db.zrange("z", 3, 2), []);
  assert.deepEqual(db.zrange("z", 5, 10), []);
  assert.deepEqual(db.zrange("z", 0, 1, { rev: true }), ["e", "d"]);
  assert.deepEqual(db.zrevrange("z", -2, -1), ["b", "a"]);
  assert.deepEqual(db.zrevrange("z", 0, 0, { withscores: true }), [["e", 5]]);
  assert.deepEqual(db.zrange("missing", 0, -1), []);
  db.close();
});

Deno.test("zrange windows far from the start read the same members from the other end", () => {
  const db = Db.openMemory();
  const model: [string, number][] = [];
  for (let i = 0; i < 300; i++) model.push([`m${i}`, i % 7]);
  db.zadd("z", model);
  model.sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : 1));
  const names = model.map(([m]) => m);
  for (const [start, stop] of [[0, 9], [290, 299], [-10, -1], [100, 250], [-200, -150]]) {
    const from = start < 0 ? start + 300 : start;
    const to = stop < 0 ? stop + 300 : stop;
    assert.deepEqual(db.zrange("z", start, stop), names.slice(from, to + 1));
    assert.deepEqual(db.zrevrange("z", start, stop), [...names].reverse().slice(from, to + 1));
  }
  db.close();
});

Deno.test("zrange by score and by lex, with rev and limit", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1, b: 2, c: 2, d: 3, lo: -Infinity, hi: Infinity });
  assert.deepEqual(db.zrange("z", 2, 3, { byscore: true }), ["b", "c", "d"]);
  assert.deepEqual(db.zrange("z", "(2", "+inf", { byscore: true }), ["d", "hi"]);
  assert.deepEqual(db.zrange("z", "-inf", "(2", { byscore: true }), ["lo", "a"]);
  assert.deepEqual(db.zrange("z", "(-inf", "(inf", { byscore: true }), ["a", "b", "c", "d"]);
  assert.deepEqual(db.zrange("z", 3, 2, { byscore: true, rev: true }), ["d", "c", "b"]);
  assert.deepEqual(
    db.zrange("z", "-inf", "+inf", { byscore: true, limit: { offset: 1, count: 2 } }),
    ["a", "b"],
  );
  assert.deepEqual(
    db.zrangebyscore("z", "-inf", "+inf", { limit: { offset: 4, count: -1 } }),
    ["d", "hi"],
  );
  assert.deepEqual(
    db.zrangebyscore("z", "-inf", "+inf", { limit: { offset: -1, count: 5 } }),
    [],
  );
  assert.deepEqual(db.zrangebyscore("z", 1, 2, { withscores: true }), [["a", 1], ["b", 2], [
    "c",
    2,
  ]]);
  assert.deepEqual(db.zrevrangebyscore("z", "(3", 1), ["c", "b", "a"]);
  assert.deepEqual(db.zrangebyscore("z", "(2", "(2"), []);
  assert.deepEqual(db.zrangebyscore("z", 3, 1), []);
  db.zadd("lex", { a: 0, b: 0, c: 0, ab: 0, "": 0 });
  assert.deepEqual(db.zrangebylex("lex", "-", "+"), ["", "a", "ab", "b", "c"]);
  assert.deepEqual(db.zrangebylex("lex", "(a", "[b"), ["ab", "b"]);
  assert.deepEqual(db.zrangebylex("lex", "[a", "(b"), ["a", "ab"]);
  assert.deepEqual(db.zrangebylex("lex", "+", "-"), []);
  assert.deepEqual(db.zrangebylex("lex", "(b", "(b"), []);
  assert.deepEqual(db.zrevrangebylex("lex", "+", "(a", { limit: { offset: 1, count: 2 } }), [
    "b",
    "ab",
  ]);
  assert.deepEqual(db.zrange("lex", "[c", "-", { bylex: true, rev: true }), [
    "c",
    "b",
    "ab",
    "a",
    "",
  ]);
  assert.equal(db.zlexcount("lex", "[a", "[b"), 3);
  assert.equal(db.zcount("z", "-inf", "+inf"), 6);
  assert.equal(db.zcount("z", "(1", 3), 3);
  db.close();
});

Deno.test("zrange refuses bad ranges and conflicting options", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1 });
  assert.throws(
    () => db.zrange("z", "x", 1, { byscore: true }),
    redisError("ERR min or max is not a float"),
  );
  assert.throws(() => db.zcount("z", 1, "nan"), redisError("ERR min or max is not a float"));
  assert.throws(
    () => db.zrangebylex("z", "a", "+"),
    redisError("ERR min or max not valid string range item"),
  );
  assert.throws(
    () => db.zrange("z", 0, 1, { limit: { offset: 0, count: 1 } }),
    redisError(
      "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
    ),
  );
  // A count of -1 means no limit: accepted by rank, the offset ignored, as Redis does.
  assert.deepEqual(db.zrange("z", 0, -1, { limit: { offset: 5, count: -1 } }), ["a"]);
  assert.throws(
    () => db.zrange("z", "-", "+", { bylex: true, withscores: true }),
    redisError("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
  );
  assert.throws(
    () => db.zrange("z", 0.5, 1),
    redisError("ERR value is not an integer or out of range"),
  );
  db.set("s", "v");
  assert.throws(() => db.zrange("s", 0, -1), redisError(WRONGTYPE));
  db.close();
});

Deno.test("zrank and zrevrank count members before and after, ties by member", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1, b: 2, c: 2, d: 3 });
  assert.deepEqual(["a", "b", "c", "d"].map((m) => db.zrank("z", m)), [0, 1, 2, 3]);
  assert.deepEqual(["a", "b", "c", "d"].map((m) => db.zrevrank("z", m)), [3, 2, 1, 0]);
  assert.equal(db.zrank("z", "missing"), null);
  assert.equal(db.zrank("missing", "a"), null);
  db.close();
});

Deno.test("zrangestore replaces the destination, of any type, and deletes it for an empty range", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1, b: 2, c: 3 });
  db.set("dst", "string");
  assert.equal(db.zrangestore("dst", "z", 1, -1), 2);
  assert.deepEqual(db.zrange("dst", 0, -1, { withscores: true }), [["b", 2], ["c", 3]]);
  assert.equal(
    db.zrangestore("dst", "z", "(1", "+inf", { byscore: true, limit: { offset: 1, count: 1 } }),
    1,
  );
  assert.deepEqual(db.zrange("dst", 0, -1), ["c"]);
  assert.equal(db.zrangestore("dst", "z", 10, 20), 0);
  assert.equal(db.zcard("dst"), 0);
  assert.equal(keyRows(db), 1);
  db.close();
});

Deno.test("zremrangebyrank, zremrangebyscore and zremrangebylex remove ranges", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 });
  assert.equal(db.zremrangebyrank("z", -2, -1), 2);
  assert.equal(db.zremrangebyrank("z", 10, 20), 0);
  assert.equal(db.zremrangebyscore("z", "(1", 2), 1);
  assert.deepEqual(db.zrange("z", 0, -1), ["a", "c", "d"]);
  assert.equal(db.zremrangebyscore("z", "-inf", "+inf"), 3);
  assert.equal(keyRows(db), 0);
  db.zadd("lex", { a: 0, b: 0, c: 0, d: 0 });
  assert.equal(db.zremrangebylex("lex", "(a", "[c"), 2);
  assert.deepEqual(db.zrange("lex", 0, -1), ["a", "d"]);
  assert.equal(db.zcard("lex"), 2);
  db.close();
});

Deno.test("zpopmin, zpopmax and zmpop remove from the ends", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1, b: 2, c: 3, d: 4 });
  assert.deepEqual(db.zpopmin("z"), [["a", 1]]);
  assert.deepEqual(db.zpopmax("z", 2), [["d", 4], ["c", 3]]);
  assert.deepEqual(db.zpopmin("z", 0), []);
  assert.throws(
    () => db.zpopmin("z", -1),
    redisError("ERR value is out of range, must be positive"),
  );
  assert.deepEqual(db.zpopmin("z", 10), [["b", 2]]);
  assert.equal(keyRows(db), 0);
  assert.deepEqual(db.zpopmin("z"), []);
  db.zadd("y", { x: 1, y: 2, z: 3 });
  assert.deepEqual(db.zmpop(["missing", "y"], "MAX", { count: 2 }), ["y", [["z", 3], ["y", 2]]]);
  assert.deepEqual(db.zmpop(["y"], "MIN"), ["y", [["x", 1]]]);
  assert.equal(db.zmpop(["y", "missing"], "MIN"), null);
  db.set("s", "v");
  assert.throws(() => db.zmpop(["s", "y"], "MIN"), redisError(WRONGTYPE));
  assert.throws(
    () => db.zmpop(["y"], "MIN", { count: 0 }),
    redisError("ERR count should be greater than 0"),
  );
  db.close();
});

Deno.test("zunion, zinter and zdiff combine weighted scores as Redis", () => {
  const db = Db.openMemory();
  db.zadd("a", { x: 1, y: 2, z: 3 });
  db.zadd("b", { y: 10, z: 20, w: 30 });
  assert.deepEqual(db.zunion(["a", "b"], { withscores: true }), [
    ["x", 1],
    ["y", 12],
    ["z", 23],
    ["w", 30],
  ]);
  assert.deepEqual(db.zunion(["a", "b"], { weights: [2, -1], withscores: true }), [
    ["w", -30],
    ["z", -14],
    ["y", -6],
    ["x", 2],
  ]);
  assert.deepEqual(db.zinter(["a", "b"], { aggregate: "min", withscores: true }), [["y", 2], [
    "z",
    3,
  ]]);
  assert.deepEqual(db.zinter(["a", "b"], { aggregate: "max" }), ["y", "z"]);
  assert.deepEqual(db.zdiff(["a", "b"], { withscores: true }), [["x", 1]]);
  assert.deepEqual(db.zunion(["a", "missing"]), ["x", "y", "z"]);
  assert.deepEqual(db.zinter(["a", "missing"]), []);
  db.zadd("inf", { x: Infinity });
  db.zadd("neginf", { x: -Infinity });
  // inf + -inf and inf * 0 count as 0, as in Redis.
  assert.deepEqual(db.zunion(["inf", "neginf"], { withscores: true }), [["x", 0]]);
  assert.deepEqual(db.zunion(["inf"], { weights: [0], withscores: true }), [["x", 0]]);
  assert.equal(db.zintercard(["a", "b"]), 2);
  assert.equal(db.zintercard(["a", "b"], { limit: 1 }), 1);
  assert.throws(() => db.zunion(["a", "b"], { weights: [1] }), redisError("ERR syntax error"));
  db.close();
});

Deno.test("the STORE forms replace the destination and delete it for an empty result", () => {
  const db = Db.openMemory();
  db.zadd("a", { x: 1, y: 2 });
  db.zadd("b", { y: 5 });
  db.set("out", "v");
  assert.equal(db.zunionstore("out", ["a", "b"], { aggregate: "max" }), 2);
  assert.deepEqual(db.zrange("out", 0, -1, { withscores: true }), [["x", 1], ["y", 5]]);
  assert.equal(db.zinterstore("out", ["a", "b"]), 1);
  assert.deepEqual(db.zrange("out", 0, -1, { withscores: true }), [["y", 7]]);
  assert.equal(db.zdiffstore("a", ["a", "b"]), 1);
  assert.deepEqual(db.zrange("a", 0, -1), ["x"]);
  assert.equal(db.zinterstore("out", ["a", "b"]), 0);
  assert.equal(db.zcard("out"), 0);
  db.set("s", "v");
  assert.throws(() => db.zunionstore("out2", ["a", "s"]), redisError(WRONGTYPE));
  assert.equal(db.zcard("out2"), 0);
  db.close();
});

Deno.test("a sorted set in one database is invisible from another", () => {
  const db = Db.openMemory();
  db.zadd("z", { a: 1 });
  db.select(1);
  assert.equal(db.zcard("z"), 0);
  assert.equal(db.zscore("z", "a"), null);
  db.close();
});

Deno.test("db.command runs the sorted set commands with RESP3 shapes", () => {
  const db = Db.openMemory();
  db.command("ZADD", "z", 1, "a", 2.5, "b");
  assert.deepEqual(db.command("ZRANGE", "z", 0, -1, "WITHSCORES"), [["a", 1], ["b", 2.5]]);
  assert.equal(db.command("ZSCORE", "z", "b"), 2.5);
  assert.deepEqual(db.command("ZPOPMIN", "z"), ["a", 1]);
  db.close();
});

Deno.test("an expired sorted set is missing to every read and replaced by the next write", () => {
  const db = Db.openMemory({ activeExpire: false });
  db.zadd("z", { a: 1, b: 2 });
  scopeOf(db).store.run("UPDATE keys SET expire_at = 1");
  assert.equal(db.zscore("z", "a"), null);
  assert.equal(db.zcard("z"), 0);
  assert.deepEqual(db.zrange("z", 0, -1), []);
  assert.equal(db.zrank("z", "a"), null);
  assert.deepEqual(db.zunion(["z"]), []);
  assert.equal(db.zadd("z", { c: 3 }), 1);
  assert.deepEqual(db.zrange("z", 0, -1, { withscores: true }), [["c", 3]]);
  assert.equal(memberRows(db), 1);
  db.close();
});

Deno.test("the combining methods need at least one key", () => {
  const db = Db.openMemory();
  assert.throws(
    () => db.zunion([]),
    redisError("ERR at least 1 input key is needed for 'zunion' command"),
  );
  assert.throws(
    () => db.zinterstore("out", []),
    redisError("ERR at least 1 input key is needed for 'zinterstore' command"),
  );
  assert.throws(
    () => db.zintercard([]),
    redisError("ERR at least 1 input key is needed for 'zintercard' command"),
  );
  db.close();
});

Deno.test("zrandmember picks members of the set, distinct for a positive count", () => {
  const db = Db.openMemory();
  assert.equal(db.zrandmember("missing"), null);
  assert.deepEqual(db.zrandmember("missing", 3), []);
  const scores: Record<string, number> = {};
  for (let i = 0; i < 50; i++) scores[`m${i}`] = i / 2;
  db.zadd("z", scores);
  assert.ok(db.zrandmember("z")! in scores);
  const distinct = db.zrandmember("z", 20);
  assert.equal(new Set(distinct).size, 20);
  assert.ok(distinct.every((m) => m in scores));
  assert.equal(db.zrandmember("z", -200).length, 200);
  assert.deepEqual(db.zrandmember("z", 100).sort(), Object.keys(scores).sort());
  for (const [member, score] of db.zrandmember("z", -10, { withscores: true })) {
    assert.equal(score, scores[member]);
  }
  assert.deepEqual(db.zrandmember("z", 0), []);
  db.close();
});

Deno.test("zscan returns a small sorted set whole, in score order", () => {
  const db = Db.openMemory();
  db.zadd("z", { b: 2, a: 3, c: 1, ab: 2 });
  assert.deepEqual(db.zscan("z", 0), [0, [["c", 1], ["ab", 2], ["b", 2], ["a", 3]]]);
  assert.deepEqual(db.zscan("z", 0, { match: "a*", count: 1 }), [0, [["ab", 2], ["a", 3]]]);
  assert.deepEqual(db.zscan("missing", 0), [0, []]);
  db.close();
});

Deno.test("zscan of a large sorted set returns every member present during the whole scan", () => {
  const db = Db.openMemory();
  const all: [string, number][] = Array.from({ length: 1000 }, (_, i) => [`m${i}`, i % 13]);
  db.zadd("z", all);
  const seen = new Map<string, number>();
  let cursor = 0;
  let steps = 0;
  do {
    const [next, pairs] = db.zscan("z", cursor, { count: 25 });
    for (const [member, score] of pairs) seen.set(member, score);
    // Writes between steps: members come and go, those present throughout must all be found.
    db.zadd("z", { [`new${steps}`]: steps });
    db.zrem("z", `new${steps - 1}`);
    cursor = next;
    steps++;
  } while (cursor !== 0);
  for (const [member, score] of all) assert.equal(seen.get(member), score, member);
  assert.ok(steps >= 40, `${steps} steps`);
  db.close();
});

Deno.test("zadd, zrem and zmscore without members are arity errors", () => {
  const db = Db.openMemory();
  assert.throws(
    () => db.zadd("z", {}),
    redisError("ERR wrong number of arguments for 'zadd' command"),
  );
  assert.throws(() => db.zrem("z"), redisError("ERR wrong number of arguments for 'zrem' command"));
  assert.throws(
    () => db.zmscore("z"),
    redisError("ERR wrong number of arguments for 'zmscore' command"),
  );
  assert.equal(keyRows(db), 0);
  db.close();
});

Deno.test("lexicographic ranges over a small sorted set of mixed scores walk it by score", () => {
  const db = Db.openMemory();
  db.zadd("m", { c: 1, a: 2, e: 3, b: 4, d: 5 });
  // In score order, from the first member at least "b" (c) while members stay at most "d":
  // c, a, then e stops the walk (b and d are never reached). Reversed: from the last member at
  // most "d" (d) while members stay at least "b": d, b, e, then a stops it.
  assert.deepEqual(db.zrangebylex("m", "[b", "[d"), ["c", "a"]);
  assert.deepEqual(db.zrevrangebylex("m", "[d", "[b"), ["d", "b", "e"]);
  assert.equal(db.zlexcount("m", "[a", "[d"), 2);
  assert.deepEqual(db.zrangebylex("m", "-", "+"), ["c", "a", "e", "b", "d"]);
  assert.equal(db.zremrangebylex("m", "-", "[c"), 2);
  assert.deepEqual(db.zrange("m", 0, -1), ["e", "b", "d"]);
  db.close();
});
