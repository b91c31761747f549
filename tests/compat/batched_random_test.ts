/**
 * Seeded random command sequences sent pipelined, a chunk in one write, to redis-server and to
 * Redlite's server, replies compared in order. A chunk arrives in one read, so Redlite runs it
 * in one batch: this is where the batch's key cache (cached key metadata, kept-back writes of
 * the keys rows) meets every other command on the same keys: deletes, renames, expiry, type
 * changes, transactions, other databases.
 */

import { Db } from "../../src/db/db.ts";
import { Server } from "../../src/server/server.ts";
import { assertSameReply, type Step, withRedis } from "../_helpers/compat.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { HAS_REDIS } from "../_helpers/redis_server.ts";
import { encodeCommand, RespClient } from "../_helpers/resp_client.ts";
import { concatBytes } from "../../src/db/bytes.ts";

const KEYS = ["a", "b", "c", "d"];
const ITEMS = ["x", "y", "z", "1", "2"];

function batchStep(r: SeededRandom): Step {
  const key = () => r.pick(KEYS);
  const item = () => r.pick(ITEMS);
  const items = () => Array.from({ length: r.range(1, 3) }, item);
  const k = key();
  switch (r.int(41)) {
    case 0:
    case 1:
    case 2:
      return { cmd: [r.pick(["LPUSH", "RPUSH"]), k, ...items()] };
    case 3:
    case 4:
      return { cmd: [r.pick(["LPOP", "RPOP"]), k] };
    case 5:
      return { cmd: [r.pick(["LPOP", "RPOP"]), k, String(r.range(0, 4))] };
    case 6:
      return { cmd: ["LLEN", k] };
    case 7:
      return { cmd: ["LRANGE", k, "0", "-1"] };
    case 8:
      return { cmd: ["LMOVE", k, key(), r.pick(["LEFT", "RIGHT"]), r.pick(["LEFT", "RIGHT"])] };
    case 9:
      return { cmd: ["LTRIM", k, String(r.range(-3, 2)), String(r.range(-3, 3))] };
    case 10:
      return r.pick([
        { cmd: ["LREM", k, String(r.range(-2, 2)), item()] },
        { cmd: ["LINSERT", k, r.pick(["BEFORE", "AFTER"]), item(), item()] },
        { cmd: ["LSET", k, String(r.range(-2, 1)), item()] },
      ]);
    case 11:
    case 12:
      return { cmd: ["HSET", k, item(), item(), ...(r.int(2) ? [item(), item()] : [])] };
    case 13:
      return { cmd: ["HDEL", k, ...items()] };
    case 14:
      return { cmd: ["HLEN", k] };
    case 15:
      return { cmd: ["HGETALL", k], unordered: true };
    case 16:
    case 17:
      return { cmd: ["SADD", k, ...items()] };
    case 18:
      return { cmd: ["SREM", k, ...items()] };
    case 19:
      return { cmd: ["SCARD", k] };
    case 20:
      return { cmd: ["SMOVE", k, key(), item()] };
    case 21:
    case 22:
      return { cmd: ["ZADD", k, String(r.range(-2, 3)), item()] };
    case 23:
      return { cmd: ["ZINCRBY", k, String(r.range(-1, 2)), item()] };
    case 24:
      return { cmd: ["ZREM", k, ...items()] };
    case 25:
      return { cmd: ["ZCARD", k] };
    case 26:
      return { cmd: ["ZRANGE", k, "0", "-1", "WITHSCORES"] };
    case 27:
      return { cmd: ["ZPOPMIN", k] };
    case 28:
      return { cmd: ["DEL", k, ...(r.int(2) ? [key()] : [])] };
    case 29:
      return { cmd: ["TYPE", k] };
    case 30:
      return { cmd: ["EXISTS", k, key()] };
    case 31:
      return { cmd: [r.pick(["RENAME", "RENAMENX"]), k, key()] };
    case 32:
      return { cmd: ["PEXPIRE", k, r.pick(["0", "100000"])] };
    case 33:
      return { cmd: ["PERSIST", k] };
    case 34:
    case 35:
    case 36:
      return { cmd: stringCommand(r, k, key()) };
    case 37:
      return { cmd: ["COPY", k, key(), ...(r.int(2) ? ["REPLACE"] : [])] };
    case 38:
      return { cmd: ["MOVE", k, "1"] };
    case 39:
      return { cmd: ["SELECT", r.pick(["0", "1"])] };
    default:
      return { cmd: ["DBSIZE"] };
  }
}

// The string commands: a batch caches a string's value and keeps its writes back.
function stringCommand(r: SeededRandom, k: string, other: string): string[] {
  // Now and then longer than a batch caches (16 KB).
  const value = () => String(r.range(-2, 9)) + r.pick(["", "", "x", "", "", "y".repeat(17_000)]);
  return r.pick([
    ["SET", k, value()],
    ["SET", k, value(), ...r.pick([["EX", "100"], ["KEEPTTL"], ["NX"], ["XX"], ["GET"]])],
    ["GET", k],
    ["GET", k],
    ["INCR", k],
    ["INCRBY", k, String(r.range(-3, 3))],
    ["DECR", k],
    ["APPEND", k, value()],
    ["STRLEN", k],
    ["GETDEL", k],
    ["GETEX", k, ...r.pick([[], ["PERSIST"], ["EX", "100"]])],
    ["SETNX", k, value()],
    ["GETSET", k, value()],
    ["MSET", k, value(), other, value()],
    ["MGET", k, other],
    ["INCRBYFLOAT", k, "1.5"],
    ["SETRANGE", k, String(r.range(0, 3)), value()],
    ["GETRANGE", k, "0", "-1"],
  ]);
}

// MULTI ... EXEC around some of a chunk's steps: their writes run inside the batch too.
function withTransactions(r: SeededRandom, steps: Step[]): Step[] {
  const out: Step[] = [];
  for (let i = 0; i < steps.length; i++) {
    if (r.int(12) === 0) {
      const inside = steps.slice(i, i + r.range(1, 4));
      out.push({ cmd: ["MULTI"] }, ...inside, {
        cmd: ["EXEC"],
        unordered: inside.some((step) => step.unordered),
      });
      i += inside.length - 1;
    } else {
      out.push(steps[i]);
    }
  }
  return out;
}

// Sends the steps in one write and reads one reply per step.
async function sendPipelined(client: RespClient, steps: Step[]): Promise<Uint8Array[]> {
  await client.write(concatBytes(...steps.map((step) => encodeCommand(step.cmd))));
  const replies: Uint8Array[] = [];
  for (const _ of steps) {
    const reply = await client.readRaw();
    if (reply === null) throw new Error("connection closed");
    replies.push(reply);
  }
  return replies;
}

async function connect(port: number, protocol: 2 | 3): Promise<RespClient> {
  const client = await RespClient.connect(port);
  if (protocol === 3) await client.send(["HELLO", "3"]);
  return client;
}

// Sends each chunk pipelined to redis-server and to a new Redlite server and compares the replies,
// in the given protocol; `label` names a failure's context.
async function compareChunks(
  redis: { port: number },
  protocol: 2 | 3,
  chunks: Iterable<Step[]>,
  label: string,
): Promise<void> {
  const db = Db.openMemory();
  const server = Server.listen(db, { port: 0 });
  const expected = await connect(redis.port, protocol);
  const actual = await connect(server.addr.port, protocol);
  try {
    await expected.send(["FLUSHALL"]);
    let index = 0;
    let chunk = 0;
    for (const steps of chunks) {
      const want = await sendPipelined(expected, steps);
      const got = await sendPipelined(actual, steps);
      steps.forEach((step, i) => {
        try {
          assertSameReply(step, want[i], got[i], index + i);
        } catch (error) {
          const message = (error as Error).message;
          (error as Error).message = `${label}, RESP${protocol}, chunk ${chunk}: ${message}`;
          throw error;
        }
      });
      index += steps.length;
      chunk++;
    }
  } finally {
    expected.close();
    actual.close();
    await server.close();
    db.close();
  }
}

function* randomChunks(random: SeededRandom, count: number): Generator<Step[]> {
  for (let chunk = 0; chunk < count; chunk++) {
    yield withTransactions(
      random,
      Array.from({ length: random.range(5, 40) }, () => batchStep(random)),
    );
  }
}

Deno.test({
  name: "compat: random sequences pipelined, a batch per chunk (seeded)",
  ignore: !HAS_REDIS,
  async fn() {
    await withRedis(async (redis) => {
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const chunks = randomChunks(new SeededRandom(seed), 25);
        await compareChunks(redis, seed % 2 === 0 ? 3 : 2, chunks, `seed ${seed}`);
      }
    });
  },
});

Deno.test({
  name: "compat: pushes in one batch after other writes at the same end of the list",
  ignore: !HAS_REDIS,
  async fn() {
    // A batch remembers where its last push left a list's end while nothing else wrote the list:
    // every other way to put an element at that end, or to move the elements, comes between.
    const push = (end: string, value: string): Step => ({ cmd: [`${end}PUSH`, "l", value] });
    const chunk: Step[] = [
      { cmd: ["RPUSH", "l", "a"] },
      push("L", "b"),
      { cmd: ["LINSERT", "l", "BEFORE", "b", "c"] },
      push("L", "d"),
      { cmd: ["RPUSH", "src", "s1", "s2"] },
      { cmd: ["RPOPLPUSH", "src", "l"] },
      push("L", "e"),
      { cmd: ["LMOVE", "src", "l", "LEFT", "RIGHT"] },
      push("R", "f"),
      { cmd: ["LPOP", "l"] },
      push("L", "g"),
      { cmd: ["LSET", "l", "0", "h"] },
      push("L", "i"),
      { cmd: ["LTRIM", "l", "1", "-2"] },
      push("L", "j"),
      push("R", "k"),
      { cmd: ["SORT", "l", "ALPHA", "STORE", "l"] },
      push("L", "m"),
      { cmd: ["LRANGE", "l", "0", "-1"] },
    ];
    await withRedis(async (redis) => {
      await compareChunks(redis, 2, [chunk, chunk], "fixed");
    });
  },
});

Deno.test({
  name: "compat: pops in one batch between the other writes of the list, down to empty and again",
  ignore: !HAS_REDIS,
  async fn() {
    // Pops of a list the batch caches work from the cached row (its size, its version, the end a
    // push left): every other write of the list comes between two pops here.
    const pop = (end: string): Step => ({ cmd: [`${end}POP`, "l"] });
    const fill: Step = { cmd: ["RPUSH", "l", ...Array.from({ length: 40 }, (_, i) => `e${i}`)] };
    const chunk: Step[] = [
      fill,
      ...Array.from({ length: 9 }, () => pop("R")),
      { cmd: ["LINSERT", "l", "BEFORE", "e29", "x"] },
      pop("R"),
      pop("R"),
      { cmd: ["LSET", "l", "-1", "y"] },
      pop("R"),
      pop("L"),
      pop("R"),
      { cmd: ["RPUSH", "l", "z"] },
      pop("R"),
      pop("R"),
      { cmd: ["LREM", "l", "1", "e25"] },
      pop("R"),
      { cmd: ["RPOP", "l", "2"] },
      pop("R"),
      { cmd: ["RPOPLPUSH", "l", "l"] },
      pop("L"),
      pop("R"),
      { cmd: ["LTRIM", "l", "0", "-2"] },
      pop("R"),
      { cmd: ["LMOVE", "l", "other", "RIGHT", "LEFT"] },
      ...Array.from({ length: 20 }, (_, i) => pop(i % 3 === 0 ? "L" : "R")),
      { cmd: ["EXISTS", "l"] },
      { cmd: ["RPUSH", "l", "again"] },
      pop("R"),
      pop("R"),
      { cmd: ["LRANGE", "other", "0", "-1"] },
    ];
    await withRedis(async (redis) => {
      await compareChunks(redis, 3, [chunk, chunk], "pops");
    });
  },
});

Deno.test({
  name: "compat: reads and copies of a list in one batch after pops whose rows wait to be deleted",
  ignore: !HAS_REDIS,
  async fn() {
    // A batch deletes the rows its pops took from a cached list late, in one statement: every
    // read of the list, every copy or move of the key, and every other pop reads past them.
    const pops = (end: string, count: number): Step[] =>
      Array.from({ length: count }, () => ({ cmd: [`${end}POP`, "l"] }));
    const chunk: Step[] = [
      { cmd: ["DEL", "l", "c", "m"] },
      { cmd: ["RPUSH", "l", ...Array.from({ length: 30 }, (_, i) => `e${i}`)] },
      { cmd: ["LLEN", "l"] },
      ...pops("R", 4),
      { cmd: ["LINDEX", "l", "-1"] },
      ...pops("R", 3),
      { cmd: ["LRANGE", "l", "-3", "-1"] },
      ...pops("L", 3),
      ...pops("R", 2),
      { cmd: ["LPOS", "l", "e5"] },
      { cmd: ["LLEN", "l"] },
      ...pops("R", 2),
      { cmd: ["COPY", "l", "c"] },
      { cmd: ["LRANGE", "c", "0", "-1"] },
      ...pops("L", 2),
      { cmd: ["SORT", "l", "ALPHA", "LIMIT", "0", "3"] },
      ...pops("R", 2),
      { cmd: ["RENAME", "l", "m"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["MULTI"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["LRANGE", "m", "0", "-1"] },
      { cmd: ["EXEC"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["LPUSH", "m", "front"] },
      { cmd: ["LPOP", "m"] },
      { cmd: ["RPOP", "m", "2"] },
      { cmd: ["LMPOP", "1", "m", "RIGHT"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["LREM", "m", "0", "e10"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["LRANGE", "m", "0", "-1"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["OBJECT", "ENCODING", "m"] },
      { cmd: ["DEL", "m"] },
      { cmd: ["RPOP", "m"] },
      { cmd: ["EXISTS", "m"] },
    ];
    await withRedis(async (redis) => {
      await compareChunks(redis, 2, [chunk, chunk], "reads after pops");
    });
  },
});

Deno.test({
  name:
    "compat: a batch's hash fields written late and set members known present, between every other command",
  ignore: !HAS_REDIS,
  async fn() {
    // In a batch, HSET of a field the batch knows the hash has keeps the write back, and SADD of
    // a member it knows the set has reads nothing: every other way to read or change the field or
    // the member comes between.
    const hset = (value: string): Step => ({ cmd: ["HSET", "h", "f", value] });
    const sadd: Step = { cmd: ["SADD", "s", "m"] };
    const chunk: Step[] = [
      { cmd: ["DEL", "h", "s", "c", "d", "t"] },
      hset("1"),
      hset("2"),
      hset("3"),
      { cmd: ["HGET", "h", "f"] },
      hset("4"),
      { cmd: ["HGETALL", "h"] },
      hset("5"),
      { cmd: ["HINCRBY", "h", "f", "10"] },
      hset("6"),
      hset("7"),
      { cmd: ["HDEL", "h", "f"] },
      hset("8"),
      hset("9"),
      { cmd: ["HSET", "h", "f", "10", "g", "x"] },
      hset("11"),
      { cmd: ["HSETNX", "h", "f", "no"] },
      { cmd: ["HMGET", "h", "f", "g"] },
      hset("12"),
      { cmd: ["HSTRLEN", "h", "f"] },
      hset("13"),
      { cmd: ["HEXISTS", "h", "f"] },
      hset("14"),
      { cmd: ["COPY", "h", "c"] },
      { cmd: ["HGET", "c", "f"] },
      hset("15"),
      { cmd: ["RENAME", "h", "d"] },
      hset("16"),
      hset("17"),
      { cmd: ["HGET", "d", "f"] },
      { cmd: ["MULTI"] },
      hset("18"),
      { cmd: ["HGET", "h", "f"] },
      hset("19"),
      { cmd: ["EXEC"] },
      { cmd: ["HLEN", "h"] },
      hset("20"),
      { cmd: ["HINCRBYFLOAT", "h", "f", "0.5"] },
      hset("21"),
      { cmd: ["EXPIRE", "h", "100"] },
      hset("22"),
      { cmd: ["HGETALL", "h"] },
      sadd,
      sadd,
      { cmd: ["SISMEMBER", "s", "m"] },
      sadd,
      { cmd: ["SREM", "s", "m"] },
      sadd,
      sadd,
      { cmd: ["SPOP", "s"] },
      sadd,
      { cmd: ["SADD", "s", "n", "m"] },
      sadd,
      { cmd: ["SMOVE", "s", "t", "m"] },
      sadd,
      sadd,
      { cmd: ["SINTERSTORE", "s", "t"] },
      sadd,
      { cmd: ["SDIFFSTORE", "s", "s", "t"] },
      sadd,
      sadd,
      { cmd: ["SCARD", "s"] },
      { cmd: ["SMEMBERS", "s"] },
      { cmd: ["DEL", "s"] },
      sadd,
      sadd,
      { cmd: ["SCARD", "s"] },
      { cmd: ["HSET", "s", "f", "v"] },
      { cmd: ["DEL", "h"] },
      hset("23"),
      hset("24"),
      { cmd: ["HGETALL", "h"] },
    ];
    await withRedis(async (redis) => {
      await compareChunks(redis, 3, [chunk, chunk], "fields and members");
    });
  },
});

Deno.test({
  name:
    "compat: a write of another element table between HSETs of a field whose write is kept back",
  ignore: !HAS_REDIS,
  async fn() {
    // The batch forgets the elements it knew when a statement writes the sets or zsets table;
    // a field whose write is still kept back must not be written at once by the next HSET and
    // then overwritten by the older kept-back value.
    const hset = (value: string): Step => ({ cmd: ["HSET", "h", "f", value] });
    const setup: Step[] = [
      { cmd: ["DEL", "h", "s", "z"] },
      hset("v0"),
      { cmd: ["SADD", "s", "x"] },
      { cmd: ["ZADD", "z", "1", "x", "2", "y"] },
    ];
    const batch: Step[] = [
      hset("v1"),
      hset("v2"),
      hset("v3"),
      { cmd: ["SADD", "s", "a", "b"] },
      hset("v4"),
      { cmd: ["HGET", "h", "f"] },
      hset("v5"),
      hset("v6"),
      { cmd: ["ZREM", "z", "nope", "x"] },
      hset("v7"),
      { cmd: ["HGET", "h", "f"] },
      hset("v8"),
      hset("v9"),
      { cmd: ["MULTI"] },
      hset("v10"),
      { cmd: ["SREM", "s", "zz", "a"] },
      hset("v11"),
      { cmd: ["EXEC"] },
    ];
    const check: Step[] = [{ cmd: ["HGET", "h", "f"] }];
    await withRedis(async (redis) => {
      await compareChunks(redis, 2, [setup, batch, check], "kept back across forgetting");
    });
  },
});

Deno.test({
  name: "compat: a batch's known sorted set scores, between every other command",
  ignore: !HAS_REDIS,
  async fn() {
    // In a batch, ZADD of a member whose score the batch knows reads nothing: every other way to
    // read or change the score comes between.
    const zadd = (...args: string[]): Step => ({ cmd: ["ZADD", "z", ...args] });
    const chunk: Step[] = [
      { cmd: ["DEL", "z", "y", "u"] },
      zadd("0", "m"),
      zadd("0", "m"),
      zadd("0", "m"),
      zadd("1", "m"),
      { cmd: ["ZSCORE", "z", "m"] },
      zadd("1", "m"),
      { cmd: ["ZINCRBY", "z", "2", "m"] },
      zadd("3", "m"),
      zadd("CH", "4", "m"),
      zadd("NX", "5", "m"),
      zadd("XX", "6", "m"),
      zadd("GT", "2", "m"),
      zadd("LT", "2", "m"),
      zadd("INCR", "1", "m"),
      zadd("2", "m", "1", "n"),
      { cmd: ["ZRANGE", "z", "0", "-1", "WITHSCORES"] },
      { cmd: ["ZREM", "z", "m"] },
      zadd("XX", "7", "m"),
      zadd("7", "m"),
      zadd("7", "m"),
      { cmd: ["ZPOPMAX", "z"] },
      zadd("7", "m"),
      zadd("8", "m"),
      { cmd: ["ZREMRANGEBYSCORE", "z", "8", "8"] },
      zadd("8", "m"),
      { cmd: ["ZADD", "y", "9", "m"] },
      { cmd: ["ZUNIONSTORE", "z", "1", "y"] },
      zadd("9", "m"),
      zadd("10", "m"),
      { cmd: ["MULTI"] },
      zadd("11", "m"),
      { cmd: ["ZSCORE", "z", "m"] },
      zadd("11", "m"),
      { cmd: ["EXEC"] },
      { cmd: ["RENAME", "z", "u"] },
      zadd("12", "m"),
      zadd("12", "m"),
      { cmd: ["ZRANGE", "u", "0", "-1", "WITHSCORES"] },
      { cmd: ["ZRANGE", "z", "0", "-1", "WITHSCORES"] },
      { cmd: ["DEL", "z"] },
      zadd("13", "m"),
      zadd("13", "m"),
      { cmd: ["ZCARD", "z"] },
    ];
    await withRedis(async (redis) => {
      await compareChunks(redis, 2, [chunk, chunk], "scores");
    });
  },
});
