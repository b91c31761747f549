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
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    out += String.fromCharCode(c >= 65 && c <= 90 ? c + 32 : c);
  }
  return out;
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
  const name = lowerName(argv[0]);
  const spec = COMMANDS.get(name);
  if (spec === undefined) throw unknownCommand(argv);
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
