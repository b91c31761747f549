/**
 * Replies as the command table produces them, before they are encoded for a protocol version
 * (RESP2 or RESP3) or converted to JavaScript values for the embedded API.
 *
 * - `Uint8Array`: a bulk string
 * - `number` or `bigint`: an integer
 * - `null`: a null bulk string (RESP2 `$-1`, RESP3 `_`)
 * - an array: an array of replies
 * - `EncodedElements`: an array of bulk strings as a list's chunks store them
 * - the classes below: simple strings, doubles, maps, sets, push messages and the rest
 *
 * @module
 */

import type { RedisError } from "../db/errors.ts";
import type { EncodedElements } from "../db/list_chunks.ts";

/** Any reply a command can produce. */
export type Reply =
  | Uint8Array
  | number
  | bigint
  | null
  | Reply[]
  | SimpleString
  | DoubleReply
  | MapReply
  | SetReply
  | PushReply
  | BooleanReply
  | VerbatimReply
  | BigNumberReply
  | NullArray
  | EncodedElements
  | RedisError;

/**
 * A simple string reply (`+OK`).
 *
 * @example
 * ```ts
 * const ok = new SimpleString("OK");
 * ```
 */
export class SimpleString {
  /** @param text ASCII text without CR or LF. */
  constructor(readonly text: string) {}
}

/** The `+OK` reply, shared. */
export const OK: SimpleString = new SimpleString("OK");

/** The `+QUEUED` reply, shared. */
export const QUEUED: SimpleString = new SimpleString("QUEUED");

/**
 * A double: RESP3 `,1.5`; RESP2 sends it as a bulk string formatted as Redis does.
 *
 * @example
 * ```ts
 * const score = new DoubleReply(1.5);
 * ```
 */
export class DoubleReply {
  /** @param value the number */
  constructor(readonly value: number) {}
}

/**
 * A map: RESP3 `%`; RESP2 sends it as a flat array of keys and values.
 *
 * @example
 * ```ts
 * const reply = new MapReply([[new TextEncoder().encode("field"), 1]]);
 * ```
 */
export class MapReply {
  /** @param entries key and value pairs, in reply order */
  constructor(readonly entries: [Reply, Reply][]) {}
}

/**
 * A set: RESP3 `~`; RESP2 sends it as an array.
 *
 * @example
 * ```ts
 * const reply = new SetReply([new TextEncoder().encode("member")]);
 * ```
 */
export class SetReply {
  /** @param items the members */
  constructor(readonly items: Reply[]) {}
}

/**
 * An out-of-band push message: RESP3 `>`; RESP2 sends it as an array (pub/sub messages).
 *
 * @example
 * ```ts
 * const reply = new PushReply([new TextEncoder().encode("message")]);
 * ```
 */
export class PushReply {
  /** @param items the message parts */
  constructor(readonly items: Reply[]) {}
}

/**
 * A boolean: RESP3 `#t` / `#f`; RESP2 sends 1 or 0.
 *
 * @example
 * ```ts
 * const reply = new BooleanReply(true);
 * ```
 */
export class BooleanReply {
  /** @param value the truth value */
  constructor(readonly value: boolean) {}
}

/**
 * A verbatim string: RESP3 `=` with a three-letter format; RESP2 sends a bulk string.
 *
 * @example
 * ```ts
 * const reply = new VerbatimReply("txt", new TextEncoder().encode("# Server"));
 * ```
 */
export class VerbatimReply {
  /**
   * @param format three letters, `txt` or `mkd`
   * @param text the text
   */
  constructor(readonly format: string, readonly text: Uint8Array) {}
}

/**
 * A big number: RESP3 `(`; RESP2 sends a bulk string.
 *
 * @example
 * ```ts
 * const reply = new BigNumberReply(2n ** 100n);
 * ```
 */
export class BigNumberReply {
  /** @param value the number */
  constructor(readonly value: bigint) {}
}

/**
 * A null where Redis answers with a null array in RESP2 (`*-1`), such as BLPOP's timeout or
 * an aborted EXEC; RESP3 sends `_`.
 *
 * @example
 * ```ts
 * const reply = NULL_ARRAY;
 * ```
 */
export class NullArray {
  private constructor() {}
  /** The one instance. */
  static readonly instance: NullArray = new NullArray();
}

/** The null array reply (RESP2 `*-1`, RESP3 `_`). */
export const NULL_ARRAY: NullArray = NullArray.instance;
