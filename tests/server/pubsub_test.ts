/**
 * Publish/subscribe on the server: what the differential tests cannot compare byte for byte
 * (hash-ordered unsubscriptions, CLIENT LIST, INFO, closed and slow subscribers), then real
 * clients (ioredis, node-redis in RESP2 and RESP3, redis-cli) subscribing and receiving.
 */

import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { Db } from "../../src/db/db.ts";
import type { Server } from "../../src/server/server.ts";
import { serve } from "../../server.ts";
import type { Connection } from "../../src/server/connection.ts";
import { readFrame } from "../_helpers/connections_compat.ts";
import { encodeCommand, RespClient } from "../_helpers/resp_client.ts";
import { decodeValue, type RespValue } from "../../src/resp/values.ts";
import { withServerInstance as withServer } from "../_helpers/served.ts";

const decoder = new TextDecoder();

/** A frame as plain values: bulk strings as text, integers as numbers. */
function plain(frame: Uint8Array): unknown {
  const convert = (value: RespValue): unknown => {
    switch (value.type) {
      case "bulk":
        return value.value === null ? null : decoder.decode(value.value);
      case "integer":
        return Number(value.value);
      case "array":
      case "push":
        return value.value?.map(convert) ?? null;
      case "null":
        return null;
      default:
        return value.value;
    }
  };
  return convert(decodeValue(frame, 0)!.value);
}

async function frames(client: RespClient, count: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) out.push(plain(await readFrame(client, "client")));
  return out;
}

async function command(client: RespClient, ...args: string[]): Promise<unknown> {
  return plain(await client.send(args));
}

/** The server's side of the connection most recently accepted. */
function newest(server: Server): Connection {
  const clients = server.clients();
  return clients[clients.length - 1];
}

/** Resolves when the connection has closed, or fails after a deadline. */
async function closedWithin(connection: Connection, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`client ${connection.id} still open`)), ms);
  });
  try {
    await Promise.race([connection.done, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("UNSUBSCRIBE from all confirms every channel once, the count going down", async () => {
  await withServer(async (server) => {
    const sub = await RespClient.connect(server.addr.port);
    await sub.write(encodeCommand(["SUBSCRIBE", "a", "b", "c"]));
    await frames(sub, 3);
    await sub.write(encodeCommand(["UNSUBSCRIBE"]));
    const confirmations = await frames(sub, 3) as [string, string, number][];
    assert.deepEqual(confirmations.map(([word]) => word), Array(3).fill("unsubscribe"));
    assert.deepEqual(confirmations.map(([, name]) => name).sort(), ["a", "b", "c"]);
    assert.deepEqual(confirmations.map(([, , count]) => count), [2, 1, 0]);
    assert.equal(await command(sub, "GET", "k"), null);
    sub.close();
  });
});

Deno.test("CLIENT LIST shows flags=P and the counts; TYPE pubsub lists and kills subscribers", async () => {
  await withServer(async (server) => {
    const port = server.addr.port;
    const sub = await RespClient.connect(port);
    const other = await RespClient.connect(port);
    await sub.write(encodeCommand(["SUBSCRIBE", "a", "b"]));
    await frames(sub, 2);
    await sub.write(encodeCommand(["PSUBSCRIBE", "p*"]));
    await sub.write(encodeCommand(["SSUBSCRIBE", "s"]));
    await frames(sub, 2);
    const list = String(await command(other, "CLIENT", "LIST"));
    assert.match(list, /flags=P db=0 sub=2 psub=1 ssub=1 .*cmd=ssubscribe/);
    assert.match(list, /flags=N db=0 sub=0 psub=0 ssub=0 .*cmd=client\|list/);
    const subscribers = String(await command(other, "CLIENT", "LIST", "TYPE", "pubsub"));
    assert.equal(subscribers.trim().split("\n").length, 1);
    assert.match(subscribers, /flags=P/);
    const normal = String(await command(other, "CLIENT", "LIST", "TYPE", "normal"));
    assert.equal(normal.trim().split("\n").length, 1);
    assert.match(normal, /cmd=client\|list/);
    // In RESP3 a subscriber may open a transaction: both flags show, in Redis's order.
    const resp3 = await RespClient.connect(port);
    await resp3.send(["HELLO", "3"]);
    await resp3.write(encodeCommand(["SUBSCRIBE", "a"]));
    await frames(resp3, 1);
    assert.equal(await command(resp3, "MULTI"), "OK");
    assert.match(String(await command(other, "CLIENT", "LIST")), /flags=Px db=0 sub=1 psub=0/);
    assert.equal(await command(resp3, "DISCARD"), "OK");
    resp3.close();
    const info = String(await command(other, "INFO", "stats"));
    assert.match(info, /pubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:1\r\n/);

    const subscriber = server.clients()[0];
    assert.equal(await command(other, "CLIENT", "KILL", "TYPE", "normal"), 0);
    assert.equal(await command(other, "CLIENT", "KILL", "TYPE", "pubsub"), 1);
    await closedWithin(subscriber, 5000);
    assert.deepEqual(await command(other, "PUBSUB", "NUMSUB", "a", "b"), ["a", 0, "b", 0]);
    assert.equal(await command(other, "PUBSUB", "NUMPAT"), 0);
    assert.deepEqual(await command(other, "PUBSUB", "SHARDCHANNELS"), []);
    assert.match(String(await command(other, "INFO", "stats")), /pubsub_channels:0\r\n/);
    sub.close();
    other.close();
  });
});

Deno.test("a subscriber that disconnects is removed", async () => {
  await withServer(async (server) => {
    const port = server.addr.port;
    const sub = await RespClient.connect(port);
    const subscriber = newest(server);
    await sub.write(encodeCommand(["SUBSCRIBE", "news"]));
    await frames(sub, 1);
    await sub.write(encodeCommand(["PSUBSCRIBE", "n*"]));
    await frames(sub, 1);
    const pub = await RespClient.connect(port);
    assert.equal(await command(pub, "PUBLISH", "news", "m"), 2);
    sub.close();
    await closedWithin(subscriber, 5000);
    assert.equal(await command(pub, "PUBLISH", "news", "m"), 0);
    assert.deepEqual(await command(pub, "PUBSUB", "CHANNELS"), []);
    pub.close();
  });
});

Deno.test("CONFIG SET timeout closes idle clients but not subscribers", async () => {
  await withServer(async (server) => {
    const port = server.addr.port;
    const sub = await RespClient.connect(port);
    await sub.write(encodeCommand(["SUBSCRIBE", "quiet"]));
    await frames(sub, 1);
    const idle = await RespClient.connect(port);
    assert.equal(await command(idle, "CONFIG", "SET", "timeout", "1"), "OK");
    assert.equal(await idle.readRaw(), null); // closed after a second of silence
    const pub = await RespClient.connect(port);
    assert.equal(await command(pub, "PUBLISH", "quiet", "still there"), 1);
    assert.deepEqual(await frames(sub, 1), [["message", "quiet", "still there"]]);
    for (const client of [sub, idle, pub]) client.close();
  });
});

Deno.test("messages arrive in order, to several subscribers, from pipelined PUBLISHes", async () => {
  await withServer(async (server) => {
    const port = server.addr.port;
    const subs = [await RespClient.connect(port), await RespClient.connect(port)];
    for (const sub of subs) {
      await sub.write(encodeCommand(["SUBSCRIBE", "seq"]));
      await frames(sub, 1);
    }
    const pub = await RespClient.connect(port);
    const count = 2000;
    let pipeline = "";
    for (let i = 0; i < count; i++) pipeline += `PUBLISH seq ${i}\r\n`;
    await pub.write(new TextEncoder().encode(pipeline));
    for (let i = 0; i < count; i++) assert.equal(plain((await pub.readRaw())!), 2);
    for (const sub of subs) {
      const received = await frames(sub, count) as [string, string, string][];
      assert.deepEqual(received.map(([, , message]) => Number(message)), [...Array(count).keys()]);
      sub.close();
    }
    pub.close();
  });
});

Deno.test("RESP2 and RESP3 subscribers of one channel each get their framing, large messages too", async () => {
  await withServer(async (server) => {
    const port = server.addr.port;
    const resp2 = await RespClient.connect(port);
    const resp3 = await RespClient.connect(port);
    await resp3.send(["HELLO", "3"]);
    for (const sub of [resp2, resp3]) {
      await sub.write(encodeCommand(["SUBSCRIBE", "mixed"]));
      await sub.write(encodeCommand(["PSUBSCRIBE", "mix*"]));
      await frames(sub, 2);
    }
    const pub = await RespClient.connect(port);
    const large = "z".repeat(100_000);
    for (const message of ["small", large, "small again"]) {
      assert.equal(await command(pub, "PUBLISH", "mixed", message), 4);
      const length = `$${message.length}\r\n${message}\r\n`;
      for (const [sub, marker] of [[resp2, "*"], [resp3, ">"]] as const) {
        assert.equal(
          decoder.decode(await readFrame(sub, "subscriber")),
          `${marker}3\r\n$7\r\nmessage\r\n$5\r\nmixed\r\n${length}`,
        );
        assert.equal(
          decoder.decode(await readFrame(sub, "subscriber")),
          `${marker}4\r\n$8\r\npmessage\r\n$4\r\nmix*\r\n$5\r\nmixed\r\n${length}`,
        );
      }
    }
    for (const client of [resp2, resp3, pub]) client.close();
  });
});

Deno.test("a subscriber over the pubsub output buffer limit is closed, the others go on", async () => {
  await withServer(async (server) => {
    const port = server.addr.port;
    const pub = await RespClient.connect(port);
    assert.equal(
      await command(pub, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 0 0"),
      "OK",
    );
    // The slow subscriber never reads; the other reads everything.
    const slow = await RespClient.connect(port);
    const slowConnection = newest(server);
    await slow.write(encodeCommand(["SUBSCRIBE", "big"]));
    await frames(slow, 1);
    const reader = await RespClient.connect(port);
    await reader.write(encodeCommand(["SUBSCRIBE", "big"]));
    await frames(reader, 1);

    const message = "x".repeat(64 * 1024);
    const count = 400; // 25 MB: more than the sockets' buffers hold
    const receivers: unknown[] = [];
    for (let i = 0; i < count; i++) {
      receivers.push(await command(pub, "PUBLISH", "big", message));
      const [kind, , body] = (await frames(reader, 1))[0] as string[];
      assert.ok(kind === "message" && body === message);
    }
    await closedWithin(slowConnection, 10_000);
    assert.equal(receivers[0], 2);
    assert.equal(receivers[count - 1], 1);
    assert.deepEqual(await command(pub, "PUBSUB", "NUMSUB", "big"), ["big", 1]);
    slow.close();
    reader.close();
    pub.close();
  });
});

Deno.test("the soft output limit closes a subscriber that stays over it", async () => {
  await withServer(async (server) => {
    const port = server.addr.port;
    const pub = await RespClient.connect(port);
    await command(pub, "CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 64kb 0");
    const slow = await RespClient.connect(port);
    const slowConnection = newest(server);
    await slow.write(encodeCommand(["SUBSCRIBE", "big"]));
    await frames(slow, 1);
    // Over the soft limit for more than 0 seconds: closed once Redis's clock ticks a second.
    const publish = encodeCommand(["PUBLISH", "big", "y".repeat(64 * 1024)]);
    const started = Date.now();
    let receivers: unknown = 1;
    while (receivers === 1) {
      assert.ok(Date.now() - started < 10_000, "the subscriber is still there after 10 s");
      await pub.write(publish);
      receivers = plain((await pub.readRaw())!);
    }
    assert.equal(receivers, 0);
    await closedWithin(slowConnection, 5000);
    slow.close();
    pub.close();
  });
});

Deno.test("in-process, with no server, PUBLISH reaches no one and subscribing needs the server", () => {
  const db = Db.openMemory();
  try {
    assert.equal(db.command("PUBLISH", "news", "hello"), 0);
    assert.equal(db.command("SPUBLISH", "news", "hello"), 0);
    assert.deepEqual(db.command("PUBSUB", "NUMSUB", "news"), ["news", 0]);
    assert.deepEqual(db.command("PUBSUB", "CHANNELS"), []);
    assert.equal(db.command("PUBSUB", "NUMPAT"), 0);
    assert.throws(() => db.command("SUBSCRIBE", "news"), /only available on the server/);
    assert.throws(() => db.command("UNSUBSCRIBE"), /only available on the server/);
  } finally {
    db.close();
  }
});

Deno.test("serve()'s publish reaches the server's subscribers from the application", async () => {
  const db = Db.openMemory();
  const server = serve(db, { port: 0 });
  try {
    assert.equal(server.publish("news", "nobody yet"), 0);
    const sub = await RespClient.connect(server.port);
    await sub.write(encodeCommand(["SUBSCRIBE", "news"]));
    await sub.write(encodeCommand(["PSUBSCRIBE", "n*"]));
    await frames(sub, 2);
    assert.equal(server.publish("news", "from the app"), 2);
    assert.equal(server.publish(new TextEncoder().encode("nope"), new Uint8Array([0, 1])), 1);
    assert.deepEqual(await frames(sub, 3), [
      ["message", "news", "from the app"],
      ["pmessage", "n*", "news", "from the app"],
      ["pmessage", "n*", "nope", "\x00\x01"],
    ]);
    sub.close();
  } finally {
    await server.close();
    db.close();
  }
});

// The clients keep timers and sockets of their own: the sanitizers would flag them.
const clientTest = { sanitizeOps: false, sanitizeResources: false };

/** Resolves with the first `count` values `subscribe` passes to its listener. */
function collect<T>(
  count: number,
  subscribe: (listener: (value: T) => void) => void,
): Promise<T[]> {
  return new Promise((resolve) => {
    const values: T[] = [];
    subscribe((value) => {
      values.push(value);
      if (values.length === count) resolve(values);
    });
  });
}

Deno.test({
  name: "ioredis: subscribe, on message, psubscribe, on pmessage, unsubscribe",
  ...clientTest,
  async fn() {
    await withServer(async (server) => {
      const port = server.addr.port;
      const subscriber = new Redis({ port, host: "127.0.0.1" });
      const publisher = new Redis({ port, host: "127.0.0.1" });
      const messages = collect<[string, string]>(
        2,
        (listener) => subscriber.on("message", (channel, message) => listener([channel, message])),
      );
      const pmessages = collect<[string, string, string]>(
        1,
        (listener) =>
          subscriber.on(
            "pmessage",
            (pattern, channel, message) => listener([pattern, channel, message]),
          ),
      );
      assert.equal(await subscriber.subscribe("news", "sport"), 2);
      assert.equal(await subscriber.psubscribe("weather.*"), 3);
      assert.equal(await publisher.publish("news", "hello"), 1);
      assert.equal(await publisher.publish("sport", "goal"), 1);
      assert.equal(await publisher.publish("weather.paris", "rain"), 1);
      assert.deepEqual(await messages, [["news", "hello"], ["sport", "goal"]]);
      assert.deepEqual(await pmessages, [["weather.*", "weather.paris", "rain"]]);
      // (ioredis's unsubscribe() without channels waits for ever, against Redis too.)
      await subscriber.unsubscribe("news", "sport");
      await subscriber.punsubscribe("weather.*");
      assert.equal(await subscriber.get("k"), null);
      assert.equal(await publisher.publish("news", "nobody"), 0);
      subscriber.disconnect();
      publisher.disconnect();
    });
  },
});

for (const RESP of [2, 3] as const) {
  Deno.test({
    name: `node-redis RESP${RESP}: subscribe on a duplicate client, pSubscribe, unsubscribe`,
    ...clientTest,
    async fn() {
      await withServer(async (server) => {
        const client = createClient({ url: `redis://127.0.0.1:${server.addr.port}`, RESP });
        client.on("error", () => {});
        await client.connect();
        const subscriber = client.duplicate();
        subscriber.on("error", () => {});
        await subscriber.connect();
        const received = collect<[string, string]>(2, (listener) => {
          subscriber.subscribe("news", (message, channel) => listener([channel, message]));
          subscriber.pSubscribe("sp*", (message, channel) => listener([channel, message]));
        });
        // The subscriptions are confirmed when both channels count a subscriber.
        await subscriber.ping();
        assert.deepEqual(await client.sendCommand(["PUBSUB", "NUMSUB", "news"]), ["news", 1]);
        assert.equal(await client.sendCommand(["PUBSUB", "NUMPAT"]), 1);
        assert.equal(await client.publish("news", "hello"), 1);
        assert.equal(await client.publish("sport", "goal"), 1);
        assert.deepEqual(await received, [["news", "hello"], ["sport", "goal"]]);
        await subscriber.unsubscribe("news");
        await subscriber.pUnsubscribe();
        assert.equal(await client.publish("news", "nobody"), 0);
        assert.equal(await subscriber.get("k"), null);
        subscriber.destroy();
        client.destroy();
      });
    },
  });
}

const HAS_REDIS_CLI: boolean = (() => {
  try {
    return new Deno.Command("redis-cli", { args: ["--version"], stdout: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "redis-cli subscribe receives a PUBLISH",
  ignore: !HAS_REDIS_CLI,
  async fn() {
    await withServer(async (server) => {
      const port = server.addr.port;
      const child = new Deno.Command("redis-cli", {
        args: ["-p", String(port), "subscribe", "news"],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const reader = child.stdout.getReader();
      let output = "";
      const readUntil = async (text: string) => {
        while (!output.includes(text)) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`redis-cli ended before printing ${JSON.stringify(text)}`);
          output += decoder.decode(value);
        }
      };
      try {
        await readUntil("subscribe\nnews\n1\n");
        const pub = await RespClient.connect(port);
        assert.equal(await command(pub, "PUBLISH", "news", "hello from redlite"), 1);
        await readUntil("message\nnews\nhello from redlite\n");
        pub.close();
      } finally {
        child.kill();
        await reader.cancel();
        await child.status;
      }
    });
  },
});
