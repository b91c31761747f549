/**
 * The one error class of Redlite, and the texts Redis uses for its common errors.
 *
 * @module
 */

/**
 * An error with Redis's exact text as its message, such as
 * `WRONGTYPE Operation against a key holding the wrong kind of value`. The server sends the
 * message unchanged as an error reply; the embedded API throws it.
 *
 * @example
 * ```ts
 * import { Db, RedisError } from "@redlite/redlite";
 * const db = Db.openMemory();
 * db.set("s", "text");
 * try {
 *   db.incr("s");
 * } catch (e) {
 *   if (e instanceof RedisError) console.log(e.message); // ERR value is not an integer or out of range
 * }
 * db.close();
 * ```
 */
export class RedisError extends Error {
  /**
   * Creates the error.
   *
   * @param message Redis's text, starting with its error code (`ERR`, `WRONGTYPE`, ...).
   */
  constructor(message: string) {
    super(message);
    this.name = "RedisError";
  }

  /**
   * The error code: the first word of the message (`ERR`, `WRONGTYPE`, `NOAUTH`, ...).
   *
   * @example
   * ```ts
   * import { RedisError } from "@redlite/redlite";
   * new RedisError("WRONGTYPE Operation against a key holding the wrong kind of value").code; // "WRONGTYPE"
   * ```
   */
  get code(): string {
    const space = this.message.indexOf(" ");
    return space < 0 ? this.message : this.message.slice(0, space);
  }
}

/** Redis's texts for errors raised in more than one place. */
export const ERR = {
  wrongType: "WRONGTYPE Operation against a key holding the wrong kind of value",
  notInteger: "ERR value is not an integer or out of range",
  notFloat: "ERR value is not a valid float",
  syntax: "ERR syntax error",
  overflow: "ERR increment or decrement would overflow",
  noSuchKey: "ERR no such key",
  dbIndex: "ERR DB index is out of range",
  sameObject: "ERR source and destination objects are the same",
  stringTooLong: "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
  nanOrInfinity: "ERR increment would produce NaN or Infinity",
  timeout: "ERR timeout is not a float or out of range",
  negativeTimeout: "ERR timeout is negative",
  positive: "ERR value is out of range, must be positive",
} as const;

/**
 * Redis's arity error for a command.
 *
 * @example
 * ```ts
 * wrongArity("get").message; // "ERR wrong number of arguments for 'get' command"
 * ```
 */
export function wrongArity(command: string): RedisError {
  return new RedisError(`ERR wrong number of arguments for '${command.toLowerCase()}' command`);
}

/**
 * Redis's error for an invalid expire time in a command (`set`, `expire`, `getex`, ...).
 *
 * @example
 * ```ts
 * invalidExpire("set").message; // "ERR invalid expire time in 'set' command"
 * ```
 */
export function invalidExpire(command: string): RedisError {
  return new RedisError(`ERR invalid expire time in '${command}' command`);
}
