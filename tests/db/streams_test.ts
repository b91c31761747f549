import assert from "node:assert/strict";
import { Db, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { statementsOf } from "../_helpers/statements.ts";

function redisError(message: string): (error: unknown) => boolean {
  return (error) => error instanceof RedisError && error.message === message;
}

const WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
const INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
const TOO_SMALL =
  "ERR The ID specified in XADD is equal or smaller than the target stream top item";

function rows(db: Db, table: string): number {
  return scopeOf(db).store.get(`SELECT count(*) AS n FROM ${table}`)!.n as number;
}

// Every row of the stream tables and the keys table: a write that failed changed none of them.
function snapshot(db: Db): string {
  const store = scopeOf(db).store;
  const tables = ["keys", "streams", "stream_meta", "stream_nodes", "stream_groups"];
  const all = [...tables, "stream_consumers", "stream_pending"].map((table) =>
    store.all(`SELECT * FROM ${table}`).map((row) => ({ ...row, version: 0, updated_at: 0 }))
  );
  return JSON.stringify(all, (_, value) => value instanceof Uint8Array ? [...value] : value);
}

function withEntries(db: Db, key: string, count: number, first = 1): void {
  for (let i = 0; i < count; i++) db.xadd(key, `${first + i}-1`, { n: String(first + i) });
}

Deno.test("xadd with * makes ids from the clock, each above the last", () => {
  const db = Db.openMemory();
  const before = Date.now();
  const ids = Array.from({ length: 5 }, () => db.xadd("s", "*", { f: "v" })!);
  const after = Date.now();
  for (const id of ids) {
    const [ms] = id.split("-").map(Number);
    assert.ok(ms >= before && ms <= after, id);
  }
  const parts = ids.map((id) => id.split("-").map(Number));
  for (let i = 1; i < parts.length; i++) {
    const [ms, seq] = parts[i];
    const [lastMs, lastSeq] = parts[i - 1];
    assert.ok(ms > lastMs || (ms === lastMs && seq === lastSeq + 1), ids.join(" "));
  }
  // A last id ahead of the clock: * continues from it.
  db.xadd("t", "99999999999999-5", { f: "v" });
  assert.equal(db.xadd("t", "*", { f: "v" }), "99999999999999-6");
  db.close();
});

Deno.test("xadd with explicit and <ms>-* ids, and the errors of ids that do not grow", () => {
  const db = Db.openMemory();
  assert.equal(db.xadd("s", "5-1", { f: "v" }), "5-1");
  assert.equal(db.xadd("s", "5-*", { f: "v" }), "5-2");
  assert.equal(db.xadd("s", "6-*", { f: "v" }), "6-0");
  assert.equal(db.xadd("s", "7", { f: "v" }), "7-0");
  assert.equal(db.xadd("n", "0-*", { f: "v" }), "0-1");
  const before = snapshot(db);
  assert.throws(() => db.xadd("s", "7-0", { f: "v" }), redisError(TOO_SMALL));
  assert.throws(() => db.xadd("s", "6-5", { f: "v" }), redisError(TOO_SMALL));
  assert.throws(() => db.xadd("s", "2-*", { f: "v" }), redisError(TOO_SMALL));
  assert.throws(
    () => db.xadd("new", "0-0", { f: "v" }),
    redisError("ERR The ID specified in XADD must be greater than 0-0"),
  );
  assert.throws(() => db.xadd("s", "8-x", { f: "v" }), redisError(INVALID_ID));
  assert.throws(() => db.xadd("s", "-", { f: "v" }), redisError(INVALID_ID));
  assert.throws(
    () => db.xadd("s", "9-1", {}),
    redisError("ERR wrong number of arguments for 'xadd' command"),
  );
  assert.equal(snapshot(db), before);
  assert.equal(db.exists("new"), 0);
  db.close();
});

Deno.test("xadd at the largest id: the stream is exhausted, and ids beyond 2^53 read back exactly", () => {
  const db = Db.openMemory();
  const max = "18446744073709551615";
  assert.equal(db.xadd("s", `${max}-${max}`, { f: "v" }), `${max}-${max}`);
  assert.throws(
    () => db.xadd("s", "*", { f: "v" }),
    redisError("ERR The stream has exhausted the last possible ID, unable to add more items"),
  );
  assert.deepEqual(db.xrange("s"), [[`${max}-${max}`, { f: "v" }]]);
  assert.equal(
    db.xadd("t", "9007199254740993-9007199254740993", { f: "v" }),
    "9007199254740993-9007199254740993",
  );
  assert.deepEqual(db.xrange("t", "9007199254740993", "9007199254740993").map(([id]) => id), [
    "9007199254740993-9007199254740993",
  ]);
  db.close();
});

Deno.test("xadd takes fields as an object, pairs or a Map; binary fields through commandBytes", () => {
  const db = Db.openMemory();
  db.xadd("s", "1-1", { a: "1", b: "2" });
  db.xadd("s", "2-1", [["a", "1"], ["a", "2"]]);
  db.xadd("s", "3-1", new Map([[new Uint8Array([0, 255]), new Uint8Array([1])]]));
  const entries = db.xrange("s");
  assert.deepEqual(entries[0], ["1-1", { a: "1", b: "2" }]);
  assert.deepEqual(entries[1], ["2-1", { a: "2" }], "a field given twice keeps its last value");
  assert.deepEqual(db.commandBytes("XRANGE", "s", "3", "3"), [[
    new TextEncoder().encode("3-1"),
    [new Uint8Array([0, 255]), new Uint8Array([1])],
  ]]);
  assert.deepEqual(db.command("XRANGE", "s", "2", "2"), [["2-1", ["a", "1", "a", "2"]]]);
  db.close();
});

Deno.test("xadd with nomkstream on a missing key returns null and creates nothing", () => {
  const db = Db.openMemory();
  assert.equal(db.xadd("s", "1-1", { f: "v" }, { nomkstream: true }), null);
  assert.equal(db.exists("s"), 0);
  db.xadd("s", "1-1", { f: "v" });
  assert.equal(db.xadd("s", "2-1", { f: "v" }, { nomkstream: true }), "2-1");
  db.close();
});

Deno.test("xadd and xtrim trim exactly, or by whole nodes of 100 entries with approx", () => {
  const db = Db.openMemory();
  withEntries(db, "s", 250);
  assert.equal(db.xtrim("s", { maxlen: 200, approx: true }), 0, "no whole node can go");
  assert.equal(db.xtrim("s", { maxlen: 150, approx: true }), 100);
  assert.equal(db.xlen("s"), 150);
  assert.equal(db.xtrim("s", { maxlen: 10, approx: true, limit: 50 }), 0, "a node is 100");
  assert.equal(db.xtrim("s", { maxlen: 120 }), 30);
  assert.deepEqual(db.xrange("s", "-", "+", { count: 1 }), [["131-1", { n: "131" }]]);
  assert.equal(db.xtrim("s", { minid: "200" }), 69);
  // The node of 101-1..200-1 holds one live entry now: it goes whole.
  assert.equal(db.xtrim("s", { minid: "240", approx: true }), 1);
  assert.equal(db.xtrim("s", { minid: "240", approx: true }), 0);
  assert.equal(db.xadd("s", "300-1", { f: "v" }, { maxlen: 2 }), "300-1");
  assert.deepEqual(db.xrange("s").map(([id]) => id), ["250-1", "300-1"]);
  assert.equal(db.xadd("s", "301-1", { f: "v" }, { minid: "300-1" }), "301-1");
  assert.equal(db.xlen("s"), 2);
  db.close();
});

Deno.test("trimming options are checked as Redis checks them, before anything changes", () => {
  const db = Db.openMemory();
  withEntries(db, "s", 3);
  const before = snapshot(db);
  const cases: [() => unknown, string][] = [
    [() => db.xtrim("s", {}), "ERR syntax error, XTRIM must be called with a trimming strategy"],
    [
      () => db.xtrim("s", { maxlen: 1, minid: "1" }),
      "ERR syntax error, MAXLEN and MINID options at the same time are not compatible",
    ],
    [() => db.xtrim("s", { maxlen: -1 }), "ERR The MAXLEN argument must be >= 0."],
    [
      () => db.xtrim("s", { maxlen: 1, limit: 5 }),
      "ERR syntax error, LIMIT cannot be used without the special ~ option",
    ],
    [
      () => db.xadd("s", "9-1", { f: "v" }, { limit: 5 }),
      "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
    ],
    [
      () => db.xtrim("s", { maxlen: 1, approx: true, limit: -1 }),
      "ERR The LIMIT argument must be >= 0.",
    ],
    [() => db.xtrim("s", { minid: "x" }), INVALID_ID],
    [() => db.xtrim("s", { maxlen: 1.5 }), "ERR value is not an integer or out of range"],
  ];
  for (const [fn, message] of cases) assert.throws(fn, redisError(message), message);
  assert.equal(snapshot(db), before);
  db.close();
});

Deno.test("xlen reads the key's row; an emptied stream stays, with its last id", () => {
  const db = Db.openMemory();
  assert.equal(db.xlen("s"), 0);
  withEntries(db, "s", 3);
  assert.equal(db.xlen("s"), 3);
  const size = scopeOf(db).store.get(
    "SELECT size FROM keys WHERE key = ?",
    new TextEncoder().encode("s"),
  );
  assert.equal(size!.size, 3);
  assert.equal(db.xdel("s", "1-1", "2-1", "3-1", "3-1"), 3);
  assert.equal(db.xlen("s"), 0);
  assert.equal(db.type("s"), "stream");
  assert.equal(db.exists("s"), 1);
  assert.throws(() => db.xadd("s", "3-1", { f: "v" }), redisError(TOO_SMALL));
  assert.equal(db.xinfoStream("s").maxDeletedEntryId, "3-1");
  assert.equal(db.xtrim("s", { maxlen: 0 }), 0);
  assert.equal(db.exists("s"), 1);
  assert.equal(rows(db, "stream_nodes"), 0, "nodes go with their last entry");
  db.close();
});

Deno.test("xrange and xrevrange: bounds, exclusive and incomplete ids, count", () => {
  const db = Db.openMemory();
  withEntries(db, "s", 5);
  const ids = (entries: [string, unknown][]) => entries.map(([id]) => id);
  assert.deepEqual(ids(db.xrange("s")), ["1-1", "2-1", "3-1", "4-1", "5-1"]);
  assert.deepEqual(ids(db.xrange("s", "2", "3")), ["2-1", "3-1"]);
  assert.deepEqual(ids(db.xrange("s", "(2-1", "(5-1")), ["3-1", "4-1"]);
  assert.deepEqual(
    ids(db.xrange("s", "(4-1", "(5")),
    ["5-1"],
    "(5 excludes 5-18446744073709551615 only",
  );
  assert.deepEqual(ids(db.xrange("s", "-", "+", { count: 2 })), ["1-1", "2-1"]);
  assert.deepEqual(db.xrange("s", "-", "+", { count: 0 }), []);
  assert.deepEqual(db.xrange("s", "4", "2"), []);
  assert.deepEqual(ids(db.xrevrange("s")), ["5-1", "4-1", "3-1", "2-1", "1-1"]);
  assert.deepEqual(ids(db.xrevrange("s", "(4-1", "-", { count: 2 })), ["3-1", "2-1"]);
  assert.deepEqual(db.xrange("missing"), []);
  assert.throws(() => db.xrange("s", "x"), redisError(INVALID_ID));
  assert.throws(
    () => db.xrange("s", "(18446744073709551615-18446744073709551615"),
    redisError("ERR invalid start ID for the interval"),
  );
  assert.throws(
    () => db.xrange("s", "-", "(0-0"),
    redisError("ERR invalid end ID for the interval"),
  );
  db.close();
});

Deno.test("xread returns the streams with entries after their ids, or null", () => {
  const db = Db.openMemory();
  withEntries(db, "a", 3);
  withEntries(db, "b", 1);
  assert.deepEqual(db.xread({ a: "2-1", b: "0" }), {
    a: [["3-1", { n: "3" }]],
    b: [["1-1", { n: "1" }]],
  });
  assert.deepEqual(db.xread([["a", "0"]], { count: 1 }), { a: [["1-1", { n: "1" }]] });
  assert.equal(db.xread({ a: "$", b: "1-1", missing: "0" }), null);
  assert.throws(
    () => db.xread({ a: ">" }),
    redisError(
      "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.",
    ),
  );
  assert.throws(
    () => db.xread({}),
    redisError("ERR wrong number of arguments for 'xread' command"),
  );
  db.set("str", "x");
  assert.throws(() => db.xread({ a: "0", str: "0" }), redisError(WRONGTYPE));
  db.close();
});

Deno.test("XREAD and XREADGROUP with BLOCK in-process answer at once, null when nothing is there", () => {
  const db = Db.openMemory();
  db.xadd("s", "1-1", { f: "v" });
  assert.deepEqual(db.command("XREAD", "BLOCK", "0", "STREAMS", "s", "0"), {
    s: [["1-1", ["f", "v"]]],
  });
  assert.equal(db.command("XREAD", "BLOCK", "100", "STREAMS", "s", "$"), null);
  db.xgroupCreate("s", "g", "$");
  assert.equal(
    db.command("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"),
    null,
  );
  assert.throws(
    () => db.command("XREAD", "BLOCK", "-1", "STREAMS", "s", "$"),
    redisError("ERR timeout is negative"),
  );
  db.close();
});

Deno.test("xgroupCreate, xgroupSetid, xgroupDestroy and the consumer methods", () => {
  const db = Db.openMemory();
  const mustExist = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE " +
    "you may want to use the MKSTREAM option to create an empty stream automatically.";
  assert.throws(() => db.xgroupCreate("s", "g", "$"), redisError(mustExist));
  assert.equal(db.exists("s"), 0);
  assert.equal(db.xgroupCreate("s", "g", "$", { mkstream: true }), "OK");
  assert.equal(db.xlen("s"), 0);
  assert.throws(
    () => db.xgroupCreate("s", "g", "0"),
    redisError("BUSYGROUP Consumer Group name already exists"),
  );
  assert.throws(() => db.xgroupCreate("s", "h", "-"), redisError(INVALID_ID));
  assert.throws(
    () => db.xgroupCreate("s", "h", "0", { entriesread: -2 }),
    redisError("ERR value for ENTRIESREAD must be positive or -1"),
  );
  withEntries(db, "s", 2);
  db.xgroupCreate("s", "h", "1-1", { entriesread: 1 });
  assert.deepEqual(
    db.xinfoGroups("s").map((g) => [g.name, g.lastDeliveredId, g.entriesRead, g.lag]),
    [
      ["g", "0-0", null, 2],
      ["h", "1-1", 1, 1],
    ],
  );
  assert.equal(db.xgroupSetid("s", "g", "$", { entriesread: 2 }), "OK");
  assert.equal(db.xgroupSetid("s", "h", "-"), "OK");
  assert.deepEqual(db.xinfoGroups("s").map((g) => [g.lastDeliveredId, g.entriesRead, g.lag]), [
    ["2-1", 2, 0],
    ["0-0", null, 2],
  ]);
  assert.throws(
    () => db.xgroupSetid("s", "nogroup", "0"),
    redisError("NOGROUP No such consumer group 'nogroup' for key name 's'"),
  );
  assert.equal(db.xgroupCreateconsumer("s", "g", "alice"), 1);
  assert.equal(db.xgroupCreateconsumer("s", "g", "alice"), 0);
  db.xreadgroup("g", "bob", { s: "0" });
  assert.equal(db.xgroupDelconsumer("s", "g", "alice"), 0);
  assert.equal(db.xgroupDelconsumer("s", "g", "nobody"), 0);
  assert.equal(db.xgroupDestroy("s", "h"), 1);
  assert.equal(db.xgroupDestroy("s", "h"), 0);
  assert.deepEqual(db.xinfoGroups("s").map((g) => g.name), ["g"]);
  db.close();
});

Deno.test("xreadgroup delivers new entries once, re-reads a consumer's pending ones, honours noack", () => {
  const db = Db.openMemory();
  db.xgroupCreate("s", "g", "0", { mkstream: true });
  assert.equal(db.xreadgroup("g", "alice", { s: ">" }), null);
  withEntries(db, "s", 3);
  assert.deepEqual(db.xreadgroup("g", "alice", { s: ">" }, { count: 2 }), {
    s: [["1-1", { n: "1" }], ["2-1", { n: "2" }]],
  });
  assert.deepEqual(db.xreadgroup("g", "bob", { s: ">" }), { s: [["3-1", { n: "3" }]] });
  assert.equal(db.xreadgroup("g", "bob", { s: ">" }), null);
  assert.deepEqual(db.xreadgroup("g", "alice", { s: "0" }, { count: 1 }), {
    s: [["1-1", { n: "1" }]],
  });
  db.xdel("s", "2-1");
  assert.deepEqual(db.xreadgroup("g", "alice", { s: "1-1" }), { s: [["2-1", null]] });
  assert.deepEqual(db.xreadgroup("g", "carol", { s: "0" }), { s: [] });
  db.xadd("s", "4-1", { n: "4" });
  assert.deepEqual(db.xreadgroup("g", "carol", { s: ">" }, { noack: true }), {
    s: [["4-1", { n: "4" }]],
  });
  assert.equal(db.xpending("s", "g").count, 3);
  assert.throws(
    () => db.xreadgroup("g", "c", { missing: ">" }),
    redisError(
      "NOGROUP No such key 'missing' or consumer group 'g' in XREADGROUP with GROUP option",
    ),
  );
  assert.throws(() => db.xreadgroup("g", "c", { s: "$" }), (e) => e instanceof RedisError);
  db.close();
});

Deno.test("xack and xpending: the summary and the ranges", () => {
  const db = Db.openMemory();
  db.xgroupCreate("s", "g", "0", { mkstream: true });
  withEntries(db, "s", 4);
  db.xreadgroup("g", "bob", { s: ">" }, { count: 1 });
  db.xreadgroup("g", "alice", { s: ">" });
  assert.deepEqual(db.xpending("s", "g"), {
    count: 4,
    first: "1-1",
    last: "4-1",
    consumers: { alice: 3, bob: 1 },
  });
  const range = db.xpending("s", "g", { start: "(1-1", end: "+", count: 2 });
  assert.deepEqual(range.map(({ id, consumer, deliveries }) => [id, consumer, deliveries]), [
    ["2-1", "alice", 1],
    ["3-1", "alice", 1],
  ]);
  assert.ok(range.every((entry) => entry.idle >= 0 && entry.idle < 60000));
  assert.equal(
    db.xpending("s", "g", { start: "-", end: "+", count: 10, consumer: "bob" }).length,
    1,
  );
  assert.equal(db.xpending("s", "g", { start: "-", end: "+", count: 10, consumer: "x" }).length, 0);
  assert.equal(db.xpending("s", "g", { start: "-", end: "+", count: 10, idle: 3600000 }).length, 0);
  assert.equal(db.xack("s", "g", "1-1", "1-1", "9-9"), 1);
  assert.equal(db.xack("s", "nogroup", "1-1"), 0);
  assert.throws(() => db.xack("s", "g", "x"), redisError(INVALID_ID));
  assert.equal(db.xack("s", "g", "2-1", "3-1", "4-1"), 3);
  assert.deepEqual(db.xpending("s", "g"), { count: 0, first: null, last: null, consumers: {} });
  assert.throws(
    () => db.xpending("s", "nogroup"),
    redisError("NOGROUP No such key 's' or consumer group 'nogroup'"),
  );
  db.close();
});

Deno.test("xclaim moves pending entries by idle time, with its options", () => {
  const db = Db.openMemory();
  db.xgroupCreate("s", "g", "0", { mkstream: true });
  withEntries(db, "s", 4);
  db.xreadgroup("g", "alice", { s: ">" }, { count: 3 });
  assert.deepEqual(db.xclaim("s", "g", "bob", 3600000, ["1-1"]), []);
  assert.deepEqual(db.xclaim("s", "g", "bob", 0, ["1-1", "9-9"]), [["1-1", { n: "1" }]]);
  assert.deepEqual(db.xclaim("s", "g", "bob", 0, ["2-1"], { justid: true, retrycount: 7 }), [
    "2-1",
  ]);
  assert.deepEqual(db.xclaim("s", "g", "bob", 0, ["4-1"]), [], "not pending");
  assert.deepEqual(db.xclaim("s", "g", "carol", 0, ["4-1"], { force: true, idle: 7200000 }), [
    ["4-1", { n: "4" }],
  ]);
  const pending = db.xpending("s", "g", { start: "-", end: "+", count: 10 });
  assert.deepEqual(pending.map(({ id, consumer, deliveries }) => [id, consumer, deliveries]), [
    ["1-1", "bob", 2],
    ["2-1", "bob", 7],
    ["3-1", "alice", 1],
    ["4-1", "carol", 2],
  ]);
  assert.ok(pending[3].idle >= 7200000);
  db.xclaim("s", "g", "bob", 0, ["3-1"], { time: 1000, lastid: "10-0", justid: true });
  assert.equal(db.xinfoGroups("s")[0].lastDeliveredId, "10-0");
  db.xdel("s", "3-1");
  assert.deepEqual(db.xclaim("s", "g", "dave", 0, ["3-1"]), [], "a deleted entry leaves");
  assert.equal(db.xpending("s", "g").count, 3);
  assert.deepEqual(db.xinfoConsumers("s", "g").map((c) => c.name), ["alice", "bob", "carol"]);
  assert.throws(
    () => db.xclaim("s", "nogroup", "bob", 0, ["1-1"]),
    redisError("NOGROUP No such key 's' or consumer group 'nogroup'"),
  );
  db.close();
});

Deno.test("xautoclaim claims in id order with a cursor, and reports deleted entries", () => {
  const db = Db.openMemory();
  db.xgroupCreate("s", "g", "0", { mkstream: true });
  withEntries(db, "s", 6);
  db.xreadgroup("g", "alice", { s: ">" });
  assert.deepEqual(db.xautoclaim("s", "g", "bob", 0, "0", { count: 2 }), {
    next: "3-1",
    claimed: [["1-1", { n: "1" }], ["2-1", { n: "2" }]],
    deleted: [],
  });
  db.xdel("s", "3-1");
  assert.deepEqual(db.xautoclaim("s", "g", "bob", 0, "3-1", { count: 2, justid: true }), {
    next: "5-1",
    claimed: ["4-1"],
    deleted: ["3-1"],
  });
  assert.deepEqual(db.xautoclaim("s", "g", "bob", 3600000, "-"), {
    next: "0-0",
    claimed: [],
    deleted: [],
  });
  assert.throws(
    () => db.xautoclaim("s", "g", "bob", 0, "0", { count: 0 }),
    redisError("ERR COUNT must be > 0"),
  );
  assert.deepEqual(db.xpending("s", "g").consumers, { alice: 2, bob: 3 });
  db.close();
});

Deno.test("xinfoStream, with FULL, xinfoGroups and xinfoConsumers", () => {
  const db = Db.openMemory();
  assert.throws(() => db.xinfoStream("s"), redisError("ERR no such key"));
  withEntries(db, "s", 3);
  db.xdel("s", "2-1");
  db.xgroupCreate("s", "g", "0");
  db.xreadgroup("g", "alice", { s: ">" }, { count: 1 });
  assert.deepEqual(db.xinfoStream("s"), {
    length: 2,
    radixTreeKeys: 1,
    radixTreeNodes: 2,
    lastGeneratedId: "3-1",
    maxDeletedEntryId: "2-1",
    entriesAdded: 3,
    recordedFirstEntryId: "1-1",
    groups: 1,
    firstEntry: ["1-1", { n: "1" }],
    lastEntry: ["3-1", { n: "3" }],
  });
  const full = db.xinfoStream("s", { full: true, count: 1 });
  assert.deepEqual(full.entries, [["1-1", { n: "1" }]]);
  assert.equal(full.groups.length, 1);
  const [group] = full.groups;
  assert.deepEqual(
    [group.name, group.lastDeliveredId, group.entriesRead, group.lag, group.pelCount],
    ["g", "1-1", null, null, 1],
  );
  assert.deepEqual(group.pending.map((p) => [p.id, p.consumer, p.deliveries]), [[
    "1-1",
    "alice",
    1,
  ]]);
  assert.deepEqual(group.consumers.map((c) => [c.name, c.pelCount, c.pending.length]), [[
    "alice",
    1,
    1,
  ]]);
  assert.ok(Math.abs(group.consumers[0].seenTime - Date.now()) < 60000);
  const [consumer] = db.xinfoConsumers("s", "g");
  assert.deepEqual([consumer.name, consumer.pending], ["alice", 1]);
  assert.ok(consumer.idle >= 0 && consumer.idle < 60000);
  assert.throws(
    () => db.xinfoConsumers("s", "nogroup"),
    redisError("NOGROUP No such consumer group 'nogroup' for key name 's'"),
  );
  db.close();
});

Deno.test("xsetid sets the last id, entries added and largest deleted id, with Redis's errors", () => {
  const db = Db.openMemory();
  assert.throws(() => db.xsetid("s", "1-1"), redisError("ERR no such key"));
  withEntries(db, "s", 2);
  assert.throws(
    () => db.xsetid("s", "1-5"),
    redisError("ERR The ID specified in XSETID is smaller than the target stream top item"),
  );
  assert.throws(
    () => db.xsetid("s", "5-0", { entriesadded: 1 }),
    redisError(
      "ERR The entries_added specified in XSETID is smaller than the target stream length",
    ),
  );
  assert.throws(
    () => db.xsetid("s", "5-0", { maxdeletedid: "6-0" }),
    redisError("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"),
  );
  assert.throws(
    () => db.xsetid("s", "5-0", { entriesadded: -1 }),
    redisError("ERR entries_added must be positive"),
  );
  assert.equal(db.xsetid("s", "5-0", { entriesadded: 2n ** 62n, maxdeletedid: "4" }), "OK");
  const info = db.xinfoStream("s");
  assert.deepEqual([info.lastGeneratedId, info.entriesAdded, info.maxDeletedEntryId], [
    "5-0",
    2n ** 62n,
    "4-0",
  ]);
  assert.throws(() => db.xadd("s", "5-0", { f: "v" }), redisError(TOO_SMALL));
  db.close();
});

Deno.test("stream methods on a key of another type throw WRONGTYPE and change nothing", () => {
  const db = Db.openMemory();
  db.set("str", "x");
  const before = snapshot(db);
  const calls: (() => unknown)[] = [
    () => db.xadd("str", "1-1", { f: "v" }),
    () => db.xlen("str"),
    () => db.xrange("str"),
    () => db.xrevrange("str"),
    () => db.xdel("str", "1-1"),
    () => db.xtrim("str", { maxlen: 0 }),
    () => db.xread({ str: "0" }),
    () => db.xgroupCreate("str", "g", "0", { mkstream: true }),
    () => db.xreadgroup("g", "c", { str: ">" }),
    () => db.xack("str", "g", "1-1"),
    () => db.xpending("str", "g"),
    () => db.xclaim("str", "g", "c", 0, ["1-1"]),
    () => db.xautoclaim("str", "g", "c", 0, "0"),
    () => db.xinfoStream("str"),
    () => db.xinfoGroups("str"),
    () => db.xsetid("str", "1-1"),
  ];
  for (const call of calls) assert.throws(call, redisError(WRONGTYPE));
  assert.equal(snapshot(db), before);
  db.close();
});

Deno.test("a stream's groups, consumers and pending entries go with it: COPY, RENAME, DEL, expiry", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  db.xgroupCreate("s", "g", "0", { mkstream: true });
  withEntries(db, "s", 2);
  db.xreadgroup("g", "alice", { s: ">" });
  assert.equal(db.copy("s", "t"), true);
  assert.deepEqual(db.xpending("t", "g").consumers, { alice: 2 });
  assert.equal(db.rename("t", "u"), "OK");
  assert.deepEqual(db.xinfoGroups("u").map((g) => [g.name, g.pending]), [["g", 2]]);
  assert.equal(db.del("s", "u"), 2);
  for (
    const table of [
      "streams",
      "stream_meta",
      "stream_nodes",
      "stream_groups",
      "stream_consumers",
      "stream_pending",
    ]
  ) {
    assert.equal(rows(db, table), 0, table);
  }
  db.xadd("e", "1-1", { f: "v" });
  db.xgroupCreate("e", "g", "0");
  // Expired, not yet removed: absent to reads, replaced by the next write.
  store.run("UPDATE keys SET expire_at = 1 WHERE key = ?", new TextEncoder().encode("e"));
  assert.equal(db.xlen("e"), 0);
  assert.equal(db.xadd("e", "1-1", { f: "v" }), "1-1", "a new stream starts from 0-0");
  assert.deepEqual(db.xinfoGroups("e"), []);
  db.close();
});

Deno.test("a failed command inside a transaction leaves the stream as it was", () => {
  const db = Db.openMemory();
  withEntries(db, "s", 3);
  const before = snapshot(db);
  assert.throws(() =>
    db.transaction((tx) => {
      tx.xadd("s", "10-1", { f: "v" });
      tx.xdel("s", "1-1");
      tx.xadd("s", "5-1", { f: "v" });
    }), redisError(TOO_SMALL));
  assert.equal(snapshot(db), before);
  db.close();
});

Deno.test("stream commands read through indexes: no statement scans a stream table", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  withEntries(db, "s", 300);
  db.xgroupCreate("s", "g", "0");
  const all = statementsOf(store, () => {
    db.xadd("s", "400-1", { f: "v" }, { maxlen: 250, approx: true });
    db.xadd("s", "401-1", { f: "v" }, { minid: "150" });
    db.xrange("s", "200", "210");
    db.xrevrange("s", "+", "-", { count: 3 });
    db.xread({ s: "390" });
    db.xdel("s", "200-1");
    db.xreadgroup("g", "alice", { s: ">" }, { count: 10 });
    db.xreadgroup("g", "alice", { s: "0" }, { count: 5 });
    db.xack("s", "g", "160-1");
    db.xpending("s", "g");
    db.xpending("s", "g", { start: "-", end: "+", count: 5, consumer: "alice" });
    db.xclaim("s", "g", "bob", 0, ["161-1"]);
    db.xautoclaim("s", "g", "bob", 0, "0", { count: 3 });
    db.xinfoStream("s");
    db.xinfoGroups("s");
    db.xinfoConsumers("s", "g");
    db.xtrim("s", { maxlen: 100 });
  });
  const tables = /^SCAN (streams|stream_\w+)\b/;
  for (const sql of new Set(all)) {
    if (!/^(SELECT|INSERT|UPDATE|DELETE)/.test(sql)) continue;
    const plan = store.sql.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[];
    for (const { detail } of plan) assert.ok(!tables.test(detail), `${sql}\n${detail}`);
  }
  db.close();
});

Deno.test("xadd to an existing stream runs five statements", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  db.xadd("s", "1-1", { f: "v" });
  const statements = statementsOf(store, () => db.xadd("s", "2-1", { f: "v" }))
    .filter((sql) => /^(SELECT|INSERT|UPDATE|DELETE)/.test(sql));
  assert.equal(statements.length, 5, statements.join("\n"));
  db.close();
});

Deno.test("stream reads work on a file opened read-only", async () => {
  const path = await Deno.makeTempFile({ suffix: ".db" });
  try {
    const db = Db.open(path);
    withEntries(db, "s", 3);
    db.xgroupCreate("s", "g", "0");
    db.xreadgroup("g", "alice", { s: ">" }, { count: 2 });
    db.close();
    const reader = Db.open(path, { readOnly: true });
    assert.equal(reader.xlen("s"), 3);
    assert.equal(reader.xrange("s").length, 3);
    assert.equal(reader.xrevrange("s", "+", "-", { count: 1 })[0][0], "3-1");
    assert.deepEqual(Object.keys(reader.xread({ s: "0" })!), ["s"]);
    assert.equal(reader.xpending("s", "g").count, 2);
    assert.equal(reader.xpending("s", "g", { start: "-", end: "+", count: 5 }).length, 2);
    assert.equal(reader.xinfoStream("s").length, 3);
    assert.equal(reader.xinfoStream("s", { full: true }).groups.length, 1);
    assert.equal(reader.xinfoGroups("s")[0].pending, 2);
    assert.equal(reader.xinfoConsumers("s", "g")[0].name, "alice");
    reader.close();
  } finally {
    await Deno.remove(path);
    await Deno.remove(`${path}-wal`).catch(() => {});
    await Deno.remove(`${path}-shm`).catch(() => {});
  }
});
