/**
 * The least a Deno server can do per request, to measure Redlite's server against: it answers
 * every PING with `+PONG` and nothing else, with no parsing beyond counting the commands (every
 * one must be the 14 bytes of `*1\r\n$4\r\nPING\r\n`, as redis-benchmark's PING_MBULK sends) and
 * no database. Its requests per second and CPU time per request against redis-server's are the
 * floor of what Deno's sockets allow on the machine; `deno task bench:server --floor` runs it.
 *
 * ```sh
 * deno run --allow-net bench/deno_floor_server.ts --port 7000
 * redis-benchmark -p 7000 -t ping_mbulk -c 50
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { socketReader } from "../src/server/socket_reader.ts";

const { values } = parseArgs({ args: Deno.args, options: { port: { type: "string" } } });
const PING_FRAME_BYTES = 14;
const PONG = new TextEncoder().encode("+PONG\r\n");
// Replies to a pipeline of up to 64 PINGs, written at once.
const PONGS = new Uint8Array(PONG.length * 64).map((_, i) => PONG[i % PONG.length]);

/** One client: read, answer the complete PINGs, read again. */
async function serve(conn: Deno.TcpConn): Promise<void> {
  conn.setNoDelay(true);
  const buffer = new Uint8Array(16 * 1024);
  // Read as Redlite's server reads (straight through Deno's read operation where it can).
  const read = socketReader(conn);
  let partial = 0; // bytes of an incomplete PING carried over
  try {
    for (;;) {
      const count = await read(buffer);
      if (!count) break;
      let pings = Math.floor((partial + count) / PING_FRAME_BYTES);
      partial = (partial + count) % PING_FRAME_BYTES;
      for (; pings > 0; pings -= 64) {
        await conn.write(PONGS.subarray(0, Math.min(pings, 64) * PONG.length));
      }
    }
  } catch {
    // the client went away
  } finally {
    conn.close();
  }
}

const listener = Deno.listen({ hostname: "127.0.0.1", port: Number(values.port ?? 7000) });
for await (const conn of listener) serve(conn);
