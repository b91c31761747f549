/**
 * The encoding of a stream entry's fields and values in one BLOB: each item in order, as its
 * length (an unsigned LEB128 varint) followed by its bytes (length_prefixed.ts). Decoding returns views of the BLOB,
 * without copies. The same encoding holds a radix-tree node's master fields.
 *
 * @module
 */

import { equalBytes } from "./bytes.ts";
import { decodeItems, encodedSize, writeItem } from "./length_prefixed.ts";

/**
 * Encodes every `step`-th item from `first`: all of them (fields and values alternating), or
 * with `first` 0 and `step` 2, the fields only.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * decodeItems(encodeItems([b("f"), b("v")])); // [the bytes of "f", the bytes of "v"]
 * ```
 */
export function encodeItems(items: readonly Uint8Array[], first = 0, step = 1): Uint8Array {
  let size = 0;
  for (let i = first; i < items.length; i += step) size += encodedSize(items[i]);
  const out = new Uint8Array(size);
  let offset = 0;
  for (let i = first; i < items.length; i += step) offset = writeItem(out, offset, items[i]);
  return out;
}

/**
 * Whether an encoded list of fields holds exactly the fields of alternating fields and values.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * sameFields(encodeItems([b("f")]), [b("f"), b("v")]); // true
 * ```
 */
export function sameFields(encoded: Uint8Array, fieldsAndValues: readonly Uint8Array[]): boolean {
  const fields = decodeItems(encoded);
  if (fields.length * 2 !== fieldsAndValues.length) return false;
  return fields.every((field, i) => equalBytes(field, fieldsAndValues[i * 2]));
}
