import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { KeyType } from "../../src/db/keyspace.ts";
import { statementsOf } from "../_helpers/statements.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const encoder = new TextEncoder();

/** Asserts that `fn` throws a RedisError with exactly this message. */
function assertRedisError(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof RedisError && e.message === message);
}

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INTEGER = "ERR value is not an integer or out of range";

/** What the keys table holds for a key: its type, expiry and version (undefined when absent). */
function row(db: Db, key: string): { type: number; expireAt: number | null; version: number } {
  const found = scopeOf(db).store.get(
    "SELECT type, expire_at, version FROM keys WHERE db = ? AND key = ?",
    db.selected,
    encoder.encode(key),
  );
  assert.ok(found, `no row for ${key}`);
  return {
    type: found.type as number,
    expireAt: found.expire_at as number | null,
    version: found.version as number,
  };
}

function keyCount(db: Db): number {
  return scopeOf(db).store.get("SELECT count(*) AS n FROM keys")!.n as number;
}

Deno.test("Db.incr, incrby and decr return numbers; mset and mget as documented", () => {
  const db = Db.openMemory();
  assert.equal(db.incr("n"), 1);
  assert.equal(db.incrby("n", 10), 11);
  assert.equal(db.decr("n"), 10);
  assert.equal(db.decrby("n", 4n), 6);
  assert.equal(db.get("n"), "6");
  assert.equal(db.mset({ x: "1", y: "2" }), "OK");
  assert.deepEqual(db.mget("x", "y", "z"), ["1", "2", null]);
  db.close();
});

Deno.test("Db.incr refuses values Redis refuses and changes nothing", () => {
  const db = Db.openMemory();
  for (const value of [" 1", "01", "1 ", "+1", "-0", "1.0", "", "abc", "9223372036854775808"]) {
    db.set("s", value);
    assertRedisError(() => db.incr("s"), NOT_INTEGER);
    assert.equal(db.get("s"), value);
  }
  db.set("max", "9223372036854775807");
  assertRedisError(() => db.incr("max"), "ERR increment or decrement would overflow");
  assertRedisError(() => db.decrby("x", -(2n ** 63n)), "ERR decrement would overflow");
  assertRedisError(() => db.incrby("x", 1.5), NOT_INTEGER);
  assertRedisError(() => db.incrby("x", 2n ** 63n), NOT_INTEGER);
  assert.equal(db.get("max"), "9223372036854775807");
  assert.equal(db.get("x"), null);
  db.rpush("h", "x");
  assertRedisError(() => db.incr("h"), WRONGTYPE);
  db.close();
});

Deno.test("INCR beyond 2^53: numbers lose precision, db.command returns a bigint", () => {
  const db = Db.openMemory();
  db.set("big", "9007199254740993");
  assert.equal(db.command("INCR", "big"), 9007199254740994n);
  assert.equal(db.incr("big"), 9007199254740996); // 9007199254740995 as the nearest double
  assert.equal(db.get("big"), "9007199254740995");
  assert.equal(db.command("DECRBY", "big", "9007199254740995"), 0);
  db.close();
});

Deno.test("INCR keeps the time to live, and starts over on an expired key", () => {
  const db = Db.openMemory();
  db.set("ttl", "1", { ex: 100 });
  const before = row(db, "ttl");
  assert.equal(db.incr("ttl"), 2);
  const after = row(db, "ttl");
  assert.equal(after.expireAt, before.expireAt);
  assert.ok(after.version > before.version);
  db.set("gone", "41", { pxat: 1 });
  assert.equal(db.incr("gone"), 1);
  assert.equal(row(db, "gone").expireAt, null);
  db.close();
});

Deno.test("INCRBYFLOAT computes and prints as Redis's long double", () => {
  const db = Db.openMemory();
  assert.equal(db.incrbyfloat("f", 0.1), "0.1");
  assert.equal(db.incrbyfloat("f", "0.1"), "0.2");
  assert.equal(db.incrbyfloat("f", 0.1), "0.3");
  assert.equal(db.incrbyfloat("f", "5.0e3"), "5000.29999999999999982"); // as redis-server 7.0
  assert.equal(db.incrbyfloat("f", -5000.3), "0");
  assert.equal(db.get("f"), "0");
  db.set("i", "17", { ex: 100 });
  const expireAt = row(db, "i").expireAt;
  assert.equal(db.incrbyfloat("i", "-0.5"), "16.5");
  assert.equal(row(db, "i").expireAt, expireAt);
  db.close();
});

Deno.test("INCRBYFLOAT errors change nothing", () => {
  const db = Db.openMemory();
  db.set("f", "1.5");
  assertRedisError(() => db.incrbyfloat("f", "abc"), "ERR value is not a valid float");
  assertRedisError(() => db.incrbyfloat("f", NaN), "ERR value is not a valid float");
  assertRedisError(
    () => db.incrbyfloat("f", Infinity),
    "ERR increment would produce NaN or Infinity",
  );
  assert.equal(db.get("f"), "1.5");
  db.set("text", "one");
  assertRedisError(() => db.incrbyfloat("text", 1), "ERR value is not a valid float");
  assert.equal(db.get("text"), "one");
  assertRedisError(
    () => db.incrbyfloat("missing", "inf"),
    "ERR increment would produce NaN or Infinity",
  );
  assert.equal(db.get("missing"), null);
  db.rpush("h", "x");
  assertRedisError(() => db.incrbyfloat("h", "abc"), WRONGTYPE);
  db.close();
});

Deno.test("SETNX, SETEX and PSETEX", () => {
  const db = Db.openMemory();
  assert.equal(db.setnx("k", "1"), 1);
  assert.equal(db.setnx("k", "2"), 0);
  assert.equal(db.get("k"), "1");
  const start = Date.now();
  assert.equal(db.setex("k", 100, "v"), "OK");
  const expireAt = row(db, "k").expireAt!;
  assert.ok(expireAt >= start + 100_000 && expireAt <= Date.now() + 100_000);
  assert.equal(db.psetex("k", 1500, "w"), "OK");
  assert.ok(row(db, "k").expireAt! <= Date.now() + 1500);
  assertRedisError(() => db.setex("k", 0, "x"), "ERR invalid expire time in 'setex' command");
  assertRedisError(() => db.psetex("k", -1, "x"), "ERR invalid expire time in 'psetex' command");
  assertRedisError(() => db.setex("k", 1.5, "x"), NOT_INTEGER);
  assert.equal(db.get("k"), "w");
  db.rpush("h", "x");
  assert.equal(db.setnx("h", "v"), 0);
  assert.equal(db.setex("h", 10, "now a string"), "OK");
  assert.equal(db.get("h"), "now a string");
  db.close();
});

Deno.test("GETSET replaces the value and removes the time to live", () => {
  const db = Db.openMemory();
  assert.equal(db.getset("k", "1"), null);
  db.set("k", "2", { ex: 100 });
  assert.equal(db.getset("k", "3"), "2");
  assert.equal(row(db, "k").expireAt, null);
  db.rpush("h", "x");
  assertRedisError(() => db.getset("h", "x"), WRONGTYPE);
  assert.equal(row(db, "h").type, KeyType.list);
  db.close();
});

Deno.test("GETDEL returns the value and deletes the key, only for strings", () => {
  const db = Db.openMemory();
  db.set("k", new Uint8Array([0, 255]));
  assert.deepEqual(db.commandBytes("GETDEL", "k"), new Uint8Array([0, 255]));
  assert.equal(db.getdel("k"), null);
  assert.equal(keyCount(db), 0);
  db.set("gone", "v", { pxat: 1 });
  assert.equal(db.getdel("gone"), null);
  db.rpush("h", "x");
  assertRedisError(() => db.getdel("h"), WRONGTYPE);
  assert.equal(row(db, "h").type, KeyType.list);
  db.close();
});

Deno.test("GETEX sets, keeps or removes the time to live", () => {
  const db = Db.openMemory();
  assert.equal(db.getex("missing", { ex: 10 }), null);
  assert.equal(keyCount(db), 0);
  db.set("k", "v");
  const version = row(db, "k").version;
  assert.equal(db.getex("k"), "v");
  assert.equal(db.getex("k", { persist: true }), "v");
  assert.equal(row(db, "k").version, version); // nothing to persist: unchanged
  assert.equal(db.getex("k", { ex: 100 }), "v");
  assert.ok(row(db, "k").expireAt! > Date.now());
  assert.ok(row(db, "k").version > version);
  assert.equal(db.getex("k", { pxat: 99999999999999 }), "v");
  assert.equal(row(db, "k").expireAt, 99999999999999);
  assert.equal(db.getex("k", { persist: true }), "v");
  assert.equal(row(db, "k").expireAt, null);
  assertRedisError(() => db.getex("k", { ex: 0 }), "ERR invalid expire time in 'getex' command");
  assertRedisError(() => db.getex("k", { ex: 1, px: 1 }), "ERR syntax error");
  assertRedisError(() => db.getex("k", { ex: 1, persist: true }), "ERR syntax error");
  assert.equal(row(db, "k").expireAt, null);
  assert.equal(db.getex("k", { exat: 1 }), "v"); // in the past: deleted
  assert.equal(keyCount(db), 0);
  db.rpush("h", "x");
  assertRedisError(() => db.getex("h", { ex: 0 }), WRONGTYPE);
  db.close();
});

Deno.test("MSET is atomic, replaces any type and removes times to live", () => {
  const db = Db.openMemory();
  db.set("ttl", "old", { ex: 100 });
  db.rpush("h", "x");
  assert.equal(
    db.mset([["ttl", "1"], ["h", "2"], [new Uint8Array([0]), new Uint8Array([1])]]),
    "OK",
  );
  assert.deepEqual(db.mget("ttl", "h"), ["1", "2"]);
  assert.deepEqual(db.commandBytes("GET", new Uint8Array([0])), new Uint8Array([1]));
  assert.equal(row(db, "ttl").expireAt, null);
  assertRedisError(() => db.mset({}), "ERR wrong number of arguments for 'mset' command");
  db.close();
});

Deno.test("MSETNX sets all keys or none", () => {
  const db = Db.openMemory();
  assert.equal(db.msetnx({ a: "1", b: "2" }), 1);
  assert.equal(db.msetnx({ b: "3", c: "4" }), 0);
  assert.deepEqual(db.mget("a", "b", "c"), ["1", "2", null]);
  db.rpush("h", "x");
  assert.equal(db.msetnx({ h: "1", d: "2" }), 0);
  assert.equal(db.get("d"), null);
  assert.deepEqual(db.mget("h", "a"), [null, "1"]);
  db.close();
});

Deno.test("MSET inside a failing transaction leaves nothing", () => {
  const db = Db.openMemory();
  assert.throws(() =>
    db.transaction((tx) => {
      tx.mset({ a: "1", b: "2" });
      throw new Error("abort");
    })
  );
  assert.deepEqual(db.mget("a", "b"), [null, null]);
  db.close();
});

Deno.test("APPEND and STRLEN count bytes, keep the time to live and create empty keys", () => {
  const db = Db.openMemory();
  assert.equal(db.strlen("k"), 0);
  assert.equal(db.append("k", "hé"), 3);
  assert.equal(db.append("k", new Uint8Array([0, 255])), 5);
  assert.equal(db.strlen("k"), 5);
  assert.deepEqual(db.commandBytes("GET", "k"), new Uint8Array([104, 195, 169, 0, 255]));
  assert.equal(db.append("empty", ""), 0);
  assert.equal(db.get("empty"), "");
  db.set("ttl", "a", { ex: 100 });
  const expireAt = row(db, "ttl").expireAt;
  db.append("ttl", "b");
  assert.equal(row(db, "ttl").expireAt, expireAt);
  db.set("gone", "old", { pxat: 1 });
  assert.equal(db.append("gone", "new"), 3);
  assert.equal(db.get("gone"), "new");
  db.rpush("h", "x");
  assertRedisError(() => db.append("h", "x"), WRONGTYPE);
  assertRedisError(() => db.strlen("h"), WRONGTYPE);
  db.close();
});

Deno.test("GETRANGE takes inclusive ranges with negative indexes, as Redis 7.0", () => {
  const db = Db.openMemory();
  db.set("k", "This is a string");
  assert.equal(db.getrange("k", 0, 3), "This");
  assert.equal(db.getrange("k", -3, -1), "ing");
  assert.equal(db.getrange("k", 0, -1), "This is a string");
  assert.equal(db.getrange("k", 10, 100), "string");
  assert.equal(db.getrange("k", 5, 3), "");
  assert.equal(db.getrange("k", -1, -5), "");
  assert.equal(db.getrange("k", 0, -100), "T");
  assert.equal(db.getrange("k", -(2n ** 63n), 2n ** 63n - 1n), "This is a string");
  assert.equal(db.getrange("missing", 0, -1), "");
  db.set("e", "");
  assert.equal(db.getrange("e", 0, -1), "");
  assertRedisError(() => db.getrange("k", 0.5, 1), NOT_INTEGER);
  db.rpush("h", "x");
  assertRedisError(() => db.getrange("h", 0, -1), WRONGTYPE);
  db.close();
});

Deno.test("SETRANGE pads with zero bytes, creates keys only when it writes", () => {
  const db = Db.openMemory();
  assert.equal(db.setrange("k", 0, ""), 0);
  assert.equal(db.setrange("k", 5, ""), 0);
  assert.equal(keyCount(db), 0);
  assert.equal(db.setrange("k", 3, "abc"), 6);
  assert.deepEqual(db.commandBytes("GET", "k"), new Uint8Array([0, 0, 0, 97, 98, 99]));
  db.set("hello", "Hello World", { ex: 100 });
  const expireAt = row(db, "hello").expireAt;
  assert.equal(db.setrange("hello", 6, "Redis"), 11);
  assert.equal(db.get("hello"), "Hello Redis");
  assert.equal(row(db, "hello").expireAt, expireAt);
  assert.equal(db.setrange("hello", 1, new Uint8Array([0])), 11);
  assert.deepEqual(db.commandBytes("GETRANGE", "hello", 0, 2), new Uint8Array([72, 0, 108]));
  assert.equal(db.setrange("hello", 99, ""), 11);
  assertRedisError(() => db.setrange("hello", -1, "x"), "ERR offset is out of range");
  assertRedisError(
    () => db.setrange("hello", 512 * 1024 * 1024, "x"),
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
  );
  assertRedisError(
    () => db.setrange("new", 512 * 1024 * 1024 - 1, "xy"),
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
  );
  assert.equal(db.strlen("hello"), 11);
  assert.equal(db.get("new"), null);
  db.rpush("h", "x");
  assertRedisError(() => db.setrange("h", 512 * 1024 * 1024, "x"), WRONGTYPE);
  assertRedisError(() => db.setrange("h", 0, ""), WRONGTYPE);
  db.close();
});

Deno.test("SETBIT grows the string, GETBIT reads bits from the most significant", () => {
  const db = Db.openMemory();
  assert.equal(db.setbit("b", 7, 1), 0);
  assert.equal(db.get("b"), "\u0001");
  assert.equal(db.setbit("b", 7, 1), 1);
  assert.equal(db.getbit("b", 7), 1);
  assert.equal(db.getbit("b", 6), 0);
  assert.equal(db.getbit("b", 1000), 0);
  assert.equal(db.getbit("missing", 0), 0);
  assert.equal(db.setbit("b", 23, 0), 0);
  assert.deepEqual(db.commandBytes("GET", "b"), new Uint8Array([1, 0, 0]));
  assert.equal(db.setbit("z", 0, 0), 0);
  assert.deepEqual(db.commandBytes("GET", "z"), new Uint8Array([0]));
  db.close();
});

Deno.test("SETBIT changes the version only when it changes the value", () => {
  const db = Db.openMemory();
  db.setbit("b", 3, 1);
  const version = row(db, "b").version;
  assert.equal(db.setbit("b", 3, 1), 1);
  assert.equal(db.setbit("b", 4, 0), 0);
  assert.equal(row(db, "b").version, version);
  assert.equal(db.setbit("b", 3, 0), 1);
  assert.ok(row(db, "b").version > version);
  db.close();
});

Deno.test("SETBIT and GETBIT errors change nothing", () => {
  const db = Db.openMemory();
  db.set("b", "a");
  const offsetError = "ERR bit offset is not an integer or out of range";
  const bitError = "ERR bit is not an integer or out of range";
  assertRedisError(() => db.setbit("b", -1, 1), offsetError);
  assertRedisError(() => db.setbit("b", 2 ** 32, 1), offsetError);
  assertRedisError(() => db.setbit("b", 1.5, 1), offsetError);
  assertRedisError(() => db.setbit("b", 1, 2), bitError);
  assertRedisError(() => db.getbit("b", -1), offsetError);
  assert.equal(db.getbit("b", 2 ** 32 - 1), 0);
  assert.equal(db.get("b"), "a");
  db.rpush("h", "x");
  assertRedisError(() => db.setbit("h", 0, 1), WRONGTYPE);
  assertRedisError(() => db.getbit("h", 0), WRONGTYPE);
  db.close();
});

Deno.test("BITCOUNT counts in byte and bit ranges", () => {
  const db = Db.openMemory();
  db.set("k", "foobar");
  assert.equal(db.bitcount("k"), 26);
  assert.equal(db.bitcount("k", 0, 0), 4);
  assert.equal(db.bitcount("k", 1, 1), 6);
  assert.equal(db.bitcount("k", 1, 1, "BYTE"), 6);
  assert.equal(db.bitcount("k", 5, 30, "BIT"), 17);
  assert.equal(db.bitcount("k", -1, -5), 0);
  assert.equal(db.bitcount("k", -100, 100), 26);
  assert.equal(db.bitcount("missing"), 0);
  db.set("e", "");
  assert.equal(db.bitcount("e", 0, -1, "BIT"), 0);
  db.rpush("h", "x");
  assertRedisError(() => db.bitcount("h"), WRONGTYPE);
  db.close();
});

Deno.test("BITPOS finds set and clear bits, with Redis's rules at the end", () => {
  const db = Db.openMemory();
  db.set("k", new Uint8Array([0xff, 0xf0, 0x00]));
  assert.equal(db.bitpos("k", 0), 12);
  assert.equal(db.bitpos("k", 1), 0);
  assert.equal(db.bitpos("k", 1, 2), -1);
  assert.equal(db.bitpos("k", 1, 7, 15, "BIT"), 7);
  assert.equal(db.bitpos("k", 0, 0, 11, "BIT"), -1);
  db.set("ones", new Uint8Array([0xff]));
  assert.equal(db.bitpos("ones", 0), 8); // no end given: the string is padded with zeros
  assert.equal(db.bitpos("ones", 0, 0), 8);
  assert.equal(db.bitpos("ones", 0, 0, -1), -1); // an explicit end: no clear bit in range
  assert.equal(db.bitpos("missing", 0), 0);
  assert.equal(db.bitpos("missing", 1), -1);
  assertRedisError(() => db.bitpos("k", 2), "ERR The bit argument must be 1 or 0.");
  db.close();
});

Deno.test("BITOP combines strings of different lengths and missing keys", () => {
  const db = Db.openMemory();
  db.set("a", new Uint8Array([0xff, 0x0f, 0xaa]));
  db.set("b", new Uint8Array([0x0f, 0xff]));
  assert.equal(db.bitop("AND", "dest", "a", "b"), 3);
  assert.deepEqual(db.commandBytes("GET", "dest"), new Uint8Array([0x0f, 0x0f, 0x00]));
  assert.equal(db.bitop("OR", "dest", "a", "b", "missing"), 3);
  assert.deepEqual(db.commandBytes("GET", "dest"), new Uint8Array([0xff, 0xff, 0xaa]));
  assert.equal(db.bitop("XOR", "dest", "a", "b"), 3);
  assert.deepEqual(db.commandBytes("GET", "dest"), new Uint8Array([0xf0, 0xf0, 0xaa]));
  assert.equal(db.bitop("NOT", "dest", "b"), 2);
  assert.deepEqual(db.commandBytes("GET", "dest"), new Uint8Array([0xf0, 0x00]));
  assert.equal(db.bitop("AND", "dest", "a", "missing"), 3);
  assert.deepEqual(db.commandBytes("GET", "dest"), new Uint8Array([0, 0, 0]));
  assert.equal(db.bitop("OR", "dest", "missing"), 0);
  assert.equal(db.get("dest"), null);
  db.set("ttl", "x", { ex: 100 });
  db.bitop("OR", "ttl", "a");
  assert.equal(row(db, "ttl").expireAt, null);
  assertRedisError(
    () => db.bitop("NOT", "dest", "a", "b"),
    "ERR BITOP NOT must be called with a single source key.",
  );
  db.rpush("h", "x");
  db.set("dest", "kept");
  assertRedisError(() => db.bitop("OR", "dest", "a", "h"), WRONGTYPE);
  assert.equal(db.get("dest"), "kept");
  assert.equal(db.bitop("OR", "h", "a"), 3);
  assert.equal(row(db, "h").type, KeyType.string);
  db.close();
});

Deno.test("LCS gives the subsequence, its length or its matching runs", () => {
  const db = Db.openMemory();
  db.mset({ a: "ohmytext", b: "mynewtext" });
  assert.equal(db.lcs("a", "b"), "mytext");
  assert.equal(db.lcs("a", "b", { len: true }), 6);
  assert.deepEqual(db.lcs("a", "b", { idx: true }), {
    matches: [{ a: [4, 7], b: [5, 8], length: 4 }, { a: [2, 3], b: [0, 1], length: 2 }],
    len: 6,
  });
  assert.deepEqual(db.lcs("a", "b", { idx: true, minmatchlen: 3 }).matches, [
    { a: [4, 7], b: [5, 8], length: 4 },
  ]);
  assert.equal(db.lcs("a", "missing"), "");
  assert.deepEqual(db.lcs("x", "y", { idx: true }), { matches: [], len: 0 });
  db.rpush("h", "x");
  assertRedisError(() => db.lcs("a", "h"), "ERR The specified keys must contain string values");
  db.close();
});

Deno.test("LCS refuses strings whose table would exceed 512 MB", () => {
  const db = Db.openMemory();
  const long = "a".repeat(12000);
  db.mset({ a: long, b: long });
  assertRedisError(
    () => db.lcs("a", "b", { len: true }),
    "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
  );
  db.close();
});

Deno.test("string commands see only their selected database", () => {
  const db = Db.openMemory();
  db.incr("n");
  db.append("s", "x");
  db.setbit("b", 0, 1);
  db.select(1);
  assert.equal(db.incr("n"), 1);
  assert.equal(db.append("s", "y"), 1);
  assert.equal(db.getbit("b", 0), 0);
  assert.deepEqual(db.mget("n", "s"), ["1", "y"]);
  db.close();
});

Deno.test("a batch caches at its first SET a key the batch before set more than once", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  const keyStatements = (work: () => void) =>
    statementsOf(store, () => store.writeBatch(work)).filter((sql) => /\bkeys\b/.test(sql));
  try {
    db.set("hot", "0");
    db.set("once", "0");
    store.writeBatch(() => {
      db.set("hot", "1");
      db.set("hot", "2");
      db.set("once", "1");
    });
    // A write outside a batch in between: the next batch does not use the cache this one kept.
    db.set("elsewhere", "x");
    const hot = keyStatements(() => {
      db.set("hot", "3");
      db.set("hot", "4");
      db.set("hot", "5");
    });
    // One lookup; the value is written once, at the end of the batch (not recorded here).
    assert.deepEqual(hot, [
      "SELECT id, type, size, expire_at, version FROM keys WHERE db = ?1 AND key = ?2",
    ]);
    assert.equal(db.get("hot"), "5");
    const once = keyStatements(() => db.set("once", "2"));
    assert.equal(once.length, 1, "a key the batch before set once is written by name at once");
    assert.match(once[0], /^UPDATE keys SET value/);
    assert.equal(db.get("once"), "2");
  } finally {
    db.close();
  }
});

Deno.test("a key stays hot across the reads before a batch's writes and a clear of the cache in it", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  const writesByName = (sqls: string[]) => sqls.filter((sql) => /^UPDATE keys .* key = /.test(sql));
  // A server batch: its reads, then its writes, then its end.
  const serverBatch = (reads: () => void, writes: () => void) =>
    statementsOf(store, () => {
      store.readBatch(reads);
      store.writeBatch(writes);
      store.endBatch();
    });
  try {
    db.set("k", "0");
    db.set("x", "0");
    for (let round = 1; round <= 3; round++) {
      const seen = serverBatch(() => db.get("k"), () => {
        db.set("k", `${round}a`);
        db.set("k", `${round}b`);
        db.del("x"); // writes the keys table: the cache is emptied
        db.set("k", `${round}c`);
      });
      if (round > 1) assert.deepEqual(writesByName(seen), [], `round ${round}: ${seen.join("\n")}`);
      assert.equal(db.get("k"), `${round}c`);
      db.set("x", "0");
    }
  } finally {
    db.close();
  }
});

Deno.test("a hot key that another connection changed between batches is read afresh", async () => {
  await withTempDir((dir) => {
    const db = Db.open(`${dir}/hot.db`);
    const other = Db.open(`${dir}/hot.db`); // another process, as far as SQLite knows
    const store = scopeOf(db).store;
    const batch = (work: () => void) => {
      store.writeBatch(work);
      store.endBatch();
    };
    // Used twice in a batch: the next batch caches it at its first use.
    const heat = (key: string) =>
      batch(() => {
        db.set(key, "h1");
        db.set(key, "h2");
      });
    try {
      heat("k");
      other.del("k");
      batch(() => {
        assert.equal(db.get("k"), null);
        db.set("k", "x");
      });
      assert.equal(other.get("k"), "x");

      heat("k");
      other.del("k");
      other.rpush("k", "a");
      batch(() => {
        assert.throws(() => db.get("k"), RedisError, "a list now");
        db.set("k", "s");
        assert.equal(db.type("k"), "string");
      });
      assert.equal(other.get("k"), "s");

      heat("k");
      other.set("k", "theirs");
      batch(() => assert.equal(db.get("k"), "theirs"));

      batch(() => {
        db.rpush("l", "1");
        db.rpush("l", "2");
      });
      other.rpush("l", "3");
      batch(() => db.lpush("l", "0"));
      assert.deepEqual(other.lrange("l", 0, -1), ["0", "1", "2", "3"]);
      other.del("l");
      other.set("l", "s");
      batch(() => assert.throws(() => db.rpush("l", "z"), RedisError));
      assert.equal(other.get("l"), "s");
    } finally {
      db.close();
      other.close();
    }
  });
});
