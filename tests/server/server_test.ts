import assert from "node:assert/strict";
import { Db, scopeOf } from "../../src/db/db.ts";
import { concatBytes } from "../../src/db/bytes.ts";
import { serve } from "../../server.ts";
import { encodeCommand, RespClient } from "../_helpers/resp_client.ts";
import type { RespValue } from "../../src/resp/values.ts";
import { withServer } from "../_helpers/served.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const text = (value: Uint8Array | null) => new TextDecoder().decode(value ?? new Uint8Array());
const bytes = (value: string) => new TextEncoder().encode(value);

/** Runs `fn` with a server on a new in-memory database, then stops both. */
function plain(value: RespValue): unknown {
  switch (value.type) {
    case "bulk":
    case "verbatim":
      return value.value === null ? null : text(value.value);
    case "integer":
      return Number(value.value);
    case "array":
    case "set":
      return value.value === null ? null : value.value.map(plain);
    case "map":
      return Object.fromEntries(value.value.map(([k, v]) => [plain(k), plain(v)]));
    case "null":
      return null;
    default:
      return "value" in value ? value.value : null;
  }
}

async function call(client: RespClient, ...args: string[]): Promise<unknown> {
  return plain(await client.call(...args));
}

Deno.test("serve listens on a free port and leaves the database open after close", async () => {
  const db = Db.openMemory();
  const server = serve(db, { port: 0 });
  assert.equal(server.hostname, "127.0.0.1");
  assert.ok(server.port > 0);
  const client = await RespClient.connect(server.port);
  assert.equal(await call(client, "PING"), "PONG");
  client.close();
  await server.close();
  await server.finished;
  db.set("still", "open");
  assert.equal(db.get("still"), "open");
  db.close();
});

Deno.test("pipelined commands in one write are all answered, in order", async () => {
  await withServer(async (port) => {
    const client = await RespClient.connect(port);
    const commands: Uint8Array[] = [];
    for (let i = 0; i < 200; i++) commands.push(encodeCommand(["SET", `k${i}`, `v${i}`]));
    for (let i = 0; i < 200; i++) commands.push(encodeCommand(["GET", `k${i}`]));
    commands.push(bytes('PING\r\nECHO "inline quoted"\r\n'));
    await client.write(new Uint8Array(commands.flatMap((command) => [...command])));
    for (let i = 0; i < 200; i++) assert.equal(text(await client.readRaw()), "+OK\r\n");
    for (let i = 0; i < 200; i++) {
      assert.equal(text(await client.readRaw()), `$${`v${i}`.length}\r\nv${i}\r\n`);
    }
    assert.equal(text(await client.readRaw()), "+PONG\r\n");
    assert.equal(text(await client.readRaw()), "$13\r\ninline quoted\r\n");
    client.close();
  });
});

Deno.test("a broken frame gets Redis's protocol error and closes only that connection", async () => {
  await withServer(async (port) => {
    const bad = await RespClient.connect(port);
    const good = await RespClient.connect(port);
    await bad.write(bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*1\r\n$x\r\n"));
    assert.equal(text(await bad.readRaw()), "+OK\r\n");
    assert.equal(text(await bad.readRaw()), "-ERR Protocol error: invalid bulk length\r\n");
    assert.equal(await bad.readRaw(), null);
    assert.equal(await call(good, "GET", "k"), "v");
    await bad.write(bytes("*1\r\n$4\r\nPING\r\n")).catch(() => {});
    assert.equal(await call(good, "PING"), "PONG");
    const quotes = await RespClient.connect(port);
    await quotes.write(bytes('SET k "unbalanced\r\n'));
    assert.equal(
      text(await quotes.readRaw()),
      "-ERR Protocol error: unbalanced quotes in request\r\n",
    );
    assert.equal(await quotes.readRaw(), null);
    bad.close();
    good.close();
    quotes.close();
  });
});

Deno.test("CONFIG SET proto-max-bulk-len and client-query-buffer-limit take effect", async () => {
  await withServer(async (port) => {
    const admin = await RespClient.connect(port);
    assert.equal(await call(admin, "CONFIG", "SET", "client-query-buffer-limit", "1mb"), "OK");
    const flood = await RespClient.connect(port);
    const header = bytes("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n");
    await flood.write(new Uint8Array([...header, ...new Uint8Array(1_500_000)])).catch(() => {});
    assert.equal(await flood.readRaw().catch(() => null), null);
    flood.close();
    assert.equal(await call(admin, "CONFIG", "SET", "proto-max-bulk-len", "1mb"), "OK");
    const client = await RespClient.connect(port);
    await client.write(bytes("*2\r\n$3\r\nGET\r\n$2000000\r\n"));
    assert.equal(text(await client.readRaw()), "-ERR Protocol error: invalid bulk length\r\n");
    client.close();
    assert.equal(await call(admin, "PING"), "PONG");
    admin.close();
  });
});

Deno.test("with a password, commands get NOAUTH until AUTH or HELLO AUTH succeeds", async () => {
  await withServer(async (port) => {
    const client = await RespClient.connect(port);
    assert.equal(
      text(await client.send(["GET", "k"])),
      "-NOAUTH Authentication required.\r\n",
    );
    assert.match(text(await client.send(["NOSUCH"])), /^-ERR unknown command 'NOSUCH'/);
    assert.match(
      text(await client.send(["HELLO", "3"])),
      /^-NOAUTH HELLO must be called with the client already authenticated/,
    );
    assert.equal(
      text(await client.send(["AUTH", "wrong"])),
      "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
    );
    assert.equal(await call(client, "AUTH", "s3cret"), "OK");
    assert.equal(await call(client, "SET", "k", "v"), "OK");
    const other = await RespClient.connect(port);
    const hello = await call(other, "HELLO", "3", "AUTH", "default", "s3cret") as Record<
      string,
      unknown
    >;
    assert.equal(hello.proto, 3);
    assert.equal(await call(other, "GET", "k"), "v");
    assert.equal(await call(other, "RESET"), "RESET");
    assert.equal(
      text(await other.send(["GET", "k"])),
      "-NOAUTH Authentication required.\r\n",
    );
    const big = await RespClient.connect(port);
    await big.write(bytes("*100\r\n"));
    assert.equal(
      text(await big.readRaw()),
      "-ERR Protocol error: unauthenticated multibulk length\r\n",
    );
    assert.equal(await big.readRaw(), null);
    const quitter = await RespClient.connect(port);
    assert.equal(await call(quitter, "QUIT"), "OK");
    assert.equal(await quitter.readRaw(), null);
    for (const c of [client, other, big, quitter]) c.close();
  }, { password: "s3cret" });
});

Deno.test("CONFIG SET requirepass applies to new connections", async () => {
  await withServer(async (port) => {
    const admin = await RespClient.connect(port);
    assert.equal(await call(admin, "CONFIG", "SET", "requirepass", "pw"), "OK");
    assert.equal(await call(admin, "PING"), "PONG");
    const late = await RespClient.connect(port);
    assert.equal(text(await late.send(["PING"])), "-NOAUTH Authentication required.\r\n");
    assert.equal(await call(late, "AUTH", "default", "pw"), "OK");
    admin.close();
    late.close();
  });
});

Deno.test("maxclients refuses connections beyond the limit with Redis's error", async () => {
  await withServer(async (port) => {
    const first = await RespClient.connect(port);
    assert.equal(await call(first, "PING"), "PONG");
    const second = await RespClient.connect(port);
    assert.equal(text(await second.readRaw()), "-ERR max number of clients reached\r\n");
    first.close();
    second.close();
  }, { maxClients: 1 });
});

Deno.test("a reply to a write is sent only after its transaction commits", async () => {
  await withServer(async (port, db) => {
    let commits = 0;
    const stop = scopeOf(db).store.onCommit(() => commits++);
    const client = await RespClient.connect(port);
    assert.equal(await call(client, "SET", "k", "v"), "OK");
    assert.equal(commits, 1);
    stop();
    client.close();
  });
});

Deno.test("a failing command does not undo other clients' writes in the same batch", async () => {
  await withServer(async (port, db) => {
    const a = await RespClient.connect(port);
    const b = await RespClient.connect(port);
    await Promise.all([
      a.write(encodeCommand(["SET", "a", "1", "EX", "abc"])),
      b.write(encodeCommand(["SET", "b", "2"])),
    ]);
    assert.equal(text(await a.readRaw()), "-ERR value is not an integer or out of range\r\n");
    assert.equal(text(await b.readRaw()), "+OK\r\n");
    assert.equal(db.get("b"), "2");
    assert.equal(db.get("a"), null);
    a.close();
    b.close();
  });
});

const BOOM = "-ERR a command failed after writing: boom\r\n";

// A trigger that makes SQLite fail with "boom", then SET x 1, RPUSH list a, RPUSH list b c and
// the extra commands, pipelined (one batch); returns the client to read the replies from.
async function pipelineIntoFailure(
  port: number,
  db: Db,
  trigger: string,
  ...more: string[][]
): Promise<RespClient> {
  scopeOf(db).store.sql.exec(
    `CREATE TRIGGER boom ${trigger} BEGIN SELECT RAISE(ABORT, 'boom'); END`,
  );
  const client = await RespClient.connect(port);
  const commands = [
    ["SET", "x", "1"],
    ["RPUSH", "list", "a"],
    ["RPUSH", "list", "b", "c"],
    ...more,
  ];
  await client.write(concatBytes(...commands.map(encodeCommand)));
  return client;
}

Deno.test("a command failing after it wrote rolls back its whole batch, whose replies are errors", async () => {
  await withServer(async (port, db) => {
    // SQLite fails in the middle of LTRIM of a list of several chunks (600 values of 7 to 9
    // bytes, 100 or so a chunk by their bytes), which removes too many elements to pop them one
    // by one: the chunks before are deleted and the one holding the element cut at its left;
    // cutting it at its right fails.
    const values = Array.from({ length: 600 }, (_, i) => `value${i}`);
    const client = await pipelineIntoFailure(
      port,
      db,
      "BEFORE UPDATE ON lists WHEN NEW.count = 1",
      ["RPUSH", "list", ...values],
      ["LTRIM", "list", "450", "450"],
      ["SET", "y", "2"],
    );
    let replies = "";
    while (!replies.endsWith("+OK\r\n")) replies += text(await client.readRaw());
    assert.equal(replies, BOOM.repeat(5) + "+OK\r\n");
    assert.equal(db.get("x"), null);
    assert.equal(db.exists("list"), 0);
    assert.equal(db.get("y"), "2");
    client.close();
  });
});

Deno.test("a kept-back write of a key's row that fails fails its whole batch", async () => {
  await withServer(async (port, db) => {
    // A batch keeps the writes of a cached key's size back to its end (or to the next statement
    // that reads the keys table); SQLite fails on that write, after RPUSH was answered.
    const client = await pipelineIntoFailure(
      port,
      db,
      "BEFORE UPDATE OF size ON keys WHEN NEW.size = 3",
    );
    let replies = "";
    while (replies.length < BOOM.length * 3) replies += text(await client.readRaw());
    assert.equal(replies, BOOM.repeat(3));
    assert.equal(db.get("x"), null);
    assert.equal(db.exists("list"), 0);
    assert.equal(await call(client, "RPUSH", "other", "a", "b"), 2);
    assert.deepEqual(db.lrange("other", 0, -1), ["a", "b"]);
    client.close();
  });
});

Deno.test("CLIENT LIST, INFO, SETINFO and KILL see every connection", async () => {
  await withServer(async (port) => {
    const me = await RespClient.connect(port);
    const other = await RespClient.connect(port);
    assert.equal(await call(other, "CLIENT", "SETNAME", "victim"), "OK");
    assert.equal(await call(me, "CLIENT", "SETINFO", "LIB-NAME", "mylib"), "OK");
    assert.equal(await call(me, "CLIENT", "SETINFO", "lib-ver", "1.2"), "OK");
    assert.match(
      text(await me.send(["CLIENT", "SETINFO", "lib-name", "a b"])),
      /^-ERR lib-name cannot contain spaces/,
    );
    assert.match(
      text(await me.send(["CLIENT", "SETINFO", "x", "y"])),
      /^-ERR Unrecognized option 'x'/,
    );
    const list = await call(me, "CLIENT", "LIST") as string;
    const lines = list.trimEnd().split("\n");
    assert.equal(lines.length, 2);
    assert.match(lines[1], /name=victim .* cmd=client\|setname /);
    const info = await call(me, "CLIENT", "INFO") as string;
    assert.match(
      info,
      /^id=\d+ addr=127\.0\.0\.1:\d+ laddr=127\.0\.0\.1:\d+ .*lib-name=mylib lib-ver=1\.2\n$/,
    );
    const otherId = await call(other, "CLIENT", "ID") as number;
    assert.equal(await call(me, "CLIENT", "KILL", "ID", String(otherId)), 1);
    assert.equal(await other.readRaw(), null);
    assert.equal(await call(me, "CLIENT", "KILL", "ID", String(otherId)), 0);
    me.close();
    other.close();
  });
});

Deno.test("WAIT for replicas waits out its timeout and the commands after it keep their order", async () => {
  await withServer(async (port) => {
    const client = await RespClient.connect(port);
    const started = Date.now();
    await client.write(
      new Uint8Array([...encodeCommand(["WAIT", "1", "50"]), ...encodeCommand(["PING"])]),
    );
    assert.equal(text(await client.readRaw()), ":0\r\n");
    assert.ok(Date.now() - started >= 45);
    assert.equal(text(await client.readRaw()), "+PONG\r\n");
    await client.write(encodeCommand(["WAIT", "1", "0"]));
    client.close();
  });
});

Deno.test("INFO reports Redis's sections and the keyspace", async () => {
  await withServer(async (port) => {
    const client = await RespClient.connect(port);
    await call(client, "SET", "a", "1");
    await call(client, "SET", "b", "2", "EX", "100");
    await call(client, "SELECT", "3");
    await call(client, "SET", "c", "3");
    const info = await call(client, "INFO") as string;
    for (const section of ["Server", "Clients", "Memory", "Persistence", "Stats", "Keyspace"]) {
      assert.match(info, new RegExp(`^# ${section}\r$`, "m"));
    }
    assert.match(info, /^loading:0\r$/m);
    assert.match(info, /^redis_version:7\.0\.15\r$/m);
    assert.match(info, /^connected_clients:1\r$/m);
    assert.match(info, /^db0:keys=2,expires=1,avg_ttl=\d+\r$/m);
    assert.match(info, /^db3:keys=1,expires=0,avg_ttl=0\r$/m);
    const keyspace = await call(client, "INFO", "keyspace") as string;
    assert.ok(keyspace.startsWith("# Keyspace\r\n"));
    assert.ok(!keyspace.includes("# Server"));
    await call(client, "HELLO", "3");
    const verbatim = await client.call("INFO", "server");
    assert.equal(verbatim.type, "verbatim");
    client.close();
  });
});

Deno.test("SHUTDOWN stops the server without a reply", async () => {
  const db = Db.openMemory();
  const server = serve(db, { port: 0 });
  const client = await RespClient.connect(server.port);
  await client.write(encodeCommand(["SHUTDOWN", "NOSAVE"]));
  assert.equal(await client.readRaw(), null);
  await server.finished;
  await assert.rejects(() => Deno.connect({ hostname: "127.0.0.1", port: server.port }));
  client.close();
  db.close();
});

Deno.test("SAVE and BGSAVE checkpoint the file and move LASTSAVE", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/data.db`;
    const db = Db.open(path);
    const server = serve(db, { port: 0 });
    try {
      const client = await RespClient.connect(server.port);
      await call(client, "SET", "k", "v");
      assert.equal(await call(client, "SAVE"), "OK");
      assert.equal(await call(client, "BGSAVE"), "Background saving started");
      const lastSave = await call(client, "LASTSAVE") as number;
      assert.ok(Math.abs(lastSave - Date.now() / 1000) < 5);
      assert.equal((await Deno.stat(`${path}-wal`)).size, 0);
      client.close();
    } finally {
      await server.close();
      db.close();
    }
  });
});

Deno.test("CONFIG SET timeout closes clients idle for longer", async () => {
  await withServer(async (port) => {
    const client = await RespClient.connect(port);
    assert.equal(await call(client, "CONFIG", "SET", "timeout", "1"), "OK");
    const started = Date.now();
    assert.equal(await client.readRaw(), null);
    assert.ok(Date.now() - started >= 900);
    client.close();
  });
});
