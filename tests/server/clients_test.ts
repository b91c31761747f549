/**
 * Real Redis clients against the real server: ioredis, node-redis (RESP2 and RESP3) and
 * redis-cli, unchanged.
 */

import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { HAS_REDIS_CLI, withServer } from "../_helpers/served.ts";

// The clients keep timers and sockets of their own: the sanitizers would flag them.
const clientTest = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "ioredis connects (INFO ready check), pipelines and keeps binary values intact",
  ...clientTest,
  async fn() {
    await withServer(async (port, db) => {
      const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
      await client.connect();
      assert.equal(client.status, "ready");
      assert.equal(await client.set("greeting", "hello"), "OK");
      assert.equal(await client.get("greeting"), "hello");
      const binary = new Uint8Array([0, 255, 13, 10, 128]);
      await client.set(Buffer.from("bin\x00key"), Buffer.from(binary));
      const back = await client.getBuffer(Buffer.from("bin\x00key"));
      assert.deepEqual(new Uint8Array(back!), binary);
      const pipeline = client.pipeline();
      for (let i = 0; i < 100; i++) pipeline.set(`p${i}`, String(i));
      for (let i = 0; i < 100; i++) pipeline.get(`p${i}`);
      const results = await pipeline.exec();
      assert.equal(results!.length, 200);
      assert.deepEqual(results![150], [null, "50"]);
      assert.equal(db.get("p99"), "99");
      await assert.rejects(() => client.call("NOSUCH"), /unknown command 'NOSUCH'/);
      assert.equal(await client.call("CLIENT", "GETNAME"), null);
      await client.quit();
    });
  },
});

for (const RESP of [2, 3] as const) {
  Deno.test({
    name: `node-redis speaks RESP${RESP}`,
    ...clientTest,
    async fn() {
      await withServer(async (port) => {
        const client = createClient({ url: `redis://127.0.0.1:${port}`, RESP });
        client.on("error", () => {});
        await client.connect();
        assert.equal(await client.ping(), "PONG");
        assert.equal(await client.set("k", "v", { expiration: { type: "EX", value: 60 } }), "OK");
        assert.equal(await client.get("k"), "v");
        assert.equal(await client.get("missing"), null);
        const [a, b] = await Promise.all([client.set("a", "1"), client.get("a")]);
        assert.deepEqual([a, b], ["OK", "1"]);
        const hello = await client.sendCommand(["HELLO"]) as unknown;
        if (RESP === 3) assert.ok(hello instanceof Map || typeof hello === "object");
        assert.equal(await client.sendCommand(["CLIENT", "SETNAME", "nr"]), "OK");
        assert.equal(await client.sendCommand(["CLIENT", "GETNAME"]), "nr");
        await assert.rejects(() => client.sendCommand(["GET"]), /wrong number of arguments/);
        client.destroy();
      });
    },
  });
}

async function redisCli(port: number, args: string[], input?: string): Promise<string> {
  const child = new Deno.Command("redis-cli", {
    args: ["-p", String(port), ...args],
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
  }
  const output = await child.output();
  return new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
}

Deno.test({
  name: "redis-cli runs commands, RESP3 included",
  ignore: !HAS_REDIS_CLI,
  async fn() {
    await withServer(async (port) => {
      assert.equal(await redisCli(port, ["SET", "k", "hello world"]), "OK\n");
      assert.equal(await redisCli(port, ["GET", "k"]), "hello world\n");
      assert.equal(await redisCli(port, ["-3", "GET", "k"]), "hello world\n");
      assert.equal(await redisCli(port, ["-3", "--no-raw", "GET", "missing"]), "(nil)\n");
      assert.equal(await redisCli(port, ["--no-raw", "GET", "missing"]), "(nil)\n");
      assert.match(await redisCli(port, ["-3", "--no-raw", "HELLO"]), /1# "server" => "redis"/);
      assert.match(await redisCli(port, ["INFO", "keyspace"]), /db0:keys=1,expires=0/);
      assert.equal(await redisCli(port, ["PING"]), "PONG\n");
    });
  },
});

Deno.test({
  name: "redis-cli --pipe inserts in bulk",
  ignore: !HAS_REDIS_CLI,
  async fn() {
    await withServer(async (port, db) => {
      let input = "";
      for (let i = 0; i < 10000; i++) {
        const key = `key:${i}`;
        const value = `value:${i}`;
        input += `*3\r\n$3\r\nSET\r\n$${key.length}\r\n${key}\r\n$${value.length}\r\n${value}\r\n`;
      }
      const output = await redisCli(port, ["--pipe"], input);
      assert.match(output, /errors: 0, replies: 10000/);
      assert.equal(db.get("key:9999"), "value:9999");
    });
  },
});
