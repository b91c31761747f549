import { compareSeeded, type Step, withRedis } from "../_helpers/compat.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { HAS_REDIS } from "../_helpers/redis_server.ts";

const KEYS = ["s1", "s2", "s3", "s4", "str", "missing"];
const MEMBERS = ["a", "b", "c", "d", "e", "1", "2", "10", "-1", "x:1", "x:2", ""];

function setStep(random: SeededRandom): Step {
  const key = () => random.pick(KEYS);
  const keys = (n: number) => Array.from({ length: n }, key);
  const member = () => random.pick(MEMBERS);
  const members = (n: number) => Array.from({ length: n }, member);
  switch (random.int(18)) {
    case 0:
    case 1:
    case 2:
      return { cmd: ["SADD", key(), ...members(random.range(1, 5))] };
    case 3:
      return { cmd: ["SREM", key(), ...members(random.range(1, 4))] };
    case 4:
      return { cmd: ["SMEMBERS", key()], unordered: true };
    case 5:
      return { cmd: ["SISMEMBER", key(), member()] };
    case 6:
      return { cmd: ["SMISMEMBER", key(), ...members(random.range(1, 4))] };
    case 7:
      return { cmd: ["SCARD", key()] };
    case 8:
      return { cmd: ["SMOVE", key(), key(), member()] };
    case 9:
      return {
        cmd: [random.pick(["SINTER", "SUNION", "SDIFF"]), ...keys(random.range(1, 3))],
        unordered: true,
      };
    case 10:
      return {
        cmd: [
          random.pick(["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]),
          key(),
          ...keys(random.range(1, 3)),
        ],
      };
    case 11: {
      const n = random.range(1, 3);
      const limit = random.int(3) === 0 ? ["LIMIT", String(random.range(0, 4))] : [];
      return { cmd: ["SINTERCARD", String(n), ...keys(n), ...limit] };
    }
    case 12:
      return { cmd: ["SRANDMEMBER", key(), String(random.range(-6, 6))], shape: true };
    case 13:
      // Pops everything or nothing: the result does not depend on chance.
      return { cmd: ["SPOP", key(), random.pick(["0", "100"])], unordered: true };
    case 14:
      return {
        cmd: [
          "SSCAN",
          key(),
          "0",
          "MATCH",
          random.pick(["*", "x:*", "[a-c]", "?"]),
          "COUNT",
          "100",
        ],
        unordered: true,
      };
    case 15:
      return { cmd: ["SET", "str", member()] };
    case 16:
      return { cmd: ["HSET", random.pick(["s4", "str"]), member(), member()] };
    default:
      return { cmd: ["SCARD", key()] };
  }
}

Deno.test({
  name: "compat: random set command sequences (seeded)",
  ignore: !HAS_REDIS,
  async fn() {
    await withRedis(async (redis) => {
      for (const seed of [1, 2, 3, 4]) {
        const random = new SeededRandom(seed);
        const steps = Array.from({ length: 300 }, () => setStep(random));
        await compareSeeded(redis, seed, steps);
      }
    });
  },
});
