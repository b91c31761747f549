/**
 * Differential tests: the same commands sent to a real redis-server and to Redlite, replies
 * compared byte for byte (or, for commands whose order Redis leaves to its hash tables, after
 * sorting). Tests are ignored, never passed, when redis-server is not installed.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runCommand } from "../../src/commands/dispatch.ts";
import { Db } from "../../src/db/db.ts";
import { Server } from "../../src/server/server.ts";
import { encodeReply, type Protocol } from "../../src/resp/encoder.ts";
import { decodeValue, type RespValue } from "../../src/resp/values.ts";
import { HAS_REDIS, type RedisProcess, startRedis } from "./redis_server.ts";
import { type Arg, RespClient } from "./resp_client.ts";

/** One command of a sequence, with how to compare its replies. */
export interface Step {
  /** The command and its arguments. */
  cmd: Arg[];
  /** Compare after sorting arrays, sets and maps (replies in hash-table order). */
  unordered?: boolean;
  /** Compare only the shape: reply types and lengths (random replies: SRANDMEMBER, SPOP). */
  shape?: boolean;
  /**
   * Which connection sends it: 0 (the default) is the target itself, 1 and on are further
   * connections to the same server (WATCH, blocking commands), opened by the first step that
   * names them and closed with the target.
   */
  client?: number;
}

/** A step, or just its command. */
export type StepLike = Arg[] | Step;

/** Something that answers commands with raw RESP bytes. */
export interface Target {
  /** Sends one command and returns its raw reply. */
  send(args: Arg[]): Promise<Uint8Array>;
  /** Releases it. */
  close(): Promise<void>;
  /** Another connection to the same server and data, in the same protocol (servers only). */
  connect?(): Promise<Target>;
}

const encoder = new TextEncoder();

/**
 * Redlite run in-process: commands go through the command table and the RESP encoder.
 *
 * @example
 * ```ts
 * const target = inProcessTarget(3);
 * await target.send(["PING"]);
 * ```
 */
export function inProcessTarget(protocol: Protocol, db: Db = Db.openMemory()): Target {
  const session = db.session();
  return {
    async send(args) {
      const argv = args.map((arg) => typeof arg === "string" ? encoder.encode(arg) : arg);
      const reply = await runCommand({ db: session, protocol }, argv);
      return encodeReply(reply, protocol);
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

/**
 * Redlite's server on a new in-memory database, on a free loopback port, reached over TCP:
 * commands travel through the decoder, the batches and the encoder as a client's do.
 *
 * @example
 * ```ts
 * const target = await serverTarget(3);
 * await target.send(["PING"]);
 * await target.close();
 * ```
 */
export async function serverTarget(protocol: Protocol, db: Db = Db.openMemory()): Promise<Target> {
  const server = Server.listen(db, { port: 0 });
  const client = await connectionTarget(server.addr.port, protocol);
  return {
    ...client,
    async close() {
      await client.close();
      await server.close();
      db.close();
    },
  };
}

// A connection to a server on a loopback port, in the given protocol; it opens more alike.
async function connectionTarget(port: number, protocol: Protocol): Promise<Target> {
  const client = await RespClient.connect(port);
  if (protocol === 3) await client.send(["HELLO", "3"]);
  return {
    send: (args) => client.send(args),
    close() {
      client.close();
      return Promise.resolve();
    },
    connect: () => connectionTarget(port, protocol),
  };
}

/**
 * A connection to redis-server speaking the given protocol, its data flushed.
 *
 * @example
 * ```ts
 * const target = await redisTarget(redis, 2);
 * ```
 */
export async function redisTarget(redis: RedisProcess, protocol: Protocol): Promise<Target> {
  const client = await connectionTarget(redis.port, protocol);
  await client.send(["FLUSHALL"]);
  return client;
}

const decoder = new TextDecoder();

/** A readable rendering of RESP bytes for failure messages. */
export function showResp(bytes: Uint8Array): string {
  return JSON.stringify(decoder.decode(bytes));
}

function canonical(value: RespValue, sort: boolean): unknown {
  switch (value.type) {
    case "bulk":
      return value.value === null ? { bulk: null } : { bulk: decoder.decode(value.value) };
    case "verbatim":
      return { verbatim: decoder.decode(value.value) };
    case "integer":
    case "bignumber":
      return { [value.type]: String(value.value) };
    case "array":
    case "set":
    case "push": {
      if (value.value === null) return { array: null };
      const items = value.value.map((item) => canonical(item, sort));
      if (sort) items.sort((a, b) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
      return { [value.type]: items };
    }
    case "map":
    case "attribute": {
      const entries = value.value.map(([k, v]) => [canonical(k, sort), canonical(v, sort)]);
      if (sort) entries.sort((a, b) => JSON.stringify(a) < JSON.stringify(b) ? -1 : 1);
      return { [value.type]: entries };
    }
    case "null":
      return { null: true };
    default:
      return { [value.type]: value.value };
  }
}

function shapeOf(value: RespValue): unknown {
  switch (value.type) {
    case "array":
    case "set":
    case "push":
      return { [value.type]: value.value === null ? null : value.value.length };
    case "map":
      return { map: value.value.length };
    case "bulk":
      return { bulk: value.value === null ? null : "string" };
    default:
      return { [value.type]: true };
  }
}

/**
 * Whether two raw replies to one step agree as the step asks (exactly, after sorting, or in
 * shape), without building a message: cheap on long replies that differ.
 *
 * @example
 * ```ts
 * repliesAgree({ cmd: ["PING"] }, redisBytes, redliteBytes); // true
 * ```
 */
export function repliesAgree(step: Step, expected: Uint8Array, actual: Uint8Array): boolean {
  if (!step.unordered && !step.shape) return showResp(actual) === showResp(expected);
  const e = decodeValue(expected, 0)!.value;
  const a = decodeValue(actual, 0)!.value;
  const view = step.shape ? shapeOf : (value: RespValue) => canonical(value, true);
  return JSON.stringify(view(a)) === JSON.stringify(view(e));
}

/**
 * Asserts that two raw replies to one step agree as the step asks.
 *
 * @example
 * ```ts
 * assertSameReply({ cmd: ["PING"] }, redisBytes, redliteBytes, 0);
 * ```
 */
export function assertSameReply(
  step: Step,
  expected: Uint8Array,
  actual: Uint8Array,
  index: number,
): void {
  const label = `step ${index}: ${
    step.cmd.map((a) => typeof a === "string" ? a : `<${a.length} bytes>`).join(" ")
  }`;
  if (step.unordered || step.shape) {
    const e = decodeValue(expected, 0)!.value;
    const a = decodeValue(actual, 0)!.value;
    if (step.shape) assert.deepEqual(shapeOf(a), shapeOf(e), label);
    else assert.deepEqual(canonical(a, true), canonical(e, true), label);
    return;
  }
  assert.deepEqual(showResp(actual), showResp(expected), label);
}

/**
 * Runs steps against both targets, comparing replies step by step.
 *
 * @example
 * ```ts
 * await compareSteps(redis, redlite, [["SET", "k", "v"], ["GET", "k"]]);
 * ```
 */
export async function compareSteps(
  redis: Target,
  redlite: Target,
  steps: StepLike[],
): Promise<void> {
  const clients = new Map<number, [Target, Target]>([[0, [redis, redlite]]]);
  try {
    for (let i = 0; i < steps.length; i++) {
      const step = Array.isArray(steps[i]) ? { cmd: steps[i] as Arg[] } : steps[i] as Step;
      const [expected, actual] = await clientPair(clients, step.client ?? 0);
      assertSameReply(step, await expected.send(step.cmd), await actual.send(step.cmd), i);
    }
  } finally {
    for (const [index, [expected, actual]] of clients) {
      if (index === 0) continue;
      await expected.close();
      await actual.close();
    }
  }
}

// The connections numbered `index` to both servers, opened the first time they are asked for.
async function clientPair(
  clients: Map<number, [Target, Target]>,
  index: number,
): Promise<[Target, Target]> {
  let pair = clients.get(index);
  if (pair === undefined) {
    const [redis, redlite] = clients.get(0)!;
    if (redis.connect === undefined || redlite.connect === undefined) {
      throw new Error("a step names another client, and a target cannot open one");
    }
    pair = [await redis.connect(), await redlite.connect()];
    clients.set(index, pair);
  }
  return pair;
}

/** Options of a differential test. */
export interface DifferentialOptions {
  /** The protocol versions to run in (default both, RESP2 then RESP3). */
  protocols?: Protocol[];
  /**
   * Makes the Redlite side. The default is the server on a new in-memory database over TCP
   * ({@linkcode serverTarget}); {@linkcode inProcessTarget} skips the wire.
   */
  redlite?: (protocol: Protocol) => Promise<Target> | Target;
}

/**
 * Registers a test that sends the steps to redis-server and to Redlite and compares the replies
 * exactly, in RESP2 and RESP3, over TCP to Redlite's server (by default). Ignored when
 * redis-server is not installed.
 *
 * @example
 * ```ts
 * differential("GET of a missing key", [["GET", "missing"]]);
 * ```
 */
export function differential(
  name: string,
  steps: StepLike[],
  options: DifferentialOptions = {},
): void {
  Deno.test({
    name: `compat: ${name}`,
    ignore: !HAS_REDIS,
    async fn() {
      const redis = await startRedis();
      try {
        for (const protocol of options.protocols ?? [2, 3]) {
          const expected = await redisTarget(redis, protocol);
          const actual = await (options.redlite ?? serverTarget)(protocol);
          try {
            await compareSteps(expected, actual, steps);
          } catch (error) {
            (error as Error).message = `RESP${protocol}: ${(error as Error).message}`;
            throw error;
          } finally {
            await expected.close();
            await actual.close();
          }
        }
      } finally {
        await redis.stop();
      }
    },
  });
}

/**
 * Runs a seeded sequence of steps against redis-server and an in-process Redlite, in RESP2 and
 * then RESP3 (each on fresh targets), step by step; a divergence's message names the seed.
 *
 * @example
 * ```ts
 * await withRedis((redis) => compareSeeded(redis, 1, steps));
 * ```
 */
export async function compareSeeded(
  redis: RedisProcess,
  seed: number,
  steps: StepLike[],
): Promise<void> {
  for (const protocol of [2, 3] as const) {
    const expected = await redisTarget(redis, protocol);
    const actual = inProcessTarget(protocol);
    try {
      await compareSteps(expected, actual, steps);
    } catch (error) {
      (error as Error).message = `seed ${seed}, RESP${protocol}: ${(error as Error).message}`;
      throw error;
    } finally {
      await expected.close();
      await actual.close();
    }
  }
}

/**
 * Runs `fn` with a redis-server started for it, stopping the server afterwards (for tests that
 * drive both sides themselves, such as randomized sequences).
 *
 * @example
 * ```ts
 * await withRedis(async (redis) => { const target = await redisTarget(redis, 2); });
 * ```
 */
export async function withRedis<T>(fn: (redis: RedisProcess) => Promise<T>): Promise<T> {
  const redis = await startRedis();
  try {
    return await fn(redis);
  } finally {
    await redis.stop();
  }
}
