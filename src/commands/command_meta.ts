/**
 * What COMMAND INFO and COMMAND DOCS say of each command: Redis 7.0's own metadata (ACL
 * categories, tips, key specifications, and the documentation: summary, complexity, history,
 * arguments, ...), recorded from a real redis-server by `tests/_helpers/gen_redis_commands.ts`
 * into `_redis_commands.ts`, so that both replies are Redis's byte for byte. A command Redis
 * 7.0 does not have is described from what the command table declares.
 *
 * @module
 */

import { MapReply, type Reply, SetReply, SimpleString } from "../resp/reply.ts";
import { REDIS_COMMANDS } from "./_redis_commands.ts";
import type { CommandSpec } from "./types.ts";

/** A value of Redis's command metadata as plain data: maps as objects, sets as arrays. */
export type MetaValue = string | number | readonly MetaValue[] | {
  readonly [key: string]: MetaValue;
};

/** Redis 7.0's metadata of one command or subcommand, as the generator records it. */
export interface RedisCommandMeta {
  /** The arity, as in the command table. */
  readonly arity: number;
  /** The flags, as in the command table. */
  readonly flags: readonly string[];
  /** First key, last key, step, as in the command table. */
  readonly keys: readonly [number, number, number];
  /** The ACL categories, in Redis's order (`@read`, `@string`, `@fast`). */
  readonly acl: readonly string[];
  /** The tips (`nondeterministic_output`, `request_policy:all_shards`, ...). */
  readonly tips: readonly string[];
  /** The key specifications, as COMMAND INFO's maps. */
  readonly keySpecs: readonly MetaValue[];
  /** COMMAND DOCS's map without its subcommands: summary, since, group, complexity, ... */
  readonly docs: { readonly [key: string]: MetaValue };
  /** The subcommands by name. */
  readonly subcommands?: { readonly [name: string]: RedisCommandMeta };
}

const parsed = new Map<string, RedisCommandMeta | null>();

/**
 * Redis 7.0's metadata of a command (`get`) or subcommand (`config|get`), or undefined when
 * Redis 7.0 has no such command.
 *
 * @example
 * ```ts
 * redisCommandMeta("get")?.acl; // ["@read", "@string", "@fast"]
 * ```
 */
export function redisCommandMeta(fullName: string): RedisCommandMeta | undefined {
  const [name, sub] = fullName.split("|", 2);
  let meta = parsed.get(name);
  if (meta === undefined) {
    const json = REDIS_COMMANDS.get(name);
    meta = json === undefined ? null : JSON.parse(json) as RedisCommandMeta;
    parsed.set(name, meta);
  }
  if (meta === null) return undefined;
  return sub === undefined ? meta : meta.subcommands?.[sub];
}

const encoder = new TextEncoder();

function bulk(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * A metadata value as Redis replies with it: maps, bulk strings and integers; the `flags` of
 * key specifications and arguments and the `doc_flags` as sets of simple strings, `history` as
 * a set of arrays.
 */
function metaReply(value: MetaValue, key?: string): Reply {
  if (typeof value === "string") return bulk(value);
  if (typeof value === "number") return value;
  if (Array.isArray(value)) {
    if (key === "flags" || key === "doc_flags") {
      return new SetReply(value.map((flag) => new SimpleString(flag as string)));
    }
    const items = value.map((item) => metaReply(item));
    return key === "history" ? new SetReply(items) : items;
  }
  return new MapReply(
    Object.entries(value).map(([name, item]) => [bulk(name), metaReply(item, name)]),
  );
}

function simpleSet(items: readonly string[]): SetReply {
  return new SetReply(items.map((item) => new SimpleString(item)));
}

/** Redis's ACL category for each command group, for commands Redis 7.0 does not have. */
const GROUP_CATEGORIES: Record<string, string> = {
  string: "@string",
  hash: "@hash",
  list: "@list",
  set: "@set",
  "sorted-set": "@sortedset",
  stream: "@stream",
  generic: "@keyspace",
  connection: "@connection",
  transactions: "@transaction",
  pubsub: "@pubsub",
  bitmap: "@bitmap",
  hyperloglog: "@hyperloglog",
  geo: "@geo",
  scripting: "@scripting",
};

/**
 * A command's ACL categories: Redis's, or for a command Redis 7.0 does not have, derived from
 * its flags and group as Redis derives the implicit ones.
 *
 * @example
 * ```ts
 * aclCategories(COMMANDS.get("get")!, "get"); // ["@read", "@string", "@fast"]
 * ```
 */
export function aclCategories(spec: CommandSpec, fullName: string): readonly string[] {
  const meta = redisCommandMeta(fullName);
  if (meta !== undefined) return meta.acl;
  const flags = spec.flags;
  const categories: string[] = [];
  if (flags.includes("write")) categories.push("@write");
  if (flags.includes("readonly")) categories.push("@read");
  if (flags.includes("admin")) categories.push("@admin", "@dangerous");
  if (flags.includes("pubsub")) categories.push("@pubsub");
  const group = GROUP_CATEGORIES[spec.group];
  if (group !== undefined && spec.subcommands === undefined && !categories.includes(group)) {
    categories.push(group);
  }
  categories.push(flags.includes("fast") ? "@fast" : "@slow");
  if (flags.includes("blocking")) categories.push("@blocking");
  return categories;
}

// The one key specification of a command Redis 7.0 does not have, from its key positions.
function declaredKeySpecs(spec: CommandSpec): Reply[] {
  if (spec.firstKey === 0) return [];
  const write = spec.flags.includes("write");
  const lastKey = spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey;
  return [metaReply({
    flags: write ? ["RW", "update"] : ["RO", "access"],
    begin_search: { type: "index", spec: { index: spec.firstKey } },
    find_keys: { type: "range", spec: { lastkey: lastKey, keystep: spec.step, limit: 0 } },
  })];
}

/**
 * COMMAND INFO's reply for one command (`name` is `config|get` for a subcommand). Subcommands
 * come in the table's order: Redis lists them in the order of a hash table seeded at random
 * when it starts.
 *
 * @example
 * ```ts
 * commandInfo(COMMANDS.get("get")!, "get");
 * ```
 */
export function commandInfo(spec: CommandSpec, name: string): Reply {
  const meta = redisCommandMeta(name);
  return [
    bulk(name),
    spec.arity,
    simpleSet(spec.flags),
    spec.firstKey,
    spec.lastKey,
    spec.step,
    simpleSet(aclCategories(spec, name)),
    new SetReply((meta?.tips ?? []).map(bulk)),
    new SetReply(meta?.keySpecs.map((keySpec) => metaReply(keySpec)) ?? declaredKeySpecs(spec)),
    // As addReplyCommandSubCommands: an empty set, or an array of them.
    spec.subcommands === undefined
      ? new SetReply([])
      : spec.subcommands.map((sub) => commandInfo(sub, `${name}|${sub.name}`)),
  ];
}

// COMMAND DOCS's map of a command Redis 7.0 does not have, in Redis's order of fields.
function declaredDocs(spec: CommandSpec): { readonly [key: string]: MetaValue } {
  const docs: Record<string, MetaValue> = {
    summary: spec.summary,
    since: spec.since,
    group: spec.group,
  };
  if (spec.docs !== undefined) docs.complexity = spec.docs.complexity;
  if (spec.docs?.arguments !== undefined) {
    // ArgumentDoc is plain data of strings, numbers and arrays: a MetaValue.
    docs.arguments = spec.docs.arguments as unknown as MetaValue;
  }
  return docs;
}

/**
 * COMMAND DOCS's map for one command (`name` is `config|get` for a subcommand).
 *
 * @example
 * ```ts
 * commandDocs(COMMANDS.get("get")!, "get");
 * ```
 */
export function commandDocs(spec: CommandSpec, name: string): MapReply {
  const meta = redisCommandMeta(name);
  const docs = meta?.docs ?? declaredDocs(spec);
  const entries = (metaReply(docs) as MapReply).entries;
  if (spec.subcommands !== undefined) {
    const subcommands = spec.subcommands.map((sub) => {
      const full = `${name}|${sub.name}`;
      return [bulk(full), commandDocs(sub, full)] as [Reply, Reply];
    });
    entries.push([bulk("subcommands"), new MapReply(subcommands)]);
  }
  return new MapReply(entries);
}
