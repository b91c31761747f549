/**
 * Differential tests with several connections at once (blocking commands: a blocker and a
 * pusher): the same script runs against a real redis-server and against Redlite's server, and
 * the transcripts of replies, in the order the script read them, must be equal byte for byte.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Db } from "../../src/db/db.ts";
import { Server } from "../../src/server/server.ts";
import type { Protocol } from "../../src/resp/encoder.ts";
import { decodeValue } from "../../src/resp/values.ts";
import { showResp } from "./compat.ts";
import { HAS_REDIS, startRedis } from "./redis_server.ts";
import { type Arg, encodeCommand, RespClient } from "./resp_client.ts";

const decoder = new TextDecoder();

/** One connection of a script: its replies go to the transcript under its name. */
export interface ScriptClient {
  /** Its CLIENT ID, as an argument (shown in the transcript as the connection's name). */
  readonly id: Uint8Array;
  /** Sends a command and records its reply. */
  call(...args: Arg[]): Promise<void>;
  /** Sends a command without reading its reply (a blocking command): read it with `reply`. */
  send(...args: Arg[]): Promise<void>;
  /** Reads and records the reply of the oldest command sent with `send`. */
  reply(): Promise<void>;
  /** Sends a command and returns its reply decoded, without recording it. */
  query(...args: Arg[]): Promise<unknown>;
  /** Whether the server closed the connection (read to its end). */
  closed(): Promise<boolean>;
  /** Closes the connection. */
  close(): void;
}

/** What a script gets: a way to open named connections, and a wait for blocked clients. */
export interface ScriptContext {
  /** Opens a connection (in the protocol of the run) whose replies are recorded as `name`. */
  open(name: string): Promise<ScriptClient>;
  /** Waits (with a deadline) until `count` clients are blocked, as INFO clients reports. */
  waitBlocked(count: number): Promise<void>;
}

/** A script of commands over several connections. */
export type Script = (ctx: ScriptContext) => Promise<void>;

// A command as the transcript shows it: a client's `id` argument (ids differ between the
// servers) as the name of its connection.
function label(args: Arg[], names: Map<Arg, string>): string {
  return args.map((a) => names.get(a) ?? (typeof a === "string" ? a : `<${a.length} bytes>`))
    .join(" ");
}

async function runScript(port: number, protocol: Protocol, script: Script): Promise<string[]> {
  const transcript: string[] = [];
  const clients: RespClient[] = [];
  const names = new Map<Arg, string>();
  const connect = async () => {
    const client = await RespClient.connect(port);
    clients.push(client);
    if (protocol === 3) await client.send(["HELLO", "3"]);
    return client;
  };
  const observer = await connect();
  const ctx: ScriptContext = {
    async open(name) {
      const client = await connect();
      const reply = decodeValue(await client.send(["CLIENT", "ID"]), 0)!.value;
      const id = new TextEncoder().encode(reply.type === "integer" ? String(reply.value) : "");
      names.set(id, `<id of ${name}>`);
      const sent: Arg[][] = [];
      const record = (args: Arg[], reply: Uint8Array | null) =>
        transcript.push(
          `${name}: ${label(args, names)} -> ${reply === null ? "closed" : showResp(reply)}`,
        );
      return {
        id,
        async call(...args) {
          record(args, await client.send(args));
        },
        async send(...args) {
          sent.push(args);
          await client.write(encodeCommand(args));
        },
        async reply() {
          const args = sent.shift();
          assert.ok(args !== undefined, `${name}: no command waits for a reply`);
          record(args, await client.readRaw());
        },
        async query(...args) {
          const value = decodeValue(await client.send(args), 0)!.value;
          return "value" in value ? value.value : null;
        },
        async closed() {
          return await client.readRaw() === null;
        },
        close: () => client.close(),
      };
    },
    async waitBlocked(count) {
      const deadline = Date.now() + 5000;
      for (;;) {
        const info = decoder.decode(await observer.send(["INFO", "clients"]));
        const blocked = Number(/blocked_clients:(\d+)/.exec(info)?.[1]);
        if (blocked === count) return;
        if (Date.now() > deadline) {
          throw new Error(`${blocked} clients blocked, not ${count}, after 5 seconds`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
  };
  try {
    await script(ctx);
  } finally {
    for (const client of clients) client.close();
  }
  return transcript;
}

/**
 * Registers a test that runs `script` against redis-server and against Redlite's server (on a
 * new in-memory database), in RESP2 and RESP3, and compares the transcripts. Ignored when
 * redis-server is not installed.
 *
 * @example
 * ```ts
 * multiClientDifferential("BLPOP served by RPUSH", async ({ open, waitBlocked }) => {
 *   const blocker = await open("blocker");
 *   const pusher = await open("pusher");
 *   await blocker.send("BLPOP", "l", "0");
 *   await waitBlocked(1);
 *   await pusher.call("RPUSH", "l", "a");
 *   await blocker.reply();
 * });
 * ```
 */
export function multiClientDifferential(name: string, script: Script): void {
  Deno.test({
    name: `compat: ${name}`,
    ignore: !HAS_REDIS,
    async fn() {
      const redis = await startRedis();
      try {
        for (const protocol of [2, 3] as const) {
          const flush = await RespClient.connect(redis.port);
          await flush.send(["FLUSHALL"]);
          flush.close();
          const expected = await runScript(redis.port, protocol, script);
          const db = Db.openMemory();
          const server = Server.listen(db, { port: 0 });
          let actual: string[];
          try {
            actual = await runScript(server.addr.port, protocol, script);
          } finally {
            await server.close();
            db.close();
          }
          assert.deepEqual(actual, expected, `RESP${protocol}`);
        }
      } finally {
        await redis.stop();
      }
    },
  });
}
