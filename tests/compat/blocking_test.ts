import {
  compareSteps,
  differential,
  redisTarget,
  serverTarget,
  type StepLike,
  withRedis,
} from "../_helpers/compat.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { HAS_REDIS } from "../_helpers/redis_server.ts";
import { multiClientDifferential } from "../_helpers/multi_client.ts";

differential("BLPOP, BRPOP, BLMPOP answer at once when a list has elements", [
  ["RPUSH", "l", "a", "b", "c", "d"],
  ["BLPOP", "missing", "l", "0"],
  ["BRPOP", "l", "missing", "0"],
  ["BLMPOP", "0", "2", "missing", "l", "LEFT", "COUNT", "5"],
  ["EXISTS", "l"],
  ["RPUSH", "l", "x"],
  ["BLMPOP", "0.5", "1", "l", "RIGHT"],
  ["blpop", "l", "0.01"],
  ["brpop", "l", "l", "0.01"],
  ["BLMPOP", "0.01", "1", "l", "LEFT"],
]);

differential("BLPOP's errors: timeouts, wrong types, arguments", [
  ["SET", "s", "v"],
  ["RPUSH", "l", "a"],
  ["BLPOP", "s", "l", "0"],
  ["BLPOP", "missing", "s", "0"],
  ["BLPOP", "l", "x"],
  ["BLPOP", "l", "-1"],
  ["BLPOP", "l", "nan"],
  ["BLPOP", "l", "inf"],
  ["BLPOP", "l", "1e17"],
  ["BLPOP", "l", "9223372036854776"],
  ["BLPOP", "l", " 1"],
  ["BLPOP", "l", ""],
  ["BLPOP", "missing", "x"],
  ["BLPOP", "missing", "-0.5"],
  ["BRPOP", "missing", "-1"],
  ["BLPOP", "l"],
  ["BRPOP"],
  ["LLEN", "l"],
]);

differential("BLPOP's tiny timeouts end at once (rounded up to a millisecond)", [
  ["BLPOP", "missing", "0.0001"],
  ["BRPOP", "missing", "1e-400"],
  ["BLPOP", "missing", ".5e-3"],
  ["BLPOP", "missing", "0x1p-12"],
  ["BZPOPMIN", "missing", "0.001"],
]);

differential("BLMOVE and BRPOPLPUSH: at once, errors, timeouts", [
  ["RPUSH", "src", "a", "b", "c"],
  ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"],
  ["BRPOPLPUSH", "src", "dst", "0"],
  ["BLMOVE", "src", "src", "left", "left", "0"],
  ["LRANGE", "src", "0", "-1"],
  ["LRANGE", "dst", "0", "-1"],
  ["SET", "s", "v"],
  ["BLMOVE", "src", "s", "LEFT", "RIGHT", "0"],
  ["BLMOVE", "s", "dst", "LEFT", "RIGHT", "0"],
  ["BLMOVE", "src", "dst", "UP", "RIGHT", "x"],
  ["BLMOVE", "src", "dst", "LEFT", "DOWN", "x"],
  ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "x"],
  ["BLMOVE", "src", "dst", "LEFT", "RIGHT", "-1"],
  ["BRPOPLPUSH", "src", "dst", "x"],
  ["BLMOVE", "missing", "dst", "LEFT", "RIGHT", "0.01"],
  ["BRPOPLPUSH", "missing", "dst", "0.01"],
  ["BLMOVE", "missing", "s", "LEFT", "RIGHT", "0.01"],
  ["BLMOVE", "src", "dst", "LEFT", "RIGHT"],
  ["BRPOPLPUSH", "src", "dst"],
]);

differential("BLMPOP's arguments are read before its timeout", [
  ["BLMPOP", "x", "0", "l", "LEFT"],
  ["BLMPOP", "x", "1", "l", "UP"],
  ["BLMPOP", "0", "1", "l", "LEFT", "COUNT", "0"],
  ["BLMPOP", "0", "2", "l", "LEFT"],
  ["BLMPOP", "0", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1"],
  ["BLMPOP", "-1", "1", "l", "LEFT"],
  ["BLMPOP", "0.01", "1", "l", "LEFT", "COUNT", "2"],
  ["BLMPOP", "0", "1", "l"],
  ["SET", "s", "v"],
  ["BLMPOP", "0", "1", "s", "LEFT"],
]);

differential("BZPOPMIN, BZPOPMAX, BZMPOP: at once, errors, timeouts", [
  ["ZADD", "z", "1", "a", "2", "b", "3", "c", "4.5", "d"],
  ["BZPOPMIN", "missing", "z", "0"],
  ["BZPOPMAX", "z", "0"],
  ["BZMPOP", "0", "2", "missing", "z", "MIN", "COUNT", "5"],
  ["EXISTS", "z"],
  ["ZADD", "z", "1", "a", "2", "b"],
  ["BZMPOP", "0", "1", "z", "max"],
  ["SET", "s", "v"],
  ["BZPOPMIN", "s", "0"],
  ["BZPOPMAX", "z", "x"],
  ["BZPOPMAX", "z", "-1"],
  ["BZMPOP", "x", "1", "z", "MIN"],
  ["BZMPOP", "0", "1", "z", "MED"],
  ["BZMPOP", "0", "0", "z", "MIN"],
  ["BZMPOP", "0", "1", "z", "MIN", "COUNT", "0"],
  ["BZMPOP", "0", "1", "s", "MIN"],
  ["BZPOPMIN", "missing", "0.01"],
  ["BZPOPMAX", "missing", "0.01"],
  ["BZMPOP", "0.01", "1", "missing", "MIN"],
  ["BZPOPMIN", "z"],
]);

differential("XREAD and XREADGROUP with BLOCK: at once, errors, timeouts", [
  ["XADD", "s", "1-1", "f", "v"],
  ["XREAD", "BLOCK", "0", "STREAMS", "s", "0"],
  ["XREAD", "BLOCK", "10", "STREAMS", "s", "$"],
  ["XREAD", "BLOCK", "-1", "STREAMS", "s", "$"],
  ["XREAD", "BLOCK", "x", "STREAMS", "s", "$"],
  ["XREAD", "BLOCK", "1.5", "STREAMS", "s", "$"],
  ["XREAD", "COUNT", "1", "BLOCK", "10", "STREAMS", "s", "missing", "$", "$"],
  ["XGROUP", "CREATE", "s", "g", "0"],
  ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", ">"],
  ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", ">"],
  ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "10", "STREAMS", "s", "0"],
  ["XREADGROUP", "GROUP", "g", "c", "BLOCK", "-5", "STREAMS", "s", ">"],
]);

differential("CLIENT UNBLOCK's arguments", [
  ["CLIENT", "UNBLOCK", "99999", "TIMEOUT"],
  ["CLIENT", "UNBLOCK", "99999", "error"],
  ["CLIENT", "UNBLOCK", "99999"],
  ["CLIENT", "UNBLOCK", "-1"],
  ["CLIENT", "UNBLOCK", "x"],
  ["CLIENT", "UNBLOCK", "x", "foo"],
  ["CLIENT", "UNBLOCK", "1", "foo"],
  ["CLIENT", "UNBLOCK", "1", "TIMEOUT", "x"],
  ["CLIENT", "UNBLOCK"],
]);

multiClientDifferential("BLPOP served by RPUSH, and a timeout", async ({ open, waitBlocked }) => {
  const blocker = await open("blocker");
  const pusher = await open("pusher");
  await blocker.send("BLPOP", "missing", "l", "0");
  await waitBlocked(1);
  await pusher.call("RPUSH", "l", "a", "b");
  await blocker.reply();
  await pusher.call("LRANGE", "l", "0", "-1");
  await blocker.call("BRPOP", "l", "0");
  await blocker.call("BLPOP", "l", "0.05");
  await blocker.call("BLMPOP", "0.05", "1", "l", "LEFT");
  await blocker.call("BLMOVE", "l", "d", "LEFT", "LEFT", "0.05");
  await blocker.call("BZPOPMIN", "z", "0.05");
  await blocker.call("XREAD", "BLOCK", "50", "STREAMS", "s", "$");
});

multiClientDifferential("blocked clients are served in the order they blocked", async (ctx) => {
  const first = await ctx.open("first");
  const second = await ctx.open("second");
  const third = await ctx.open("third");
  const pusher = await ctx.open("pusher");
  await first.send("BRPOP", "l", "0");
  await ctx.waitBlocked(1);
  await second.send("BLPOP", "other", "l", "0");
  await ctx.waitBlocked(2);
  await third.send("BLMPOP", "0", "1", "l", "LEFT", "COUNT", "5");
  await ctx.waitBlocked(3);
  await pusher.call("RPUSH", "l", "a", "b");
  await first.reply();
  await second.reply();
  await pusher.call("LPUSH", "l", "c", "d", "e");
  await third.reply();
  await pusher.call("EXISTS", "l");
});

multiClientDifferential(
  "a push and a pop in one pipeline: the blocked client first",
  async (ctx) => {
    const blocker = await ctx.open("blocker");
    const pusher = await ctx.open("pusher");
    await blocker.send("BLPOP", "l", "0");
    await ctx.waitBlocked(1);
    await pusher.send("RPUSH", "l", "a");
    await pusher.send("LPOP", "l");
    await pusher.reply();
    await pusher.reply();
    await blocker.reply();
  },
);

multiClientDifferential("BLMOVE into a key another client waits on", async (ctx) => {
  const mover = await ctx.open("mover");
  const popper = await ctx.open("popper");
  const pusher = await ctx.open("pusher");
  await mover.send("BLMOVE", "src", "dst", "RIGHT", "LEFT", "0");
  await ctx.waitBlocked(1);
  await popper.send("BRPOPLPUSH", "dst", "final", "0");
  await ctx.waitBlocked(2);
  await pusher.call("RPUSH", "src", "x");
  await mover.reply();
  await popper.reply();
  await pusher.call("LRANGE", "final", "0", "-1");
  await pusher.call("EXISTS", "src", "dst");
});

multiClientDifferential(
  "a key of another type does not serve; BLMOVE to one fails",
  async (ctx) => {
    const blocker = await ctx.open("blocker");
    const mover = await ctx.open("mover");
    const pusher = await ctx.open("pusher");
    await blocker.send("BLPOP", "k", "0");
    await ctx.waitBlocked(1);
    await pusher.call("SET", "k", "string");
    await pusher.call("ZADD", "k2", "1", "a");
    await pusher.call("DEL", "k");
    await pusher.call("ZADD", "k", "1", "a");
    await pusher.call("DEL", "k");
    await pusher.call("RPUSH", "k", "a");
    await blocker.reply();
    await pusher.call("SET", "dst", "string");
    await mover.send("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
    await ctx.waitBlocked(1);
    await pusher.call("RPUSH", "src", "x");
    await mover.reply();
    await pusher.call("LRANGE", "src", "0", "-1");
  },
);

multiClientDifferential("BZPOPMIN, BZPOPMAX, BZMPOP served by ZADD", async (ctx) => {
  const min = await ctx.open("min");
  const max = await ctx.open("max");
  const many = await ctx.open("many");
  const pusher = await ctx.open("pusher");
  await min.send("BZPOPMIN", "z", "0");
  await ctx.waitBlocked(1);
  await max.send("BZPOPMAX", "z", "0");
  await ctx.waitBlocked(2);
  await many.send("BZMPOP", "0", "2", "y", "z", "MAX", "COUNT", "10");
  await ctx.waitBlocked(3);
  await pusher.call("RPUSH", "z2", "x");
  await pusher.call("ZADD", "z", "1.5", "a", "2", "b", "3", "c", "4", "d");
  await min.reply();
  await max.reply();
  await many.reply();
  await pusher.call("ZRANGE", "z", "0", "-1");
});

multiClientDifferential("XREAD and XREADGROUP BLOCK served by XADD", async (ctx) => {
  const reader = await ctx.open("reader");
  const group = await ctx.open("group");
  const writer = await ctx.open("writer");
  await writer.call("XADD", "s", "1-1", "f", "old");
  await writer.call("XGROUP", "CREATE", "s", "g", "$");
  await reader.send("XREAD", "COUNT", "1", "BLOCK", "0", "STREAMS", "other", "s", "$", "$");
  await ctx.waitBlocked(1);
  await group.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
  await ctx.waitBlocked(2);
  await writer.call("XADD", "s", "2-1", "f", "new");
  await reader.reply();
  await group.reply();
  await writer.call("XPENDING", "s", "g");
  await group.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
  await ctx.waitBlocked(1);
  await writer.call("XGROUP", "DESTROY", "s", "g");
  await writer.call("XADD", "s", "3-1", "f", "v");
  await group.reply();
  await reader.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
  await ctx.waitBlocked(1);
  await writer.call("DEL", "s");
  await writer.call("XADD", "s", "1-1", "f", "v");
  await writer.call("XADD", "s", "4-1", "f", "v");
  await reader.reply();
});

multiClientDifferential("CLIENT UNBLOCK with TIMEOUT and ERROR", async (ctx) => {
  const blocker = await ctx.open("blocker");
  const admin = await ctx.open("admin");
  await admin.call("CLIENT", "UNBLOCK", blocker.id);
  await blocker.send("BLPOP", "l", "0");
  await ctx.waitBlocked(1);
  await admin.call("CLIENT", "UNBLOCK", blocker.id, "TIMEOUT");
  await blocker.reply();
  await blocker.send("BLMOVE", "l", "d", "LEFT", "LEFT", "0");
  await ctx.waitBlocked(1);
  await admin.call("CLIENT", "UNBLOCK", blocker.id);
  await blocker.reply();
  await blocker.send("BZMPOP", "0", "1", "z", "MIN");
  await ctx.waitBlocked(1);
  await admin.call("CLIENT", "UNBLOCK", blocker.id, "ERROR");
  await blocker.reply();
  await blocker.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
  await ctx.waitBlocked(1);
  await admin.call("CLIENT", "UNBLOCK", blocker.id, "error");
  await blocker.reply();
  await blocker.send("WAIT", "1", "0");
  await ctx.waitBlocked(1);
  await admin.call("CLIENT", "UNBLOCK", blocker.id);
  await blocker.reply();
  await admin.call("RPUSH", "l", "a");
  await admin.call("LLEN", "l");
});

multiClientDifferential("a client that disconnects while blocked is not served", async (ctx) => {
  const gone = await ctx.open("gone");
  const blocker = await ctx.open("blocker");
  const pusher = await ctx.open("pusher");
  await gone.send("BLPOP", "l", "0");
  await ctx.waitBlocked(1);
  await blocker.send("BLPOP", "l", "0");
  await ctx.waitBlocked(2);
  gone.close();
  await ctx.waitBlocked(1);
  await pusher.call("RPUSH", "l", "a", "b");
  await blocker.reply();
  await pusher.call("LRANGE", "l", "0", "-1");
});

multiClientDifferential("commands sent after a blocking one wait for it", async (ctx) => {
  const blocker = await ctx.open("blocker");
  const pusher = await ctx.open("pusher");
  await blocker.send("BLPOP", "l", "0");
  await blocker.send("RPUSH", "l", "mine");
  await blocker.send("LRANGE", "l", "0", "-1");
  await ctx.waitBlocked(1);
  await pusher.call("RPUSH", "l", "a");
  await blocker.reply();
  await blocker.reply();
  await blocker.reply();
});

multiClientDifferential(
  "MOVE and COPY ... DB into a key waited on in another database",
  async (ctx) => {
    const blocker = await ctx.open("blocker");
    const pusher = await ctx.open("pusher");
    await blocker.call("SELECT", "1");
    await blocker.send("BLPOP", "l", "0");
    await ctx.waitBlocked(1);
    await pusher.call("RPUSH", "l", "a", "b");
    await pusher.call("MOVE", "l", "1");
    await blocker.reply();
    await pusher.call("RPUSH", "c", "x");
    await blocker.send("BRPOP", "copied", "0");
    await ctx.waitBlocked(1);
    await pusher.call("COPY", "c", "copied", "DB", "1");
    await blocker.reply();
    await blocker.call("LRANGE", "l", "0", "-1");
  },
);

multiClientDifferential(
  "BLMOVE of a list onto itself leaves it for the next client",
  async (ctx) => {
    const rotator = await ctx.open("rotator");
    const popper = await ctx.open("popper");
    const pusher = await ctx.open("pusher");
    await rotator.send("BLMOVE", "l", "l", "LEFT", "RIGHT", "0");
    await ctx.waitBlocked(1);
    await popper.send("BLMPOP", "0", "2", "other", "l", "RIGHT", "COUNT", "2");
    await ctx.waitBlocked(2);
    await pusher.call("RPUSH", "l", "a");
    await rotator.reply();
    await popper.reply();
    await pusher.call("EXISTS", "l");
  },
);

multiClientDifferential(
  "a client waiting on several keys is served by the first written",
  async (ctx) => {
    const lists = await ctx.open("lists");
    const streams = await ctx.open("streams");
    const writer = await ctx.open("writer");
    await lists.send("BRPOP", "a", "b", "c", "0");
    await ctx.waitBlocked(1);
    await streams.send("XREAD", "BLOCK", "0", "STREAMS", "s1", "s2", "$", "$");
    await ctx.waitBlocked(2);
    await writer.call("MSET", "a", "string", "s1", "string");
    await writer.call("DEL", "a", "s1");
    await writer.call("RPUSH", "c", "1", "2");
    await lists.reply();
    await writer.call("XADD", "s2", "1-1", "f", "v");
    await streams.reply();
    await writer.call("LRANGE", "c", "0", "-1");
  },
);

multiClientDifferential(
  "XREADGROUP BLOCK ends when its stream is deleted; XREAD waits",
  async (ctx) => {
    const group = await ctx.open("group");
    const reader = await ctx.open("reader");
    const writer = await ctx.open("writer");
    for (const overwrite of [["DEL", "s"], ["SET", "s", "x"], ["FLUSHDB"], ["FLUSHALL"]]) {
      await writer.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
      await reader.send("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
      await ctx.waitBlocked(1);
      await group.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
      await ctx.waitBlocked(2);
      await writer.call(...overwrite);
      await group.reply();
      await writer.call("CLIENT", "UNBLOCK", reader.id);
      await reader.reply();
      await writer.call("DEL", "s");
    }
    await writer.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
    await group.send("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">");
    await ctx.waitBlocked(1);
    await writer.call("SELECT", "1");
    await writer.call("FLUSHDB");
    await writer.call("CLIENT", "UNBLOCK", group.id);
    await group.reply();
  },
);

// Timeouts that end at once or fail: never 0, nor a small negative (both wait for ever).
const SECONDS = ["0.001", "1e-3", "0.0004", "-1", "-0.5", "x", "", "inf", "nan", "1e17", " 1"];
const MILLIS = ["1", "2", "-1", "x", "1.5", "9223372036854775808"];
const KEYS = ["l", "z", "s", "str", "missing"];
const NUMKEYS = ["0", "1", "2", "3", "-1", "x", "9"];
const WHERE = ["LEFT", "right", "MIN", "max", "UP"];
const COUNTS = ["1", "3", "0", "-2", "x"];

function someKeys(random: SeededRandom): string[] {
  return Array.from({ length: random.int(4) }, () => random.pick(KEYS));
}

// A blocking command that answers at once (data, an error, or a timeout of a millisecond), or
// a write that refills the keys.
function randomBlockingCommand(random: SeededRandom): string[] {
  const timeout = random.pick(SECONDS);
  const count = random.int(3) === 0 ? [] : ["COUNT", random.pick(COUNTS)];
  switch (random.int(10)) {
    case 0:
      return [random.pick(["BLPOP", "BRPOP"]), ...someKeys(random), timeout];
    case 1:
      return [random.pick(["BZPOPMIN", "BZPOPMAX"]), ...someKeys(random), timeout];
    case 2:
      return [
        "BLMOVE",
        random.pick(KEYS),
        random.pick(KEYS),
        random.pick(WHERE),
        random.pick(WHERE),
        timeout,
      ];
    case 3:
      return ["BRPOPLPUSH", random.pick(KEYS), random.pick(KEYS), timeout];
    case 4:
    case 5: {
      const name = random.pick(["BLMPOP", "BZMPOP"]);
      const where = random.int(5) === 0 ? [] : [random.pick(WHERE)];
      return [name, timeout, random.pick(NUMKEYS), ...someKeys(random), ...where, ...count];
    }
    case 6: {
      const keys = someKeys(random);
      const ids = keys.map(() => random.pick(["$", "0", "0-0", "x"]));
      return ["XREAD", ...count, "BLOCK", random.pick(MILLIS), "STREAMS", ...keys, ...ids];
    }
    case 7:
      return ["RPUSH", "l", "a", "b", "c"];
    case 8:
      return ["ZADD", "z", String(random.int(5)), "m", "1.5", "n"];
    default:
      return ["XADD", "s", "*", "f", "v"];
  }
}

for (const seed of [1, 2]) {
  Deno.test({
    name: `compat: randomized blocking commands that answer at once, seed ${seed}`,
    ignore: !HAS_REDIS,
    async fn() {
      const random = new SeededRandom(seed);
      const steps: StepLike[] = [["SET", "str", "v"]];
      for (let i = 0; i < 300; i++) {
        const cmd = randomBlockingCommand(random);
        // XADD's ids are the clock's; the replies that show them are compared in shape.
        steps.push(cmd[0] === "XADD" || cmd[0] === "XREAD" ? { cmd, shape: true } : cmd);
      }
      for (const key of ["l", "z"]) steps.push(["TYPE", key]);
      steps.push(["LRANGE", "l", "0", "-1"], ["ZRANGE", "z", "0", "-1", "WITHSCORES"]);
      await withRedis(async (redis) => {
        for (const protocol of [2, 3] as const) {
          const expected = await redisTarget(redis, protocol);
          const actual = await serverTarget(protocol);
          try {
            await compareSteps(expected, actual, steps);
          } finally {
            await expected.close();
            await actual.close();
          }
        }
      });
    },
  });
}

differential("blocking commands inside MULTI answer at once as their non-blocking forms", [
  ["RPUSH", "l", "a", "b"],
  ["ZADD", "z", "1", "m"],
  ["MULTI"],
  ["BLPOP", "missing", "0"],
  ["BRPOP", "l", "0"],
  ["BLMOVE", "missing", "d", "LEFT", "LEFT", "0"],
  ["BRPOPLPUSH", "missing", "d", "0"],
  ["BLMOVE", "l", "d", "LEFT", "LEFT", "0"],
  ["BLMPOP", "0", "1", "missing", "LEFT"],
  ["BZPOPMIN", "missing", "0"],
  ["BZPOPMAX", "z", "0"],
  ["BZMPOP", "0", "1", "missing", "MIN"],
  ["XREAD", "BLOCK", "0", "STREAMS", "s", "$"],
  ["BLPOP", "l", "-1"],
  ["EXEC"],
]);

multiClientDifferential(
  "clients blocked on keys written in EXEC are served after it",
  async (ctx) => {
    const blocker = await ctx.open("blocker");
    const writer = await ctx.open("writer");
    await blocker.send("BLPOP", "l", "0");
    await ctx.waitBlocked(1);
    await writer.call("MULTI");
    await writer.call("RPUSH", "l", "a");
    await writer.call("DEL", "l");
    await writer.call("EXEC");
    await writer.call("MULTI");
    await writer.call("RPUSH", "l", "b", "c");
    await writer.call("LPOP", "l");
    await writer.call("EXEC");
    await blocker.reply();
    await writer.call("LRANGE", "l", "0", "-1");
  },
);

multiClientDifferential(
  "a served BLMOVE touches the destination another client WATCHes",
  async (ctx) => {
    const mover = await ctx.open("mover");
    const watcher = await ctx.open("watcher");
    const pusher = await ctx.open("pusher");
    await watcher.call("WATCH", "dst");
    await mover.send("BLMOVE", "src", "dst", "LEFT", "LEFT", "0");
    await ctx.waitBlocked(1);
    await pusher.call("RPUSH", "src", "x");
    await mover.reply();
    await watcher.call("MULTI");
    await watcher.call("LRANGE", "dst", "0", "-1");
    await watcher.call("EXEC");
  },
);
