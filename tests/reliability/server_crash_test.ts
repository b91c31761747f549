/**
 * Crash safety of the server: it runs as a child process on a database file, several clients
 * write to it with pipelining, it is killed with SIGKILL at a random moment, and after each
 * restart every acknowledged write, counter increment, list push and list pop is there (a list
 * is a queue of numbered elements: RPUSH at the tail, LPOP at the head). Then graceful shutdown:
 * SIGTERM and SHUTDOWN answer what is in flight, fold the write-ahead log into the file and exit 0.
 */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Db } from "../../mod.ts";
import { encodeCommand, RespClient } from "../_helpers/resp_client.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { type ServerProcess, startServer } from "../_helpers/server_process.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** What one client has been told is done. */
interface Acknowledged {
  /** Keys whose SET was answered +OK, with their values. */
  sets: Map<string, string>;
  /** The largest value an INCR of the client's counter answered. */
  counter: number;
  /** How many INCRs the client sent (answered or not). */
  incrsSent: number;
  /** The next key number. */
  next: number;
  /** The number the next RPUSH to the client's list pushes. */
  nextPush: number;
  /** The number the next LPOP of the client's list should return (when not empty). */
  nextPop: number;
  /** One more than the largest number whose RPUSH was answered. */
  pushedThrough: number;
  /** One more than the largest number an LPOP answered. */
  poppedThrough: number;
}

type Sent = { key: string; value: string } | "incr" | { push: number } | "pop";

/**
 * Writes to the server until the connection breaks: pipelines of SETs and INCRs, recording each
 * acknowledgement as its reply arrives.
 */
async function writeUntilKilled(
  port: number,
  id: number,
  acked: Acknowledged,
  random: SeededRandom,
): Promise<void> {
  let client: RespClient;
  try {
    client = await RespClient.connect(port);
  } catch {
    return; // killed before this client connected
  }
  try {
    for (;;) {
      const depth = random.range(1, 32);
      const sent: Sent[] = [];
      const parts: Uint8Array[] = [];
      for (let i = 0; i < depth; i++) {
        const choice = random.int(6);
        if (choice === 0) {
          const pushed = acked.nextPush++;
          parts.push(
            encodeCommand(["RPUSH", `list:${id}`, `${pushed}:${"y".repeat(random.int(300))}`]),
          );
          sent.push({ push: pushed });
        } else if (choice === 1) {
          parts.push(encodeCommand(["LPOP", `list:${id}`]));
          sent.push("pop");
        } else if (choice === 2) {
          parts.push(encodeCommand(["INCR", `counter:${id}`]));
          sent.push("incr");
          acked.incrsSent++;
        } else {
          const key = `key:${id}:${acked.next++}`;
          const value = `${key}:${"x".repeat(random.int(200))}`;
          parts.push(encodeCommand(["SET", key, value]));
          sent.push({ key, value });
        }
      }
      await client.write(new Uint8Array(parts.flatMap((part) => [...part])));
      for (const command of sent) {
        const reply = await client.readRaw();
        if (reply === null) return;
        if (command === "incr") {
          const match = text(reply).match(/^:(\d+)\r\n$/);
          assert.ok(match, text(reply));
          acked.counter = Math.max(acked.counter, Number(match[1]));
        } else if (command === "pop") {
          // The head of the queue, in order, each number once; or nothing when it is empty.
          if (text(reply) === "$-1\r\n") continue;
          const popped = Number(text(reply).match(/^\$\d+\r\n(\d+):/)?.[1]);
          assert.equal(popped, acked.nextPop, text(reply));
          acked.nextPop++;
          acked.poppedThrough = acked.nextPop;
        } else if ("push" in command) {
          assert.match(text(reply), /^:\d+\r\n$/);
          acked.pushedThrough = command.push + 1;
        } else {
          assert.equal(text(reply), "+OK\r\n");
          acked.sets.set(command.key, command.value);
        }
      }
    }
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    // The connection broke: the server was killed.
  } finally {
    client.close();
  }
}

function checkAcknowledged(path: string, clients: Acknowledged[], round: number): void {
  const sqlite = new DatabaseSync(path);
  assert.deepEqual({ ...sqlite.prepare("PRAGMA integrity_check").get() }, {
    integrity_check: "ok",
  });
  sqlite.close();
  const db = Db.open(path); // the file always opens
  clients.forEach((acked, id) => {
    for (const [key, value] of acked.sets) {
      assert.equal(db.get(key), value, `round ${round}: acknowledged ${key} is lost`);
    }
    const counter = Number(db.get(`counter:${id}`) ?? "0");
    assert.ok(
      counter >= acked.counter,
      `round ${round}: counter:${id} is ${counter}, ${acked.counter} was acknowledged`,
    );
    assert.ok(counter <= acked.incrsSent, `round ${round}: counter:${id} counts phantom INCRs`);
    // The queue holds consecutive numbers: none acknowledged as popped, every one acknowledged as
    // pushed and not popped since. The client goes on from what the file holds.
    const numbers = db.lrange(`list:${id}`, 0, -1).map((element) => Number(element.split(":")[0]));
    numbers.forEach((n, i) =>
      assert.equal(n, numbers[0] + i, `round ${round}: list:${id} has a gap`)
    );
    if (numbers.length > 0) {
      assert.ok(numbers[0] >= acked.poppedThrough, `round ${round}: a popped element is back`);
      const end = numbers[numbers.length - 1] + 1;
      assert.ok(end >= acked.pushedThrough, `round ${round}: an acknowledged push is lost`);
      acked.nextPop = numbers[0];
      acked.nextPush = end;
    } else {
      // All pushed were popped: the next pop returns the next push.
      acked.nextPop = acked.nextPush;
    }
  });
  db.close();
}

Deno.test({
  name: "server killed with SIGKILL under pipelined writes loses no acknowledged write",
  sanitizeResources: false,
  async fn() {
    const seed = Date.now() & 0xffff;
    const random = new SeededRandom(seed);
    const dir = await Deno.makeTempDir();
    const path = `${dir}/crash.db`;
    const clients: Acknowledged[] = Array.from({ length: 4 }, () => ({
      sets: new Map(),
      counter: 0,
      incrsSent: 0,
      next: 0,
      nextPush: 0,
      nextPop: 0,
      pushedThrough: 0,
      poppedThrough: 0,
    }));
    try {
      for (let round = 0; round < 12; round++) {
        const server = await startServer(["--port", "0", "--db", path]);
        const writers = clients.map((acked, id) =>
          writeUntilKilled(server.port, id, acked, new SeededRandom(seed * 31 + round * 7 + id))
        );
        // A random moment: between 20 and 400 ms into the writes.
        await new Promise((resolve) => setTimeout(resolve, random.range(20, 400)));
        const status = await server.stop("SIGKILL");
        assert.equal(status.signal, "SIGKILL", `seed ${seed}`);
        await Promise.all(writers);
        checkAcknowledged(path, clients, round);
      }
      const total = clients.reduce((sum, acked) => sum + acked.sets.size + acked.counter, 0);
      assert.ok(total > 1000, `only ${total} writes were acknowledged in 12 rounds`);
      const unanswered = clients.reduce((sum, acked) => sum + acked.incrsSent - acked.counter, 0);
      const queued = clients.reduce((sum, acked) => sum + acked.pushedThrough, 0);
      const dequeued = clients.reduce((sum, acked) => sum + acked.poppedThrough, 0);
      assert.ok(queued > 100 && dequeued > 100, `${queued} pushes, ${dequeued} pops acknowledged`);
      console.log(
        `  12 SIGKILLs (seed ${seed}): ${total} acknowledged writes all found, ` +
          `lists as ${queued} pushes and ${dequeued} pops left them; ` +
          `${unanswered} INCRs were in flight at a kill`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Sends a long pipeline of SETs without reading, and returns the replies that come back. */
async function pipelineInFlight(server: ServerProcess, name: number, count: number): Promise<{
  client: RespClient;
  replies: Promise<number>;
}> {
  const client = await RespClient.connect(server.port);
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(encodeCommand(["SET", `flight:${name}:${i}`, String(i)]));
  }
  await client.write(new Uint8Array(parts.flatMap((part) => [...part])));
  const replies = (async () => {
    let answered = 0;
    for (;;) {
      const reply = await client.readRaw().catch(() => null);
      if (reply === null) return answered;
      assert.equal(text(reply), "+OK\r\n");
      answered++;
    }
  })();
  return { client, replies };
}

async function walSize(path: string): Promise<number> {
  try {
    return (await Deno.stat(`${path}-wal`)).size;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return 0;
    throw error;
  }
}

for (const how of ["SIGTERM", "SHUTDOWN"] as const) {
  Deno.test(`${how} answers what is in flight, checkpoints the WAL and exits 0`, async () => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/graceful.db`;
    try {
      const server = await startServer(["--port", "0", "--db", path]);
      // Another process's connection keeps the file open: the server is not its last user, so
      // only its own checkpoint empties the WAL.
      const other = Db.open(path);
      const first = await RespClient.connect(server.port);
      assert.equal(text(await first.send(["SET", "before", "1"])), "+OK\r\n");
      const flights = await Promise.all(
        [0, 1, 2].map((name) => pipelineInFlight(server, name, 20_000)),
      );
      if (how === "SIGTERM") {
        server.child.kill("SIGTERM");
      } else {
        await first.write(encodeCommand(["SHUTDOWN"]));
        assert.equal(await first.readRaw(), null); // SHUTDOWN has no reply
      }
      const status = await server.stop("SIGTERM");
      assert.equal(status.code, 0, server.stderr());
      assert.equal(server.stderr(), "");
      const answered = await Promise.all(flights.map((flight) => flight.replies));
      for (const flight of flights) flight.client.close();
      first.close();
      assert.equal(await walSize(path), 0, "the WAL was not checkpointed");
      other.close();
      const db = Db.open(path);
      assert.equal(db.get("before"), "1");
      // Every SET answered is in the file; the pipelines were cut between two commands.
      answered.forEach((count, name) => {
        for (let i = 0; i < count; i++) assert.equal(db.get(`flight:${name}:${i}`), String(i));
      });
      db.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
