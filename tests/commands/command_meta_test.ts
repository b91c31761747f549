import assert from "node:assert/strict";
import { NOT_IN_REDIS } from "../../src/commands/_redis_commands.ts";
import {
  aclCategories,
  commandDocs,
  commandInfo,
  redisCommandMeta,
} from "../../src/commands/command_meta.ts";
import { COMMANDS } from "../../src/commands/table.ts";
import type { CommandSpec } from "../../src/commands/types.ts";
import { encodeReply } from "../../src/resp/encoder.ts";
import { decodeValue, type RespValue } from "../../src/resp/values.ts";

const REGENERATE = "run `deno run -A tests/_helpers/gen_redis_commands.ts` (needs redis-server)";

/** Every command and subcommand of the table, with its full name (`config|get`). */
function everyCommand(): [string, CommandSpec][] {
  const all: [string, CommandSpec][] = [];
  for (const spec of COMMANDS.values()) {
    all.push([spec.name, spec]);
    for (const sub of spec.subcommands ?? []) all.push([`${spec.name}|${sub.name}`, sub]);
  }
  return all;
}

Deno.test("every command of the table has Redis's metadata, or is known not to be Redis's", () => {
  for (const [name] of everyCommand()) {
    const known = redisCommandMeta(name) !== undefined || NOT_IN_REDIS.includes(name);
    assert.ok(known, `${name} is not in src/commands/_redis_commands.ts: ${REGENERATE}`);
  }
});

Deno.test("the table's name, arity, flags, key positions and docs are Redis's", () => {
  for (const [name, spec] of everyCommand()) {
    const meta = redisCommandMeta(name);
    if (meta === undefined) continue;
    const declared = {
      name: spec.name,
      arity: spec.arity,
      flags: spec.flags,
      keys: [spec.firstKey, spec.lastKey, spec.step],
      summary: spec.summary,
      since: spec.since,
      group: spec.group,
    };
    const redis = {
      name: name.split("|").at(-1),
      arity: meta.arity,
      flags: meta.flags,
      keys: meta.keys,
      summary: meta.docs.summary,
      since: meta.docs.since,
      group: meta.docs.group,
    };
    assert.deepEqual(declared, redis, `${name}: the table differs from Redis 7.0`);
  }
});

Deno.test("NOT_IN_REDIS lists only commands of the table", () => {
  const names = new Set(everyCommand().map(([name]) => name));
  for (const name of NOT_IN_REDIS) assert.ok(names.has(name), `${name}: ${REGENERATE}`);
});

function decoded(spec: CommandSpec, name: string, docs: boolean): RespValue {
  const reply = docs ? commandDocs(spec, name) : commandInfo(spec, name);
  return decodeValue(encodeReply(reply, 3), 0)!.value;
}

const text = new TextDecoder();

function strings(value: RespValue): string[] {
  assert.ok(value.type === "set" || value.type === "array");
  return value.value!.map((item) => {
    if (item.type === "simple") return item.value;
    assert.equal(item.type, "bulk");
    return text.decode(item.value!);
  });
}

Deno.test("COMMAND INFO gives Redis's ACL categories, tips and key specifications", () => {
  const decr = decoded(COMMANDS.get("decr")!, "decr", false);
  assert.equal(decr.type, "array");
  const fields = decr.value!;
  assert.deepEqual(strings(fields[6]), ["@write", "@string", "@fast"]);
  assert.equal(fields[8].type, "set");
  const [keySpec] = (fields[8] as { value: RespValue[] }).value;
  assert.equal(keySpec.type, "map");
  const flags = keySpec.value.find(([key]) =>
    key.type === "bulk" && text.decode(key.value!) === "flags"
  )!;
  assert.deepEqual(strings(flags[1]), ["RW", "access", "update"]);
  const pttl = decoded(COMMANDS.get("pttl")!, "pttl", false);
  assert.deepEqual(strings((pttl as { value: RespValue[] }).value[7]), ["nondeterministic_output"]);
  const copy = decoded(COMMANDS.get("copy")!, "copy", false);
  assert.equal(
    ((copy as { value: RespValue[] }).value[8] as { value: RespValue[] }).value.length,
    2,
  );
});

Deno.test("COMMAND DOCS gives Redis's complexity, history and arguments", () => {
  const set = decoded(COMMANDS.get("set")!, "set", true);
  assert.equal(set.type, "map");
  const keys = set.value.map(([key]) => text.decode((key as { value: Uint8Array }).value));
  assert.deepEqual(keys, ["summary", "since", "group", "complexity", "history", "arguments"]);
});

Deno.test("a command Redis 7.0 does not have is described from the table", () => {
  const [setinfo] = COMMANDS.get("client")!.subcommands!.filter((sub) => sub.name === "setinfo");
  assert.ok(NOT_IN_REDIS.includes("client|setinfo"));
  // Derived from its flags (no write, no read, not fast) and its group.
  assert.deepEqual(aclCategories(setinfo, "client|setinfo"), ["@connection", "@slow"]);
  const docs = decoded(setinfo, "client|setinfo", true);
  assert.equal(docs.type, "map");
  assert.deepEqual(
    docs.value.map(([key]) => text.decode((key as { value: Uint8Array }).value)),
    ["summary", "since", "group"],
  );
  const info = decoded(setinfo, "client|setinfo", false) as { value: RespValue[] };
  assert.equal(info.value[0].type, "bulk");
  assert.equal(text.decode((info.value[0] as { value: Uint8Array }).value), "client|setinfo");
  assert.equal((info.value[1] as { value: bigint }).value, BigInt(setinfo.arity));
});
