/**
 * MULTI/EXEC and WATCH on the server: atomicity, what WATCH detects beyond one server's
 * clients (expiry, another process), the per-client state, and real clients' transactions.
 * Redis's replies themselves are compared in tests/compat/transactions_test.ts.
 */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { Db, type DbOptions } from "../../src/db/db.ts";
import { RedisError } from "../../src/db/errors.ts";
import { Server } from "../../src/server/server.ts";
import { encodeCommand, RespClient } from "../_helpers/resp_client.ts";
import { withServerInstance as withServer } from "../_helpers/served.ts";
import { concatBytes } from "../../src/db/bytes.ts";

const text = new TextDecoder();

async function connect(server: Server): Promise<RespClient> {
  return await RespClient.connect(server.addr.port);
}

async function send(client: RespClient, ...args: string[]): Promise<string> {
  return text.decode(await client.send(args));
}

/** Waits until `condition` holds, checking every few milliseconds, for at most two seconds. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function expired(client: RespClient, key: string): Promise<boolean> {
  return await send(client, "PTTL", key) === ":-2\r\n";
}

Deno.test("EXEC runs its commands with no other client's command between them", async () => {
  await withServer(async (server, db) => {
    const a = await connect(server);
    const b = await connect(server);
    const rounds = 20;
    const size = 100;
    for (let round = 0; round < rounds; round++) {
      const transaction = [["MULTI"]];
      for (let i = 0; i < size; i++) transaction.push(["RPUSH", "log", `a${round}:${i}`]);
      transaction.push(["EXEC"]);
      const interloper = [];
      for (let i = 0; i < size; i++) interloper.push(["RPUSH", "log", `b${round}:${i}`]);
      // Both pipelines are in flight at once; their replies are read afterwards.
      await Promise.all([
        a.write(concatBytes(...transaction.map((cmd) => encodeCommand(cmd)))),
        b.write(concatBytes(...interloper.map((cmd) => encodeCommand(cmd)))),
      ]);
      for (let i = 0; i < transaction.length; i++) await a.readRaw();
      for (let i = 0; i < interloper.length; i++) await b.readRaw();
    }
    const entries = db.lrange("log", 0, -1);
    assert.equal(entries.length, rounds * size * 2);
    for (let round = 0; round < rounds; round++) {
      const start = entries.indexOf(`a${round}:0`);
      const block = entries.slice(start, start + size);
      assert.deepEqual(block, Array.from({ length: size }, (_, i) => `a${round}:${i}`));
    }
    a.close();
    b.close();
  });
});

Deno.test("EXEC's reply comes after its transaction committed to the file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/txn.db`;
  try {
    await withServer(
      async (server) => {
        const client = await connect(server);
        await send(client, "MULTI");
        await send(client, "SET", "a", "1");
        await send(client, "SET", "b", "2");
        assert.equal(await send(client, "EXEC"), "*2\r\n+OK\r\n+OK\r\n");
        const reader = Db.open(path);
        assert.deepEqual([reader.get("a"), reader.get("b")], ["1", "2"]);
        reader.close();
        client.close();
      },
      {},
      Db.open(path),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("WATCH catches a write by another process on the same file", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/watch.db`;
  try {
    await withServer(
      async (server) => {
        const client = await connect(server);
        const other = Db.open(path);
        await send(client, "SET", "k", "1");
        await send(client, "WATCH", "k", "absent");
        // Versions are per process: in the same millisecond two processes may (rarely) hand
        // out the same one, a limit README states. This test checks the common case.
        const written = Date.now();
        await until(() => Date.now() > written);
        other.set("k", "2");
        await send(client, "MULTI");
        await send(client, "SET", "k", "3");
        assert.equal(await send(client, "EXEC"), "*-1\r\n");
        assert.equal(other.get("k"), "2");
        await send(client, "WATCH", "k", "absent");
        other.set("absent", "now present");
        await send(client, "MULTI");
        assert.equal(await send(client, "EXEC"), "*-1\r\n");
        await send(client, "WATCH", "k");
        other.get("k");
        await send(client, "MULTI");
        assert.equal(await send(client, "EXEC"), "*0\r\n");
        other.close();
        client.close();
      },
      {},
      Db.open(path),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("EXEC that cannot get the write lock fails and ends the transaction", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/locked.db`;
  try {
    await withServer(
      async (server) => {
        const client = await connect(server);
        await send(client, "MULTI");
        await send(client, "SET", "a", "1");
        const holder = new DatabaseSync(path);
        holder.exec("BEGIN IMMEDIATE");
        assert.match(await send(client, "EXEC"), /^-ERR database is locked/);
        holder.exec("ROLLBACK");
        holder.close();
        assert.equal(await send(client, "SET", "b", "1"), "+OK\r\n");
        assert.equal(await send(client, "EXEC"), "-ERR EXEC without MULTI\r\n");
        assert.equal(await send(client, "EXISTS", "a"), ":0\r\n");
        client.close();
      },
      {},
      Db.open(path, { busyTimeout: 50 }),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const noActiveExpire: DbOptions = { activeExpire: false };

Deno.test("WATCH: a key that expires before EXEC fails it, as Redis 7.0", async () => {
  await withServer(
    async (server) => {
      const client = await connect(server);
      await send(client, "SET", "k", "v", "PX", "20");
      await send(client, "WATCH", "k");
      await until(() => expired(client, "k"));
      await send(client, "MULTI");
      assert.equal(await send(client, "EXEC"), "*-1\r\n");
      client.close();
    },
    {},
    Db.openMemory(noActiveExpire),
  );
});

Deno.test("WATCH: a key already expired when watched is absent; its removal changes nothing", async () => {
  await withServer(
    async (server) => {
      const client = await connect(server);
      const other = await connect(server);
      await send(client, "SET", "k", "v", "PX", "1");
      await until(() => expired(client, "k"));
      await send(client, "WATCH", "k");
      // A write that finds the key expired deletes it first: no logical change.
      assert.equal(await send(other, "DEL", "k"), ":0\r\n");
      await send(client, "MULTI");
      assert.equal(await send(client, "EXEC"), "*0\r\n");
      await send(client, "SET", "k", "v", "PX", "1");
      await until(() => expired(client, "k"));
      await send(client, "WATCH", "k");
      await send(other, "SET", "k", "new");
      await send(client, "MULTI");
      assert.equal(await send(client, "EXEC"), "*-1\r\n");
      client.close();
      other.close();
    },
    {},
    Db.openMemory(noActiveExpire),
  );
});

Deno.test("CLIENT LIST shows MULTI (flags=x, multi=N) and a touched watch (flags=d)", async () => {
  await withServer(async (server) => {
    const client = await connect(server);
    const other = await connect(server);
    const info = async (of: RespClient) => await send(of, "CLIENT", "INFO");
    assert.match(await info(client), / flags=N .* multi=-1 /);
    await send(client, "MULTI");
    await send(client, "SET", "a", "1");
    await send(client, "GET", "a");
    const list = await send(other, "CLIENT", "LIST");
    assert.match(list, / flags=x .* multi=2 .* cmd=get /);
    await send(client, "DISCARD");
    await send(client, "WATCH", "k");
    await send(other, "SET", "k", "1");
    const touched = await send(other, "CLIENT", "LIST");
    assert.match(touched, / flags=d .* multi=-1 .* cmd=watch /);
    await send(client, "MULTI");
    assert.match(await send(other, "CLIENT", "LIST"), / flags=xd .* multi=0 /);
    // Inside EXEC the client is still in MULTI and its last command is EXEC, as Redis shows it.
    await send(client, "DISCARD");
    await send(client, "MULTI");
    await send(client, "CLIENT", "INFO");
    assert.match(await send(client, "EXEC"), / flags=x .* multi=1 .* cmd=exec /);
    assert.match(await info(client), / flags=N .* multi=-1 .* cmd=client\|info /);
    client.close();
    other.close();
  });
});

Deno.test("a closed connection forgets its transaction and its watched keys", async () => {
  await withServer(async (server) => {
    const client = await connect(server);
    await send(client, "WATCH", "a", "b");
    await send(client, "MULTI");
    await send(client, "SET", "a", "1");
    assert.equal(server.watches.size, 2);
    client.close();
    await until(() => server.clients().length === 0);
    assert.equal(server.watches.size, 0);
    const again = await connect(server);
    assert.equal(await send(again, "EXISTS", "a"), ":0\r\n");
    again.close();
  });
});

Deno.test("QUIT inside MULTI closes the connection without running the queue", async () => {
  await withServer(async (server, db) => {
    const client = await connect(server);
    await send(client, "MULTI");
    await send(client, "SET", "a", "1");
    assert.equal(await send(client, "QUIT"), "+OK\r\n");
    assert.equal(await client.readRaw(), null);
    assert.equal(db.exists("a"), 0);
    client.close();
  });
});

Deno.test("EXEC refused for want of AUTH says the transaction was discarded, as Redis", async () => {
  const db = Db.openMemory();
  const server = Server.listen(db, { port: 0, password: "secret" });
  try {
    const client = await connect(server);
    assert.equal(
      await send(client, "EXEC"),
      "-EXECABORT Transaction discarded because of: NOAUTH Authentication required.\r\n",
    );
    assert.equal(await send(client, "MULTI"), "-NOAUTH Authentication required.\r\n");
    assert.equal(await send(client, "AUTH", "secret"), "+OK\r\n");
    assert.equal(await send(client, "MULTI"), "+OK\r\n");
    assert.equal(await send(client, "AUTH", "wrong"), "+QUEUED\r\n");
    assert.equal(
      await send(client, "EXEC"),
      "*1\r\n-WRONGPASS invalid username-password pair or user is disabled.\r\n",
    );
    client.close();
  } finally {
    await server.close();
    db.close();
  }
});

Deno.test("db.command: the transaction commands are the server's", () => {
  const db = Db.openMemory();
  for (const name of ["MULTI", "EXEC", "DISCARD", "UNWATCH"]) {
    assert.throws(() => db.command(name), (error) => {
      assert.ok(error instanceof RedisError);
      assert.equal(error.message, "ERR this command is only available on the server");
      return true;
    });
  }
  assert.throws(() => db.command("WATCH", "k"), /only available on the server/);
  db.close();
});

// The clients keep timers and sockets of their own: the sanitizers would flag them.
const clientTest = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "ioredis: multi().exec() and an optimistic update with watch()",
  ...clientTest,
  async fn() {
    await withServer(async (server) => {
      const port = server.addr.port;
      const client = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
      const other = new Redis({ port, host: "127.0.0.1", lazyConnect: true });
      await client.connect();
      await other.connect();
      const results = await client.multi().set("n", "1").incr("n").lpush("n", "x").get("n").exec();
      assert.equal(results!.length, 4);
      assert.deepEqual(results![0], [null, "OK"]);
      assert.deepEqual(results![1], [null, 2]);
      assert.match((results![2][0] as Error).message, /^WRONGTYPE/);
      assert.deepEqual(results![3], [null, "2"]);
      await assert.rejects(
        () => client.multi().set("a", "1").call("NOSUCH").exec(),
        /EXECABORT Transaction discarded because of previous errors/,
      );
      await client.watch("n");
      await other.set("n", "10");
      assert.equal(await client.multi().incr("n").exec(), null);
      await client.watch("n");
      const value = Number(await client.get("n"));
      assert.deepEqual(await client.multi().set("n", String(value + 1)).exec(), [[null, "OK"]]);
      assert.equal(await other.get("n"), "11");
      client.disconnect();
      other.disconnect();
    });
  },
});

for (const RESP of [2, 3] as const) {
  Deno.test({
    name: `node-redis RESP${RESP}: multi().exec() and watch()`,
    ...clientTest,
    async fn() {
      await withServer(async (server) => {
        const url = `redis://127.0.0.1:${server.addr.port}`;
        const client = createClient({ url, RESP });
        const other = createClient({ url, RESP });
        client.on("error", () => {});
        other.on("error", () => {});
        await client.connect();
        await other.connect();
        const results = await client.multi().set("n", "1").incr("n").hSet("h", "f", "v").exec();
        assert.deepEqual(results, ["OK", 2, 1]);
        await client.watch("n");
        await other.set("n", "10");
        await assert.rejects(
          () => client.multi().incr("n").exec(),
          /One \(or more\) of the watched keys has been changed/,
        );
        assert.equal(await other.get("n"), "10");
        await client.watch("n");
        assert.deepEqual(await client.multi().incr("n").exec(), [11]);
        client.destroy();
        other.destroy();
      });
    },
  });
}
