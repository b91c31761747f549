import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { MAX_REPEATED_DRAWS } from "../../src/db/random_members.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

function redisError(message: string) {
  return (error: unknown) => error instanceof RedisError && error.message === message;
}

const WRONGTYPE = redisError("WRONGTYPE Operation against a key holding the wrong kind of value");
const encoder = new TextEncoder();

// The keys row of a key (its recorded size and expiry) and how many members the table holds.
function keyRow(
  db: Db,
  key: string,
): { size: number; expireAt: number | null; rows: number } | null {
  const store = scopeOf(db).store;
  const row = store.get(
    "SELECT id, size, expire_at FROM keys WHERE db = ? AND key = ?",
    db.selected,
    encoder.encode(key),
  );
  if (row === undefined) return null;
  const count = store.get("SELECT count(*) AS n FROM sets WHERE key_id = ?", row.id)!;
  return {
    size: row.size as number,
    expireAt: row.expire_at as number | null,
    rows: count.n as number,
  };
}

function expireNow(db: Db, key: string): void {
  scopeOf(db).store.run(
    "UPDATE keys SET expire_at = 1 WHERE db = ? AND key = ?",
    db.selected,
    encoder.encode(key),
  );
}

function range(n: number, name = (i: number) => `m${i}`): string[] {
  return Array.from({ length: n }, (_, i) => name(i));
}

Deno.test("Db.sadd, srem, smembers, scard keep the set and its size in step", () => {
  const db = Db.openMemory();
  assert.equal(db.sadd("s", "b", "a", "b", ""), 3);
  assert.equal(db.sadd("s", "a"), 0);
  assert.deepEqual(db.smembers("s"), ["", "a", "b"]);
  assert.equal(db.scard("s"), 3);
  assert.deepEqual(keyRow(db, "s"), { size: 3, expireAt: null, rows: 3 });
  assert.equal(db.srem("s", "a", "a", "z"), 1);
  assert.equal(db.srem("missing", "a"), 0);
  assert.deepEqual(keyRow(db, "s"), { size: 2, expireAt: null, rows: 2 });
  assert.equal(db.srem("s", "", "b"), 2);
  assert.equal(keyRow(db, "s"), null);
  assert.deepEqual(db.smembers("s"), []);
  assert.equal(db.scard("s"), 0);
  assert.throws(() => db.sadd("s"), redisError("ERR wrong number of arguments for 'sadd' command"));
  assert.throws(() => db.srem("s"), redisError("ERR wrong number of arguments for 'srem' command"));
  db.close();
});

Deno.test("Db.sismember and smismember; binary members", () => {
  const db = Db.openMemory();
  const binary = new Uint8Array([0, 255, 10]);
  db.sadd("s", "a", binary);
  assert.equal(db.sismember("s", "a"), true);
  assert.equal(db.sismember("s", binary), true);
  assert.equal(db.sismember("s", "z"), false);
  assert.equal(db.sismember("missing", "a"), false);
  assert.deepEqual(db.smismember("s", "z", "a", binary), [false, true, true]);
  assert.deepEqual(db.smismember("missing", "a", "b"), [false, false]);
  assert.deepEqual(db.commandBytes("SMEMBERS", "s"), [binary, encoder.encode("a")]);
  db.close();
});

Deno.test("set methods throw WRONGTYPE on other types and change nothing", () => {
  const db = Db.openMemory();
  db.set("str", "text");
  db.hset("h", "f", "v");
  db.sadd("s", "a", "b");
  db.sadd("d", "kept");
  assert.throws(() => db.sadd("str", "a"), WRONGTYPE);
  assert.throws(() => db.srem("h", "f"), WRONGTYPE);
  assert.throws(() => db.smembers("str"), WRONGTYPE);
  assert.throws(() => db.sismember("str", "a"), WRONGTYPE);
  assert.throws(() => db.smismember("str", "a"), WRONGTYPE);
  assert.throws(() => db.scard("h"), WRONGTYPE);
  assert.throws(() => db.spop("str"), WRONGTYPE);
  assert.throws(() => db.spop("str", 0), WRONGTYPE);
  assert.throws(() => db.srandmember("str"), WRONGTYPE);
  assert.throws(() => db.srandmember("str", -1), WRONGTYPE);
  assert.throws(() => db.smove("s", "str", "a"), WRONGTYPE);
  assert.throws(() => db.smove("s", "str", "not a member"), WRONGTYPE);
  assert.throws(() => db.smove("str", "s", "a"), WRONGTYPE);
  assert.throws(() => db.sinter("s", "missing", "str"), WRONGTYPE);
  assert.throws(() => db.sunion("s", "h"), WRONGTYPE);
  assert.throws(() => db.sdiff("missing", "str"), WRONGTYPE);
  assert.throws(() => db.sinterstore("d", "s", "str"), WRONGTYPE);
  assert.throws(() => db.sunionstore("d", "s", "h"), WRONGTYPE);
  assert.throws(() => db.sdiffstore("d", "s", "str"), WRONGTYPE);
  assert.throws(() => db.sintercard(["s", "str"]), WRONGTYPE);
  assert.throws(() => db.sscan("str", 0), WRONGTYPE);
  assert.equal(db.get("str"), "text");
  assert.equal(db.hget("h", "f"), "v");
  assert.deepEqual(db.smembers("s"), ["a", "b"]);
  assert.deepEqual(db.smembers("d"), ["kept"]);
  db.close();
});

Deno.test("Db.smove moves between sets, creates the destination, deletes an emptied source", () => {
  const db = Db.openMemory();
  db.sadd("a", "1", "2");
  db.sadd("b", "2");
  assert.equal(db.smove("a", "b", "2"), true);
  assert.deepEqual(db.smembers("a"), ["1"]);
  assert.deepEqual(keyRow(db, "b"), { size: 1, expireAt: null, rows: 1 });
  assert.equal(db.smove("a", "b", "9"), false);
  assert.equal(db.smove("missing", "b", "1"), false);
  db.set("str", "x");
  assert.equal(db.smove("missing", "str", "1"), false);
  assert.equal(db.smove("a", "a", "1"), true);
  assert.equal(db.smove("a", "a", "9"), false);
  assert.equal(db.smove("a", "new", "1"), true);
  assert.equal(keyRow(db, "a"), null);
  assert.deepEqual(db.smembers("new"), ["1"]);
  assert.deepEqual(keyRow(db, "new"), { size: 1, expireAt: null, rows: 1 });
  db.close();
});

Deno.test("Db.sinter, sunion, sdiff", () => {
  const db = Db.openMemory();
  db.sadd("a", "1", "2", "3", "x");
  db.sadd("b", "2", "3", "4");
  db.sadd("c", "3", "5");
  assert.deepEqual(db.sinter("a", "b"), ["2", "3"]);
  assert.deepEqual(db.sinter("a", "b", "c"), ["3"]);
  assert.deepEqual(db.sinter("a", "a"), ["1", "2", "3", "x"]);
  assert.deepEqual(db.sinter("a", "missing"), []);
  assert.deepEqual(db.sunion("a", "b", "missing"), ["1", "2", "3", "4", "x"]);
  assert.deepEqual(db.sunion("missing"), []);
  assert.deepEqual(db.sdiff("a", "b"), ["1", "x"]);
  assert.deepEqual(db.sdiff("a", "b", "c", "missing"), ["1", "x"]);
  assert.deepEqual(db.sdiff("a", "a"), []);
  assert.deepEqual(db.sdiff("missing", "a"), []);
  assert.throws(
    () => db.sinter(),
    redisError("ERR wrong number of arguments for 'sinter' command"),
  );
  db.close();
});

Deno.test("Db.s*store replace the destination of any type, drop its TTL, delete it when empty", () => {
  const db = Db.openMemory();
  db.sadd("a", "1", "2", "3");
  db.sadd("b", "2", "3", "4");
  db.set("d", "string", { ex: 100 });
  assert.equal(db.sunionstore("d", "a", "b"), 4);
  assert.deepEqual(db.smembers("d"), ["1", "2", "3", "4"]);
  assert.deepEqual(keyRow(db, "d"), { size: 4, expireAt: null, rows: 4 });
  assert.equal(db.sinterstore("d", "a", "b"), 2);
  assert.deepEqual(db.smembers("d"), ["2", "3"]);
  assert.equal(db.sdiffstore("d", "a", "b"), 1);
  assert.deepEqual(db.smembers("d"), ["1"]);
  assert.equal(db.sinterstore("d", "a", "missing"), 0);
  assert.equal(keyRow(db, "d"), null);
  db.hset("d", "f", "v");
  assert.equal(db.sdiffstore("d", "a", "a"), 0);
  assert.equal(keyRow(db, "d"), null);
  assert.equal(db.sunionstore("d", "missing"), 0);
  // The destination may be a source.
  assert.equal(db.sunionstore("a", "a", "b"), 4);
  assert.deepEqual(keyRow(db, "a"), { size: 4, expireAt: null, rows: 4 });
  assert.equal(db.sdiffstore("b", "a", "b"), 1);
  assert.deepEqual(db.smembers("b"), ["1"]);
  assert.equal(db.sinterstore("b", "b", "a"), 1);
  assert.deepEqual(db.smembers("b"), ["1"]);
  // No key is left behind in any database by the intermediate result.
  const orphans = scopeOf(db).store.get(
    "SELECT count(*) AS n FROM keys WHERE db NOT BETWEEN 0 AND 15",
  );
  assert.equal(orphans!.n, 0);
  const strayMembers = scopeOf(db).store.get(
    "SELECT count(*) AS n FROM sets WHERE key_id NOT IN (SELECT id FROM keys)",
  );
  assert.equal(strayMembers!.n, 0);
  db.close();
});

Deno.test("Db.sintercard counts the intersection up to a limit", () => {
  const db = Db.openMemory();
  db.sadd("a", ...range(100));
  db.sadd("b", ...range(50));
  assert.equal(db.sintercard(["a", "b"]), 50);
  assert.equal(db.sintercard(["a", "b"], { limit: 10 }), 10);
  assert.equal(db.sintercard(["a", "b"], { limit: 0 }), 50);
  assert.equal(db.sintercard(["a", "missing"]), 0);
  assert.equal(db.sintercard(["a"]), 100);
  assert.throws(() => db.sintercard([]), redisError("ERR numkeys should be greater than 0"));
  assert.throws(
    () => db.sintercard(["a"], { limit: -1 }),
    redisError("ERR LIMIT can't be negative"),
  );
  db.close();
});

Deno.test("Db.spop removes what it returns; the set goes when emptied", () => {
  const db = Db.openMemory();
  assert.equal(db.spop("missing"), null);
  assert.deepEqual(db.spop("missing", 2), []);
  db.sadd("s", "a", "b", "c", "d");
  const one = db.spop("s")!;
  assert.equal(db.sismember("s", one), false);
  assert.deepEqual(db.spop("s", 0), []);
  const two = db.spop("s", 2);
  assert.equal(new Set(two).size, 2);
  assert.deepEqual(keyRow(db, "s"), { size: 1, expireAt: null, rows: 1 });
  const rest = db.spop("s", 5);
  assert.deepEqual([one, ...two, ...rest].toSorted(), ["a", "b", "c", "d"]);
  assert.equal(keyRow(db, "s"), null);
  assert.throws(() => db.spop("s", -1), redisError("ERR value is out of range, must be positive"));
  db.close();
});

Deno.test("Db.spop empties a large set one member at a time, each exactly once", () => {
  const db = Db.openMemory();
  const members = [
    ...range(1500, (i) => `user:${i}`),
    "",
    "user:",
    "\u0000",
    "\u00ff\u00ff",
  ];
  db.sadd("s", ...members);
  const popped: string[] = [];
  while (db.scard("s") > 1100) popped.push(db.spop("s")!);
  popped.push(...db.spop("s", 300));
  popped.push(...db.spop("s", 10_000));
  assert.equal(keyRow(db, "s"), null);
  assert.deepEqual(popped.toSorted(), members.toSorted());
  db.close();
});

Deno.test("Db.srandmember: distinct for a positive count, repeated for a negative one", () => {
  const db = Db.openMemory();
  assert.equal(db.srandmember("missing"), null);
  assert.deepEqual(db.srandmember("missing", -3), []);
  db.sadd("s", "a", "b", "c");
  assert.ok(["a", "b", "c"].includes(db.srandmember("s")!));
  assert.deepEqual(db.srandmember("s", 0), []);
  assert.deepEqual(db.srandmember("s", 3).toSorted(), ["a", "b", "c"]);
  assert.deepEqual(db.srandmember("s", 100).toSorted(), ["a", "b", "c"]);
  assert.equal(new Set(db.srandmember("s", 2)).size, 2);
  const repeated = db.srandmember("s", -50);
  assert.equal(repeated.length, 50);
  assert.ok(repeated.every((member) => ["a", "b", "c"].includes(member)));
  assert.throws(
    () => db.srandmember("s", -(MAX_REPEATED_DRAWS + 1)),
    redisError("ERR value is out of range"),
  );
  assert.equal(db.scard("s"), 3);
  db.close();
});

Deno.test("Db.srandmember on a small set is uniform", () => {
  const db = Db.openMemory();
  db.sadd("s", ...range(10));
  const counts = new Map<string, number>();
  for (const member of db.srandmember("s", -20_000)) {
    counts.set(member, (counts.get(member) ?? 0) + 1);
  }
  // Each count is binomial (20000, 0.1): mean 2000, standard deviation 42.
  for (const member of range(10)) {
    const count = counts.get(member) ?? 0;
    assert.ok(count > 1700 && count < 2300, `${member}: ${count}`);
  }
  db.close();
});

Deno.test("Db.srandmember on a large set draws members by descent, near-uniform ones", () => {
  const db = Db.openMemory();
  const members = range(3000, (i) => `item:${String(i).padStart(6, "0")}`);
  db.sadd("s", ...members);
  const all = new Set(members);
  // Fewer than 1/256 of the set: by random descent, not by reading the set.
  const distinct = db.srandmember("s", 11);
  assert.equal(new Set(distinct).size, 11);
  assert.ok(distinct.every((member) => all.has(member)));
  const counts = new Map<string, number>();
  for (let i = 0; i < 1500; i++) {
    for (const member of db.srandmember("s", -10)) {
      assert.ok(all.has(member), member);
      counts.set(member, (counts.get(member) ?? 0) + 1);
    }
  }
  // Evenly spread members: close to uniform (5 draws per member; a uniform draw would miss
  // about 20 members and give none more than about 16).
  assert.ok(counts.size > 2850, `seen ${counts.size}`);
  assert.ok(Math.max(...counts.values()) < 30, `max ${Math.max(...counts.values())}`);
  assert.equal(db.scard("s"), 3000);
  db.close();
});

Deno.test("Db.srandmember of a large share of a large set reads it once, exactly uniform", () => {
  const db = Db.openMemory();
  db.sadd("s", ...range(2000));
  const most = db.srandmember("s", 1500);
  assert.equal(new Set(most).size, 1500);
  const repeated = db.srandmember("s", -100_000);
  assert.equal(repeated.length, 100_000);
  const counts = new Map<string, number>();
  for (const member of repeated) counts.set(member, (counts.get(member) ?? 0) + 1);
  // Each count is binomial (100000, 1/2000): mean 50, standard deviation 7.
  assert.equal(counts.size, 2000);
  assert.ok([...counts.values()].every((count) => count > 10 && count < 100));
  // Drawn in a random order, not in the set's order.
  assert.notDeepEqual(repeated.slice(0, 50), repeated.slice(0, 50).toSorted());
  db.close();
});

Deno.test("Db.spop of a large share of a large set removes exactly what it returns", () => {
  const db = Db.openMemory();
  const members = range(5000);
  db.sadd("s", ...members);
  const popped = db.spop("s", 4000);
  assert.equal(new Set(popped).size, 4000);
  const left = db.smembers("s");
  assert.equal(left.length, 1000);
  assert.deepEqual([...popped, ...left].toSorted(), members.toSorted());
  assert.deepEqual(keyRow(db, "s"), { size: 1000, expireAt: null, rows: 1000 });
  db.close();
});

Deno.test("an expired set is absent to reads and replaced by writes", () => {
  const db = Db.openMemory();
  db.sadd("s", "a", "b");
  db.sadd("t", "b");
  expireNow(db, "s");
  assert.deepEqual(db.smembers("s"), []);
  assert.equal(db.sismember("s", "a"), false);
  assert.equal(db.scard("s"), 0);
  assert.equal(db.srandmember("s"), null);
  assert.equal(db.spop("s"), null);
  assert.deepEqual(db.sunion("s", "t"), ["b"]);
  expireNow(db, "t");
  assert.equal(db.smove("t", "s", "b"), false);
  assert.equal(db.sadd("s", "c"), 1);
  assert.deepEqual(keyRow(db, "s"), { size: 1, expireAt: null, rows: 1 });
  db.close();
});

Deno.test("Db.sscan returns every member present during the whole scan, despite writes", () => {
  const db = Db.openMemory();
  const random = new SeededRandom(7);
  const stable = range(2000, (i) => `stable:${random.int(1e9)}:${i}`);
  db.sadd("s", ...stable);
  const seen = new Set<string>();
  let cursor = 0;
  let step = 0;
  do {
    const [next, members] = db.sscan("s", cursor, { count: 25 });
    for (const member of members) seen.add(member);
    cursor = next;
    // Between steps, members come and go all over the key space.
    db.sadd("s", `added:${step}`, `${random.int(1e9)}`, `stable:${random.int(1e9)}`);
    db.srem("s", `added:${step - 1}`);
    step++;
  } while (cursor !== 0);
  for (const member of stable) assert.ok(seen.has(member), member);
  db.close();
});

Deno.test("Db.sscan resumes from a cursor another connection handed out", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/data.db`;
    const first = Db.open(path);
    const second = Db.open(path);
    // Members spread over their first bytes, as the fallback to a cursor's prefix needs.
    const random = new SeededRandom(11);
    const members = range(1000, (i) => `${random.int(1e12).toString(36)}:${i}`);
    first.sadd("s", ...members);
    const seen = new Set<string>();
    let cursor = 0;
    let steps = 0;
    do {
      // Alternate connections: each cursor is resolved by the other one's table (unknown there).
      const [next, found] = (steps % 2 === 0 ? first : second).sscan("s", cursor, { count: 50 });
      for (const member of found) seen.add(member);
      cursor = next;
      steps++;
      assert.ok(steps < 1000, "the scan must end");
    } while (cursor !== 0);
    assert.equal(seen.size, members.length);
    first.close();
    second.close();
  });
});

Deno.test("Db.sscan with MATCH narrows a literal prefix to a range", () => {
  const db = Db.openMemory();
  db.sadd("s", ...range(300, (i) => `a:${i}`), ...range(300, (i) => `b:${i}`));
  const found: string[] = [];
  let cursor = 0;
  do {
    const [next, members] = db.sscan("s", cursor, { match: "b:1*", count: 20 });
    found.push(...members);
    cursor = next;
  } while (cursor !== 0);
  const expected = range(300, (i) => `b:${i}`).filter((m) => m.startsWith("b:1"));
  assert.deepEqual(found.toSorted(), expected.toSorted());
  db.close();
});
