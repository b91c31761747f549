/**
 * Differential tests with several connections at once (publish/subscribe: a subscriber and a
 * publisher): the same steps run against redis-server and Redlite's server, each step sent on
 * a named connection, and the frames that connection then receives (replies, confirmations,
 * messages) compared byte for byte. Ignored when redis-server is not installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Db } from "../../src/db/db.ts";
import type { Protocol } from "../../src/resp/encoder.ts";
import { Server } from "../../src/server/server.ts";
import { repliesAgree, showResp } from "./compat.ts";
import { HAS_REDIS, startRedis } from "./redis_server.ts";
import { type Arg, encodeCommand, RespClient } from "./resp_client.ts";

/** One step: a command sent on a named connection, and the frames read from it. */
export interface ConnectionStep {
  /** The connection's name; it is opened on first use (`HELLO 3` first in RESP3). */
  on: string;
  /** The command to send; without one, the step only reads frames (messages). */
  cmd?: Arg[];
  /** How many frames to read from the connection after sending (default 1). */
  frames?: number;
  /** Compare each frame after sorting its arrays (replies in Redis's hash tables' order). */
  unordered?: boolean;
  /** Compare only the frames' shape (replies with ids, addresses, times). */
  shape?: boolean;
  /** The frames may come in any order (messages of several patterns, in Redis's hash order). */
  anyOrder?: boolean;
  /** The server closes the connection after these frames (QUIT): it is not used again. */
  closes?: boolean;
}

/** How long a step waits for a frame before it fails. */
const FRAME_DEADLINE_MS = 5000;

/**
 * Reads one frame, failing after a deadline rather than waiting for ever.
 *
 * @example
 * ```ts
 * const frame = await readFrame(client, "subscriber");
 * ```
 */
export async function readFrame(client: RespClient, label: string): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label}: no frame within ${FRAME_DEADLINE_MS} ms`)),
      FRAME_DEADLINE_MS,
    );
  });
  try {
    const frame = await Promise.race([client.readRaw(), deadline]);
    if (frame === null) throw new Error(`${label}: connection closed`);
    return frame;
  } finally {
    clearTimeout(timer);
  }
}

/** Named connections to one server. */
class Connections {
  readonly #clients = new Map<string, RespClient>();

  constructor(readonly port: number, readonly protocol: Protocol) {}

  async get(name: string): Promise<RespClient> {
    let client = this.#clients.get(name);
    if (client === undefined) {
      client = await RespClient.connect(this.port);
      if (this.protocol === 3) await client.send(["HELLO", "3"]);
      this.#clients.set(name, client);
    }
    return client;
  }

  names(): string[] {
    return [...this.#clients.keys()];
  }

  /** Waits until the server has closed the connection, and forgets it. */
  async closed(name: string): Promise<void> {
    const client = this.#clients.get(name)!;
    this.#clients.delete(name);
    assert.equal(await client.readRaw(), null, `${name}: still open`);
    client.close();
  }

  close(): void {
    for (const client of this.#clients.values()) client.close();
  }
}

async function runStep(connections: Connections, step: ConnectionStep): Promise<Uint8Array[]> {
  const client = await connections.get(step.on);
  if (step.cmd !== undefined) await client.write(encodeCommand(step.cmd));
  const frames: Uint8Array[] = [];
  for (let i = 0; i < (step.frames ?? 1); i++) frames.push(await readFrame(client, step.on));
  if (step.closes) await connections.closed(step.on);
  return frames;
}

function assertSameFrames(
  step: ConnectionStep,
  expected: Uint8Array[],
  actual: Uint8Array[],
  label: string,
): void {
  if (step.anyOrder) {
    const sorted = (frames: Uint8Array[]) => frames.map(showResp).sort();
    assert.deepEqual(sorted(actual), sorted(expected), label);
    return;
  }
  const compared = { cmd: step.cmd ?? [], unordered: step.unordered, shape: step.shape };
  const agree = expected.every((frame, i) => repliesAgree(compared, frame, actual[i]));
  if (!agree) assert.deepEqual(actual.map(showResp), expected.map(showResp), label);
}

function describe(step: ConnectionStep, index: number): string {
  const cmd = step.cmd?.map((a) => typeof a === "string" ? a : `<${a.length} bytes>`).join(" ");
  return `step ${index} on ${step.on}: ${cmd ?? "(read)"}`;
}

/**
 * Runs the steps against both servers in one protocol version. Every connection then answers
 * a PING, so that a frame one side sent and the other did not shows as a difference.
 *
 * @example
 * ```ts
 * await compareConnectionSteps(redisPort, redlitePort, 2, [{ on: "a", cmd: ["PING"] }]);
 * ```
 */
export async function compareConnectionSteps(
  redisPort: number,
  redlitePort: number,
  protocol: Protocol,
  steps: ConnectionStep[],
): Promise<void> {
  const redis = new Connections(redisPort, protocol);
  const redlite = new Connections(redlitePort, protocol);
  try {
    const all = [...steps];
    for (let i = 0; i < all.length; i++) {
      const expected = await runStep(redis, all[i]);
      const actual = await runStep(redlite, all[i]);
      assertSameFrames(all[i], expected, actual, `RESP${protocol}: ${describe(all[i], i)}`);
      if (i === steps.length - 1) {
        for (const name of redis.names()) all.push({ on: name, cmd: ["PING"] });
      }
    }
  } finally {
    redis.close();
    redlite.close();
  }
}

/**
 * Registers a test that runs the steps, on several named connections, against a new
 * redis-server and a new Redlite server, in RESP2 and in RESP3, comparing every frame each
 * connection receives.
 *
 * @example
 * ```ts
 * connectionsDifferential("PUBLISH reaches a subscriber", [
 *   { on: "sub", cmd: ["SUBSCRIBE", "news"] },
 *   { on: "pub", cmd: ["PUBLISH", "news", "hello"] },
 *   { on: "sub" }, // the message
 * ]);
 * ```
 */
export function connectionsDifferential(
  name: string,
  steps: ConnectionStep[],
  protocols: Protocol[] = [2, 3],
): void {
  Deno.test({
    name: `compat: ${name}`,
    ignore: !HAS_REDIS,
    async fn() {
      for (const protocol of protocols) {
        // New servers for each protocol: no subscription of the last run lingers.
        const redis = await startRedis();
        const db = Db.openMemory();
        const server = Server.listen(db, { port: 0 });
        try {
          await compareConnectionSteps(redis.port, server.addr.port, protocol, steps);
        } finally {
          await server.close();
          db.close();
          await redis.stop();
        }
      }
    },
  });
}
