import assert from "node:assert/strict";
import { Db } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { decodeValue, type RespValue } from "../../src/resp/values.ts";
import { inProcessTarget, serverTarget, type Target } from "../_helpers/compat.ts";
import type { Arg } from "../_helpers/resp_client.ts";
import { NOT_IN_REDIS } from "../../src/commands/_redis_commands.ts";
import { COMMANDS } from "../../src/commands/table.ts";
import type { ArgumentDoc, CommandSpec } from "../../src/commands/types.ts";

const decoder = new TextDecoder();

/** A RESP value as plain data: bulk strings as text, integers as numbers, maps as pairs. */
function plain(value: RespValue): unknown {
  switch (value.type) {
    case "bulk":
      return value.value === null ? null : decoder.decode(value.value);
    case "integer":
      return Number(value.value);
    case "array":
      return value.value === null ? null : value.value.map(plain);
    case "map":
      return { map: value.value.map(([k, v]) => [plain(k), plain(v)]) };
    case "set":
      return { set: value.value.map(plain) };
    case "double":
      return { double: value.value };
    case "simple":
    case "error":
      return { [value.type]: value.value };
    case "null":
      return null;
    default:
      return value;
  }
}

async function send(target: Target, ...args: Arg[]): Promise<unknown> {
  return plain(decodeValue(await target.send(args))!.value);
}

/** Runs `fn` against an in-process target of each protocol, on one database. */
async function bothProtocols(
  fn: (send: (...args: Arg[]) => Promise<unknown>, protocol: 2 | 3) => Promise<void>,
): Promise<void> {
  for (const protocol of [2, 3] as const) {
    const target = inProcessTarget(protocol);
    try {
      await fn((...args) => send(target, ...args), protocol);
    } finally {
      await target.close();
    }
  }
}

Deno.test("KEYINFO: a map in RESP3, a flat array in RESP2, null for a missing key", async () => {
  await bothProtocols(async (send, protocol) => {
    await send("SET", "k", "hello");
    const reply = await send("KEYINFO", "k");
    const names = ["type", "ttl", "created_at", "updated_at", "version", "size", "encoding"];
    const pairs: [unknown, unknown][] = protocol === 3
      ? (reply as { map: [unknown, unknown][] }).map
      : names.map((_, i) => [(reply as unknown[])[2 * i], (reply as unknown[])[2 * i + 1]]);
    assert.deepEqual(pairs.map(([name]) => name), names);
    const info = Object.fromEntries(pairs);
    assert.equal(info.type, "string");
    assert.equal(info.ttl, -1);
    assert.equal(info.size, 5);
    assert.equal(info.encoding, "embstr");
    assert.equal(typeof info.version, "number");
    assert.equal(await send("KEYINFO", "missing"), null);
  });
});

Deno.test("HISTORY GET: each state a map (RESP3) or a flat array (RESP2), values by type", async () => {
  await bothProtocols(async (send, protocol) => {
    await send("HISTORY", "ENABLE", "z");
    await send("ZADD", "z", "1.5", "a");
    await send("DEL", "z");
    const [gone, zset] = await send("HISTORY", "GET", "z") as unknown[];
    if (protocol === 3) {
      const entries = (gone as { map: [string, unknown][] }).map;
      assert.deepEqual(entries.map(([name]) => name), ["version", "timestamp", "type", "value"]);
      assert.deepEqual(entries.slice(2), [["type", "none"], ["value", null]]);
      assert.equal(entries[0][1], null);
      const value = (zset as { map: [string, unknown][] }).map[3];
      assert.deepEqual(value, ["value", { map: [["a", { double: "1.5" }]] }]);
    } else {
      const flat = gone as unknown[];
      assert.deepEqual([flat[0], flat[1], ...flat.slice(4)], [
        "version",
        null,
        "type",
        "none",
        "value",
        null,
      ]);
      assert.deepEqual((zset as unknown[]).slice(6), ["value", ["a", "1.5"]]);
    }
  });
});

Deno.test("HISTORY AT answers as the type's read command: bulk, map, array, set", async () => {
  await bothProtocols(async (send, protocol) => {
    for (const key of ["s", "h", "l", "t"]) await send("HISTORY", "ENABLE", key);
    await send("SET", "s", "v");
    await send("HSET", "h", "f", "1");
    await send("RPUSH", "l", "a", "b");
    await send("SADD", "t", "m");
    const now = String(Date.now() + 1000);
    assert.equal(await send("HISTORY", "AT", "s", now), "v");
    assert.deepEqual(
      await send("HISTORY", "AT", "h", now),
      protocol === 3 ? { map: [["f", "1"]] } : ["f", "1"],
    );
    assert.deepEqual(await send("HISTORY", "AT", "l", now), ["a", "b"]);
    assert.deepEqual(
      await send("HISTORY", "AT", "t", now),
      protocol === 3 ? { set: ["m"] } : ["m"],
    );
    assert.equal(await send("HISTORY", "AT", "s", "0"), null);
    assert.equal(await send("HISTORY", "DISABLE", "s"), 1);
    assert.equal(await send("HISTORY", "DISABLE", "s"), 0);
    assert.equal(await send("HISTORY", "CLEAR", "l"), 1);
  });
});

Deno.test("FTSEARCH: key, field, score (WITHSCORES), highlight (HIGHLIGHT) per result", async () => {
  await bothProtocols(async (send, protocol) => {
    assert.equal(await send("FTS", "ENABLE", "*"), 1);
    assert.equal(await send("FTS", "ENABLE", "*"), 0);
    await send("HSET", "h", "f", "blue sky");
    const [result] = await send(
      "FTSEARCH",
      "blue",
      "WITHSCORES",
      "HIGHLIGHT",
      "TAGS",
      "[",
      "]",
    ) as unknown[];
    const pairs = protocol === 3
      ? (result as { map: [string, unknown][] }).map
      : [0, 2, 4, 6].map((i) => [(result as unknown[])[i], (result as unknown[])[i + 1]]);
    assert.deepEqual(pairs.map(([name]) => name), ["key", "field", "score", "highlight"]);
    assert.deepEqual(pairs[0], ["key", "h"]);
    assert.deepEqual(pairs[1], ["field", "f"]);
    assert.deepEqual(pairs[3], ["highlight", "[blue] sky"]);
    const score = pairs[2][1];
    assert.ok(
      protocol === 3 ? typeof (score as { double: string }).double === "string" : Number(score) > 0,
    );
    await send("SET", "s", "blue");
    const plainResults = await send("FTSEARCH", "blue", "LIMIT", "1") as unknown[];
    assert.equal(plainResults.length, 1);
    assert.deepEqual(await send("FTS", "LIST"), ["*"]);
    assert.equal(await send("FTS", "REINDEX"), 2);
    assert.deepEqual(await send("FTSEARCH", "nothing"), []);
  });
});

Deno.test("HISTORY and FTS are containers with HELP, and COMMAND describes them from the table", async () => {
  const target = inProcessTarget(3);
  const help = await send(target, "HISTORY", "HELP") as { simple: string }[];
  assert.equal(help[0].simple, "HISTORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  assert.equal(help.at(-1)!.simple, "    Print this help.");
  const ftsHelp = await send(target, "FTS", "HELP") as { simple: string }[];
  assert.ok(ftsHelp.some((line) => line.simple.startsWith("ENABLE <pattern>")));
  assert.deepEqual(await send(target, "HISTORY", "NOPE"), {
    error: "ERR unknown subcommand 'NOPE'. Try HISTORY HELP.",
  });
  assert.deepEqual(await send(target, "HISTORY"), {
    error: "ERR wrong number of arguments for 'history' command",
  });
  const [info] = await send(target, "COMMAND", "INFO", "history") as unknown[][];
  assert.equal(info[0], "history");
  const subcommands = (info[9] as unknown[][]).map((sub) => sub[0]);
  assert.deepEqual(subcommands, [
    "history|enable",
    "history|disable",
    "history|get",
    "history|at",
    "history|clear",
    "history|help",
  ]);
  assert.deepEqual(await send(target, "COMMAND", "GETKEYS", "HISTORY", "AT", "k", "0"), ["k"]);
  assert.deepEqual(await send(target, "COMMAND", "GETKEYS", "KEYINFO", "k"), ["k"]);
  const docs = await send(target, "COMMAND", "DOCS", "keyinfo", "ftsearch", "vacuum") as {
    map: [string, { map: [string, unknown][] }][];
  };
  assert.deepEqual(docs.map.map(([name]) => name), ["keyinfo", "ftsearch", "vacuum"]);
  for (const [, doc] of docs.map) {
    const fields = Object.fromEntries(doc.map);
    assert.equal(fields.since, "0.1.0");
    assert.ok(typeof fields.summary === "string" && fields.summary.length > 0);
  }
  await target.close();
});

Deno.test("VACUUM and AUTOVACUUM on the server: VACUUM runs after its batch commits", async () => {
  const db = Db.openMemory({ activeExpire: false });
  const target = await serverTarget(3, db);
  try {
    assert.deepEqual(await send(target, "SET", "a", "1"), { simple: "OK" });
    await send(target, "SET", "b", "2");
    await send(target, "SET", "c", "3");
    scopeOf(db).store.run("UPDATE keys SET expire_at = 1 WHERE key IN (x'61', x'62')");
    assert.equal(await send(target, "VACUUM"), 2);
    assert.equal(await send(target, "DBSIZE"), 1);
    assert.equal(await send(target, "VACUUM"), 0);
    assert.deepEqual(await send(target, "AUTOVACUUM"), {
      map: [["enabled", 0], ["interval_ms", 100]],
    });
    assert.deepEqual(await send(target, "AUTOVACUUM", "ON"), { simple: "OK" });
    assert.deepEqual(db.autovacuum(), { enabled: true, interval: 100 });
  } finally {
    await target.close();
  }
});

// How many arguments an argument of COMMAND DOCS takes at least and at most.
function argumentCounts(arg: ArgumentDoc): [min: number, max: number] {
  let [min, max] = [1, 1];
  if (arg.type === "oneof") {
    const counts = arg.arguments!.map(argumentCounts);
    [min, max] = [Math.min(...counts.map(([n]) => n)), Math.max(...counts.map(([, n]) => n))];
  } else if (arg.type === "block") {
    [min, max] = argumentsCounts(arg.arguments!);
  }
  if (arg.token !== undefined && arg.type !== "pure-token") [min, max] = [min + 1, max + 1];
  if (arg.flags?.includes("multiple")) max = Infinity;
  return [arg.flags?.includes("optional") ? 0 : min, max];
}

function argumentsCounts(args: readonly ArgumentDoc[]): [min: number, max: number] {
  return args.map(argumentCounts).reduce(([a, b], [c, d]) => [a + c, b + d], [0, 0]);
}

Deno.test("COMMAND DOCS of Redlite's commands: a complexity, and arguments that fit the arity", () => {
  const own = [...COMMANDS.values()].filter((spec) => NOT_IN_REDIS.includes(spec.name));
  assert.deepEqual(own.map((spec) => spec.name).sort(), [
    "autovacuum",
    "fts",
    "ftsearch",
    "history",
    "keyinfo",
    "vacuum",
  ]);
  const described: [string, CommandSpec, number][] = [];
  for (const spec of own) {
    if (spec.subcommands === undefined) described.push([spec.name, spec, 1]);
    for (const sub of spec.subcommands ?? []) described.push([`${spec.name}|${sub.name}`, sub, 2]);
  }
  for (const [name, spec, words] of described) {
    assert.ok(spec.docs !== undefined && spec.docs.complexity.length > 0, `${name}: complexity`);
    const [min, max] = argumentsCounts(spec.docs.arguments ?? []);
    if (spec.arity > 0) {
      assert.deepEqual([words + min, words + max], [spec.arity, spec.arity], name);
    } else assert.equal(words + min, -spec.arity, name);
    const keyArgs = (spec.docs.arguments ?? []).filter((arg) => arg.type === "key");
    assert.equal(keyArgs.length, spec.firstKey === 0 ? 0 : 1, `${name}: key arguments`);
  }
});

Deno.test("COMMAND DOCS replies with the declared complexity and arguments in Redis's shape", async () => {
  const target = inProcessTarget(3);
  const docs = await send(target, "COMMAND", "DOCS", "history") as {
    map: [string, { map: [string, unknown][] }][];
  };
  const history = Object.fromEntries(docs.map[0][1].map);
  assert.deepEqual(Object.keys(history), [
    "summary",
    "since",
    "group",
    "complexity",
    "subcommands",
  ]);
  const at = Object.fromEntries(
    (history.subcommands as { map: [string, { map: [string, unknown][] }][] }).map
      .find(([name]) => name === "history|at")![1].map,
  );
  assert.deepEqual(at.arguments, [
    { map: [["name", "key"], ["type", "key"], ["key_spec_index", 0]] },
    { map: [["name", "unix-time-milliseconds"], ["type", "unix-time"]] },
  ]);
  const ftsearch = Object.fromEntries(
    (await send(target, "COMMAND", "DOCS", "ftsearch") as {
      map: [string, { map: [string, unknown][] }][];
    }).map[0][1].map,
  );
  assert.deepEqual((ftsearch.arguments as unknown[])[1], {
    map: [["name", "count"], ["type", "integer"], ["token", "LIMIT"], ["flags", {
      set: [{ simple: "optional" }],
    }]],
  });
  await target.close();
});
