/**
 * The key cache a server batch keeps for the next, against a database that keeps none: random
 * commands on a few keys, run as server batches (reads, then writes), as batches that fail, as
 * calls outside any batch, and on a second connection to the same file, with expiries, VACUUM and
 * checkpoints in between. Every reply, and every key's contents every few steps, must be the same
 * as a plain in-memory `Db` running the same commands one by one.
 *
 * `KEPT_CACHE_SEEDS` sets how many seeds each variant runs (a failure prints its seed).
 */

import assert from "node:assert/strict";
import { Db, scopeOf } from "../../src/db/db.ts";
import { PartialWriteError } from "../../src/db/store.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const SEEDS = Number(Deno.env.get("KEPT_CACHE_SEEDS") ?? 4);

// One clock for both databases, which answer a step at slightly different real times: it stands
// still during a step and catches up with the real time at the next (tick), so that a key's time
// to live never runs out between the database under test's reply and the reference's (a 15 ms
// PEXPIRE did on a slow machine, now and then).
const realNow = Date.now;
let clock = realNow();
const tick = () => clock = realNow();

/** Runs `fn` with `Date.now()` reading the test's clock. */
async function onTestClock(fn: () => Promise<void>): Promise<void> {
  Date.now = () => clock;
  try {
    await fn();
  } finally {
    Date.now = realNow;
  }
}
const STEPS = 150;
const KEYS = ["k0", "k1", "k2", "k3"];

/** A command, and whether the server would run it in the write part of a batch. */
interface Step {
  readonly args: (string | number)[];
  readonly write: boolean;
}

const write = (...args: (string | number)[]): Step => ({ args, write: true });
const read = (...args: (string | number)[]): Step => ({ args, write: false });

/** A random command on the keys, of every type, and of those that move, copy or drop keys. */
function randomStep(random: SeededRandom): Step {
  const key = random.pick(KEYS);
  const other = random.pick(KEYS);
  const value = `v${random.int(5)}`;
  const field = `f${random.int(3)}`;
  const makers: (() => Step)[] = [
    () => write("SET", key, value),
    () => read("GET", key),
    () => write("APPEND", key, value),
    () => write("INCR", key),
    () => write("INCRBYFLOAT", key, "1.5"),
    () => write("SETRANGE", key, 1, value),
    () => write("GETDEL", key),
    () => write("SET", key, value, "PX", 15),
    () => write("LPUSH", key, value, `${value}x`),
    () => write("RPUSH", key, value),
    () => write("LPOP", key),
    () => write("RPOP", key),
    () => read("LRANGE", key, 0, -1),
    () => read("LLEN", key),
    () => write("LSET", key, 0, value),
    () => write("LTRIM", key, 1, -1),
    () => write("LINSERT", key, "BEFORE", value, "ins"),
    () => write("LREM", key, 1, value),
    () => write("LMOVE", key, other, "LEFT", "RIGHT"),
    () => write("RPOPLPUSH", key, key),
    () => write("HSET", key, field, value),
    () => write("HSET", key, field, value, "f9", value),
    () => write("HSETNX", key, field, value),
    () => write("HINCRBY", key, field, 2),
    () => read("HGET", key, field),
    () => read("HGETALL", key),
    () => write("HDEL", key, field),
    () => write("SADD", key, value),
    () => write("SREM", key, value),
    () => write("SMOVE", key, other, value),
    () => write("SPOP", key, 5),
    () => write("SINTERSTORE", key, other, key),
    () => read("SMEMBERS", key),
    () => write("ZADD", key, random.int(4), value),
    () => write("ZINCRBY", key, 1, value),
    () => write("ZREM", key, value),
    () => write("ZPOPMIN", key),
    () => read("ZSCORE", key, value),
    () => write("DEL", key),
    () => write("RENAME", key, other),
    () => write("COPY", key, other, "REPLACE"),
    () => write("MOVE", key, 1),
    () => write("PEXPIRE", key, 15),
    () => write("EXPIRE", key, 100),
    () => write("PERSIST", key),
    () => read("TYPE", key),
    () => write("HISTORY", "ENABLE", key),
    () => write("HISTORY", "DISABLE", key),
    () => write("SELECT", random.int(2)),
    () => write("FLUSHDB"),
    () => write("FLUSHALL"),
  ];
  return random.pick(makers)();
}

/** A command's reply as text (an error as its message); a failure of the batch is thrown. */
function reply(db: Db, step: Step): string {
  try {
    const value = db.command(String(step.args[0]), ...step.args.slice(1));
    return JSON.stringify(value, (_key, item) => typeof item === "bigint" ? String(item) : item);
  } catch (error) {
    if (error instanceof PartialWriteError) throw error;
    return `ERR: ${(error as Error).message}`;
  }
}

/** Every key's type and contents, in databases 0 and 1. */
function contents(db: Db): string {
  const found: unknown[] = [];
  for (const index of [0, 1]) {
    db.command("SELECT", index);
    for (const key of KEYS) {
      const type = db.command("TYPE", key);
      const value = type === "string"
        ? db.command("GET", key)
        : type === "list"
        ? [db.command("LRANGE", key, 0, -1), db.command("LLEN", key)]
        : type === "hash"
        ? [db.command("HGETALL", key), db.command("HLEN", key)]
        : type === "set"
        ? [(db.command("SMEMBERS", key) as string[]).sort(), db.command("SCARD", key)]
        : type === "zset"
        ? [db.command("ZRANGE", key, 0, -1, "WITHSCORES"), db.command("ZCARD", key)]
        : null;
      found.push([index, key, type, value]);
    }
  }
  db.command("SELECT", 0);
  return JSON.stringify(found);
}

/** The database under test, a second connection to its file (or none), and the reference. */
interface Databases {
  readonly db: Db;
  readonly second: Db | null;
  readonly reference: Db;
  /** The reference's session for the second connection's commands (its own SELECT). */
  readonly referenceSecond: Db;
}

/** Runs the steps of one seed, comparing every reply and, every few steps, the contents. */
async function compare(seed: number, { db, second, reference, referenceSecond }: Databases) {
  const random = new SeededRandom(seed);
  const store = scopeOf(db).store;
  for (let step = 0; step < STEPS; step++) {
    tick();
    const kind = random.next();
    const steps = Array.from({ length: random.range(1, 6) }, () => randomStep(random));
    const context = `seed ${seed}, step ${step}: ${JSON.stringify(steps.map((s) => s.args))}`;
    if (kind < 0.1) {
      // Outside any batch, on the same connection.
      for (const s of steps) assert.equal(reply(db, s), reply(reference, s), context);
    } else if (kind < 0.2 && second !== null) {
      for (const s of steps) assert.equal(reply(second, s), reply(referenceSecond, s), context);
    } else if (kind < 0.28) {
      // A batch that fails after its commands: nothing of it is committed.
      const failure = new Error("the batch fails");
      const got: string[] = [];
      const expected: string[] = [];
      assert.throws(() =>
        store.writeBatch(() => {
          for (const s of steps) got.push(store.guard(() => reply(db, s)));
          throw failure;
        }), (error) => error === failure);
      assert.throws(() =>
        reference.transaction(() => {
          for (const s of steps) expected.push(reply(reference, s));
          throw failure;
        }), (error) => error === failure);
      assert.deepEqual(got, expected, context);
    } else {
      // A server batch: the reads before the first write, then the rest in a write batch; the
      // second connection may commit during the reads.
      const meanwhile = second !== null && random.next() < 0.3 ? randomStep(random) : null;
      let next = 0;
      const got: string[] = [];
      let meanwhileReply = "";
      store.readBatch(() => {
        while (next < steps.length && !steps[next].write) {
          got.push(store.guard(() => reply(db, steps[next++])));
        }
        if (meanwhile !== null) meanwhileReply = reply(second!, meanwhile);
      });
      const reads = next;
      if (next < steps.length) {
        store.writeBatch(() => {
          for (; next < steps.length; next++) got.push(store.guard(() => reply(db, steps[next])));
        });
      }
      store.endBatch();
      const expected = steps.slice(0, reads).map((s) => reply(reference, s));
      if (meanwhile !== null) {
        assert.equal(meanwhileReply, reply(referenceSecond, meanwhile), context);
      }
      expected.push(...steps.slice(reads).map((s) => reply(reference, s)));
      assert.deepEqual(got, expected, context);
    }
    // Let keys with 15 ms to live expire, now and then.
    if (random.next() < 0.2) await new Promise((resolve) => setTimeout(resolve, 25));
    if (second !== null && random.next() < 0.1) {
      if (random.next() < 0.5) store.checkpoint();
      else db.vacuum();
    }
    if (step % 5 === 0) assert.equal(contents(db), contents(reference), context);
  }
  assert.equal(contents(db), contents(reference), `seed ${seed}, at the end`);
}

Deno.test("the kept key cache answers as a database without one: in memory", async () => {
  await onTestClock(async () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const db = Db.openMemory();
      const reference = Db.openMemory();
      try {
        await compare(seed, { db, second: null, reference, referenceSecond: reference.session() });
      } finally {
        db.close();
        reference.close();
      }
    }
  });
});

Deno.test("the kept key cache answers as a database without one: a file with a second connection", async () => {
  await onTestClock(async () => {
    for (let seed = 100; seed < 100 + SEEDS; seed++) {
      await withTempDir(async (dir) => {
        const db = Db.open(`${dir}/data.db`);
        const second = Db.open(`${dir}/data.db`);
        const reference = Db.openMemory();
        try {
          await compare(seed, { db, second, reference, referenceSecond: reference.session() });
        } finally {
          second.close();
          db.close();
          reference.close();
        }
      });
    }
  });
});
