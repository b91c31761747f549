/**
 * The encoding of a stream entry's fields and values in one BLOB: each item in order, as its
 * length (an unsigned LEB128 varint) followed by its bytes. Decoding returns views of the BLOB,
 * without copies. The same encoding holds a radix-tree node's master fields.
 *
 * @module
 */

import { equalBytes } from "./bytes.ts";

function varintSize(value: number): number {
  let size = 1;
  while (value >= 128) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

function writeVarint(out: Uint8Array, offset: number, value: number): number {
  while (value >= 128) {
    out[offset++] = (value % 128) | 128;
    value = Math.floor(value / 128);
  }
  out[offset++] = value;
  return offset;
}

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
  for (let i = first; i < items.length; i += step) {
    size += varintSize(items[i].length) + items[i].length;
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (let i = first; i < items.length; i += step) {
    offset = writeVarint(out, offset, items[i].length);
    out.set(items[i], offset);
    offset += items[i].length;
  }
  return out;
}

/**
 * The items of an encoded BLOB, as views of it.
 *
 * @example
 * ```ts
 * decodeItems(new Uint8Array([1, 97])); // [the bytes of "a"]
 * ```
 */
export function decodeItems(data: Uint8Array): Uint8Array[] {
  const items: Uint8Array[] = [];
  let offset = 0;
  while (offset < data.length) {
    let length = 0;
    let scale = 1;
    let byte: number;
    do {
      byte = data[offset++];
      length += (byte & 127) * scale;
      scale *= 128;
    } while (byte >= 128);
    items.push(data.subarray(offset, offset + length));
    offset += length;
  }
  return items;
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
