import { HAS_REDIS } from "../_helpers/redis_server.ts";
import {
  compareSteps,
  differential,
  inProcessTarget,
  redisTarget,
  type StepLike,
  withRedis,
} from "../_helpers/compat.ts";
import { SeededRandom } from "../_helpers/random.ts";

differential("LPUSH, RPUSH, LPUSHX, RPUSHX", [
  ["LPUSH", "l", "a", "b", "c"],
  ["RPUSH", "l", "d", "e"],
  ["LRANGE", "l", "0", "-1"],
  ["LPUSHX", "l", "x", "y"],
  ["RPUSHX", "l", "z"],
  ["LRANGE", "l", "0", "-1"],
  ["LPUSHX", "missing", "x"],
  ["RPUSHX", "missing", "x"],
  ["LLEN", "missing"],
  ["SET", "s", "v"],
  ["LPUSH", "s", "a"],
  ["RPUSH", "s", "a"],
  ["LPUSHX", "s", "a"],
  ["RPUSHX", "s", "a"],
  ["LPUSH", "l"],
  ["RPUSHX", "l"],
  ["LLEN", "l"],
  ["LLEN", "missing"],
  ["LLEN", "s"],
  ["LLEN"],
  ["LLEN", "l", "x"],
]);

differential("LPOP and RPOP with and without a count", [
  ["RPUSH", "l", "a", "b", "c", "d", "e"],
  ["LPOP", "l"],
  ["RPOP", "l"],
  ["LPOP", "l", "0"],
  ["LPOP", "l", "2"],
  ["RPOP", "l", "5"],
  ["LLEN", "l"],
  ["LPOP", "l"],
  ["RPOP", "l"],
  ["LPOP", "l", "0"],
  ["RPOP", "l", "3"],
  ["RPUSH", "l", "a", "b"],
  ["LPOP", "l", "-1"],
  ["RPOP", "l", "abc"],
  ["LPOP", "missing", "-1"],
  ["LPOP", "l", "9223372036854775808"],
  ["LPOP", "l", "9223372036854775807"],
  ["RPUSH", "l", "x"],
  ["LPOP", "l", "1", "2"],
  ["SET", "s", "v"],
  ["LPOP", "s"],
  ["RPOP", "s", "0"],
  ["RPOP", "s", "-1"],
  ["LPOP"],
]);

differential("LRANGE with every kind of index", [
  ["RPUSH", "l", "a", "b", "c", "d", "e"],
  ["LRANGE", "l", "0", "-1"],
  ["LRANGE", "l", "1", "3"],
  ["LRANGE", "l", "-3", "-2"],
  ["LRANGE", "l", "-100", "100"],
  ["LRANGE", "l", "3", "1"],
  ["LRANGE", "l", "5", "10"],
  ["LRANGE", "l", "-1", "-1"],
  ["LRANGE", "l", "0", "-6"],
  ["LRANGE", "l", "-9223372036854775808", "9223372036854775807"],
  ["LRANGE", "l", "4", "4"],
  ["LRANGE", "l", "a", "1"],
  ["LRANGE", "l", "0", "1.5"],
  ["LRANGE", "missing", "0", "-1"],
  ["LRANGE", "missing", "x", "-1"],
  ["SET", "s", "v"],
  ["LRANGE", "s", "0", "-1"],
  ["LRANGE", "l", "0"],
]);

const long: StepLike[] = [["RPUSH", "long", ...Array.from({ length: 60 }, (_, i) => `e${i}`)]];
for (const index of ["0", "1", "29", "30", "31", "58", "-1", "-2", "-30", "-31", "-60", "-61"]) {
  long.push(["LINDEX", "long", index], ["LSET", "long", index, `set${index}`]);
}
long.push(
  ["LRANGE", "long", "50", "55"],
  ["LRANGE", "long", "-12", "-3"],
  ["LRANGE", "long", "2", "-50"],
  ["LTRIM", "long", "3", "-4"],
  ["LRANGE", "long", "0", "-1"],
  ["LPOS", "long", "e40", "RANK", "-1"],
  ["LPOS", "long", "e40", "MAXLEN", "20", "RANK", "-1"],
);
differential("indexes near either end of a longer list", long);

differential("LINDEX and LSET", [
  ["RPUSH", "l", "a", "b", "c"],
  ["LINDEX", "l", "0"],
  ["LINDEX", "l", "-1"],
  ["LINDEX", "l", "1"],
  ["LINDEX", "l", "-3"],
  ["LINDEX", "l", "3"],
  ["LINDEX", "l", "-4"],
  ["LINDEX", "l", "abc"],
  ["LINDEX", "missing", "0"],
  ["LINDEX", "missing", "abc"],
  ["LSET", "l", "0", "A"],
  ["LSET", "l", "-1", "C"],
  ["LSET", "l", "1", "B"],
  ["LRANGE", "l", "0", "-1"],
  ["LSET", "l", "3", "x"],
  ["LSET", "l", "-4", "x"],
  ["LSET", "l", "abc", "x"],
  ["LSET", "missing", "0", "x"],
  ["LSET", "missing", "abc", "x"],
  ["LLEN", "missing"],
  ["SET", "s", "v"],
  ["LINDEX", "s", "0"],
  ["LINDEX", "s", "abc"],
  ["LSET", "s", "0", "x"],
  ["LSET", "s", "abc", "x"],
  ["LRANGE", "l", "0", "-1"],
  ["LSET", "l", "0"],
]);

differential("LTRIM, including ranges that empty the list", [
  ["RPUSH", "l", "a", "b", "c", "d", "e", "f"],
  ["LTRIM", "l", "1", "-2"],
  ["LRANGE", "l", "0", "-1"],
  ["LTRIM", "l", "-100", "100"],
  ["LRANGE", "l", "0", "-1"],
  ["LTRIM", "l", "1", "1"],
  ["LRANGE", "l", "0", "-1"],
  ["LTRIM", "l", "1", "0"],
  ["LLEN", "l"],
  ["RPUSH", "l", "a", "b", "c"],
  ["LTRIM", "l", "5", "10"],
  ["LLEN", "l"],
  ["RPUSH", "l", "a", "b", "c"],
  ["LTRIM", "l", "0", "-4"],
  ["LLEN", "l"],
  ["RPUSH", "l", "a", "b", "c"],
  ["LTRIM", "l", "-2", "-1"],
  ["LRANGE", "l", "0", "-1"],
  ["LTRIM", "l", "a", "1"],
  ["LTRIM", "missing", "0", "1"],
  ["LTRIM", "missing", "x", "1"],
  ["SET", "s", "v"],
  ["LTRIM", "s", "0", "1"],
  ["LTRIM", "l", "0"],
]);

differential("LINSERT", [
  ["RPUSH", "l", "a", "b", "c", "b"],
  ["LINSERT", "l", "BEFORE", "b", "x"],
  ["LINSERT", "l", "after", "b", "y"],
  ["LINSERT", "l", "BEFORE", "a", "first"],
  ["LINSERT", "l", "AFTER", "c", "z"],
  ["LINSERT", "l", "AFTER", "b", "w"],
  ["LRANGE", "l", "0", "-1"],
  ["LINSERT", "l", "BEFORE", "nope", "x"],
  ["LINSERT", "missing", "BEFORE", "a", "x"],
  ["LLEN", "missing"],
  ["LINSERT", "l", "MIDDLE", "a", "x"],
  ["LINSERT", "missing", "MIDDLE", "a", "x"],
  ["SET", "s", "v"],
  ["LINSERT", "s", "BEFORE", "a", "x"],
  ["LINSERT", "s", "NOWHERE", "a", "x"],
  ["LLEN", "l"],
  ["LINSERT", "l", "BEFORE", "a"],
]);

// Inserting again and again between the same two neighbours runs out of integers between them
// (the gap halves each time), which renumbers the list: the order must not change.
const crowded: StepLike[] = [["RPUSH", "l", "a", "b", "c"]];
for (let i = 0; i < 60; i++) {
  crowded.push(["LINSERT", "l", "BEFORE", "b", `before${i}`]);
  crowded.push(["LINSERT", "l", "AFTER", "b", `after${i}`]);
}
crowded.push(["LRANGE", "l", "0", "-1"], ["LINDEX", "l", "61"], ["LPOS", "l", "b"]);
for (let i = 0; i < 30; i++) crowded.push(["LINSERT", "l", "AFTER", "c", `tail${i}`]);
for (let i = 0; i < 30; i++) crowded.push(["LINSERT", "l", "BEFORE", "a", `head${i}`]);
crowded.push(["LRANGE", "l", "0", "-1"], ["LPOP", "l", "3"], ["RPOP", "l", "3"], ["LLEN", "l"]);
differential("LINSERT between the same neighbours until the list is renumbered", crowded);

differential("LREM with positive, negative and zero counts", [
  ["RPUSH", "l", "x", "a", "x", "b", "x", "c", "x"],
  ["LREM", "l", "2", "x"],
  ["LRANGE", "l", "0", "-1"],
  ["LREM", "l", "-1", "x"],
  ["LRANGE", "l", "0", "-1"],
  ["RPUSH", "l", "x", "x"],
  ["LREM", "l", "0", "x"],
  ["LRANGE", "l", "0", "-1"],
  ["LREM", "l", "1", "nope"],
  ["LREM", "l", "-100", "a"],
  ["LREM", "l", "0", "b"],
  ["LREM", "l", "9223372036854775807", "c"],
  ["LLEN", "l"],
  ["LREM", "missing", "0", "x"],
  ["LREM", "missing", "abc", "x"],
  ["RPUSH", "l", "a"],
  ["LREM", "l", "abc", "a"],
  ["LREM", "l", "-9223372036854775808", "a"],
  ["SET", "s", "v"],
  ["LREM", "s", "0", "v"],
  ["LREM", "l", "0"],
]);

differential("LPOS with RANK, COUNT and MAXLEN", [
  ["RPUSH", "l", "a", "b", "c", "a", "b", "c", "a", "b", "c", "a"],
  ["LPOS", "l", "a"],
  ["LPOS", "l", "c"],
  ["LPOS", "l", "nope"],
  ["LPOS", "l", "a", "RANK", "2"],
  ["LPOS", "l", "a", "RANK", "-1"],
  ["LPOS", "l", "a", "RANK", "-3"],
  ["LPOS", "l", "a", "RANK", "5"],
  ["LPOS", "l", "a", "RANK", "-5"],
  ["LPOS", "l", "a", "COUNT", "0"],
  ["LPOS", "l", "a", "COUNT", "2"],
  ["LPOS", "l", "a", "COUNT", "2", "RANK", "2"],
  ["LPOS", "l", "a", "rank", "-1", "count", "0"],
  ["LPOS", "l", "a", "RANK", "-2", "COUNT", "2"],
  ["LPOS", "l", "b", "MAXLEN", "1"],
  ["LPOS", "l", "b", "MAXLEN", "2"],
  ["LPOS", "l", "c", "RANK", "-1", "MAXLEN", "1"],
  ["LPOS", "l", "c", "RANK", "-1", "MAXLEN", "2"],
  ["LPOS", "l", "a", "COUNT", "0", "MAXLEN", "7"],
  ["LPOS", "l", "a", "COUNT", "0", "MAXLEN", "7", "RANK", "-1"],
  ["LPOS", "l", "a", "COUNT", "0", "MAXLEN", "100"],
  ["LPOS", "l", "nope", "COUNT", "0"],
  ["LPOS", "l", "a", "RANK", "9223372036854775807"],
  ["LPOS", "l", "a", "RANK", "-9223372036854775807", "COUNT", "0"],
  ["LPOS", "l", "a", "RANK", "-9223372036854775808"],
  ["LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"],
  ["LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "2", "MAXLEN", "7"],
  ["LPOS", "l", "nope", "RANK", "-9223372036854775808", "COUNT", "0"],
  ["LPOS", "l", "a", "COUNT", "9223372036854775807"],
  ["LPOS", "l", "a", "MAXLEN", "9223372036854775807"],
  ["LPOS", "l", "a", "RANK", "1", "RANK", "-1"],
  ["LPOS", "l", "a", "RANK", "0"],
  ["LPOS", "l", "a", "RANK", "abc"],
  ["LPOS", "l", "a", "COUNT", "-1"],
  ["LPOS", "l", "a", "COUNT", "abc"],
  ["LPOS", "l", "a", "MAXLEN", "-1"],
  ["LPOS", "l", "a", "MAXLEN", "abc"],
  ["LPOS", "l", "a", "RANK", "0", "COUNT", "-1"],
  ["LPOS", "l", "a", "COUNT", "-1", "RANK", "0"],
  ["LPOS", "l", "a", "RANK"],
  ["LPOS", "l", "a", "FOO", "1"],
  ["LPOS", "l", "a", "COUNT", "1", "FOO"],
  ["LPOS", "missing", "a"],
  ["LPOS", "missing", "a", "COUNT", "0"],
  ["LPOS", "missing", "a", "RANK", "0"],
  ["SET", "s", "v"],
  ["LPOS", "s", "v"],
  ["LPOS", "s", "v", "COUNT", "-1"],
  ["LPOS", "l"],
]);

differential("LMOVE and RPOPLPUSH", [
  ["RPUSH", "src", "a", "b", "c"],
  ["LMOVE", "src", "dst", "LEFT", "RIGHT"],
  ["LMOVE", "src", "dst", "right", "left"],
  ["LMOVE", "src", "dst", "LEFT", "LEFT"],
  ["LRANGE", "dst", "0", "-1"],
  ["LLEN", "src"],
  ["LMOVE", "src", "dst", "LEFT", "RIGHT"],
  ["RPOPLPUSH", "dst", "src"],
  ["RPOPLPUSH", "missing", "src"],
  ["LRANGE", "src", "0", "-1"],
  ["LRANGE", "dst", "0", "-1"],
  ["SET", "s", "v"],
  ["LMOVE", "dst", "s", "LEFT", "RIGHT"],
  ["RPOPLPUSH", "dst", "s"],
  ["LRANGE", "dst", "0", "-1"],
  ["LMOVE", "s", "dst", "LEFT", "RIGHT"],
  ["LMOVE", "missing", "s", "LEFT", "RIGHT"],
  ["LMOVE", "dst", "src", "UP", "RIGHT"],
  ["LMOVE", "dst", "src", "LEFT", "DOWN"],
  ["LMOVE", "missing", "src", "UP", "RIGHT"],
  ["LMOVE", "dst", "src", "LEFT"],
  ["RPOPLPUSH", "dst"],
]);

differential("LMOVE and RPOPLPUSH on one key rotate it", [
  ["RPUSH", "l", "1", "2", "3", "4"],
  ["LMOVE", "l", "l", "LEFT", "RIGHT"],
  ["LRANGE", "l", "0", "-1"],
  ["LMOVE", "l", "l", "RIGHT", "LEFT"],
  ["LMOVE", "l", "l", "RIGHT", "LEFT"],
  ["LRANGE", "l", "0", "-1"],
  ["LMOVE", "l", "l", "LEFT", "LEFT"],
  ["LMOVE", "l", "l", "RIGHT", "RIGHT"],
  ["LRANGE", "l", "0", "-1"],
  ["RPOPLPUSH", "l", "l"],
  ["LRANGE", "l", "0", "-1"],
  ["RPUSH", "one", "x"],
  ["LMOVE", "one", "one", "LEFT", "RIGHT"],
  ["RPOPLPUSH", "one", "one"],
  ["LRANGE", "one", "0", "-1"],
]);

differential("LMPOP", [
  ["RPUSH", "a", "1", "2", "3"],
  ["RPUSH", "b", "4", "5"],
  ["LMPOP", "2", "missing", "a", "LEFT"],
  ["LMPOP", "3", "missing", "b", "a", "RIGHT", "COUNT", "10"],
  ["LLEN", "b"],
  ["LMPOP", "1", "a", "left", "count", "1"],
  ["LMPOP", "2", "missing", "b", "LEFT"],
  ["LMPOP", "1", "a", "RIGHT"],
  ["LMPOP", "1", "a", "RIGHT", "COUNT", "2"],
  ["RPUSH", "a", "1", "2"],
  ["SET", "s", "v"],
  ["LMPOP", "2", "s", "a", "LEFT"],
  ["LMPOP", "2", "a", "s", "LEFT"],
  ["LMPOP", "2", "missing", "s", "LEFT"],
  ["LMPOP", "0", "a", "LEFT"],
  ["LMPOP", "-1", "a", "LEFT"],
  ["LMPOP", "abc", "a", "LEFT"],
  ["LMPOP", "2", "a", "LEFT"],
  ["LMPOP", "9223372036854775807", "a", "LEFT"],
  ["LMPOP", "1", "a", "MIDDLE"],
  ["LMPOP", "1", "a", "LEFT", "COUNT", "0"],
  ["LMPOP", "1", "a", "LEFT", "COUNT", "-1"],
  ["LMPOP", "1", "a", "LEFT", "COUNT", "abc"],
  ["LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"],
  ["LMPOP", "1", "a", "LEFT", "COUNT"],
  ["LMPOP", "1", "a", "LEFT", "FOO"],
  ["LMPOP", "1", "a", "LEFT", "COUNT", "9223372036854775807"],
  ["LMPOP", "1", "a"],
  ["LLEN", "a"],
]);

differential("list elements are binary-safe", [
  ["RPUSH", "l", new Uint8Array([0, 255, 10, 13]), new Uint8Array([]), "é"],
  ["LRANGE", "l", "0", "-1"],
  ["LPOS", "l", new Uint8Array([])],
  ["LINSERT", "l", "BEFORE", new Uint8Array([0, 255, 10, 13]), new Uint8Array([1])],
  ["LREM", "l", "0", "é"],
  ["LRANGE", "l", "0", "-1"],
]);

// A seeded sequence of mixed list commands on a few keys (now and then a string), sent to both
// servers and compared step by step. The seed is in the test name, so a failure can be replayed.
const KEYS = ["l1", "l2", "l3", "l1", "l2", "l3", "l1", "str"];
const VALUES = ["a", "b", "c", "d", "e"];
const ENDS = ["LEFT", "RIGHT"];

function index(random: SeededRandom): string {
  return String(random.range(-7, 7));
}

function randomCommand(random: SeededRandom): string[] {
  const key = random.pick(KEYS);
  const value = random.pick(VALUES);
  const values = Array.from({ length: random.range(1, 4) }, () => random.pick(VALUES));
  switch (random.int(18)) {
    case 0:
      return ["LPUSH", key, ...values];
    case 1:
      return ["RPUSH", key, ...values];
    case 2:
      return [random.pick(["LPUSHX", "RPUSHX"]), key, ...values];
    case 3:
      return [random.pick(["LPOP", "RPOP"]), key];
    case 4:
      return [random.pick(["LPOP", "RPOP"]), key, String(random.range(0, 4))];
    case 5:
      return ["LLEN", key];
    case 6:
      return ["LRANGE", key, index(random), index(random)];
    case 7:
      return ["LINDEX", key, index(random)];
    case 8:
      return ["LSET", key, index(random), value];
    case 9:
      return ["LTRIM", key, index(random), index(random)];
    case 10:
      return ["LINSERT", key, random.pick(["BEFORE", "AFTER"]), random.pick(VALUES), value];
    case 11:
      return ["LREM", key, String(random.range(-3, 3)), value];
    case 12: {
      const options = [];
      if (random.int(2)) options.push("RANK", String(random.pick([-3, -2, -1, 1, 2, 3])));
      if (random.int(2)) options.push("COUNT", String(random.range(0, 3)));
      if (random.int(2)) options.push("MAXLEN", String(random.range(0, 6)));
      return ["LPOS", key, value, ...options];
    }
    case 13:
      return ["LMOVE", key, random.pick(KEYS), random.pick(ENDS), random.pick(ENDS)];
    case 14:
      return ["RPOPLPUSH", key, random.pick(KEYS)];
    case 15: {
      const keys = Array.from({ length: random.range(1, 3) }, () => random.pick(KEYS));
      const count = random.int(2) ? ["COUNT", String(random.range(1, 4))] : [];
      return ["LMPOP", String(keys.length), ...keys, random.pick(ENDS), ...count];
    }
    case 16:
      return ["LRANGE", key, "0", "-1"];
    default:
      return random.int(4) === 0 ? ["SET", "str", value] : ["LRANGE", key, "0", "-1"];
  }
}

for (const seed of [1, 2, 3, 4]) {
  Deno.test({
    name: `compat: randomized mixed list commands, seed ${seed}`,
    ignore: !HAS_REDIS,
    async fn() {
      const random = new SeededRandom(seed);
      const steps = Array.from({ length: 600 }, () => randomCommand(random));
      for (const key of KEYS) steps.push(["LRANGE", key, "0", "-1"]);
      await withRedis(async (redis) => {
        for (const protocol of [2, 3] as const) {
          const expected = await redisTarget(redis, protocol);
          const actual = inProcessTarget(protocol);
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
