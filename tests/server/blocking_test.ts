/**
 * Blocking commands on the server: what CLIENT LIST and INFO report, many blocked clients,
 * writes that do not come through the server's connections, and real clients (ioredis,
 * node-redis) waiting on BLPOP and friends.
 */

import assert from "node:assert/strict";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { Db } from "../../src/db/db.ts";
import type { Server } from "../../src/server/server.ts";
import { decodeValue } from "../../src/resp/values.ts";
import { encodeCommand, RespClient } from "../_helpers/resp_client.ts";
import { withServerInstance } from "../_helpers/served.ts";

const decoder = new TextDecoder();

// Waits, with a deadline, until the server counts `count` blocked clients.
async function waitBlocked(server: Server, count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (server.blocking.blockedClients !== count) {
    if (Date.now() > deadline) {
      throw new Error(`${server.blocking.blockedClients} clients blocked, not ${count}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function text(client: RespClient, ...args: string[]): Promise<string> {
  const value = decodeValue(await client.send(args), 0)!.value;
  if (value.type === "bulk" || value.type === "verbatim") return decoder.decode(value.value!);
  return JSON.stringify(value);
}

Deno.test("CLIENT LIST shows a blocked client with flag b; INFO counts it", async () => {
  await withServerInstance(async (server) => {
    const blocker = await RespClient.connect(server.addr.port);
    const timed = await RespClient.connect(server.addr.port);
    const admin = await RespClient.connect(server.addr.port);
    try {
      await blocker.write(encodeCommand(["BLPOP", "l", "0"]));
      await timed.write(encodeCommand(["BZPOPMIN", "z", "100"]));
      await waitBlocked(server, 2);
      const list = await text(admin, "CLIENT", "LIST");
      const flags = list.trim().split("\n").map((line) => /flags=(\w+)/.exec(line)![1]);
      assert.deepEqual(flags, ["b", "b", "N"]);
      assert.match(list, /flags=b .* cmd=blpop /);
      const info = await text(admin, "INFO", "clients");
      assert.match(info, /blocked_clients:2\r\n/);
      assert.match(info, /clients_in_timeout_table:1\r\n/);
      await admin.send(["RPUSH", "l", "a"]);
      assert.equal(decoder.decode((await blocker.readRaw())!), "*2\r\n$1\r\nl\r\n$1\r\na\r\n");
      assert.match(await text(admin, "INFO", "clients"), /blocked_clients:1\r\n/);
    } finally {
      blocker.close();
      timed.close();
      admin.close();
    }
  });
});

Deno.test("a thousand clients block on one list and are served one element each", async () => {
  await withServerInstance(async (server, db) => {
    const count = 1000;
    const clients = await Promise.all(
      Array.from({ length: count }, () => RespClient.connect(server.addr.port)),
    );
    try {
      for (const client of clients) await client.write(encodeCommand(["BRPOP", "queue", "0"]));
      await waitBlocked(server, count);
      const other = await RespClient.connect(server.addr.port);
      // The server answers others at once while they wait.
      assert.equal(decoder.decode(await other.send(["PING"])), "+PONG\r\n");
      const elements = Array.from({ length: count }, (_, i) => `job${i}`);
      assert.equal(decoder.decode(await other.send(["LPUSH", "queue", ...elements])), ":1000\r\n");
      const replies = await Promise.all(clients.map((client) => client.readRaw()));
      const served = replies.map((reply) => decoder.decode(reply!).split("\r\n")[4]).sort();
      assert.deepEqual(served, [...elements].sort());
      assert.equal(db.exists("queue"), 0);
      assert.equal(server.blocking.blockedClients, 0);
      other.close();
    } finally {
      for (const client of clients) client.close();
    }
  });
});

Deno.test("writes through the embedded Db of the same process wake blocked clients", async () => {
  await withServerInstance(async (server, db) => {
    const blocker = await RespClient.connect(server.addr.port);
    try {
      await blocker.write(encodeCommand(["BLPOP", "l", "0"]));
      await waitBlocked(server, 1);
      db.rpush("l", "from the app");
      const reply = decoder.decode((await blocker.readRaw())!);
      assert.equal(reply, "*2\r\n$1\r\nl\r\n$12\r\nfrom the app\r\n");
      assert.equal(db.exists("l"), 0);
    } finally {
      blocker.close();
    }
  });
});

Deno.test("writes by another connection to the same file wake blocked clients", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/shared.db`;
  try {
    await withServerInstance(
      async (server) => {
        const other = Db.open(path);
        const blocker = await RespClient.connect(server.addr.port);
        try {
          await blocker.write(encodeCommand(["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]));
          await waitBlocked(server, 1);
          other.xadd("s", "1-1", { f: "v" });
          const reply = decoder.decode((await blocker.readRaw())!);
          assert.equal(
            reply,
            "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n",
          );
        } finally {
          blocker.close();
          other.close();
        }
      },
      {},
      Db.open(path),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("CLIENT KILL ends a blocked client's wait; its key is not popped", async () => {
  await withServerInstance(async (server, db) => {
    const blocker = await RespClient.connect(server.addr.port);
    const admin = await RespClient.connect(server.addr.port);
    try {
      const id = decodeValue(await blocker.send(["CLIENT", "ID"]), 0)!.value;
      assert.equal(id.type, "integer");
      await blocker.write(encodeCommand(["BLMOVE", "src", "dst", "LEFT", "LEFT", "0"]));
      await waitBlocked(server, 1);
      await admin.send(["CLIENT", "KILL", "ID", String(id.type === "integer" ? id.value : 0)]);
      assert.equal(await blocker.readRaw(), null);
      await waitBlocked(server, 0);
      await admin.send(["RPUSH", "src", "x"]);
      assert.deepEqual(db.lrange("src", 0, -1), ["x"]);
    } finally {
      blocker.close();
      admin.close();
    }
  });
});

Deno.test("Db.command answers blocking commands as their non-blocking forms", () => {
  const db = Db.openMemory();
  try {
    assert.equal(db.command("BLPOP", "l", "0"), null);
    assert.equal(db.command("BLMOVE", "l", "d", "LEFT", "LEFT", "0"), null);
    assert.equal(db.command("BZPOPMIN", "z", "0"), null);
    assert.equal(db.command("XREAD", "BLOCK", "0", "STREAMS", "s", "$"), null);
    db.rpush("l", "a", "b");
    assert.deepEqual(db.command("BLPOP", "l", "0"), ["l", "a"]);
    assert.equal(db.command("BRPOPLPUSH", "l", "d", "0"), "b");
    assert.throws(() => db.command("BLPOP", "l", "-1"), /ERR timeout is negative/);
  } finally {
    db.close();
  }
});

// The clients keep timers and sockets of their own: the sanitizers would flag them.
const clientTest = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "ioredis: blpop, brpoplpush, bzpopmin and xread block wait and are served",
  ...clientTest,
  async fn() {
    await withServerInstance(async (server) => {
      const port = server.addr.port;
      const blocker = new Redis({ port, host: "127.0.0.1" });
      const pusher = new Redis({ port, host: "127.0.0.1" });
      try {
        const popped = blocker.blpop("jobs", 0);
        await waitBlocked(server, 1);
        await pusher.rpush("jobs", "j1");
        assert.deepEqual(await popped, ["jobs", "j1"]);
        assert.equal(await blocker.blpop("jobs", 0.05), null);
        const moved = blocker.brpoplpush("jobs", "done", 0);
        await waitBlocked(server, 1);
        await pusher.lpush("jobs", "j2");
        assert.equal(await moved, "j2");
        const min = blocker.bzpopmin("z", 0);
        await waitBlocked(server, 1);
        await pusher.zadd("z", 2, "b", 1, "a");
        assert.deepEqual(await min, ["z", "a", "1"]);
        const read = blocker.xread("BLOCK", 0, "STREAMS", "s", "$");
        await waitBlocked(server, 1);
        await pusher.xadd("s", "5-1", "f", "v");
        assert.deepEqual(await read, [["s", [["5-1", ["f", "v"]]]]]);
      } finally {
        blocker.disconnect();
        pusher.disconnect();
      }
    });
  },
});

for (const RESP of [2, 3] as const) {
  Deno.test({
    name: `node-redis RESP${RESP}: blPop on a duplicate client waits and is served`,
    ...clientTest,
    async fn() {
      await withServerInstance(async (server) => {
        const client = createClient({ url: `redis://127.0.0.1:${server.addr.port}`, RESP });
        client.on("error", () => {});
        await client.connect();
        const blocking = client.duplicate();
        blocking.on("error", () => {});
        await blocking.connect();
        try {
          const popped = blocking.blPop("jobs", 0);
          await waitBlocked(server, 1);
          assert.equal(await client.rPush("jobs", ["a", "b"]), 2);
          assert.deepEqual(await popped, { key: "jobs", element: "a" });
          assert.deepEqual(await blocking.brPop("jobs", 0), { key: "jobs", element: "b" });
          assert.equal(await blocking.blPop("jobs", 0.05), null);
          const min = blocking.bzPopMin("z", 0);
          await waitBlocked(server, 1);
          await client.zAdd("z", [{ score: 1.5, value: "m" }]);
          assert.deepEqual(await min, { key: "z", value: "m", score: 1.5 });
        } finally {
          await blocking.close();
          await client.close();
        }
      });
    },
  });
}

Deno.test("commands a blocked client sends while it waits run after its reply, in order", async () => {
  await withServerInstance(async (server) => {
    const blocker = await RespClient.connect(server.addr.port);
    const pusher = await RespClient.connect(server.addr.port);
    const encoder = new TextEncoder();
    try {
      await blocker.write(encoder.encode("BLPOP l 0\r\n"));
      await waitBlocked(server, 1);
      await blocker.write(encoder.encode("PING\r\n\r\nECHO inline\r\n"));
      await blocker.write(encodeCommand(["RPUSH", "l", "mine"]));
      assert.equal(decoder.decode(await pusher.send(["RPUSH", "l", "a"])), ":1\r\n");
      const replies = [];
      for (let i = 0; i < 4; i++) replies.push(decoder.decode((await blocker.readRaw())!));
      assert.deepEqual(replies, [
        "*2\r\n$1\r\nl\r\n$1\r\na\r\n",
        "+PONG\r\n",
        "$6\r\ninline\r\n",
        ":1\r\n",
      ]);
      await blocker.write(encoder.encode("BLPOP l 0\r\nECHO after\r\n"));
      assert.equal(decoder.decode((await blocker.readRaw())!), "*2\r\n$1\r\nl\r\n$4\r\nmine\r\n");
      assert.equal(decoder.decode((await blocker.readRaw())!), "$5\r\nafter\r\n");
      assert.equal(decoder.decode(await blocker.send(["PING"])), "+PONG\r\n");
    } finally {
      blocker.close();
      pusher.close();
    }
  });
});

Deno.test("the idle timeout closes an idle client but not a blocked one, as Redis", async () => {
  await withServerInstance(async (server) => {
    const admin = await RespClient.connect(server.addr.port);
    const blocker = await RespClient.connect(server.addr.port);
    const idle = await RespClient.connect(server.addr.port);
    try {
      assert.equal(
        await text(admin, "CONFIG", "SET", "timeout", "1"),
        '{"type":"simple","value":"OK"}',
      );
      await idle.send(["PING"]);
      await blocker.write(encodeCommand(["BLPOP", "l", "0"]));
      await waitBlocked(server, 1);
      // The idle client is closed once a second past its last command; the blocked one stays.
      assert.equal(await idle.readRaw(), null);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // (The admin connection is idle too by now: a new one pushes.)
      const pusher = await RespClient.connect(server.addr.port);
      await pusher.send(["RPUSH", "l", "a"]);
      pusher.close();
      assert.equal(decoder.decode((await blocker.readRaw())!), "*2\r\n$1\r\nl\r\n$1\r\na\r\n");
    } finally {
      admin.close();
      blocker.close();
      idle.close();
    }
  });
});

Deno.test("a push in a batch whose commit fails serves nobody: the blocked client waits on", async () => {
  await withServerInstance(async (server) => {
    // The next batch's transaction fails after its commands ran, as a failed COMMIT would.
    const store = server.store;
    const writeBatch = store.writeBatch.bind(store);
    let failNext = false;
    store.writeBatch = <T>(fn: () => T): T =>
      writeBatch(() => {
        const result = fn();
        if (failNext) {
          failNext = false;
          throw new Error("disk I/O error");
        }
        return result;
      });
    const blocker = await RespClient.connect(server.addr.port);
    const pusher = await RespClient.connect(server.addr.port);
    try {
      await blocker.write(encodeCommand(["BLPOP", "l", "0"]));
      await waitBlocked(server, 1);
      failNext = true;
      assert.match(
        decoder.decode(await pusher.send(["LPUSH", "l", "lost"])),
        /^-.*disk I\/O error/,
      );
      assert.equal(server.blocking.blockedClients, 1);
      assert.equal(decoder.decode(await pusher.send(["LPUSH", "l", "kept"])), ":1\r\n");
      assert.equal(
        decoder.decode((await blocker.readRaw())!),
        "*2\r\n$1\r\nl\r\n$4\r\nkept\r\n",
      );
    } finally {
      blocker.close();
      pusher.close();
    }
  });
});
