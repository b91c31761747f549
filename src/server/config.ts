/**
 * The server's configuration, as CONFIG GET and CONFIG SET see it: every parameter of Redis 7.0
 * under Redis's names, with Redis's defaults and Redis's validation. Parameters that mean
 * something to Redlite take effect through listeners; the rest are accepted and reported.
 *
 * @module
 */

import { asciiText, toText } from "../db/bytes.ts";
import { RedisError } from "../db/errors.ts";
import { globMatch } from "../db/glob.ts";
import { parseInt64 } from "../db/numbers.ts";
import { REDIS_CONFIG } from "./_config_table.ts";

/** How CONFIG SET checks one parameter's value. */
interface Parameter {
  /** The canonical name. */
  readonly name: string;
  readonly kind: string;
}

/** Parameters that Redlite fixes at startup: changing them would need a new listener or file. */
const FIXED = new Set(["port", "bind", "databases"]);

const parameters = new Map<string, Parameter>();
/** Old names (`hash-max-ziplist-entries`, `slaveof`, ...) and the parameter they stand for. */
const aliases = new Map<string, string>();
for (const [name, , kind] of REDIS_CONFIG) parameters.set(name, { name, kind });
for (const [name] of REDIS_CONFIG) {
  const modern = name.replace("ziplist", "listpack").replace("slaveof", "replicaof")
    .replace("slaves", "replicas").replace("slave", "replica");
  if (modern !== name && parameters.has(modern)) aliases.set(name, modern);
}

/** Redis's defaults, by canonical name. */
const DEFAULTS: ReadonlyMap<string, string> = new Map(
  REDIS_CONFIG.filter(([name]) => !aliases.has(name)).map(([name, value]) => [name, value]),
);

const MEMORY_UNITS: Record<string, number> = {
  "": 1,
  b: 1,
  k: 1000,
  kb: 1024,
  m: 1000 ** 2,
  mb: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1024 ** 3,
};

/**
 * A memory amount as Redis's `memtoull` reads it (`100`, `64kb`, `1GB`), in bytes; null when it
 * is not one.
 *
 * @example
 * ```ts
 * parseMemory("1mb"); // 1048576n
 * ```
 */
export function parseMemory(text: string): bigint | null {
  const match = /^(\d+)([a-z]*)$/i.exec(text);
  if (match === null) return null;
  const unit = MEMORY_UNITS[match[2].toLowerCase()];
  if (unit === undefined) return null;
  const value = BigInt(match[1]) * BigInt(unit);
  return value < 2n ** 64n ? value : null;
}

function failed(name: string, reason: string): RedisError {
  return new RedisError(
    `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`,
  );
}

function checkRange(name: string, value: bigint, kind: string): void {
  const [, min, max] = kind.split(":");
  if (min === undefined) return;
  if (value < BigInt(min) || value > BigInt(max)) {
    throw failed(name, `argument must be between ${min} and ${max} inclusive`);
  }
}

function validSave(value: string): boolean {
  const words = value.split(" ").filter((word) => word !== "");
  if (words.length % 2 !== 0) return false;
  return words.every((word) => /^\d+$/.test(word));
}

const OUTPUT_BUFFER_CLASSES = ["normal", "slave", "pubsub"];

/**
 * CONFIG SET client-output-buffer-limit: the classes given (`pubsub 32mb 8mb 60 ...`) replace
 * theirs in the current value, which keeps the others; all in bytes, as Redis stores them.
 */
function mergeOutputBufferLimit(name: string, current: string, value: string): string {
  const words = value.split(" ").filter((word) => word !== "");
  if (words.length % 4 !== 0) {
    throw failed(name, "Wrong number of arguments in buffer limit configuration.");
  }
  const limits = new Map<string, string>();
  const old = current.split(" ");
  for (let i = 0; i + 3 < old.length; i += 4) limits.set(old[i], old.slice(i + 1, i + 4).join(" "));
  for (let i = 0; i < words.length; i += 4) {
    const given = words[i].toLowerCase();
    const type = given === "replica" ? "slave" : given;
    if (!OUTPUT_BUFFER_CLASSES.includes(type)) {
      throw failed(name, "Invalid client class specified in buffer limit configuration.");
    }
    const hard = parseMemory(words[i + 1]);
    const soft = parseMemory(words[i + 2]);
    // Redis reads the seconds with strtoll: leading digits, anything else is 0.
    const seconds = parseInt(words[i + 3], 10) || 0;
    if (hard === null || soft === null || seconds < 0) {
      throw failed(
        name,
        "Error in hard, soft or soft_seconds setting in buffer limit configuration.",
      );
    }
    limits.set(type, `${hard} ${soft} ${seconds}`);
  }
  return OUTPUT_BUFFER_CLASSES.map((type) => `${type} ${limits.get(type)}`).join(" ");
}

/** The stored form of a value for a parameter, or Redis's error for a bad one. */
function normalize(name: string, kind: string, value: string, current: string): string {
  if (kind === "immutable" || FIXED.has(name)) throw failed(name, "can't set immutable config");
  if (kind === "bool") {
    const lower = value.toLowerCase();
    if (lower !== "yes" && lower !== "no") throw failed(name, "argument must be 'yes' or 'no'");
    return lower;
  }
  if (kind.startsWith("enum:")) {
    const choices = kind.slice(5).split(", ");
    const words = value.toLowerCase().split(" ").filter((word) => word !== "");
    if (words.length === 0 || words.some((word) => !choices.includes(word))) {
      throw failed(name, `argument(s) must be one of the following: ${kind.slice(5)}`);
    }
    return words.join(" ");
  }
  if (kind.startsWith("int")) {
    const parsed = parseInt64(new TextEncoder().encode(value));
    if (parsed === null) throw failed(name, "argument couldn't be parsed into an integer");
    checkRange(name, BigInt(parsed), kind);
    return String(parsed);
  }
  if (kind.startsWith("memory")) {
    if (kind === "memory%" && /^\d+%$/.test(value)) return value;
    const bytes = parseMemory(value);
    if (bytes === null) {
      throw failed(
        name,
        kind === "memory%"
          ? "argument must be a memory or percent value"
          : "argument must be a memory value",
      );
    }
    checkRange(name, bytes, kind);
    return String(bytes);
  }
  if (kind.startsWith("special:")) {
    const reason = kind.slice(8);
    if (name === "save" && !validSave(value)) throw failed(name, reason);
    if (name === "dir" || name === "dbfilename") throw failed(name, reason);
    if (name === "client-output-buffer-limit") {
      return mergeOutputBufferLimit(name, current, value);
    }
    if (name === "notify-keyspace-events" && !/^[Ag$lshzxeKEtmdn]*$/.test(value)) {
      throw failed(name, reason);
    }
  }
  return value;
}

/**
 * The configuration of one server.
 *
 * @example
 * ```ts
 * const config = new Config({ port: "6767" });
 * config.get("port"); // "6767"
 * config.set([["maxmemory", "1mb"]]);
 * config.get("maxmemory"); // "1048576"
 * ```
 */
export class Config {
  readonly #values = new Map<string, string>(DEFAULTS);
  readonly #listeners = new Map<string, (value: string) => void>();

  /** @param overrides values that differ from Redis's defaults (the server's port, dir, ...) */
  constructor(overrides: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(overrides)) this.#values.set(name, value);
  }

  /**
   * A parameter's value, by canonical name or alias ("" for an unknown one).
   *
   * @example
   * ```ts
   * new Config().get("maxclients"); // "10000"
   * ```
   */
  get(name: string): string {
    return this.#values.get(aliases.get(name) ?? name) ?? "";
  }

  /**
   * Calls `listener` with the new value whenever CONFIG SET changes the parameter.
   *
   * @example
   * ```ts
   * new Config().listen("timeout", (value) => console.log(value));
   * ```
   */
  listen(name: string, listener: (value: string) => void): void {
    this.#listeners.set(name, listener);
  }

  /**
   * CONFIG GET: every parameter (aliases included, as Redis lists them) whose name matches one
   * of the glob patterns, once, with its value.
   *
   * @example
   * ```ts
   * new Config().matching([new TextEncoder().encode("maxmemory*")]);
   * ```
   */
  matching(patterns: readonly Uint8Array[]): [string, string][] {
    const found = new Map<string, string>();
    for (const pattern of patterns) {
      const text = asciiText(pattern);
      if (!/[*?[]/.test(text)) {
        // An exact name is looked up as given, and answered under the name as given.
        const name = text.toLowerCase();
        if (parameters.has(name) && !found.has(text)) found.set(text, this.get(name));
        continue;
      }
      for (const name of parameters.keys()) {
        if (!found.has(name) && globMatch(pattern, new TextEncoder().encode(name), true)) {
          found.set(name, this.get(name));
        }
      }
    }
    return [...found];
  }

  /**
   * CONFIG SET: checks every pair first and changes all of them or none, with Redis's errors.
   *
   * @example
   * ```ts
   * new Config().set([["timeout", "30"], ["maxclients", "100"]]);
   * ```
   */
  set(pairs: readonly [string | Uint8Array, string | Uint8Array][]): void {
    const changes = new Map<string, string>();
    for (const [rawName, rawValue] of pairs) {
      const given = typeof rawName === "string" ? rawName : toText(rawName);
      const lower = given.toLowerCase();
      const name = aliases.get(lower) ?? lower;
      const parameter = parameters.get(name);
      if (parameter === undefined) {
        throw new RedisError(
          `ERR Unknown option or number of arguments for CONFIG SET - '${given}'`,
        );
      }
      if (changes.has(name)) throw failed(lower, "duplicate parameter");
      const value = typeof rawValue === "string" ? rawValue : toText(rawValue);
      changes.set(name, normalize(lower, parameter.kind, value, this.get(name)));
    }
    for (const [name, value] of changes) {
      this.#values.set(name, value);
      this.#listeners.get(name)?.(value);
    }
  }
}
