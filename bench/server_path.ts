/**
 * The server's whole path for a request without the kernel's sockets: clients on in-memory
 * connections send one command over and over to a real `Server` on a file database, each its next
 * request as soon as its reply is written, so that every batch holds every client (`--clients`,
 * as many as a batch of redis-benchmark's `-c 50` holds). What it times is Redlite's own work per
 * request: decoding, the batch and its transaction, the command, the reply and the connection's
 * callbacks. Prints the time per request, median of interleaved rounds, for this checkout and,
 * with `--before`, another: where `bench/batch_commands.ts` times the commands alone, this times
 * what the server adds around them. `--memory` serves an in-memory database instead (no WAL).
 *
 * A command is sent as it is written (no `__rand_int__` as redis-benchmark expands), and must be
 * answered once per request without closing the connection or blocking: a QUIT or a BLPOP that
 * waits would leave its round unfinished. Commands run in the order given on one database, so an
 * RPOP after an LPUSH pops what the LPUSH rounds pushed.
 *
 * ```sh
 * deno run -A bench/server_path.ts "PING" "SET k xxx" "LPUSH mylist xxx" "RPOP mylist"
 * deno run -A bench/server_path.ts --before ../redlite-main --clients 27 --rounds 9 "GET k"
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { printInterleaved } from "./interleaved.ts";
import { concatBytes } from "../src/db/bytes.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    before: { type: "string" },
    clients: { type: "string", default: "27" },
    rounds: { type: "string", default: "9" },
    requests: { type: "string", default: "50000" },
    memory: { type: "boolean", default: false },
  },
});

const clients = Number(values.clients);
const rounds = Number(values.rounds);
const requests = Number(values.requests);
const commands = positionals.length > 0 ? positionals : ["PING", "SET k xxx", "LPUSH l xxx"];
if (!(clients >= 1 && requests >= clients && rounds >= 1)) {
  console.error(
    "--clients, --rounds and --requests must be at least 1, and --requests >= --clients",
  );
  Deno.exit(1);
}
const ROOT = new URL("..", import.meta.url).pathname;

/** A command's request as a client sends it (RESP2 array of bulk strings). */
function request(command: string): Uint8Array {
  const encoder = new TextEncoder();
  const words = command.split(" ");
  const parts = [encoder.encode(`*${words.length}\r\n`)];
  for (const word of words) {
    const bytes = encoder.encode(word);
    parts.push(encoder.encode(`$${bytes.length}\r\n`), bytes, encoder.encode("\r\n"));
  }
  return concatBytes(...parts);
}

/**
 * One client's end of an in-memory connection: `read` gets the next request once the driver
 * gives one, `write` counts the reply and tells the driver.
 */
class FakeConn {
  readonly remoteAddr: Deno.NetAddr;
  readonly localAddr: Deno.NetAddr = { transport: "tcp", hostname: "127.0.0.1", port: 6767 };
  #waiting: { buffer: Uint8Array; resolve: (count: number | null) => void } | null = null;
  #inbox: Uint8Array | null = null;
  readonly #onReply: (conn: FakeConn) => void;

  constructor(port: number, onReply: (conn: FakeConn) => void) {
    this.remoteAddr = { transport: "tcp", hostname: "127.0.0.1", port };
    this.#onReply = onReply;
  }

  /** The driver hands the next request: a waiting read gets it at once. */
  send(bytes: Uint8Array): void {
    if (this.#waiting === null) {
      this.#inbox = bytes;
      return;
    }
    const { buffer, resolve } = this.#waiting;
    this.#waiting = null;
    buffer.set(bytes);
    resolve(bytes.length);
  }

  read(buffer: Uint8Array): Promise<number | null> {
    const bytes = this.#inbox;
    if (bytes === null) return new Promise((resolve) => this.#waiting = { buffer, resolve });
    this.#inbox = null;
    buffer.set(bytes);
    return Promise.resolve(bytes.length);
  }

  write(bytes: Uint8Array): Promise<number> {
    this.#onReply(this);
    return Promise.resolve(bytes.length);
  }

  close(): void {
    this.#waiting?.resolve(null);
    this.#waiting = null;
  }
}

/** One checkout's server and clients, and what runs a round of one command on them. */
interface Side {
  name: string;
  round: (bytes: Uint8Array, count: number) => Promise<number>;
  close: () => Promise<void>;
}

async function open(checkout: string, name: string, dir: string): Promise<Side> {
  const root = checkout.replace(/\/?$/, "/");
  const { Db } = await import(`${root}mod.ts`);
  const { Server } = await import(`${root}src/server/server.ts`);
  const { Connection } = await import(`${root}src/server/connection.ts`);
  const db = values.memory ? Db.openMemory() : Db.open(`${dir}/${name}.db`);
  const server = Server.listen(db, { port: 0 });
  // The round that runs: how many requests are left to send, and what ends it.
  let left = 0;
  let replies = 0;
  let current: Uint8Array = new Uint8Array();
  let roundDone = () => {};
  const onReply = (conn: FakeConn) => {
    replies++;
    if (left > 0) {
      left--;
      conn.send(current);
    } else if (replies === sent) roundDone();
  };
  let sent = 0;
  const conns = Array.from({ length: clients }, (_, i) => new FakeConn(40000 + i, onReply));
  const connections = conns.map((conn, i) => new Connection(server, conn, 1000 + i));
  return {
    name,
    round(bytes, count) {
      current = bytes;
      replies = 0;
      sent = count;
      left = count - conns.length;
      const start = performance.now();
      const done = new Promise<void>((resolve) => roundDone = resolve);
      for (const conn of conns) conn.send(bytes);
      return done.then(() => ((performance.now() - start) * 1000) / count);
    },
    async close() {
      for (const connection of connections) connection.kill();
      await server.close();
      db.close();
    },
  };
}

const dir = await Deno.makeTempDir({ prefix: "redlite-server-path-" });
const sides: Side[] = [];
try {
  sides.push(await open(ROOT, "this", dir));
  if (values.before !== undefined) sides.push(await open(values.before, "before", dir));
  console.log(
    `µs per request, median of ${rounds} interleaved rounds of ${requests}, ${clients} clients a batch`,
  );
  await printInterleaved({
    rows: commands,
    sides: sides.map((side) => side.name),
    rounds,
    time: (command, i) => sides[i].round(request(command), requests),
  });
} finally {
  for (const side of sides) await side.close();
  await Deno.remove(dir, { recursive: true });
}
