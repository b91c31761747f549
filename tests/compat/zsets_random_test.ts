/**
 * A seeded randomized differential test: mixed sorted set commands over a few keys, sent to
 * redis-server and to Redlite and compared reply by reply. A failure names the seed and the
 * step, so that it can be replayed.
 */

import { HAS_REDIS } from "../_helpers/redis_server.ts";
import { compareSeeded, type StepLike, withRedis } from "../_helpers/compat.ts";
import { SeededRandom } from "../_helpers/random.ts";

const KEYS = ["z1", "z2", "z3", "z1", "z2", "z3", "z1", "z2", "z3", "str"];
const MEMBERS = ["a", "b", "c", "d", "e", "f", "g", "h", "aa", "ab", "", "\u00e9"];
// Exact binary fractions and infinities: sums and weighted sums are exact in any order.
const SCORES = ["0", "1", "2", "-1", "1.5", "-2.5", "10", "3", "inf", "-inf", "0.25"];

function bound(random: SeededRandom): string {
  const score = random.pick([...SCORES, "+inf", "5"]);
  return random.int(4) === 0 ? `(${score}` : score;
}

function lexBound(random: SeededRandom): string {
  const roll = random.int(6);
  if (roll === 0) return "-";
  if (roll === 1) return "+";
  return (roll % 2 === 0 ? "[" : "(") + random.pick(MEMBERS);
}

function index(random: SeededRandom): string {
  return String(random.range(-8, 8));
}

function some(random: SeededRandom, items: readonly string[], max: number): string[] {
  return Array.from({ length: random.range(1, max) }, () => random.pick(items));
}

function withOptional(random: SeededRandom, command: string[], ...options: string[][]): string[] {
  for (const option of options) if (random.int(2) === 0) command.push(...option);
  return command;
}

function limit(random: SeededRandom): string[] {
  return ["LIMIT", String(random.range(-1, 4)), String(random.range(-1, 4))];
}

function zadd(r: SeededRandom): string[] {
  const flags = some(r, ["NX", "XX", "GT", "LT", "CH", "", "", ""], 2).filter((f) => f !== "");
  const pairs = Array.from({ length: r.range(1, 4) }, () => [r.pick(SCORES), r.pick(MEMBERS)]);
  return ["ZADD", r.pick(KEYS), ...flags, ...pairs.flat()];
}

function lexZadd(r: SeededRandom): string[] {
  return ["ZADD", "lex", ...some(r, MEMBERS, 3).flatMap((m) => ["0", m])];
}

// Adds are weighted so that the sorted sets stay populated between removals.
const GENERATORS: ((random: SeededRandom) => StepLike)[] = [
  zadd,
  zadd,
  zadd,
  zadd,
  zadd,
  lexZadd,
  lexZadd,
  (
    r,
  ) => [
    "ZADD",
    r.pick(KEYS),
    "INCR",
    ...some(r, ["NX", "XX", "GT", "LT"], 1),
    r.pick(SCORES),
    r.pick(MEMBERS),
  ],
  (r) => ["ZINCRBY", r.pick(KEYS), r.pick(SCORES), r.pick(MEMBERS)],
  (r) => ["ZREM", r.pick(KEYS), ...some(r, MEMBERS, 3)],
  (r) => ["ZSCORE", r.pick(KEYS), r.pick(MEMBERS)],
  (r) => ["ZMSCORE", r.pick(KEYS), ...some(r, MEMBERS, 3)],
  (r) => ["ZCARD", r.pick(KEYS)],
  (r) => ["ZCOUNT", r.pick(KEYS), bound(r), bound(r)],
  (r) => [r.pick(["ZRANK", "ZREVRANK"]), r.pick(KEYS), r.pick(MEMBERS)],
  (r) => withOptional(r, ["ZRANGE", r.pick(KEYS), index(r), index(r)], ["REV"], ["WITHSCORES"]),
  (r) =>
    withOptional(
      r,
      ["ZRANGE", r.pick(KEYS), bound(r), bound(r), "BYSCORE"],
      ["REV"],
      limit(r),
      ["WITHSCORES"],
    ),
  (r) => withOptional(r, ["ZREVRANGE", r.pick(KEYS), index(r), index(r)], ["WITHSCORES"]),
  (r) =>
    withOptional(
      r,
      [r.pick(["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"]), r.pick(KEYS), bound(r), bound(r)],
      ["WITHSCORES"],
      limit(r),
    ),
  (r) => withOptional(r, ["ZRANGESTORE", r.pick(KEYS), r.pick(KEYS), index(r), index(r)], ["REV"]),
  (r) => ["ZREMRANGEBYRANK", r.pick(KEYS), index(r), index(r)],
  (r) => ["ZREMRANGEBYSCORE", r.pick(KEYS), bound(r), bound(r)],
  (r) => withOptional(r, [r.pick(["ZPOPMIN", "ZPOPMAX"]), r.pick(KEYS)], [String(r.range(0, 3))]),
  (r) =>
    withOptional(r, ["ZMPOP", "2", r.pick(KEYS), r.pick(KEYS), r.pick(["MIN", "MAX"])], [
      "COUNT",
      String(r.range(1, 3)),
    ]),
  (r) => {
    const keys = some(r, KEYS, 3);
    const command = [r.pick(["ZUNION", "ZINTER"]), String(keys.length), ...keys];
    if (r.int(2) === 0) command.push("WEIGHTS", ...keys.map(() => r.pick(["1", "2", "-1", "0"])));
    return withOptional(r, command, ["AGGREGATE", r.pick(["SUM", "MIN", "MAX"])], ["WITHSCORES"]);
  },
  (r) => {
    const keys = some(r, KEYS, 3);
    const command = [r.pick(["ZUNIONSTORE", "ZINTERSTORE"]), r.pick(KEYS), String(keys.length)];
    return withOptional(r, [...command, ...keys], ["AGGREGATE", r.pick(["SUM", "MIN", "MAX"])]);
  },
  (r) => {
    const keys = some(r, KEYS, 3);
    return withOptional(r, ["ZDIFF", String(keys.length), ...keys], ["WITHSCORES"]);
  },
  (r) => {
    const keys = some(r, KEYS, 3);
    return ["ZDIFFSTORE", r.pick(KEYS), String(keys.length), ...keys];
  },
  (r) => {
    const keys = some(r, KEYS, 3);
    return withOptional(r, ["ZINTERCARD", String(keys.length), ...keys], [
      "LIMIT",
      String(r.range(0, 3)),
    ]);
  },
  // Lexicographic commands, on a sorted set whose members all have score 0.
  (r) =>
    withOptional(
      r,
      [r.pick(["ZRANGEBYLEX", "ZREVRANGEBYLEX"]), "lex", lexBound(r), lexBound(r)],
      limit(r),
    ),
  (r) => ["ZLEXCOUNT", "lex", lexBound(r), lexBound(r)],
  (r) => ["ZREMRANGEBYLEX", "lex", lexBound(r), lexBound(r)],
  (r) => withOptional(r, ["ZRANGE", "lex", lexBound(r), lexBound(r), "BYLEX"], ["REV"], limit(r)),
  (r) => withOptional(r, ["ZSCAN", r.pick(KEYS), "0"], ["MATCH", r.pick(["*a*", "?", "[a-c]*"])]),
  (r) => ({
    cmd: withOptional(r, ["ZRANDMEMBER", r.pick(KEYS)], [String(r.range(-4, 4))]),
    shape: true,
  }),
  // A key of another type (which the STORE commands may turn into a sorted set).
  () => ["SET", "str", "string"],
];

function steps(seed: number, count: number): StepLike[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => random.pick(GENERATORS)(random));
}

for (const seed of [1, 2, 3, 4]) {
  Deno.test({
    name: `compat: random sorted set commands, seed ${seed}`,
    ignore: !HAS_REDIS,
    async fn() {
      await withRedis(async (redis) => {
        await compareSeeded(redis, seed, steps(seed, 600));
      });
    },
  });
}
