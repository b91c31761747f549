/**
 * Redis's limits, each hitting only the client that breaks it: maxclients, the query buffer
 * limit, proto-max-bulk-len, the protocol's own limits, and the idle timeout. Each scenario runs
 * against Redlite and, when installed, against a real redis-server: the offender's transcript
 * must be the same bytes, and a bystander (with a command half sent when the offence happens)
 * must carry on with its data intact.
 */

import assert from "node:assert/strict";
import { Db } from "../../src/db/db.ts";
import { serve } from "../../server.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { HAS_REDIS, startRedis } from "../_helpers/redis_server.ts";

const encoder = new TextEncoder();
const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

/** A scenario: runs against a server on `port`, returns the transcript to compare. */
type Scenario = (port: number) => Promise<string[]>;

/** Runs the scenario on Redlite, and on redis-server when installed: same transcript. */
async function onBoth(scenario: Scenario): Promise<void> {
  const db = Db.openMemory();
  const server = serve(db, { port: 0 });
  let ours: string[];
  try {
    ours = await scenario(server.port);
  } finally {
    await server.close();
    db.close();
  }
  if (!HAS_REDIS) return;
  const redis = await startRedis();
  try {
    assert.deepEqual(ours, await scenario(redis.port));
  } finally {
    await redis.stop();
  }
}

/** Reads one reply, or "(closed)" when the server closed or reset the connection. */
async function reply(client: RespClient): Promise<string> {
  const raw = await client.readRaw().catch(() => null);
  return raw === null ? "(closed)" : text(raw);
}

/**
 * A bystander with data of its own and a command half sent: what must survive another
 * client's offence.
 */
async function bystander(port: number): Promise<{ finish(): Promise<string[]> }> {
  const client = await RespClient.connect(port);
  assert.equal(text(await client.send(["SET", "mine", "safe"])), "+OK\r\n");
  await client.write(encoder.encode("*3\r\n$6\r\nAPPEND\r\n$4\r\nmine\r\n$5\r\n!!"));
  return {
    async finish() {
      await client.write(encoder.encode("!!!\r\n"));
      const transcript = [await reply(client), text(await client.send(["GET", "mine"]))];
      assert.deepEqual(transcript, [":9\r\n", "$9\r\nsafe!!!!!\r\n"]);
      assert.equal(text(await client.send(["PING"])), "+PONG\r\n");
      client.close();
      return transcript;
    },
  };
}

/** Sends bytes, ignoring a connection the server has already closed. */
async function offend(client: RespClient, bytes: string | Uint8Array): Promise<void> {
  await client.write(typeof bytes === "string" ? encoder.encode(bytes) : bytes).catch(() => {});
}

async function configSet(port: number, name: string, value: string): Promise<void> {
  const admin = await RespClient.connect(port);
  assert.equal(text(await admin.send(["CONFIG", "SET", name, value])), "+OK\r\n");
  admin.close();
}

Deno.test("maxclients refuses the client over the limit, and only it", async () => {
  await onBoth(async (port) => {
    const admin = await RespClient.connect(port);
    assert.equal(text(await admin.send(["CONFIG", "SET", "maxclients", "2"])), "+OK\r\n");
    const other = await bystander(port);
    const refused = await RespClient.connect(port);
    const transcript = [await reply(refused), await reply(refused)];
    assert.deepEqual(transcript, ["-ERR max number of clients reached\r\n", "(closed)"]);
    refused.close();
    transcript.push(...await other.finish());
    // Once the bystander has left, there is room again.
    const deadline = Date.now() + 5000;
    let late: RespClient;
    let answer: string;
    do {
      late = await RespClient.connect(port);
      await offend(late, "PING\r\n");
      answer = await reply(late);
      late.close();
    } while (answer !== "+PONG\r\n" && Date.now() < deadline);
    assert.equal(answer, "+PONG\r\n");
    assert.equal(text(await admin.send(["CONFIG", "SET", "maxclients", "10000"])), "+OK\r\n");
    admin.close();
    return transcript;
  });
});

Deno.test("client-query-buffer-limit closes the client over it, and only it", async () => {
  await onBoth(async (port) => {
    await configSet(port, "client-query-buffer-limit", "1mb");
    const other = await bystander(port);
    const flood = await RespClient.connect(port);
    const header = encoder.encode("*3\r\n$3\r\nSET\r\n$5\r\nflood\r\n$3000000\r\n");
    await offend(flood, new Uint8Array([...header, ...new Uint8Array(1_500_000)]));
    const transcript = [await reply(flood)];
    assert.deepEqual(transcript, ["(closed)"]); // Redis closes it without a word
    flood.close();
    transcript.push(...await other.finish());
    const check = await RespClient.connect(port);
    transcript.push(text(await check.send(["EXISTS", "flood"])));
    check.close();
    await configSet(port, "client-query-buffer-limit", "1gb");
    return transcript;
  });
});

Deno.test("proto-max-bulk-len answers the client over it with a protocol error, and only it", async () => {
  await onBoth(async (port) => {
    await configSet(port, "proto-max-bulk-len", "1mb");
    const other = await bystander(port);
    const big = await RespClient.connect(port);
    await offend(big, "*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$1048577\r\n");
    const transcript = [await reply(big), await reply(big)];
    assert.deepEqual(transcript, ["-ERR Protocol error: invalid bulk length\r\n", "(closed)"]);
    big.close();
    transcript.push(...await other.finish());
    // The limit itself is allowed.
    const exact = await RespClient.connect(port);
    const value = "x".repeat(1024 * 1024);
    transcript.push(text(await exact.send(["SET", "exact", value])));
    assert.equal(transcript.at(-1), "+OK\r\n");
    exact.close();
    await configSet(port, "proto-max-bulk-len", "512mb");
    return transcript;
  });
});

Deno.test("the protocol's own limits close only the offending client", async () => {
  await onBoth(async (port) => {
    const transcript: string[] = [];
    for (
      const offence of [
        `*${2 ** 31}\r\n`, // multibulk length over INT_MAX
        "G".repeat(70 * 1024), // inline request over 64 KB with no newline
        "*1\r\n+PING\r\n", // not a bulk string
      ]
    ) {
      const other = await bystander(port);
      const client = await RespClient.connect(port);
      await offend(client, offence);
      transcript.push(await reply(client), await reply(client));
      assert.equal(transcript.at(-1), "(closed)");
      client.close();
      transcript.push(...await other.finish());
      await configSet(port, "proto-max-bulk-len", "512mb"); // a fresh command works
    }
    assert.deepEqual(
      transcript.filter((line) => line.startsWith("-")),
      [
        "-ERR Protocol error: invalid multibulk length\r\n",
        "-ERR Protocol error: too big inline request\r\n",
        "-ERR Protocol error: expected '$', got '+'\r\n",
      ],
    );
    return transcript;
  });
});

Deno.test("the idle timeout closes the idle client, and only it", async () => {
  await onBoth(async (port) => {
    const idle = await RespClient.connect(port);
    assert.equal(text(await idle.send(["SET", "idle", "kept"])), "+OK\r\n");
    const busy = await RespClient.connect(port);
    await configSet(port, "timeout", "1");
    const closed = reply(idle);
    let pongs = 0;
    let idleClosed = false;
    closed.then(() => idleClosed = true);
    const deadline = Date.now() + 10_000;
    // The busy client sends a PING every 200 ms: never idle for a second.
    while (!idleClosed && Date.now() < deadline) {
      assert.equal(text(await busy.send(["PING"])), "+PONG\r\n");
      pongs++;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const transcript = [await closed];
    assert.deepEqual(transcript, ["(closed)"]);
    assert.ok(pongs >= 4, `closed after ${pongs} PINGs of the busy client`);
    // The busy client outlives it, and the idle client's write is kept.
    await new Promise((resolve) => setTimeout(resolve, 400));
    transcript.push(text(await busy.send(["GET", "idle"])));
    assert.equal(transcript[1], "$4\r\nkept\r\n");
    await configSet(port, "timeout", "0");
    idle.close();
    busy.close();
    return transcript;
  });
});
