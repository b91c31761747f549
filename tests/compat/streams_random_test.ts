/**
 * A seeded randomized differential test: mixed stream commands over a few keys, sent to
 * redis-server and to Redlite and compared reply by reply. Entries come in many sizes and field
 * sets, so that streams cross Redis's node limits (100 entries, 4096 bytes) and approximate
 * trimming, XINFO's radix tree counts and consumer group lag depend on them. Ids are explicit
 * (no clock); replies that carry times (idle, seen-time) are compared by shape. A failure names
 * the seed and the step, so that it can be replayed.
 */

import { HAS_REDIS } from "../_helpers/redis_server.ts";
import { compareSeeded, type StepLike, withRedis } from "../_helpers/compat.ts";
import { SeededRandom } from "../_helpers/random.ts";

const KEYS = ["s1", "s2", "s3", "s1", "s1", "big", "str"];
const FIELDS = ["f", "g", "field", "name", "1", "-7", ""];
const GROUPS = ["g1", "g2", "g1"];
const CONSUMERS = ["alice", "bob", "carol"];

/** The state the generators share: the last milliseconds handed out, so that ids mostly grow. */
class Ids {
  ms = 0;

  /** A new id, usually above every earlier one; sometimes `<ms>-*` or a stale one. */
  next(r: SeededRandom): string {
    const roll = r.int(20);
    if (roll === 0) return `${r.range(0, this.ms)}-${r.range(0, 3)}`;
    this.ms += r.range(0, 3);
    if (roll < 4) return `${this.ms}-*`;
    return `${this.ms}-${r.range(0, 5)}`;
  }

  /** An id near the ones handed out. */
  near(r: SeededRandom): string {
    const ms = r.range(0, this.ms + 2);
    return r.int(3) === 0 ? String(ms) : `${ms}-${r.range(0, 5)}`;
  }

  /** A range bound: an id, an exclusive id, `-` or `+`. */
  bound(r: SeededRandom, end: "-" | "+"): string {
    const roll = r.int(8);
    if (roll === 0) return end;
    return roll === 1 ? `(${this.near(r)}` : this.near(r);
  }
}

function value(r: SeededRandom): string {
  const roll = r.int(10);
  if (roll === 0) return String(r.range(-5000, 5000));
  if (roll === 1) return String(r.range(0, 2 ** 31) * r.range(1, 2 ** 20));
  if (roll === 2) return "007";
  const length = r.pick([0, 1, 3, 10, 40, 63, 64, 100, 200, 300]);
  return "v".repeat(length) + String(r.int(10));
}

function fieldsAndValues(r: SeededRandom): string[] {
  // Often the same fields in the same order, as most streams have (Redis stores them once).
  if (r.int(3) > 0) return ["f", value(r), "g", value(r)];
  return Array.from({ length: r.range(1, 4) }, () => [r.pick(FIELDS), value(r)]).flat();
}

function trim(r: SeededRandom, ids: Ids): string[] {
  const strategy = r.int(2) === 0
    ? ["MAXLEN", String(r.pick([0, 1, 5, 50, 99, 100, 150, 300]))]
    : ["MINID", ids.near(r)];
  const how = r.pick([[], ["~"], ["="], ["~"]]);
  const limit = how[0] === "~" && r.int(3) === 0 ? ["LIMIT", String(r.pick([0, 1, 100, 150]))] : [];
  return [strategy[0], ...how, strategy[1], ...limit];
}

function count(r: SeededRandom): string[] {
  return r.int(2) === 0 ? [] : ["COUNT", String(r.range(-1, 12))];
}

function generators(ids: Ids): ((r: SeededRandom) => StepLike)[] {
  const xadd = (r: SeededRandom) => {
    const options = r.int(12) === 0 ? trim(r, ids) : [];
    if (r.int(20) === 0) options.unshift("NOMKSTREAM");
    return ["XADD", r.pick(KEYS), ...options, ids.next(r), ...fieldsAndValues(r)];
  };
  const groupRead = (r: SeededRandom) => {
    const options = [...count(r), ...(r.int(5) === 0 ? ["NOACK"] : [])];
    const id = r.int(3) === 0 ? r.pick(["0", ids.near(r)]) : ">";
    return [
      "XREADGROUP",
      "GROUP",
      r.pick(GROUPS),
      r.pick(CONSUMERS),
      ...options,
      "STREAMS",
      r.pick(KEYS),
      id,
    ];
  };
  // A stream that grows long: many small entries, trimmed only now and then by whole nodes.
  const bigTrim = (r: SeededRandom) =>
    r.int(3) === 0
      ? ["MINID", r.pick(["~", "="]), `${r.range(0, ids.ms / 2)}`]
      : ["MAXLEN", r.pick(["~", "~", "="]), String(r.range(90, 500))];
  const bigAdd = (r: SeededRandom) => {
    const options = r.int(30) === 0 ? bigTrim(r) : [];
    const fields = r.int(10) === 0
      ? fieldsAndValues(r)
      : ["f", String(r.range(0, 300)), "g", "x".repeat(r.int(30))];
    return ["XADD", "big", ...options, ids.next(r), ...fields];
  };
  return [
    bigAdd,
    bigAdd,
    bigAdd,
    bigAdd,
    bigAdd,
    bigAdd,
    bigAdd,
    bigAdd,
    () => ["XINFO", "STREAM", "big"],
    (r) => ["XDEL", "big", ...Array.from({ length: r.range(1, 6) }, () => ids.near(r))],
    (r) => ["XTRIM", "big", ...bigTrim(r)],
    (r) => ["XREADGROUP", "GROUP", "g1", r.pick(CONSUMERS), ...count(r), "STREAMS", "big", ">"],
    () => ["XGROUP", "CREATE", "big", "g1", "0"],
    () => ["XINFO", "GROUPS", "big"],
    xadd,
    xadd,
    xadd,
    xadd,
    xadd,
    xadd,
    xadd,
    xadd,
    xadd,
    xadd,
    (r) => ["XLEN", r.pick(KEYS)],
    (r) => ["XRANGE", r.pick(KEYS), ids.bound(r, "-"), ids.bound(r, "+"), ...count(r)],
    (r) => ["XREVRANGE", r.pick(KEYS), ids.bound(r, "+"), ids.bound(r, "-"), ...count(r)],
    (r) => ["XDEL", r.pick(KEYS), ...Array.from({ length: r.range(1, 4) }, () => ids.near(r))],
    (r) => ["XTRIM", r.pick(KEYS), ...trim(r, ids)],
    (r) => ["XREAD", ...count(r), "STREAMS", "s1", r.pick(KEYS), ids.near(r), r.pick(["0", "$"])],
    (r) => ["XINFO", "STREAM", r.pick(KEYS)],
    (r) => ({ cmd: ["XINFO", "STREAM", r.pick(KEYS), "FULL", "COUNT", "5"], shape: true }),
    (r) => ["XINFO", "GROUPS", r.pick(KEYS)],
    (r) => ({ cmd: ["XINFO", "CONSUMERS", r.pick(KEYS), r.pick(GROUPS)], shape: true }),
    (r) => [
      "XGROUP",
      "CREATE",
      r.pick(KEYS),
      r.pick(GROUPS),
      r.pick(["0", "$", ids.near(r)]),
      ...(r.int(3) === 0 ? ["MKSTREAM"] : []),
      ...(r.int(4) === 0 ? ["ENTRIESREAD", String(r.range(-1, 20))] : []),
    ],
    (r) => ["XGROUP", "SETID", r.pick(KEYS), r.pick(GROUPS), r.pick(["0", "$", ids.near(r)])],
    (r) => ["XGROUP", "DESTROY", r.pick(KEYS), r.pick(GROUPS)],
    (r) => ["XGROUP", "CREATECONSUMER", r.pick(KEYS), r.pick(GROUPS), r.pick(CONSUMERS)],
    (r) => ["XGROUP", "DELCONSUMER", r.pick(KEYS), r.pick(GROUPS), r.pick(CONSUMERS)],
    groupRead,
    groupRead,
    groupRead,
    (
      r,
    ) => [
      "XACK",
      r.pick(KEYS),
      r.pick(GROUPS),
      ...Array.from({ length: r.range(1, 3) }, () => ids.near(r)),
    ],
    (r) => ["XPENDING", r.pick(KEYS), r.pick(GROUPS)],
    (r) => ({
      cmd: [
        "XPENDING",
        r.pick(KEYS),
        r.pick(GROUPS),
        ...(r.int(3) === 0 ? ["IDLE", r.pick(["0", "3600000"])] : []),
        ids.bound(r, "-"),
        ids.bound(r, "+"),
        String(r.range(0, 10)),
        ...(r.int(2) === 0 ? [r.pick(CONSUMERS)] : []),
      ],
      shape: true,
    }),
    (r) => [
      "XCLAIM",
      r.pick(KEYS),
      r.pick(GROUPS),
      r.pick(CONSUMERS),
      r.pick(["0", "3600000"]),
      ...Array.from({ length: r.range(1, 3) }, () => ids.near(r)),
      ...(r.int(3) === 0 ? ["IDLE", "7200000"] : []),
      ...(r.int(4) === 0 ? ["RETRYCOUNT", String(r.range(0, 5))] : []),
      ...(r.int(4) === 0 ? ["FORCE"] : []),
      ...(r.int(3) === 0 ? ["JUSTID"] : []),
      ...(r.int(6) === 0 ? ["LASTID", ids.near(r)] : []),
    ],
    (r) => [
      "XAUTOCLAIM",
      r.pick(KEYS),
      r.pick(GROUPS),
      r.pick(CONSUMERS),
      r.pick(["0", "3600000"]),
      ids.bound(r, "-"),
      ...(r.int(2) === 0 ? ["COUNT", String(r.range(1, 6))] : []),
      ...(r.int(3) === 0 ? ["JUSTID"] : []),
    ],
    (r) => [
      "XSETID",
      r.pick(KEYS),
      r.int(2) === 0 ? ids.near(r) : `${ids.ms + r.range(0, 2)}-${r.range(0, 5)}`,
      ...(r.int(3) === 0 ? ["ENTRIESADDED", String(r.range(0, 400))] : []),
      ...(r.int(3) === 0 ? ["MAXDELETEDID", ids.near(r)] : []),
    ],
    () => ["SET", "str", "string"],
  ];
}

export function steps(seed: number, length: number): StepLike[] {
  const random = new SeededRandom(seed);
  const ids = new Ids();
  const pool = generators(ids);
  // The first fifth only grows "big", so that it spans several nodes from then on.
  const grow = pool[0];
  return Array.from({ length }, (_, i) => (i < length / 5 ? grow : random.pick(pool))(random));
}

const SEEDS = Number(Deno.env.get("STREAMS_RANDOM_SEEDS") ?? 4);

for (let seed = 1; seed <= SEEDS; seed++) {
  Deno.test({
    name: `compat: random stream commands, seed ${seed}`,
    ignore: !HAS_REDIS,
    async fn() {
      await withRedis(async (redis) => {
        await compareSeeded(redis, seed, steps(seed, 1500));
      });
    },
  });
}
