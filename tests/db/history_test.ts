import assert from "node:assert/strict";
import { Db, type HistoryState, RedisError } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { historyTriggersInstalled, pruneHistory } from "../../src/db/history.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

function throwsRedis(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => e instanceof RedisError && e.message === message);
}

/** The key's current type and value, read through the ordinary commands. */
function currentState(db: Db, key: string): HistoryState | null {
  switch (db.type(key)) {
    case "string":
      return { type: "string", value: db.get(key)! };
    case "hash":
      return { type: "hash", value: db.hgetall(key) };
    case "list":
      return { type: "list", value: db.lrange(key, 0, -1) };
    case "set":
      return { type: "set", value: db.smembers(key).sort() };
    case "zset":
      return { type: "zset", value: db.zrange(key, 0, -1, { withscores: true }) };
    case "stream":
      return { type: "stream", value: null };
    default:
      return null;
  }
}

/** The newest recorded state, as HISTORY GET gives it (null for "none" or nothing). */
function newestState(db: Db, key: string): HistoryState | null {
  const [entry] = db.historyGet(key, { count: 1 });
  if (entry === undefined || entry.type === "none") return null;
  const state = { type: entry.type, value: entry.value } as HistoryState;
  return state.type === "set" ? { type: "set", value: [...state.value].sort() } : state;
}

/** Waits for the clock to reach the next millisecond, so that states get distinct times. */
function nextMillisecond(): number {
  const start = Date.now();
  let now = start;
  while (now === start) now = Date.now();
  return now;
}

function sqlCount(db: Db, sql: string, ...params: (string | number)[]): number {
  return scopeOf(db).store.get(sql, ...params)!.n as number;
}

Deno.test("HISTORY ENABLE records the current state, then every string write, newest first", () => {
  const db = Db.openMemory();
  db.set("k", "v0");
  const before = db.keyinfo("k")!;
  assert.equal(db.historyEnable("k"), "OK");
  db.set("k", "v1");
  db.append("k", "+");
  db.setrange("k", 0, "V");
  const entries = db.historyGet("k");
  assert.deepEqual(entries.map((e) => e.value), ["V1+", "v1+", "v1", "v0"]);
  assert.ok(entries.every((e) => e.type === "string"));
  // The first state is the key as it was when tracking began: its version and write time.
  assert.equal(entries[3].version, before.version);
  assert.equal(entries[3].timestamp, before.updatedAt);
  // The newest is the current one, with KEYINFO's version.
  assert.equal(entries[0].version, db.keyinfo("k")!.version);
  const versions = entries.map((e) => e.version!);
  assert.deepEqual([...versions].sort((a, b) => b - a), versions);
  assert.deepEqual(db.historyGet("k", { count: 2 }).map((e) => e.value), ["V1+", "v1+"]);
  assert.deepEqual(db.historyGet("k", { count: 0 }), []);
  db.close();
});

Deno.test("HISTORY records every command that changes a string, once per write", () => {
  const db = Db.openMemory();
  db.historyEnable("s");
  const writes: [string, ...(string | number)[]][] = [
    ["SET", "s", "1"],
    ["INCR", "s"],
    ["INCRBY", "s", 10],
    ["DECR", "s"],
    ["DECRBY", "s", 2],
    ["INCRBYFLOAT", "s", "0.5"],
    ["APPEND", "s", "x"],
    ["SETRANGE", "s", 0, "Z"],
    ["SETBIT", "s", 0, 1],
    ["GETSET", "s", "g"],
    ["SET", "s", "kept", "KEEPTTL"],
    ["SET", "s", "get", "GET"],
    ["SETEX", "s", 100, "ex"],
    ["PSETEX", "s", 100000, "px"],
    ["MSET", "s", "m", "other", "o"],
    ["SET", "s", "xx", "XX"],
    ["BITOP", "OR", "s", "other"],
  ];
  let count = 0;
  for (const [name, ...args] of writes) {
    db.command(name, ...args);
    const entries = db.historyGet("s");
    assert.equal(entries.length, ++count, `${name} records one state`);
    assert.deepEqual(newestState(db, "s"), currentState(db, "s"), name);
  }
  // Writes that change nothing record nothing: NX on an existing key, EXPIRE and PERSIST
  // (a time to live is not a value), failed commands.
  db.command("SET", "s", "no", "NX");
  db.command("SETNX", "s", "no");
  db.command("MSETNX", "s", "no", "fresh", "no");
  db.command("EXPIRE", "s", 100);
  db.command("PERSIST", "s");
  db.command("GETEX", "s", "EX", 50);
  assert.throws(() => db.command("INCR", "s"));
  assert.throws(() => db.command("LPUSH", "s", "a"));
  assert.equal(db.historyGet("s").length, count);
  // GETDEL and DEL are deletions: a "none" state.
  db.command("GETDEL", "s");
  const [deleted] = db.historyGet("s", { count: 1 });
  assert.equal(deleted.type, "none");
  assert.equal(deleted.version, null);
  assert.equal(deleted.value, null);
  db.close();
});

Deno.test("HISTORY survives DEL and re-creation, and records a key of a new type", () => {
  const db = Db.openMemory();
  db.historyEnable("k");
  db.set("k", "a");
  db.del("k");
  db.hset("k", { f: "1" });
  db.del("k");
  db.rpush("k", "x", "y");
  assert.deepEqual(
    db.historyGet("k").map((e) => [e.type, e.value]),
    [["list", ["x", "y"]], ["none", null], ["hash", { f: "1" }], ["none", null], ["string", "a"]],
  );
  // SET over a hash: the hash goes, then the string comes.
  db.set("k", "s");
  assert.deepEqual(
    db.historyGet("k", { count: 3 }).map((e) => e.type),
    ["string", "none", "list"],
  );
  db.close();
});

Deno.test("HISTORY records collections as their elements after each write", () => {
  const db = Db.openMemory();
  for (const key of ["h", "l", "s", "z"]) db.historyEnable(key);
  db.hset("h", { a: "1", b: "2" });
  db.hdel("h", "a");
  db.hincrby("h", "n", 5);
  db.rpush("l", "a", "b", "c");
  db.lset("l", 1, "B");
  db.lpop("l");
  db.sadd("s", "x", "y");
  db.srem("s", "x");
  db.zadd("z", { a: 3, b: 1 });
  db.zincrby("z", 5, "b");
  assert.deepEqual(db.historyGet("h").map((e) => e.value), [
    { b: "2", n: "5" },
    { b: "2" },
    { a: "1", b: "2" },
  ]);
  assert.deepEqual(db.historyGet("l").map((e) => e.value), [["B", "c"], ["a", "B", "c"], [
    "a",
    "b",
    "c",
  ]]);
  assert.deepEqual(db.historyGet("s").map((e) => e.value), [["y"], ["x", "y"]]);
  assert.deepEqual(db.historyGet("z").map((e) => e.value), [[["a", 3], ["b", 6]], [["b", 1], [
    "a",
    3,
  ]]]);
  // A collection emptied is deleted, as in Redis: a "none" state.
  db.srem("s", "y");
  assert.equal(db.historyGet("s", { count: 1 })[0].type, "none");
  // A new time to live is not a new state.
  db.expire("h", 100);
  assert.equal(db.historyGet("h").length, 3);
  db.close();
});

Deno.test("HISTORY records a list of many chunks as its elements after each write", () => {
  const db = Db.openMemory();
  db.historyEnable("l");
  const expected: string[][] = [];
  const write = (change: () => unknown) => {
    change();
    expected.unshift(db.lrange("l", 0, -1));
  };
  write(() => db.rpush("l", ...Array.from({ length: 300 }, (_, i) => `e${i}`)));
  write(() => db.lpush("l", "", "x".repeat(2000)));
  write(() => db.lpop("l", 130));
  write(() => db.rpop("l"));
  write(() => db.lset("l", 100, "set"));
  write(() => db.linsert("l", "BEFORE", "e200", "inserted"));
  write(() => db.ltrim("l", 1, -2));
  assert.deepEqual(db.historyGet("l").map((e) => e.value), expected);
  assert.ok(expected.every((elements) => elements.length > 128));
  // Each state holds the list's chunks: several rows, fewer than its elements.
  const rows = scopeOf(db).store.all(
    "SELECT h.size, count(*) AS n FROM key_history h JOIN key_history_elements e " +
      "ON e.history_id = h.id GROUP BY h.id ORDER BY h.id",
  );
  assert.deepEqual(rows.map((row) => row.size), expected.map((e) => e.length).reverse());
  assert.ok(rows.every((row) => (row.n as number) > 1 && (row.n as number) < (row.size as number)));
  assert.deepEqual(db.historyAt("l", Date.now()), { type: "list", value: expected[0] });
  db.close();
});

Deno.test("HISTORY records streams by version and length only, and HISTORY AT refuses them", () => {
  const db = Db.openMemory();
  db.historyEnable("st");
  db.xadd("st", "1-1", { f: "v" });
  db.xadd("st", "2-1", { f: "w" });
  const entries = db.historyGet("st");
  assert.deepEqual(entries.map((e) => [e.type, e.value]), [["stream", null], ["stream", null]]);
  throwsRedis(
    () => db.historyAt("st", Date.now()),
    "ERR the history of a stream records its versions, not its entries",
  );
  db.close();
});

Deno.test("HISTORY AT travels back to each state, and answers null before and after the key", () => {
  const db = Db.openMemory();
  db.historyEnable("k");
  const beforeAll = nextMillisecond();
  nextMillisecond();
  const steps: [number, HistoryState | null][] = [];
  const actions = [
    () => db.set("k", "one"),
    () => db.set("k", "two"),
    () => db.del("k"),
    () => db.hset("k", { f: "v" }),
    () => db.hset("k", { g: "w" }),
    () => db.rename("k", "elsewhere"),
    () => db.sadd("k", "m"),
  ];
  for (const action of actions) {
    action();
    steps.push([Date.now(), currentState(db, "k")]);
    nextMillisecond();
  }
  assert.equal(db.historyAt("k", beforeAll), null);
  for (const [time, state] of steps) {
    const expected = state?.type === "set" ? { type: "set", value: state.value } : state;
    assert.deepEqual(db.historyAt("k", time), expected, `at ${time}`);
  }
  assert.deepEqual(db.historyAt("k", Date.now() + 60_000), { type: "set", value: ["m"] });
  db.close();
});

Deno.test("HISTORY AT: a key that expired is null from its expiry time on, removed or not", () => {
  const db = Db.openMemory({ activeExpire: false });
  const store = scopeOf(db).store;
  db.historyEnable("k");
  db.set("k", "v");
  const written = db.keyinfo("k")!.updatedAt;
  // Expired the moment after it was written (set in the table: no waiting).
  store.run(
    "UPDATE keys SET expire_at = ? WHERE key = ?",
    written + 1,
    new TextEncoder().encode("k"),
  );
  nextMillisecond();
  nextMillisecond();
  assert.deepEqual(db.historyAt("k", written), { type: "string", value: "v" });
  assert.equal(db.historyAt("k", written + 1), null, "expired, still in the table");
  // Its removal (by VACUUM here) records "none" at the expiry time, not at the removal.
  assert.equal(db.vacuum(), 1);
  const [gone] = db.historyGet("k", { count: 1 });
  assert.equal(gone.type, "none");
  assert.equal(gone.timestamp, written + 1);
  assert.equal(db.historyAt("k", written + 1), null);
  // SET over an expired key rewrites its row in place: the expiry is recorded before it.
  db.set("k", "w");
  const again = db.keyinfo("k")!.updatedAt;
  store.run("UPDATE keys SET expire_at = ? WHERE key = ?", again, new TextEncoder().encode("k"));
  nextMillisecond();
  db.set("k", "x");
  assert.deepEqual(db.historyGet("k", { count: 3 }).map((e) => [e.type, e.value]), [
    ["string", "x"],
    ["none", null],
    ["string", "w"],
  ]);
  db.close();
});

Deno.test("HISTORY follows names: RENAME, MOVE and COPY record leaving and arriving keys", () => {
  const db = Db.openMemory();
  db.historyEnable("a");
  db.historyEnable("b");
  db.set("a", "1");
  db.set("b", "old b");
  db.rename("a", "b");
  assert.deepEqual(db.historyGet("a").map((e) => e.type), ["none", "string"]);
  // b: its own value deleted, then a's value arriving under its name.
  assert.deepEqual(db.historyGet("b").map((e) => [e.type, e.value]), [
    ["string", "1"],
    ["none", null],
    ["string", "old b"],
  ]);
  db.hset("src", { f: "v" });
  db.copy("src", "a");
  assert.deepEqual(db.historyGet("a", { count: 1 })[0].value, { f: "v" });
  db.move("a", 3);
  assert.equal(db.historyGet("a", { count: 1 })[0].type, "none");
  db.select(3);
  db.historyEnable("a"); // tracked in database 3 from its current state
  db.move("a", 0);
  db.select(0);
  assert.deepEqual(db.historyGet("a", { count: 1 })[0].value, { f: "v" }, "moved back here");
  db.close();
});

Deno.test("HISTORY records the results of SORT STORE, SUNIONSTORE, ZUNIONSTORE, LMOVE", () => {
  const db = Db.openMemory();
  for (const key of ["sorted", "union", "zu", "dest"]) db.historyEnable(key);
  db.rpush("l", "3", "1", "2");
  db.command("SORT", "l", "STORE", "sorted");
  db.sadd("s1", "a");
  db.sadd("s2", "b");
  db.command("SUNIONSTORE", "union", "s1", "s2");
  db.zadd("z1", { a: 1 });
  db.command("ZUNIONSTORE", "zu", 1, "z1");
  db.command("LMOVE", "l", "dest", "LEFT", "RIGHT");
  for (const key of ["sorted", "union", "zu", "dest"]) {
    assert.deepEqual(newestState(db, key), currentState(db, key), key);
  }
  db.command("SUNIONSTORE", "union", "missing");
  assert.equal(db.historyGet("union", { count: 1 })[0].type, "none");
  db.close();
});

Deno.test("HISTORY: FLUSHALL records deletions and keeps tracking and history", () => {
  const db = Db.openMemory();
  db.historyEnable("k");
  db.set("k", "precious");
  nextMillisecond();
  db.flushall();
  assert.deepEqual(db.historyGet("k").map((e) => e.type), ["none", "string"]);
  const [, before] = db.historyGet("k");
  assert.deepEqual(db.historyAt("k", before.timestamp), { type: "string", value: "precious" });
  db.set("k", "after");
  assert.equal(db.historyGet("k").length, 3);
  db.close();
});

Deno.test("HISTORY MAXVERSIONS keeps the newest states; a smaller bound applies at once", () => {
  const db = Db.openMemory();
  db.historyEnable("k", { maxversions: 3 });
  for (let i = 0; i < 10; i++) db.set("k", String(i));
  assert.deepEqual(db.historyGet("k").map((e) => e.value), ["9", "8", "7"]);
  db.historyEnable("k", { maxversions: 2 });
  assert.deepEqual(db.historyGet("k").map((e) => e.value), ["9", "8"]);
  db.historyEnable("k"); // no bound
  for (let i = 10; i < 15; i++) db.set("k", String(i));
  assert.equal(db.historyGet("k").length, 7);
  // Forgotten states take their elements with them.
  db.historyEnable("h", { maxversions: 1 });
  for (let i = 0; i < 5; i++) db.hset("h", { [`f${i}`]: "v" });
  assert.equal(sqlCount(db, "SELECT count(*) AS n FROM key_history_elements"), 5);
  db.close();
});

Deno.test("HISTORY RETENTION forgets states replaced before the window, on write and by the cycle", () => {
  const db = Db.openMemory({ activeExpire: false });
  const store = scopeOf(db).store;
  db.historyEnable("k", { retention: 60_000 });
  db.set("k", "a");
  db.set("k", "b");
  db.set("k", "c");
  // Backdate the states by hand: a (10 min ago), b (5 min ago), c (30 s ago).
  const now = Date.now();
  const ids = store.all("SELECT id FROM key_history ORDER BY id").map((row) => row.id as number);
  const ages = [10 * 60_000, 5 * 60_000, 30_000];
  ids.forEach((id, i) =>
    store.run("UPDATE key_history SET at = ? WHERE id = ?", now - ages[i], id)
  );
  // The cycle's pass: b was in force a minute ago, so it stays; a goes.
  assert.equal(pruneHistory(store, now), 1);
  assert.deepEqual(db.historyGet("k").map((e) => e.value), ["c", "b"]);
  assert.deepEqual(db.historyAt("k", now - 60_000), { type: "string", value: "b" });
  assert.equal(db.historyAt("k", now - 6 * 60_000), null, "older than the history kept");
  // A write applies the bound too.
  store.run("UPDATE key_history SET at = at - 120000");
  db.set("k", "d");
  assert.deepEqual(db.historyGet("k").map((e) => e.value), ["d", "c"]);
  db.close();
});

Deno.test("HISTORY DISABLE forgets the history; the triggers exist only while a key is tracked", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  assert.equal(historyTriggersInstalled(store), false);
  db.historyEnable("a");
  db.historyEnable("b");
  assert.equal(historyTriggersInstalled(store), true);
  db.set("a", "1");
  db.hset("b", { f: "v" });
  assert.equal(db.historyDisable("a"), true);
  assert.equal(db.historyDisable("a"), false);
  assert.deepEqual(db.historyGet("a"), []);
  assert.equal(historyTriggersInstalled(store), true);
  assert.equal(db.historyDisable("b"), true);
  assert.equal(historyTriggersInstalled(store), false);
  assert.equal(sqlCount(db, "SELECT count(*) AS n FROM key_history"), 0);
  assert.equal(sqlCount(db, "SELECT count(*) AS n FROM key_history_elements"), 0);
  db.set("a", "2");
  assert.deepEqual(db.historyGet("a"), []);
  db.close();
});

Deno.test("HISTORY CLEAR keeps the current state only; untracked keys have no history", () => {
  const db = Db.openMemory();
  db.historyEnable("k");
  for (let i = 0; i < 4; i++) db.set("k", String(i));
  assert.equal(db.historyClear("k"), 4);
  assert.deepEqual(db.historyGet("k").map((e) => e.value), ["3"]);
  assert.equal(db.historyClear("untracked"), 0);
  assert.deepEqual(db.historyGet("untracked"), []);
  assert.equal(db.historyAt("untracked", Date.now()), null);
  db.set("untracked", "v");
  assert.deepEqual(db.historyGet("untracked"), []);
  db.close();
});

Deno.test("HISTORY errors change nothing", () => {
  const db = Db.openMemory();
  db.historyEnable("k", { maxversions: 5 });
  throwsRedis(
    () => db.historyEnable("k", { maxversions: 0 }),
    "ERR value is out of range, must be positive",
  );
  throwsRedis(
    () => db.historyEnable("k", { retention: -1 }),
    "ERR value is out of range, must be positive",
  );
  throwsRedis(
    () => db.historyEnable("k", { retention: 1.5 }),
    "ERR value is not an integer or out of range",
  );
  throwsRedis(
    () => db.historyGet("k", { count: -1 }),
    "ERR value is out of range, must be positive",
  );
  throwsRedis(() => db.historyAt("k", 1.5), "ERR value is not an integer or out of range");
  for (let i = 0; i < 8; i++) db.set("k", String(i));
  assert.equal(db.historyGet("k").length, 5, "MAXVERSIONS 5 still holds");
  throwsRedis(() => db.command("HISTORY", "ENABLE", "k", "MAXVERSIONS"), "ERR syntax error");
  throwsRedis(() => db.command("HISTORY", "ENABLE", "k", "BOGUS", "1"), "ERR syntax error");
  throwsRedis(() => db.command("HISTORY", "GET", "k", "COUNT"), "ERR syntax error");
  throwsRedis(
    () => db.command("HISTORY", "AT", "k", "soon"),
    "ERR value is not an integer or out of range",
  );
  throwsRedis(
    () => db.command("HISTORY", "ENABLE"),
    "ERR wrong number of arguments for 'history|enable' command",
  );
  assert.equal(db.historyGet("k").length, 5);
  db.close();
});

Deno.test("HISTORY keys and values are binary-safe", () => {
  const db = Db.openMemory();
  const key = new Uint8Array([0, 255, 1]);
  const value = new Uint8Array([255, 0, 128]);
  db.command("HISTORY", "ENABLE", key);
  db.set(key, value);
  const entries = db.commandBytes("HISTORY", "GET", key) as Record<string, unknown>[];
  assert.deepEqual(entries[0].value, value);
  assert.deepEqual(db.commandBytes("HISTORY", "AT", key, Date.now()), value);
  db.close();
});

Deno.test("HISTORY lives in the file: another connection's writes are recorded", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/history.db`;
    const first = Db.open(path);
    first.historyEnable("k");
    const second = Db.open(path);
    second.set("k", "from the second connection");
    second.close();
    first.close();
    const reopened = Db.open(path);
    assert.deepEqual(reopened.historyGet("k").map((e) => e.value), ["from the second connection"]);
    reopened.set("k", "again");
    assert.equal(reopened.historyGet("k").length, 2);
    reopened.close();
  });
});

Deno.test("HISTORY's newest state is the key's current one after any sequence of writes", () => {
  const random = new SeededRandom(20250611);
  const db = Db.openMemory();
  const tracked = ["s", "h", "l", "st", "z"];
  const names = [...tracked, "x", "y"];
  for (const key of tracked) db.historyEnable(key);
  const commands: (() => (string | number)[])[] = [
    () => ["SET", random.pick(names), random.pick(["1", "v", "12"])],
    () => ["APPEND", random.pick(names), "+"],
    () => ["INCR", random.pick(names)],
    () => ["GETDEL", random.pick(names)],
    () => ["HSET", random.pick(names), random.pick(["a", "b", "c"]), String(random.int(9))],
    () => ["HDEL", random.pick(names), random.pick(["a", "b", "c"])],
    () => ["HINCRBY", random.pick(names), "n", 1],
    () => ["RPUSH", random.pick(names), String(random.int(9))],
    () => ["LPOP", random.pick(names)],
    () => ["LSET", random.pick(names), 0, "set"],
    () => ["LMOVE", random.pick(names), random.pick(names), "LEFT", "RIGHT"],
    () => ["SADD", random.pick(names), random.pick(["m", "n", "o"])],
    () => ["SREM", random.pick(names), random.pick(["m", "n", "o"])],
    () => ["SMOVE", random.pick(names), random.pick(names), random.pick(["m", "n"])],
    () => ["SUNIONSTORE", random.pick(names), random.pick(names), random.pick(names)],
    () => ["ZADD", random.pick(names), random.int(5), random.pick(["p", "q"])],
    () => ["ZPOPMIN", random.pick(names)],
    () => ["ZUNIONSTORE", random.pick(names), 2, random.pick(names), random.pick(names)],
    () => ["DEL", random.pick(names)],
    () => ["RENAME", random.pick(names), random.pick(names)],
    () => ["COPY", random.pick(names), random.pick(names), "REPLACE"],
    () => ["EXPIRE", random.pick(names), random.pick([100, -1])],
    () => ["SORT", random.pick(names), "ALPHA", "STORE", random.pick(names)],
  ];
  for (let step = 0; step < 1500; step++) {
    const argv = random.pick(commands)();
    const counts = tracked.map((key) => db.historyGet(key).length);
    let failed = false;
    try {
      db.command(String(argv[0]), ...argv.slice(1));
    } catch {
      failed = true;
    }
    for (const [i, key] of tracked.entries()) {
      assert.deepEqual(newestState(db, key), currentState(db, key), `${argv.join(" ")} on ${key}`);
      if (failed) assert.equal(db.historyGet(key).length, counts[i], `failed ${argv.join(" ")}`);
    }
  }
  db.close();
});

Deno.test("HISTORY GET FROM and TO keep the changes made between two times", () => {
  const db = Db.openMemory();
  db.historyEnable("k");
  for (const value of ["a", "b", "c", "d"]) {
    db.set("k", value);
    nextMillisecond();
  }
  // When each state began (a, b, c, d), each in its own millisecond.
  const times = db.historyGet("k").map((entry) => entry.timestamp).reverse();
  assert.equal(new Set(times).size, 4);
  const values = (options: { count?: number; from?: number; to?: number }) =>
    db.historyGet("k", options).map((entry) => entry.value);
  assert.deepEqual(values({ from: times[1], to: times[2] }), ["c", "b"]);
  assert.deepEqual(values({ from: times[1] }), ["d", "c", "b"]);
  assert.deepEqual(values({ to: times[1] }), ["b", "a"]);
  assert.deepEqual(values({ from: times[1], count: 1 }), ["d"]);
  assert.deepEqual(values({ from: times[3] + 1 }), []);
  assert.deepEqual(values({ from: times[2], to: times[1] }), []);
  const command = (...args: (string | number)[]) =>
    (db.command("HISTORY", "GET", "k", ...args) as { value: unknown }[]).map((e) => e.value);
  assert.deepEqual(command("TO", times[2], "FROM", times[1]), ["c", "b"], "in any order");
  assert.deepEqual(command("COUNT", 5, "COUNT", 1), ["d"], "the last one wins");
  throwsRedis(
    () => db.command("HISTORY", "GET", "k", "FROM", "soon"),
    "ERR value is not an integer or out of range",
  );
  throwsRedis(() => db.command("HISTORY", "GET", "k", "FROM", 1, "TO"), "ERR syntax error");
  throwsRedis(
    () => db.historyGet("k", { from: 1.5 }),
    "ERR value is not an integer or out of range",
  );
  assert.equal(db.historyGet("k").length, 4, "errors change nothing");
  db.close();
});
