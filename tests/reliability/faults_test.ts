/**
 * Faults below the server: a full disk, another process holding the write lock, and the
 * embedded Db and the server counting on one key at once.
 */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Db } from "../../mod.ts";
import { encodeCommand, RespClient } from "../_helpers/resp_client.ts";
import { startServer } from "../_helpers/server_process.ts";

const encoder = new TextEncoder();
const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());
const DISK_FULL = "-MISCONF Errors writing to the database file: database or disk is full\r\n";

function run(program: string, args: string[]): boolean {
  try {
    return new Deno.Command(program, { args, stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

/** Whether this process may mount a tmpfs (root, or CAP_SYS_ADMIN): tried once on a probe. */
const CAN_MOUNT_TMPFS: boolean = (() => {
  if (Deno.build.os !== "linux") return false;
  const probe = Deno.makeTempDirSync();
  try {
    if (!run("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe])) return false;
    return run("umount", [probe]);
  } finally {
    Deno.removeSync(probe);
  }
})();

function integrityCheck(path: string): string {
  const sqlite = new DatabaseSync(path);
  try {
    return String(sqlite.prepare("PRAGMA integrity_check").get()?.integrity_check);
  } finally {
    sqlite.close();
  }
}

/** Reads lines from a child's stdout. */
function lines(stream: ReadableStream<Uint8Array>): () => Promise<string> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let pending = "";
  return async () => {
    while (!pending.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the child closed its output: ${pending}`);
      pending += value;
    }
    const end = pending.indexOf("\n");
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    return line;
  };
}

function fixture(name: string, args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(`../fixtures/${name}`, import.meta.url).pathname, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
    signal: AbortSignal.timeout(120_000), // a stuck child is killed and the test fails
  }).spawn();
}

Deno.test({
  name: "disk full: writes get MISCONF, reads and the server go on, writes resume once freed",
  ignore: !CAN_MOUNT_TMPFS,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      assert.ok(run("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", dir]));
      const path = `${dir}/full.db`;
      const server = await startServer(["--port", "0", "--db", path]);
      const client = await RespClient.connect(server.port);
      // Leaves about 2 MB for the database and its write-ahead log.
      await Deno.writeFile(`${dir}/filler`, new Uint8Array(2 * 1024 * 1024));
      const value = "v".repeat(50_000);
      const acknowledged: string[] = [];
      let reply = "";
      for (let i = 0; i < 1000; i++) {
        reply = text(await client.send(["SET", `big:${i}`, value]));
        if (reply !== "+OK\r\n") break;
        acknowledged.push(`big:${i}`);
      }
      assert.equal(reply, DISK_FULL);
      assert.ok(acknowledged.length > 0);
      // Reads keep working, and small writes that fit may still go through.
      assert.equal(text(await client.send(["STRLEN", acknowledged[0]])), ":50000\r\n");
      assert.equal(text(await client.send(["DBSIZE"])), `:${acknowledged.length}\r\n`);
      // A pipelined batch: the big write fails, and so does every command of its transaction.
      const pipeline = [
        encodeCommand(["SET", "batch:a", "1"]),
        encodeCommand(["SET", "batch:big", "w".repeat(200_000)]),
        encodeCommand(["SET", "batch:b", "2"]),
      ];
      await client.write(new Uint8Array(pipeline.flatMap((command) => [...command])));
      const replies = [await client.readRaw(), await client.readRaw(), await client.readRaw()]
        .map(text);
      assert.equal(replies[1], DISK_FULL);
      // What was acknowledged is there, what failed is not: nothing silently lost or applied.
      for (const [key, answer] of [["batch:a", replies[0]], ["batch:b", replies[2]]]) {
        assert.ok(answer === "+OK\r\n" || answer === DISK_FULL, answer);
        const exists = text(await client.send(["EXISTS", key]));
        assert.equal(exists, answer === "+OK\r\n" ? ":1\r\n" : ":0\r\n", key);
      }
      assert.equal(text(await client.send(["EXISTS", "batch:big"])), ":0\r\n");
      assert.equal(text(await client.send(["PING"])), "+PONG\r\n");
      // Space is freed: writes work again.
      await Deno.remove(`${dir}/filler`);
      assert.equal(text(await client.send(["SET", "after", value])), "+OK\r\n");
      assert.equal(text(await client.send(["SET", "batch:big", "w".repeat(200_000)])), "+OK\r\n");
      client.close();
      const status = await server.stop("SIGTERM");
      assert.equal(status.code, 0, server.stderr());
      assert.match(server.stderr(), /database or disk is full/); // the operator is told
      assert.equal(integrityCheck(path), "ok");
      const db = Db.open(path);
      for (const key of [...acknowledged, "after", "batch:big"]) {
        assert.equal(db.exists(key), 1, `${key} was lost`);
      }
      db.close();
    } finally {
      run("umount", [dir]);
      await Deno.remove(dir, { recursive: true });
    }
  },
});

const HAS_PRLIMIT = run("prlimit", ["--version"]);

Deno.test({
  name: "file-size limit: the server survives SIGXFSZ, answers MISCONF, reads go on",
  ignore: !HAS_PRLIMIT,
  async fn() {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/limited.db`;
    try {
      // No file of the server may grow past 3 MB (the database, its WAL).
      const server = await startServer(["--port", "0", "--db", path], {
        wrapper: ["prlimit", "--fsize=3000000"],
      });
      const client = await RespClient.connect(server.port);
      const value = "v".repeat(50_000);
      const acknowledged: string[] = [];
      let reply = "";
      for (let i = 0; i < 1000; i++) {
        reply = text(await client.send(["SET", `big:${i}`, value]));
        if (reply !== "+OK\r\n") break;
        acknowledged.push(`big:${i}`);
      }
      assert.match(reply, /^-MISCONF Errors writing to the database file: /);
      assert.ok(acknowledged.length > 10, `${acknowledged.length} values fitted`);
      assert.equal(text(await client.send(["STRLEN", acknowledged[0]])), ":50000\r\n");
      assert.equal(text(await client.send(["DBSIZE"])), `:${acknowledged.length}\r\n`);
      // Room made inside the file: writes that fit in it work again.
      const removed = acknowledged.splice(0, 10);
      assert.equal(text(await client.send(["DEL", ...removed])), ":10\r\n");
      assert.equal(text(await client.send(["SET", "small", "1"])), "+OK\r\n");
      client.close();
      const status = await server.stop("SIGTERM");
      assert.equal(status.code, 0, server.stderr());
      assert.equal(integrityCheck(path), "ok");
      const db = Db.open(path);
      for (const key of [...acknowledged, "small"]) assert.equal(db.exists(key), 1, key);
      for (const key of removed) assert.equal(db.exists(key), 0, key);
      db.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("a write lock held by another process: writes wait the busy timeout, then a clear error", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/busy.db`;
  try {
    const server = await startServer(["--port", "0", "--db", path, "--busy-timeout", "300"]);
    const client = await RespClient.connect(server.port);
    assert.equal(text(await client.send(["SET", "before", "1"])), "+OK\r\n");
    const holder = fixture("lock_holder.ts", [path]);
    const readLine = lines(holder.stdout);
    assert.equal(await readLine(), "locked");
    const started = performance.now();
    const busy = text(await client.send(["SET", "during", "1"]));
    const waited = performance.now() - started;
    assert.equal(
      busy,
      "-ERR database is locked: another process held the write lock for longer than the busy " +
        "timeout (300 ms)\r\n",
    );
    assert.ok(waited >= 250, `answered after ${waited} ms`);
    // Reads go on while the lock is held; a pipeline's writes all fail together.
    assert.equal(text(await client.send(["GET", "before"])), "$1\r\n1\r\n");
    await client.write(
      new Uint8Array([
        ...encodeCommand(["GET", "before"]),
        ...encodeCommand(["INCR", "counter"]),
        ...encodeCommand(["SET", "during", "2"]),
      ]),
    );
    assert.equal(text(await client.readRaw()), "$1\r\n1\r\n");
    assert.match(text(await client.readRaw()), /^-ERR database is locked/);
    assert.match(text(await client.readRaw()), /^-ERR database is locked/);
    // The lock is released: writes work again, and none of the failed ones was applied.
    const writer = holder.stdin.getWriter();
    await writer.write(encoder.encode("go\n"));
    await writer.close();
    assert.equal(await readLine(), "released");
    assert.equal((await holder.status).code, 0);
    assert.equal(text(await client.send(["EXISTS", "during", "counter"])), ":0\r\n");
    assert.equal(text(await client.send(["SET", "after", "1"])), "+OK\r\n");
    client.close();
    const status = await server.stop("SIGTERM");
    assert.equal(status.code, 0, server.stderr());
    assert.equal(integrityCheck(path), "ok");
    const db = Db.open(path);
    assert.deepEqual([db.get("before"), db.get("during"), db.get("after")], ["1", null, "1"]);
    db.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the embedded Db and the server, 10,000 INCRs each on one key: exactly 20,000", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/counter.db`;
  const n = 10_000;
  try {
    const server = await startServer(["--port", "0", "--db", path]);
    const peer = fixture("incr_peer.ts", [path, "counter", String(n)]);
    const readLine = lines(peer.stdout);
    assert.equal(await readLine(), "ready");
    const writer = peer.stdin.getWriter();
    await writer.write(encoder.encode("go\n"));
    await writer.close();
    // The server's share: 10,000 INCRs, pipelined 50 at a time, while the peer runs its own.
    const client = await RespClient.connect(server.port);
    const serverValues: number[] = [];
    const incr = encodeCommand(["INCR", "counter"]);
    for (let sent = 0; sent < n; sent += 50) {
      const pipeline = new Uint8Array(incr.length * 50);
      for (let i = 0; i < 50; i++) pipeline.set(incr, i * incr.length);
      await client.write(pipeline);
      for (let i = 0; i < 50; i++) {
        const reply = text(await client.readRaw());
        assert.match(reply, /^:\d+\r\n$/);
        serverValues.push(Number(reply.slice(1)));
      }
    }
    const peerValues = JSON.parse(await readLine()) as number[];
    assert.equal((await peer.status).code, 0);
    assert.equal(text(await client.send(["GET", "counter"])), "$5\r\n20000\r\n");
    client.close();
    // Every INCR saw a value of its own: together they are exactly 1..20000.
    const all = [...serverValues, ...peerValues].sort((a, b) => a - b);
    assert.equal(all.length, 2 * n);
    all.forEach((value, i) => assert.equal(value, i + 1));
    // Both start at once, but how much they overlap is the scheduler's choice (on a loaded
    // machine one may finish first): the count above is what must hold whatever the overlap.
    assert.equal((await server.stop("SIGTERM")).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
