import assert from "node:assert/strict";
import { runCommand } from "../../src/commands/dispatch.ts";
import { COMMANDS } from "../../src/commands/table.ts";
import { Db } from "../../src/db/db.ts";
import { OK } from "../../src/resp/reply.ts";
import { encodeReply, type Protocol } from "../../src/resp/encoder.ts";
import { decodeValue, type RespValue } from "../../src/resp/values.ts";
import {
  differential,
  inProcessTarget,
  redisTarget,
  type StepLike,
  type Target,
  withRedis,
} from "../_helpers/compat.ts";
import { HAS_REDIS } from "../_helpers/redis_server.ts";
import type { Arg } from "../_helpers/resp_client.ts";

// SELECT belongs to the connection commands; until it is in the command table, the Redlite side
// of these tests switches its session's database itself.
function selectingTarget(protocol: Protocol): Target {
  if (COMMANDS.has("select")) return inProcessTarget(protocol);
  const db = Db.openMemory();
  const session = db.session();
  return {
    async send(args) {
      if (args.length === 2 && String(args[0]).toUpperCase() === "SELECT") {
        session.select(Number(args[1]));
        return encodeReply(OK, protocol);
      }
      const argv = args.map((arg) => typeof arg === "string" ? new TextEncoder().encode(arg) : arg);
      return encodeReply(await runCommand({ db: session, protocol }, argv), protocol);
    },
    close() {
      db.close();
      return Promise.resolve();
    },
  };
}

function keysDifferential(name: string, steps: StepLike[]): void {
  differential(name, steps, { redlite: selectingTarget });
}

// Collections come from other command families; their tests run once those are in the table.
function collectionDifferential(needs: string[], name: string, steps: StepLike[]): void {
  if (needs.every((command) => COMMANDS.has(command))) {
    keysDifferential(name, steps);
  } else {
    Deno.test({ name: `compat: ${name}`, ignore: true, fn() {} });
  }
}

const bytes = (...values: number[]) => new Uint8Array(values);

keysDifferential("DEL, UNLINK, EXISTS and TOUCH", [
  ["DEL", "missing"],
  ["SET", "a", "1"],
  ["SET", "b", "2"],
  ["SET", "expired", "v", "PXAT", "1"],
  ["EXISTS", "a", "b", "c", "a", "expired"],
  ["TOUCH", "a", "a", "c", "expired"],
  ["DEL", "a", "a", "c", "expired"],
  ["EXISTS", "a"],
  ["UNLINK", "b", "c", "b"],
  ["EXISTS", "b"],
  ["SET", "", "empty key"],
  ["EXISTS", ""],
  ["DEL", ""],
  ["DEL"],
  ["UNLINK"],
  ["EXISTS"],
  ["TOUCH"],
]);

keysDifferential("TYPE of strings, missing and expired keys", [
  ["TYPE", "missing"],
  ["SET", "s", "v"],
  ["TYPE", "s"],
  ["SET", "expired", "v", "PXAT", "1"],
  ["TYPE", "expired"],
  ["TYPE"],
  ["TYPE", "a", "b"],
]);

collectionDifferential(
  ["hset", "rpush", "sadd", "zadd", "xadd"],
  "TYPE, DEL and EXISTS of every type",
  [
    ["HSET", "h", "f", "v"],
    ["RPUSH", "l", "a", "b"],
    ["SADD", "s", "m"],
    ["ZADD", "z", "1", "m"],
    ["XADD", "x", "1-1", "f", "v"],
    ["TYPE", "h"],
    ["TYPE", "l"],
    ["TYPE", "s"],
    ["TYPE", "z"],
    ["TYPE", "x"],
    ["EXISTS", "h", "l", "s", "z", "x"],
    { cmd: ["KEYS", "*"], unordered: true },
    { cmd: ["SCAN", "0", "TYPE", "hash", "COUNT", "1000"], unordered: true },
    ["DEL", "h", "l", "s", "z", "x"],
    ["EXISTS", "h", "l", "s", "z", "x"],
    ["HGETALL", "h"],
    ["LRANGE", "l", "0", "-1"],
  ],
);

const PATTERN_KEYS: Arg[] = [
  "",
  "hello",
  "hallo",
  "hxllo",
  "hllo",
  "heeeello",
  "h*llo",
  "h?llo",
  "h\\llo",
  "user:1",
  "user:10",
  "user:2",
  "usr:1",
  "[",
  "]",
  "a]",
  "^",
  "-",
  "\\",
  "*",
  "?",
  "UPPER",
  bytes(0xff),
  bytes(0xff, 0x61),
  bytes(0xff, 0xff, 0x00),
  bytes(0xc3, 0xa9),
  bytes(0x00, 0x01),
];

const PATTERNS: Arg[] = [
  "*",
  "**",
  "",
  "h?llo",
  "h*llo",
  "h[ae]llo",
  "h[^e]llo",
  "h[a-e]llo",
  "h[e-a]llo",
  "h\\*llo",
  "h\\?llo",
  "h\\\\llo",
  "h[\\]]llo",
  "user:*",
  "user:?",
  "user:1*",
  "*:1",
  "[",
  "[a",
  "a]",
  "[]]",
  "[^]",
  "[\\^]",
  "\\",
  "\\*",
  "*\\",
  "[-]",
  "[a-]",
  "upper",
  "UP*",
  "x*",
  "*o",
  "h*l*o",
  "*ll*",
  bytes(0xff, 0x2a),
  bytes(0xff, 0xff, 0x2a),
  bytes(0x5b, 0x80, 0x2d, 0xff, 0x5d), // a class over bytes 0x80-0xff, signed in Redis
  bytes(0x5b, 0x00, 0x2d, 0x7f, 0x5d, 0x2a),
];

keysDifferential("KEYS with literal prefixes, wildcards, classes, ranges and escapes", [
  ...PATTERN_KEYS.map((key) => ["SET", key, "v"]),
  ["SET", "hexpired", "v", "PXAT", "1"],
  ...PATTERNS.map((pattern) => ({ cmd: ["KEYS", pattern], unordered: true })),
  ["KEYS"],
  ["KEYS", "a", "b"],
]);

keysDifferential("KEYS of an empty database and of the selected database only", [
  ["KEYS", "*"],
  ["SET", "a", "0"],
  ["SELECT", "1"],
  ["KEYS", "*"],
  ["SET", "b", "1"],
  { cmd: ["KEYS", "*"], unordered: true },
  ["SELECT", "0"],
  ["KEYS", "*"],
]);

keysDifferential("SCAN in one step with MATCH and TYPE", [
  ...PATTERN_KEYS.map((key) => ["SET", key, "v"]),
  ["SET", "hexpired", "v", "PXAT", "1"],
  ...PATTERNS.map((pattern) => ({
    cmd: ["SCAN", "0", "MATCH", pattern, "COUNT", "1000"],
    unordered: true,
  })),
  { cmd: ["SCAN", "0", "COUNT", "1000"], unordered: true },
  { cmd: ["SCAN", "0", "COUNT", "1000", "TYPE", "string"], unordered: true },
  { cmd: ["SCAN", "0", "COUNT", "1000", "TYPE", "STRING"], unordered: true },
  { cmd: ["SCAN", "0", "TYPE", "hash", "COUNT", "1000"], unordered: true },
  // An unknown type name matches nothing in Redis 7.0 (8.0 plans an error).
  { cmd: ["SCAN", "0", "TYPE", "nosuchtype", "COUNT", "1000"], unordered: true },
  { cmd: ["SCAN", "0", "TYPE", "none", "COUNT", "1000"], unordered: true },
  { cmd: ["SCAN", "", "COUNT", "1000", "MATCH", "user:*"], unordered: true },
  {
    cmd: ["SCAN", "0", "COUNT", "5", "COUNT", "1000", "MATCH", "x", "MATCH", "h*"],
    unordered: true,
  },
  { cmd: ["SCAN", "0", "count", "1000", "match", "u*", "type", "String"], unordered: true },
]);

keysDifferential("SCAN argument errors", [
  ["SET", "k", "v"],
  ["SCAN", "abc"],
  ["SCAN", " 0"],
  ["SCAN", "0 "],
  ["SCAN", "-"],
  ["SCAN", "+"],
  ["SCAN", "0x10"],
  ["SCAN", "18446744073709551616"],
  ["SCAN", "-18446744073709551616"],
  ["SCAN", "0", "COUNT", "0"],
  ["SCAN", "0", "COUNT", "-1"],
  ["SCAN", "0", "COUNT", "abc"],
  ["SCAN", "0", "COUNT", "1.5"],
  ["SCAN", "0", "COUNT", "99999999999999999999"],
  ["SCAN", "0", "COUNT"],
  ["SCAN", "0", "MATCH"],
  ["SCAN", "0", "TYPE"],
  ["SCAN", "0", "FOO", "bar"],
  ["SCAN", "0", "MATCH", "*", "FOO"],
  ["SCAN", "0", "COUNT", "abc", "FOO"],
  ["SCAN", "0", "FOO", "bar", "COUNT", "abc"],
  ["SCAN", "abc", "FOO"],
  ["SCAN"],
  ["SCAN", "0", "COUNT", "9223372036854775807"],
  // The cursor is read as a C string, up to its first NUL byte (found by the grammar fuzzer).
  ["SCAN", "0\u0000garbage"],
  ["SCAN", "\u0000"],
  ["SCAN", "\u00001"],
  ["SCAN", "-\u00001"],
  ["SCAN", " \u0000"],
]);

keysDifferential("SCAN of an empty database", [
  ["SCAN", "0"],
  ["SCAN", "0", "MATCH", "*", "COUNT", "1", "TYPE", "string"],
]);

function flat(value: RespValue): unknown {
  if (value.type === "bulk") {
    return value.value === null ? null : new TextDecoder().decode(value.value);
  }
  if (value.type === "array" || value.type === "set") return value.value?.map(flat) ?? null;
  return value.type === "null" ? null : value.value;
}

// Iterates SCAN to its end with small COUNTs and returns every key seen (cursors differ: Redis's
// walk its hash table, Redlite's are row ids).
async function scanAll(target: Target, options: string[]): Promise<string[]> {
  const seen = new Set<string>();
  let cursor = "0";
  for (let calls = 0; calls < 10_000; calls++) {
    const reply = flat(decodeValue(await target.send(["SCAN", cursor, ...options]), 0)!.value);
    const [next, found] = reply as [string, string[]];
    for (const key of found) seen.add(key);
    cursor = next;
    if (cursor === "0") return [...seen].sort();
  }
  throw new Error("SCAN did not finish");
}

Deno.test({
  name: "compat: SCAN iterated to its end with small COUNTs returns what Redis returns",
  ignore: !HAS_REDIS,
  async fn() {
    await withRedis(async (redis) => {
      const expected = await redisTarget(redis, 2);
      const actual = selectingTarget(2);
      try {
        const setup: Arg[][] = [];
        for (let i = 0; i < 300; i++) setup.push(["SET", `key:${i}`, String(i)]);
        for (let i = 0; i < 50; i++) setup.push(["SET", `other:${i}`, String(i)]);
        setup.push(["SELECT", "2"], ["SET", "key:in-db-2", "x"], ["SELECT", "0"]);
        for (const args of setup) {
          await expected.send(args);
          await actual.send(args);
        }
        for (
          const options of [
            [],
            ["COUNT", "1"],
            ["COUNT", "7", "MATCH", "key:1*"],
            ["MATCH", "other:*", "COUNT", "3"],
            ["TYPE", "string", "COUNT", "20"],
            ["TYPE", "list"],
          ]
        ) {
          assert.deepEqual(
            await scanAll(actual, options),
            await scanAll(expected, options),
            options.join(" "),
          );
        }
      } finally {
        await expected.close();
        await actual.close();
      }
    });
  },
});

keysDifferential("RANDOMKEY", [
  ["RANDOMKEY"],
  ["SET", "expired", "v", "PXAT", "1"],
  ["RANDOMKEY"],
  ["SET", "only", "v"],
  ["RANDOMKEY"],
  ["RANDOMKEY"],
  ["SET", "second", "v"],
  { cmd: ["RANDOMKEY"], shape: true },
  ["SELECT", "1"],
  ["RANDOMKEY"],
  ["SET", "one", "v"],
  ["RANDOMKEY"],
  ["SELECT", "0"],
  ["DEL", "only", "second"],
  ["RANDOMKEY"],
  ["RANDOMKEY", "extra"],
]);

keysDifferential("RENAME and RENAMENX", [
  ["RENAME", "missing", "x"],
  ["RENAMENX", "missing", "x"],
  ["RENAME", "missing", "missing"],
  ["RENAMENX", "missing", "missing"],
  ["SET", "a", "1"],
  ["RENAME", "a", "a"],
  ["RENAMENX", "a", "a"],
  ["GET", "a"],
  ["RENAME", "a", "b"],
  ["EXISTS", "a"],
  ["GET", "b"],
  ["SET", "c", "3", "EX", "1000"],
  ["RENAME", "c", "b"],
  ["GET", "b"],
  ["TTL", "b"],
  ["SET", "d", "4"],
  ["RENAMENX", "d", "b"],
  ["GET", "d"],
  ["RENAMENX", "d", "e"],
  ["GET", "e"],
  ["TTL", "e"],
  ["SET", "expired", "v", "PXAT", "1"],
  ["RENAME", "expired", "x"],
  ["RENAMENX", "e", "expired"],
  ["GET", "expired"],
  ["SET", "gone", "v", "PXAT", "1"],
  ["RENAME", "expired", "gone"],
  ["RENAME", "", "empty"],
  ["RENAME", "expired", ""],
  ["GET", ""],
  ["RENAME", "a"],
  ["RENAME", "a", "b", "c"],
  ["RENAMENX", "a"],
]);

collectionDifferential(
  ["hset", "hgetall", "rpush", "lrange", "sadd", "smembers", "zadd", "zrange", "xadd", "xrange"],
  "RENAME and RENAMENX of collections, onto keys of other types",
  [
    ["HSET", "h", "f", "v", "g", "w"],
    ["RPUSH", "l", "a", "b", "c"],
    ["SADD", "s", "m", "n"],
    ["ZADD", "z", "1", "m", "2", "n"],
    ["XADD", "x", "1-1", "f", "v"],
    ["SET", "str", "v"],
    ["RENAME", "h", "h2"],
    { cmd: ["HGETALL", "h2"], unordered: true },
    ["RENAME", "l", "h2"],
    ["TYPE", "h2"],
    ["LRANGE", "h2", "0", "-1"],
    ["RENAMENX", "s", "str"],
    ["RENAME", "s", "str"],
    { cmd: ["SMEMBERS", "str"], unordered: true },
    ["RENAME", "z", "z2"],
    ["ZRANGE", "z2", "0", "-1", "WITHSCORES"],
    ["RENAME", "x", "x2"],
    ["XRANGE", "x2", "-", "+"],
    ["RENAME", "str", "z2"],
    ["TYPE", "z2"],
    { cmd: ["KEYS", "*"], unordered: true },
  ],
);

keysDifferential("COPY", [
  ["COPY", "missing", "x"],
  ["COPY", "missing", "missing"],
  ["COPY", "missing", "missing", "DB", "1"],
  ["SET", "a", "1"],
  ["COPY", "a", "a"],
  ["COPY", "a", "a", "DB", "0"],
  ["COPY", "a", "b"],
  ["GET", "b"],
  ["SET", "a", "2", "EX", "1000"],
  ["COPY", "a", "b"],
  ["GET", "b"],
  ["COPY", "a", "b", "REPLACE"],
  ["GET", "b"],
  ["TTL", "b"],
  ["COPY", "a", "a", "DB", "1"],
  ["COPY", "a", "a", "DB", "1"],
  ["COPY", "a", "a", "replace", "db", "1"],
  ["COPY", "a", "c", "DB", "15", "REPLACE", "REPLACE"],
  ["SELECT", "1"],
  ["GET", "a"],
  ["TTL", "a"],
  ["SELECT", "15"],
  ["GET", "c"],
  ["SELECT", "0"],
  ["SET", "expired", "v", "PXAT", "1"],
  ["COPY", "expired", "x"],
  ["COPY", "a", "expired"],
  ["GET", "expired"],
  ["COPY", "a", "x", "DB", "16"],
  ["COPY", "a", "x", "DB", "-1"],
  ["COPY", "a", "x", "DB", "abc"],
  ["COPY", "a", "x", "DB", "4294967296"],
  ["COPY", "a", "x", "DB", "1.0"],
  ["COPY", "a", "x", "DB"],
  ["COPY", "a", "x", "FOO"],
  ["COPY", "a", "x", "REPLACE", "FOO"],
  ["COPY", "a", "x", "DB", "abc", "FOO"],
  ["COPY", "a", "x", "FOO", "DB", "abc"],
  ["COPY", "a", "a", "FOO"],
  ["COPY", "missing", "x", "DB", "16"],
  ["COPY", "a"],
  ["EXISTS", "x"],
]);

collectionDifferential(
  ["hset", "hgetall", "rpush", "lrange", "sadd", "smembers", "zadd", "zrange", "xadd", "xrange"],
  "COPY of every type, within and between databases",
  [
    ["HSET", "h", "f", "v", "g", "w"],
    ["RPUSH", "l", "a", "b", "c"],
    ["SADD", "s", "m", "n"],
    ["ZADD", "z", "1.5", "m", "-2", "n"],
    ["XADD", "x", "1-1", "f", "v"],
    ["XADD", "x", "2-1", "g", "w"],
    ["COPY", "h", "h2"],
    ["COPY", "l", "l2"],
    ["COPY", "s", "s2"],
    ["COPY", "z", "z2"],
    ["COPY", "x", "x2"],
    ["HSET", "h", "f", "changed"],
    ["RPUSH", "l", "d"],
    { cmd: ["HGETALL", "h2"], unordered: true },
    ["LRANGE", "l2", "0", "-1"],
    { cmd: ["SMEMBERS", "s2"], unordered: true },
    ["ZRANGE", "z2", "0", "-1", "WITHSCORES"],
    ["XRANGE", "x2", "-", "+"],
    ["COPY", "l", "h2"],
    ["COPY", "l", "h2", "REPLACE"],
    ["TYPE", "h2"],
    ["LRANGE", "h2", "0", "-1"],
    ["COPY", "z", "z", "DB", "3"],
    ["SELECT", "3"],
    ["ZRANGE", "z", "0", "-1", "WITHSCORES"],
    ["SELECT", "0"],
  ],
);

keysDifferential("MOVE", [
  ["MOVE", "missing", "1"],
  ["SET", "a", "1", "EX", "1000"],
  ["MOVE", "a", "0"],
  ["MOVE", "missing", "0"],
  ["MOVE", "a", "16"],
  ["MOVE", "a", "-1"],
  ["MOVE", "a", "abc"],
  ["MOVE", "a", "2147483648"],
  ["MOVE", "a", "-2147483649"],
  ["MOVE", "a", "99999999999999999999"],
  ["MOVE", "a", "2147483647"],
  ["MOVE", "a", "1"],
  ["EXISTS", "a"],
  ["SET", "a", "other"],
  ["MOVE", "a", "1"],
  ["GET", "a"],
  ["SELECT", "1"],
  ["GET", "a"],
  ["TTL", "a"],
  ["MOVE", "a", "0"],
  ["MOVE", "a", "2"],
  ["SELECT", "2"],
  ["GET", "a"],
  ["SET", "expired", "v", "PXAT", "1"],
  ["SELECT", "0"],
  ["SET", "expired", "live"],
  ["MOVE", "expired", "2"],
  ["SELECT", "2"],
  ["GET", "expired"],
  ["MOVE", "expired", "3"],
  ["SELECT", "3"],
  ["MOVE", "expired", "4"],
  ["MOVE", "a"],
  ["MOVE", "a", "1", "2"],
]);

keysDifferential("EXPIRE family: times in the past, zero, negative and huge", [
  ["EXPIRE", "missing", "100"],
  ["SET", "a", "v"],
  ["EXPIRE", "a", "100"],
  ["TTL", "a"],
  ["EXPIRE", "a", "0"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["EXPIRE", "a", "-5"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["PEXPIRE", "a", "-1"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["EXPIREAT", "a", "1"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["PEXPIREAT", "a", "0"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["EXPIREAT", "a", "4102444800"],
  ["EXPIRETIME", "a"],
  ["PEXPIRETIME", "a"],
  ["PEXPIREAT", "a", "4102444800123"],
  ["PEXPIRETIME", "a"],
  ["EXPIRETIME", "a"],
  ["PEXPIREAT", "a", "4102444800499"],
  ["EXPIRETIME", "a"],
  ["PEXPIREAT", "a", "4102444800500"],
  ["EXPIRETIME", "a"],
  ["EXPIRE", "a", "100000000000"],
  ["TTL", "a"],
  ["PEXPIRE", "a", "1000000000000000"],
  { cmd: ["PTTL", "a"], shape: true },
  ["TTL", "a"],
  ["EXPIRE", "a", "9223372036854775"],
  ["EXPIRE", "a", "9223372036854776"],
  ["EXPIRE", "a", "-9223372036854775"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["EXPIRE", "a", "-9223372036854776"],
  ["EXPIREAT", "a", "9223372036854776"],
  ["EXPIREAT", "a", "-9223372036854776"],
  ["PEXPIRE", "a", "9223372036854775807"],
  ["PEXPIRE", "missing", "9223372036854775807"],
  ["PEXPIREAT", "a", "-9223372036854775808"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["EXPIRE", "a", "abc"],
  ["EXPIRE", "a", "1.5"],
  ["EXPIRE", "a", ""],
  ["EXPIRE", "a", "9223372036854775808"],
  ["PEXPIREAT", "a", " 1"],
  ["EXISTS", "a"],
  ["SET", "expired", "v", "PXAT", "1"],
  ["EXPIRE", "expired", "100"],
  ["TTL", "expired"],
  ["EXPIRE", "a"],
  ["EXPIRE"],
  ["PEXPIRE", "a"],
  ["EXPIREAT", "a"],
  ["PEXPIREAT", "a"],
]);

keysDifferential("EXPIRE family: NX, XX, GT, LT and their errors", [
  ["SET", "a", "v"],
  ["EXPIRE", "a", "100", "XX"],
  ["TTL", "a"],
  ["EXPIRE", "a", "100", "GT"],
  ["TTL", "a"],
  ["EXPIRE", "a", "100", "LT"],
  ["TTL", "a"],
  ["EXPIRE", "a", "200", "NX"],
  ["TTL", "a"],
  ["EXPIRE", "a", "300", "nx"],
  ["TTL", "a"],
  ["EXPIRE", "a", "200", "GT"],
  ["TTL", "a"],
  ["EXPIRE", "a", "400", "GT"],
  ["TTL", "a"],
  // Not 400 again: whether now + 400 s is later than the TTL set a moment ago depends on the
  // millisecond each command runs in, in Redis as here.
  ["EXPIRE", "a", "399", "GT"],
  ["EXPIRE", "a", "500", "LT"],
  ["TTL", "a"],
  ["EXPIRE", "a", "400", "LT"],
  ["EXPIRE", "a", "50", "lt"],
  ["TTL", "a"],
  ["EXPIRE", "a", "60", "XX", "GT"],
  ["TTL", "a"],
  ["EXPIRE", "a", "10", "GT", "XX"],
  ["EXPIRE", "a", "10", "XX", "LT"],
  ["TTL", "a"],
  ["EXPIRE", "a", "-1", "GT"],
  ["EXISTS", "a"],
  ["EXPIRE", "a", "-1", "LT"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["EXPIRE", "a", "-1", "GT"],
  ["EXPIRE", "a", "-1", "XX"],
  ["EXISTS", "a"],
  ["EXPIRE", "a", "-1", "NX"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["EXPIRE", "a", "-1", "LT"],
  ["EXISTS", "a"],
  ["SET", "a", "v"],
  ["EXPIRE", "a", "100", "XX", "XX"],
  ["EXPIRE", "a", "100", "NX", "NX"],
  ["TTL", "a"],
  ["EXPIRE", "a", "100", "NX", "XX"],
  ["EXPIRE", "a", "100", "XX", "NX"],
  ["EXPIRE", "a", "100", "NX", "GT"],
  ["EXPIRE", "a", "100", "LT", "NX"],
  ["EXPIRE", "a", "100", "GT", "LT"],
  ["EXPIRE", "a", "100", "XX", "GT", "LT"],
  ["EXPIRE", "a", "100", "NX", "XX", "GT", "LT"],
  ["EXPIRE", "a", "100", "FOO"],
  ["EXPIRE", "a", "100", "NX", "FOO"],
  ["EXPIRE", "a", "100", "FOO", "NX", "XX"],
  ["EXPIRE", "a", "abc", "NX", "XX"],
  ["EXPIRE", "a", "abc", "FOO"],
  ["EXPIRE", "a", "9223372036854776", "NX", "XX"],
  ["EXPIRE", "missing", "100", "NX", "XX"],
  ["EXPIRE", "missing", "100", "NX"],
  ["EXPIRE", "missing", "-1", "LT"],
  ["PEXPIRE", "a", "100000", "GT", "FOO"],
  ["EXPIREAT", "a", "4102444800", "NX", "XX"],
  ["PEXPIREAT", "a", "4102444800000", "GT", "LT"],
  ["PEXPIREAT", "a", "4102444800000", "XX"],
  ["PEXPIREAT", "a", "4102444800000", "NX"],
  ["PEXPIRETIME", "a"],
  ["PEXPIREAT", "a", "4102444800001", "GT"],
  ["PEXPIREAT", "a", "4102444800000", "LT"],
  ["PEXPIREAT", "a", "4102444800000", "LT"],
  ["PEXPIRETIME", "a"],
  ["EXPIREAT", "a", "4102444801", "XX", "GT"],
  ["EXPIRETIME", "a"],
  ["PEXPIRETIME", "a"],
]);

keysDifferential("TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST", [
  ["TTL", "missing"],
  ["PTTL", "missing"],
  ["EXPIRETIME", "missing"],
  ["PEXPIRETIME", "missing"],
  ["PERSIST", "missing"],
  ["SET", "a", "v"],
  ["TTL", "a"],
  ["PTTL", "a"],
  ["EXPIRETIME", "a"],
  ["PEXPIRETIME", "a"],
  ["PERSIST", "a"],
  ["SET", "a", "v", "EX", "100"],
  ["TTL", "a"],
  { cmd: ["PTTL", "a"], shape: true },
  { cmd: ["EXPIRETIME", "a"], shape: true },
  ["PERSIST", "a"],
  ["TTL", "a"],
  ["PERSIST", "a"],
  ["SET", "a", "v", "PX", "1499"],
  ["TTL", "a"],
  ["SET", "a", "v", "PX", "2600"],
  ["TTL", "a"],
  ["SET", "expired", "v", "PXAT", "1"],
  ["TTL", "expired"],
  ["PTTL", "expired"],
  ["EXPIRETIME", "expired"],
  ["PEXPIRETIME", "expired"],
  ["PERSIST", "expired"],
  ["EXISTS", "expired"],
  ["TTL"],
  ["PTTL", "a", "b"],
  ["EXPIRETIME"],
  ["PEXPIRETIME", "a", "b"],
  ["PERSIST"],
  ["PERSIST", "a", "b"],
]);

// Redis counts expired keys until its expire cycle removes them; Redlite counts live keys only.
keysDifferential("DBSIZE, FLUSHDB and FLUSHALL", [
  ["DBSIZE"],
  ["SET", "a", "1"],
  ["SET", "b", "2"],
  ["DBSIZE"],
  ["SELECT", "1"],
  ["DBSIZE"],
  ["SET", "c", "3"],
  ["DBSIZE"],
  ["FLUSHDB"],
  ["DBSIZE"],
  ["SET", "c", "3"],
  ["SELECT", "0"],
  ["FLUSHDB", "SYNC"],
  ["DBSIZE"],
  ["SELECT", "1"],
  ["DBSIZE"],
  ["SET", "d", "4"],
  ["FLUSHDB", "async"],
  ["DBSIZE"],
  ["SET", "e", "5"],
  ["SELECT", "2"],
  ["SET", "f", "6"],
  ["FLUSHALL"],
  ["DBSIZE"],
  ["SELECT", "1"],
  ["DBSIZE"],
  ["SET", "g", "7"],
  ["FLUSHALL", "ASYNC"],
  ["DBSIZE"],
  ["FLUSHALL", "sync"],
  ["FLUSHDB", "FOO"],
  ["FLUSHDB", "SYNC", "ASYNC"],
  ["FLUSHDB", "ASYNC", "ASYNC"],
  ["FLUSHALL", "FOO"],
  ["FLUSHALL", "ASYNC", "SYNC"],
  ["FLUSHALL", ""],
  ["SET", "h", "8"],
  ["FLUSHDB", "BAD"],
  ["DBSIZE"],
  ["DBSIZE", "extra"],
]);

collectionDifferential(
  ["rpush", "lrange", "llen"],
  "COPY, RENAME, MOVE, EXPIRE, DEL and FLUSHALL of lists",
  [
    ["RPUSH", "l", "a", "b", "c"],
    ["RPUSH", "m", "x"],
    ["SET", "str", "v"],
    ["TYPE", "l"],
    ["COPY", "l", "l2"],
    ["RPUSH", "l", "d"],
    ["LRANGE", "l2", "0", "-1"],
    ["LRANGE", "l", "0", "-1"],
    ["COPY", "l", "str"],
    ["COPY", "l", "str", "REPLACE"],
    ["TYPE", "str"],
    ["LRANGE", "str", "0", "-1"],
    ["RENAME", "m", "l"],
    ["LRANGE", "l", "0", "-1"],
    ["RPUSH", "l", "y"],
    ["LLEN", "l"],
    ["RENAME", "l", "l"],
    ["COPY", "l", "l", "DB", "2"],
    ["MOVE", "l2", "3"],
    ["SELECT", "3"],
    ["LRANGE", "l2", "0", "-1"],
    ["RPUSH", "l2", "z"],
    ["LRANGE", "l2", "0", "-1"],
    ["SELECT", "2"],
    ["LRANGE", "l", "0", "-1"],
    ["EXPIRE", "l", "-1"],
    ["LRANGE", "l", "0", "-1"],
    ["SELECT", "0"],
    { cmd: ["KEYS", "*"], unordered: true },
    { cmd: ["SCAN", "0", "TYPE", "list", "COUNT", "100"], unordered: true },
    ["DEL", "l", "str"],
    ["LRANGE", "str", "0", "-1"],
    ["DBSIZE"],
    ["FLUSHALL"],
    ["DBSIZE"],
    ["SELECT", "3"],
    ["LRANGE", "l2", "0", "-1"],
  ],
);
