/**
 * Finding a command in the table and running it: Redis's errors for unknown commands, unknown
 * subcommands and wrong arity. The server and `db.command()` both run commands through here.
 *
 * @module
 */

import { RedisError, wrongArity } from "../db/errors.ts";
import type { Reply } from "../resp/reply.ts";
import { COMMANDS } from "./table.ts";
import type { CommandContext, CommandSpec } from "./types.ts";

/** Lower-case ASCII of a command name given as bytes (names are ASCII; anything else misses). */
function lowerName(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(lowerAscii(bytes[i]));
  return out;
}

function lowerAscii(byte: number): number {
  return byte >= 65 && byte <= 90 ? byte + 32 : byte;
}

/** FNV-1a of a name's bytes, lower-cased: the same for "GET", "get" and "Get". */
function nameHash(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ lowerAscii(bytes[i]), 0x01000193);
  return hash;
}

// Every command by the hash of its name: found from the bytes a client sent without making a
// string of them first (a string per command, then its hash, cost more than the lookup). Made
// at the first lookup: the command table imports this module.
let byNameHash: Map<number, CommandSpec[]> | null = null;

function commandsByNameHash(): Map<number, CommandSpec[]> {
  if (byNameHash !== null) return byNameHash;
  byNameHash = new Map();
  for (const spec of COMMANDS.values()) {
    const hash = nameHash(new TextEncoder().encode(spec.name));
    byNameHash.set(hash, [...byNameHash.get(hash) ?? [], spec]);
  }
  return byNameHash;
}

function namedBy(name: string, bytes: Uint8Array): boolean {
  if (name.length !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) {
    if (lowerAscii(bytes[i]) !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** The command a client's name bytes (any case) name, if any. */
function commandNamed(bytes: Uint8Array): CommandSpec | undefined {
  const candidates = (byNameHash ?? commandsByNameHash()).get(nameHash(bytes));
  if (candidates === undefined) return undefined;
  for (const spec of candidates) if (namedBy(spec.name, bytes)) return spec;
  return undefined;
}

const decoder = new TextDecoder();

/** Redis quotes at most 128 bytes of a name or argument in an error. */
function quoted(bytes: Uint8Array): string {
  return decoder.decode(bytes.subarray(0, 128));
}

/**
 * Redis's error for an unknown command, quoting its first arguments as Redis does.
 *
 * @example
 * ```ts
 * unknownCommand([new TextEncoder().encode("foo"), new TextEncoder().encode("a")]).message;
 * // "ERR unknown command 'foo', with args beginning with: 'a' "
 * ```
 */
export function unknownCommand(argv: Uint8Array[]): RedisError {
  let args = "";
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${quoted(argv[i]).slice(0, 128 - args.length)}' `;
  }
  return new RedisError(
    `ERR unknown command '${quoted(argv[0])}', with args beginning with: ${args}`,
  );
}

/**
 * The table entry that will run `argv`: the command, or for a container command (CONFIG,
 * CLIENT, OBJECT, ...) its subcommand. Throws Redis's errors for unknown names and wrong arity.
 *
 * @example
 * ```ts
 * resolveCommand([new TextEncoder().encode("GET"), new TextEncoder().encode("k")]).name; // "get"
 * ```
 */
export function resolveCommand(argv: Uint8Array[]): CommandSpec {
  const spec = commandNamed(argv[0]);
  if (spec === undefined) throw unknownCommand(argv);
  const name = spec.name;
  if (spec.subcommands === undefined) {
    if (!arityFits(spec.arity, argv.length)) throw wrongArity(name);
    return spec;
  }
  if (argv.length < 2) {
    // As Redis: a container command alone runs itself when its arity allows (COMMAND).
    if (spec.handler === undefined || !arityFits(spec.arity, argv.length)) throw wrongArity(name);
    return spec;
  }
  const subName = lowerName(argv[1]);
  const sub = spec.subcommands.find((candidate) => candidate.name === subName);
  if (sub === undefined) {
    throw new RedisError(
      `ERR unknown subcommand '${quoted(argv[1])}'. Try ${name.toUpperCase()} HELP.`,
    );
  }
  if (!arityFits(sub.arity, argv.length)) throw wrongArity(`${name}|${subName}`);
  return sub;
}

function arityFits(arity: number, count: number): boolean {
  return arity >= 0 ? count === arity : count >= -arity;
}

/**
 * Runs one command. Errors a command raises with Redis's text come back as the reply (a
 * `RedisError`), as Redis sends them; anything else is thrown.
 *
 * @example
 * ```ts
 * const reply = await runCommand(ctx, [new TextEncoder().encode("PING")]);
 * ```
 */
export function runCommand(ctx: CommandContext, argv: Uint8Array[]): Reply | Promise<Reply> {
  try {
    const spec = resolveCommand(argv);
    const reply = spec.handler!(ctx, argv);
    return reply instanceof Promise ? reply.catch(asReply) : reply;
  } catch (error) {
    return asReply(error);
  }
}

function asReply(error: unknown): RedisError {
  if (error instanceof RedisError) return error;
  throw error;
}
