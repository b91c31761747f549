/**
 * Redlite's own commands (KEYINFO, VACUUM, AUTOVACUUM, HISTORY, FTS, FTSEARCH) through the real
 * server, sent by real clients: ioredis (RESP2) and redis-cli (RESP2 and RESP3).
 */

import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { Db } from "../../src/db/db.ts";
import { scopeOf } from "../../src/db/db.ts";
import { HAS_REDIS_CLI, withServer as withDefaultServer } from "../_helpers/served.ts";

// No active expire cycle: the tests decide when keys expire.
const withServer = (fn: (port: number, db: Db) => Promise<void>) =>
  withDefaultServer(fn, {}, Db.openMemory({ activeExpire: false }));

async function withIoredis(fn: (client: Redis, db: Db) => Promise<void>): Promise<void> {
  await withServer(async (port, db) => {
    const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
    await client.connect();
    try {
      await fn(client, db);
    } finally {
      await client.quit();
    }
  });
}

// The clients keep timers and sockets of their own: the sanitizers would flag them.
const clientTest = { sanitizeOps: false, sanitizeResources: false };

/** A RESP2 flat array of names and values as an object. */
function pairs(reply: unknown): Record<string, unknown> {
  const flat = reply as unknown[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i] as string] = flat[i + 1];
  return out;
}

Deno.test({
  name: "ioredis: KEYINFO answers a flat array of metadata, null for a missing key",
  ...clientTest,
  async fn() {
    await withIoredis(async (client) => {
      await client.set("k", "hello", "EX", 100);
      await client.rpush("l", "a", "b", "c");
      const info = pairs(await client.call("KEYINFO", "k"));
      assert.deepEqual(
        Object.keys(info),
        ["type", "ttl", "created_at", "updated_at", "version", "size", "encoding"],
      );
      assert.equal(info.type, "string");
      assert.ok((info.ttl as number) > 90_000 && (info.ttl as number) <= 100_000);
      assert.equal(info.size, 5);
      assert.equal(info.encoding, "embstr");
      assert.ok(Math.abs((info.created_at as number) - Date.now()) < 60_000);
      const list = pairs(await client.call("KEYINFO", "l"));
      assert.deepEqual([list.type, list.ttl, list.size, list.encoding], [
        "list",
        -1,
        3,
        "quicklist",
      ]);
      assert.equal(await client.call("KEYINFO", "missing"), null);
      await assert.rejects(
        () => client.call("KEYINFO"),
        /ERR wrong number of arguments for 'keyinfo' command/,
      );
      await assert.rejects(
        () => client.call("KEYINFO", "a", "b"),
        /ERR wrong number of arguments for 'keyinfo' command/,
      );
    });
  },
});

Deno.test({
  name: "ioredis: HISTORY ENABLE in the middle of a pipeline records every write after it",
  ...clientTest,
  async fn() {
    await withIoredis(async (client) => {
      // The batch's key cache kept the list's writes back before the ENABLE; after it, the
      // batch keeps nothing back, so that each write is recorded as it happens.
      const writes = (
        key: string,
      ) => [["RPUSH", key, "x"], ["RPUSH", key, "y"], ["HISTORY", "ENABLE", key], [
        "RPUSH",
        key,
        "z",
      ], ["RPUSH", key, "w"]];
      const pipeline = client.pipeline();
      for (const [name, ...args] of writes("piped")) pipeline.call(name, ...args);
      pipeline.call("HISTORY", "GET", "piped");
      const results = (await pipeline.exec())!;
      for (const [name, ...args] of writes("sent")) await client.call(name, ...args);
      const values = (states: unknown) => (states as unknown[]).map((s) => pairs(s).value);
      const expected = [["x", "y", "z", "w"], ["x", "y", "z"], ["x", "y"]];
      assert.deepEqual(values(await client.call("HISTORY", "GET", "sent")), expected);
      assert.deepEqual(values(results.at(-1)![1]), expected);
      assert.deepEqual(values(await client.call("HISTORY", "GET", "piped")), expected);
    });
  },
});

Deno.test({
  name: "ioredis: HISTORY records writes, travels back in time and refuses bad options",
  ...clientTest,
  async fn() {
    await withIoredis(async (client, db) => {
      assert.equal(await client.call("HISTORY", "ENABLE", "cfg", "MAXVERSIONS", "10"), "OK");
      await client.set("cfg", "v1");
      const between = Date.now();
      // The next state must begin after `between`: a write in a later millisecond.
      while (Date.now() === between) await Promise.resolve();
      await client.set("cfg", "v2");
      await client.append("cfg", "+");
      const states = (await client.call("HISTORY", "GET", "cfg")) as unknown[];
      assert.deepEqual(states.map((state) => pairs(state).value), ["v2+", "v2", "v1"]);
      assert.deepEqual(
        ((await client.call("HISTORY", "GET", "cfg", "COUNT", "1")) as unknown[]).map((s) =>
          pairs(s).type
        ),
        ["string"],
      );
      assert.equal(await client.call("HISTORY", "AT", "cfg", String(between)), "v1");
      assert.equal(await client.call("HISTORY", "AT", "cfg", "1"), null);
      const until =
        (await client.call("HISTORY", "GET", "cfg", "TO", String(between))) as unknown[];
      assert.deepEqual(until.map((state) => pairs(state).value), ["v1"]);
      const since = await client.call("HISTORY", "GET", "cfg", "FROM", String(between + 1));
      assert.deepEqual((since as unknown[]).map((state) => pairs(state).value), ["v2+", "v2"]);
      await client.del("cfg");
      assert.equal(await client.call("HISTORY", "AT", "cfg", String(Date.now() + 1000)), null);
      const newest = pairs(((await client.call("HISTORY", "GET", "cfg")) as unknown[])[0]);
      assert.deepEqual([newest.type, newest.value, newest.version], ["none", null, null]);

      await client.hset("h", "f", "1");
      await client.call("HISTORY", "ENABLE", "h");
      await client.hset("h", "g", "2");
      assert.deepEqual(
        await client.call("HISTORY", "AT", "h", String(Date.now() + 1000)),
        ["f", "1", "g", "2"],
      );

      // Errors: Redis's words, and nothing changes.
      const before = db.historyGet("cfg");
      for (
        const [args, error] of [
          [["HISTORY", "ENABLE", "cfg", "MAXVERSIONS", "0"], /ERR value is out of range/],
          [["HISTORY", "ENABLE", "cfg", "RETENTION", "x"], /ERR value is not an integer/],
          [["HISTORY", "ENABLE", "cfg", "MAXVERSIONS"], /ERR syntax error/],
          [["HISTORY", "ENABLE", "cfg", "BOGUS", "1"], /ERR syntax error/],
          [["HISTORY", "GET", "cfg", "COUNT", "-1"], /ERR value is out of range/],
          [["HISTORY", "GET", "cfg", "LIMIT", "1"], /ERR syntax error/],
          [["HISTORY", "AT", "cfg", "yesterday"], /ERR value is not an integer/],
          [["HISTORY", "NOPE"], /ERR unknown subcommand 'NOPE'. Try HISTORY HELP./],
          [["HISTORY", "DISABLE"], /ERR wrong number of arguments for 'history\|disable'/],
        ] as const
      ) {
        await assert.rejects(() => client.call(...(args as unknown as [string])), error);
      }
      assert.deepEqual(db.historyGet("cfg"), before);
      // Inside MULTI/EXEC: each write of the transaction is a state.
      await client.call("HISTORY", "ENABLE", "txn");
      const results = await client.multi().set("txn", "a").set("txn", "b")
        .call("HISTORY", "GET", "txn").exec();
      const txnStates = results![2][1] as unknown[];
      assert.deepEqual(txnStates.map((state) => pairs(state).value), ["b", "a"]);
      assert.equal(await client.call("HISTORY", "DISABLE", "cfg"), 1);
      assert.equal(await client.call("HISTORY", "DISABLE", "cfg"), 0);
      assert.deepEqual(await client.call("HISTORY", "GET", "cfg"), []);
    });
  },
});

Deno.test({
  name: "ioredis: FTS indexes strings and hash fields, FTSEARCH finds them, best first",
  ...clientTest,
  async fn() {
    await withIoredis(async (client) => {
      await client.set("doc:1", "The quick brown fox jumps over the lazy dog");
      await client.set("other", "quick but not indexed");
      assert.equal(await client.call("FTS", "ENABLE", "doc:*"), 1);
      assert.equal(await client.call("FTS", "ENABLE", "doc:*"), 0);
      await client.hset("doc:2", "title", "Quick start", "body", "nothing here");
      await client.set("doc:3", "a café in Paris");
      assert.deepEqual(await client.call("FTS", "LIST"), ["doc:*"]);
      const found = ((await client.call("FTSEARCH", "quick")) as unknown[]).map(pairs);
      assert.deepEqual(
        found.map((result) => [result.key, result.field]).sort(),
        [["doc:1", null], ["doc:2", "title"]],
      );
      const [best] = ((await client.call(
        "FTSEARCH",
        "cafe",
        "WITHSCORES",
        "HIGHLIGHT",
        "TAGS",
        "[",
        "]",
      )) as unknown[]).map(pairs);
      assert.deepEqual([best.key, best.highlight], ["doc:3", "a [café] in Paris"]);
      assert.ok(Number(best.score) > 0);
      assert.equal(((await client.call("FTSEARCH", "quick", "LIMIT", "1")) as unknown[]).length, 1);
      await client.del("doc:1");
      assert.deepEqual(
        ((await client.call("FTSEARCH", "fox")) as unknown[]).length,
        0,
      );
      assert.equal(await client.call("FTS", "REINDEX"), 3);
      await assert.rejects(() => client.call("FTSEARCH", "quick", "LIMIT"), /ERR syntax error/);
      await assert.rejects(
        () => client.call("FTSEARCH", "quick", "LIMIT", "-1"),
        /ERR value is out of range/,
      );
      await assert.rejects(() => client.call("FTSEARCH", '"unterminated'), /ERR full-text query/);
      assert.equal(await client.call("FTS", "DISABLE", "doc:*"), 1);
      assert.deepEqual(await client.call("FTSEARCH", "quick"), []);
    });
  },
});

Deno.test({
  name: "ioredis: VACUUM removes expired keys of every database; AUTOVACUUM paces the cycle",
  ...clientTest,
  async fn() {
    await withIoredis(async (client, db) => {
      await client.set("a", "1");
      await client.select(3);
      await client.set("b", "2");
      await client.set("c", "3");
      scopeOf(db).store.run("UPDATE keys SET expire_at = 1 WHERE key IN (x'61', x'62')");
      assert.equal(await client.call("VACUUM"), 2);
      assert.equal(await client.dbsize(), 1);
      assert.deepEqual(await client.call("AUTOVACUUM"), ["enabled", 0, "interval_ms", 100]);
      assert.equal(await client.call("AUTOVACUUM", "INTERVAL", "5000"), "OK");
      assert.equal(await client.call("AUTOVACUUM", "ON"), "OK");
      assert.deepEqual(await client.call("AUTOVACUUM"), ["enabled", 1, "interval_ms", 5000]);
      await assert.rejects(() => client.call("AUTOVACUUM", "INTERVAL", "0"), /ERR interval/);
      await assert.rejects(() => client.call("AUTOVACUUM", "MAYBE"), /ERR syntax error/);
      await assert.rejects(() => client.call("VACUUM", "NOW"), /ERR wrong number of arguments/);
      assert.deepEqual(await client.call("AUTOVACUUM"), ["enabled", 1, "interval_ms", 5000]);
      assert.equal(await client.call("AUTOVACUUM", "OFF"), "OK");
      // VACUUM cannot run inside a transaction: MULTI refuses it, as Redis refuses its no-multi
      // commands, and the transaction is aborted.
      await client.set("kept", "1");
      const multi = client.multi();
      multi.set("kept", "2");
      multi.call("VACUUM");
      await assert.rejects(() => multi.exec(), /EXECABORT/);
      assert.equal(await client.get("kept"), "1");
    });
  },
});

async function redisCli(port: number, args: string[]): Promise<string> {
  const output = await new Deno.Command("redis-cli", {
    args: ["-p", String(port), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
}

Deno.test({
  name: "redis-cli: Redlite's commands in RESP2 and RESP3, and COMMAND DOCS describes them",
  ignore: !HAS_REDIS_CLI,
  async fn() {
    await withServer(async (port) => {
      assert.equal(await redisCli(port, ["SET", "doc:1", "hello world"]), "OK\n");
      assert.equal(await redisCli(port, ["FTS", "ENABLE", "doc:*"]), "1\n");
      assert.equal(await redisCli(port, ["FTSEARCH", "hello"]), "key\ndoc:1\nfield\n\n");
      assert.equal(
        await redisCli(port, ["-3", "--no-raw", "FTSEARCH", "hello"]),
        '1) 1# "key" => "doc:1"\n   2# "field" => (nil)\n',
      );
      assert.match(
        await redisCli(port, ["-3", "--no-raw", "KEYINFO", "doc:1"]),
        /^1# "type" => "string"\n2# "ttl" => \(integer\) -1\n/,
      );
      assert.equal(await redisCli(port, ["HISTORY", "ENABLE", "doc:1"]), "OK\n");
      assert.equal(await redisCli(port, ["SET", "doc:1", "hello again"]), "OK\n");
      assert.match(
        await redisCli(port, ["-3", "--no-raw", "HISTORY", "GET", "doc:1", "COUNT", "1"]),
        /^1\) 1# "version" => \(integer\) \d+\n {3}2# "timestamp" => \(integer\) \d+\n {3}3# "type" => "string"\n {3}4# "value" => "hello again"\n$/,
      );
      assert.equal(await redisCli(port, ["HISTORY", "AT", "doc:1", "0"]), "\n");
      assert.match(
        await redisCli(port, ["HISTORY", "AT", "doc:1", "x"]),
        /ERR value is not an integer/,
      );
      assert.match(
        await redisCli(port, ["-3", "--no-raw", "COMMAND", "DOCS", "ftsearch"]),
        /"summary" => "Returns the indexed strings and hash fields matching a full-text query/,
      );
      assert.match(await redisCli(port, ["--no-raw", "COMMAND", "INFO", "keyinfo"]), /"keyinfo"/);
    });
  },
});
