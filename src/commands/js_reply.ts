/**
 * Converts command replies into JavaScript values for `db.command()`.
 *
 * @module
 */

import { RedisError } from "../db/errors.ts";
import { EncodedElements } from "../db/list_chunks.ts";
import {
  BigNumberReply,
  BooleanReply,
  DoubleReply,
  MapReply,
  NullArray,
  PushReply,
  type Reply,
  SetReply,
  SimpleString,
  VerbatimReply,
} from "../resp/reply.ts";

/**
 * A reply as a JavaScript value: bulk and simple strings as `string` (or `Uint8Array` for
 * binary-safe calls), integers as `number` (`bigint` beyond 2^53), doubles as `number`, nulls as
 * `null`, arrays and sets as arrays, maps as plain objects, booleans as `boolean`.
 */
export type JsReply =
  | string
  | Uint8Array
  | number
  | bigint
  | boolean
  | null
  | JsReply[]
  | { [key: string]: JsReply };

const decoder = new TextDecoder();

/**
 * Converts a reply. Error replies are thrown (nested ones, as in EXEC's results, stay values).
 *
 * @example
 * ```ts
 * toJs([new TextEncoder().encode("a"), 1], false); // ["a", 1]
 * ```
 */
export function toJs(reply: Reply, binary: boolean): JsReply {
  if (reply instanceof RedisError) throw reply;
  return convert(reply, binary);
}

function convert(reply: Reply, binary: boolean): JsReply {
  if (reply instanceof Uint8Array) return binary ? reply : decoder.decode(reply);
  if (reply === null || typeof reply === "number" || typeof reply === "bigint") return reply;
  if (Array.isArray(reply)) return reply.map((item) => convert(item, binary));
  if (reply instanceof EncodedElements) return reply.decoded().map((item) => convert(item, binary));
  if (reply instanceof SimpleString) return reply.text;
  if (reply instanceof DoubleReply) return reply.value;
  if (reply instanceof MapReply) {
    const out: { [key: string]: JsReply } = {};
    for (const [key, value] of reply.entries) {
      const name = key instanceof Uint8Array ? decoder.decode(key) : String(convert(key, false));
      out[name] = convert(value, binary);
    }
    return out;
  }
  if (reply instanceof SetReply || reply instanceof PushReply) {
    return reply.items.map((item) => convert(item, binary));
  }
  if (reply instanceof BooleanReply) return reply.value;
  if (reply instanceof VerbatimReply) return binary ? reply.text : decoder.decode(reply.text);
  if (reply instanceof BigNumberReply) return reply.value;
  if (reply instanceof NullArray) return null;
  if (reply instanceof RedisError) return reply.message;
  throw new TypeError(`not a reply: ${String(reply)}`);
}
