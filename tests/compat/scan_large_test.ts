import assert from "node:assert/strict";
import { decodeValue } from "../../src/resp/values.ts";
import { inProcessTarget, redisTarget, type Target, withRedis } from "../_helpers/compat.ts";
import { HAS_REDIS } from "../_helpers/redis_server.ts";

const decoder = new TextDecoder();

// Runs a whole HSCAN/SSCAN/ZSCAN iteration; returns what it found (sorted, without repeats) and how
// many steps it took. Redis's cursors and page contents differ from Redlite's: the union of the
// pages is what both must agree on.
async function scanAll(target: Target, command: string, key: string, options: string[]) {
  const found = new Set<string>();
  let cursor = "0";
  let steps = 0;
  do {
    const raw = await target.send([command, key, cursor, ...options]);
    const reply = decodeValue(raw, 0)!.value;
    assert.equal(reply.type, "array", decoder.decode(raw));
    const [next, items] = reply.value as { type: string; value: unknown }[];
    cursor = decoder.decode(next.value as Uint8Array);
    const elements = (items.value as { value: Uint8Array }[]).map((item) =>
      decoder.decode(item.value)
    );
    // HSCAN pages hold field, value pairs; ZSCAN pages member, score pairs.
    const stride = command === "SSCAN" ? 1 : 2;
    for (let i = 0; i < elements.length; i += stride) {
      found.add(elements.slice(i, i + stride).join("="));
    }
    steps++;
  } while (cursor !== "0");
  return { found: [...found].sort(), steps };
}

async function fill(target: Target, size: number): Promise<void> {
  const fields = Array.from({ length: size }, (_, i) => [`f${i}`, `v${i}`]).flat();
  await target.send(["HSET", "h", ...fields]);
  await target.send(["SADD", "s", ...Array.from({ length: size }, (_, i) => `m${i}`)]);
  await target.send([
    "ZADD",
    "z",
    ...Array.from({ length: size }, (_, i) => [`${i / 4}`, `m${i}`]).flat(),
  ]);
}

Deno.test({
  name: "compat: HSCAN, SSCAN and ZSCAN of large collections find the same elements as Redis",
  ignore: !HAS_REDIS,
  async fn() {
    await withRedis(async (redis) => {
      for (const protocol of [2, 3] as const) {
        const expected = await redisTarget(redis, protocol);
        const actual = inProcessTarget(protocol);
        try {
          await fill(expected, 700);
          await fill(actual, 700);
          for (const [command, key] of [["HSCAN", "h"], ["SSCAN", "s"], ["ZSCAN", "z"]]) {
            for (
              const options of [[], ["COUNT", "25"], ["MATCH", "*1*", "COUNT", "30"], [
                "MATCH",
                "?5",
              ]]
            ) {
              const want = await scanAll(expected, command, key, options);
              const got = await scanAll(actual, command, key, options);
              assert.deepEqual(got.found, want.found, `${command} ${options.join(" ")}`);
              const count = options.includes("COUNT") ? Number(options.at(-1)) : 10;
              // Pages of about COUNT elements, as Redis's.
              assert.ok(got.steps >= Math.floor(700 / count), `${command}: ${got.steps} steps`);
            }
          }
        } finally {
          await expected.close();
          await actual.close();
        }
      }
    });
  },
});
