import { compareSeeded, type Step, withRedis } from "../_helpers/compat.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { HAS_REDIS } from "../_helpers/redis_server.ts";

const KEYS = ["h1", "h2", "h3", "str"];
const FIELDS = ["a", "b", "c", "d", "e", "f", "g", "n", "x:1", "x:2", ""];
const VALUES = ["1", "-5", "0", "10.5", "abc", "", "9223372036854775807", "3e2", " 7"];
const INCREMENTS = [
  "1",
  "-1",
  "100",
  "0",
  "x",
  "1.5",
  "9223372036854775807",
  "-9223372036854775808",
];
const FLOAT_INCREMENTS = ["0.1", "-2.5", "1e3", "0", "x", "inf", "3.0"];

function hashStep(random: SeededRandom): Step {
  const key = random.pick(KEYS);
  const field = () => random.pick(FIELDS);
  const fields = (n: number) => Array.from({ length: n }, field);
  switch (random.int(16)) {
    case 0:
    case 1:
      return {
        cmd: ["HSET", key, ...fields(random.range(1, 3)).flatMap((f) => [f, random.pick(VALUES)])],
      };
    case 2:
      return { cmd: ["HSETNX", key, field(), random.pick(VALUES)] };
    case 3:
      return { cmd: ["HGET", key, field()] };
    case 4:
      return { cmd: ["HMGET", key, ...fields(random.range(1, 4))] };
    case 5:
      return { cmd: ["HGETALL", key], unordered: true };
    case 6:
      return { cmd: ["HDEL", key, ...fields(random.range(1, 3))] };
    case 7:
      return { cmd: ["HEXISTS", key, field()] };
    case 8:
      return { cmd: [random.pick(["HKEYS", "HVALS"]), key], unordered: true };
    case 9:
      return { cmd: ["HLEN", key] };
    case 10:
      return { cmd: ["HSTRLEN", key, field()] };
    case 11:
      return { cmd: ["HINCRBY", key, field(), random.pick(INCREMENTS)] };
    case 12:
      return { cmd: ["HINCRBYFLOAT", key, field(), random.pick(FLOAT_INCREMENTS)] };
    case 13: {
      const count = String(random.range(-5, 15));
      const cmd = random.int(2) === 0
        ? ["HRANDFIELD", key, count]
        : ["HRANDFIELD", key, count, "WITHVALUES"];
      // A count at least the hash's size returns all of it: then the contents compare too.
      return { cmd, shape: true };
    }
    case 14:
      return {
        cmd: ["HSCAN", key, "0", "MATCH", random.pick(["*", "x:*", "[a-c]", "?"]), "COUNT", "100"],
        unordered: true,
      };
    default:
      return { cmd: ["SET", "str", random.pick(VALUES)] };
  }
}

Deno.test({
  name: "compat: random hash command sequences (seeded)",
  ignore: !HAS_REDIS,
  async fn() {
    await withRedis(async (redis) => {
      for (const seed of [1, 2, 3, 4]) {
        const random = new SeededRandom(seed);
        const steps = Array.from({ length: 300 }, () => hashStep(random));
        await compareSeeded(redis, seed, steps);
      }
    });
  },
});
