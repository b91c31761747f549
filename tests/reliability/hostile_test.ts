/**
 * Hostile input at the server level: thousands of connections send garbage, truncated frames,
 * oversize lengths, huge inline lines, or dribble bytes slowly, and go away rudely. The server
 * stays up, answers PING throughout, and a well-behaved client's data is intact.
 */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Db } from "../../mod.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { startServer } from "../_helpers/server_process.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const encoder = new TextEncoder();
const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

/** What a hostile connection sends first. */
function hostilePayload(random: SeededRandom, n: number): Uint8Array {
  const kinds: (() => string | Uint8Array)[] = [
    // Garbage: random bytes.
    () => Uint8Array.from({ length: random.range(1, 4096) }, () => random.int(256)),
    // Truncated frames.
    () => "*3\r\n$3\r\nSET\r\n$1\r\nk",
    () => "*2\r\n$3\r\nGET\r",
    () => "*5\r\n",
    // Oversize lengths.
    () => "*1\r\n$999999999999\r\n",
    () => "*99999999999\r\n",
    () => "*2\r\n$3\r\nGET\r\n$536870912\r\nabc",
    () => "*1\r\n$-7\r\n",
    () => `*${2 ** 31}\r\n`,
    // Wrong types in the frame.
    () => "*1\r\n+PING\r\n",
    () => "*x\r\n",
    // An inline line past 64 KB without its newline.
    () => "G".repeat(70_000),
    // Unbalanced quotes, NULs, empty lines.
    () => 'SET k "open\r\n',
    () => "\0\0\0\r\n\r\n\r\n",
    // A valid command of its own, then garbage.
    () => `SET hostile:${n} x\r\n\x80\x81$%*\r\n*1\r\n$1`,
  ];
  const payload = random.pick(kinds)();
  return typeof payload === "string" ? encoder.encode(payload) : payload;
}

/** One hostile connection: sends its payload in one of several rude ways, then leaves. */
async function attack(port: number, random: SeededRandom, n: number): Promise<void> {
  const payload = hostilePayload(random, n);
  const style = random.int(4);
  let conn: Deno.Conn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch {
    return;
  }
  try {
    if (style === 0) {
      // Slow writer: a byte at a time.
      for (const byte of payload.subarray(0, 20)) {
        await conn.write(Uint8Array.of(byte));
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    } else {
      await conn.write(payload);
    }
    if (style === 1) {
      // Reads what the server answers until it closes, or 300 ms pass.
      const sink = new Uint8Array(64 * 1024);
      const deadline = setTimeout(() => conn.close(), 300);
      while (await conn.read(sink) !== null);
      clearTimeout(deadline);
    }
    // Styles 2 and 3 leave at once, with the replies unread (a reset).
  } catch {
    // The server closed a connection that broke the protocol: expected.
  } finally {
    try {
      conn.close();
    } catch {
      // closed already
    }
  }
}

Deno.test({
  name: "thousands of hostile connections: the server stays up, answers PING, loses nothing",
  sanitizeResources: false,
  async fn() {
    const seed = Date.now() & 0xffff;
    await withTempDir(async (dir) => {
      const path = `${dir}/hostile.db`;
      const server = await startServer(["--port", "0", "--db", path]);
      let exited = false;
      server.child.status.then(() => exited = true);
      try {
        const good = await RespClient.connect(server.port);
        const pinger = await RespClient.connect(server.port);
        let attacking = true;
        let pings = 0;
        let slowestPing = 0;
        const pinging = (async () => {
          while (attacking) {
            const started = performance.now();
            const reply = await Promise.race([
              pinger.send(["PING"]),
              new Promise<Uint8Array>((_, reject) =>
                setTimeout(() => reject(new Error("PING got no answer in 5 s")), 5000)
              ),
            ]);
            assert.equal(text(reply), "+PONG\r\n");
            slowestPing = Math.max(slowestPing, performance.now() - started);
            pings++;
          }
        })();
        const total = 5000;
        const concurrency = 250;
        let launched = 0;
        let goodWrites = 0;
        // The well-behaved client keeps writing during the attack.
        const writing = (async () => {
          while (attacking) {
            const reply = await good.send(["SET", `good:${goodWrites}`, `v${goodWrites}`]);
            assert.equal(text(reply), "+OK\r\n");
            goodWrites++;
          }
        })();
        const lanes = Array.from({ length: concurrency }, async () => {
          while (launched < total) {
            const n = launched++;
            await attack(server.port, new SeededRandom(seed * 7919 + n), n);
          }
        });
        await Promise.all(lanes);
        attacking = false;
        await Promise.all([pinging, writing]);
        assert.ok(!exited, `the server exited: ${server.stderr()}`);
        assert.ok(pings > 10, `only ${pings} PINGs were answered during the attack`);
        for (let i = 0; i < goodWrites; i++) {
          assert.equal(
            text(await good.send(["GET", `good:${i}`])),
            `$${`v${i}`.length}\r\nv${i}\r\n`,
          );
        }
        // Every hostile connection is gone: only the two good ones remain.
        const deadline = Date.now() + 10_000;
        let clients = "";
        for (;;) {
          clients = text(await good.send(["INFO", "clients"]));
          if (/connected_clients:2\r\n/.test(clients) || Date.now() > deadline) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        assert.match(clients, /connected_clients:2\r\n/);
        good.close();
        pinger.close();
        console.log(
          `  ${total} hostile connections (seed ${seed}): ${pings} PINGs answered, slowest ` +
            `${slowestPing.toFixed(0)} ms; ${goodWrites} good writes intact`,
        );
        const status = await server.stop("SIGTERM");
        assert.equal(status.code, 0);
        assert.equal(server.stderr(), ""); // nothing unexpected was logged
        const sqlite = new DatabaseSync(path);
        assert.equal(sqlite.prepare("PRAGMA integrity_check").get()?.integrity_check, "ok");
        sqlite.close();
        const db = Db.open(path);
        assert.equal(db.keys("good:*").length, goodWrites);
        db.close();
      } finally {
        await server.stop();
      }
    });
  },
});
