/**
 * Items as one BLOB: each its length (an unsigned LEB128 varint) then its bytes, in order. A
 * stream entry's fields and values (stream_codec.ts) and a list chunk's elements (list_chunks.ts)
 * are stored so; reads return views of the BLOB, without copies.
 *
 * @module
 */

/**
 * The bytes an item takes: its length's varint and its bytes.
 *
 * @example
 * ```ts
 * encodedSize(new Uint8Array(3)); // 4
 * encodedSize(new Uint8Array(200)); // 202
 * ```
 */
export function encodedSize(item: Uint8Array): number {
  let size = item.length + 1;
  for (let length = item.length; length >= 0x80; length = Math.floor(length / 0x80)) size++;
  return size;
}

/**
 * Writes an item's length and bytes into `blob` at `at`; returns where the next item goes.
 *
 * @example
 * ```ts
 * const blob = new Uint8Array(2);
 * writeItem(blob, 0, new Uint8Array([97])); // 2; blob is [1, 97]
 * ```
 */
export function writeItem(blob: Uint8Array, at: number, item: Uint8Array): number {
  let length = item.length;
  while (length >= 0x80) {
    blob[at++] = (length % 0x80) | 0x80;
    length = Math.floor(length / 0x80);
  }
  blob[at++] = length;
  blob.set(item, at);
  return at + item.length;
}

/**
 * Where the bytes of the item the last {@linkcode itemStart} read end: its second result, without
 * an array to return both in (these run once per item read).
 */
export let itemEnd = 0;

/**
 * Where the bytes of the item encoded at `at` start (past its length); where they end goes in
 * {@linkcode itemEnd}. The BLOB must be well formed.
 *
 * @example
 * ```ts
 * itemStart(new Uint8Array([1, 97, 2, 98, 99]), 2); // 3, and itemEnd is 5
 * ```
 */
export function itemStart(blob: Uint8Array, at: number): number {
  let length = blob[at++];
  if (length >= 0x80) {
    length &= 0x7f;
    let scale = 0x80;
    let byte: number;
    do {
      byte = blob[at++];
      length += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte >= 0x80);
  }
  itemEnd = at + length;
  return at;
}

/**
 * The items of a BLOB, in order, as views of it. Throws when a length runs past its end.
 *
 * @example
 * ```ts
 * decodeItems(new Uint8Array([1, 97, 0])); // [Uint8Array [97], Uint8Array []]
 * ```
 */
export function decodeItems(blob: Uint8Array): Uint8Array[] {
  const items: Uint8Array[] = [];
  let at = 0;
  while (at < blob.length) {
    let length = 0;
    let scale = 1;
    let byte: number;
    do {
      if (at >= blob.length) throw new Error("an encoded BLOB ends inside an item's length");
      byte = blob[at++];
      length += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte >= 0x80);
    if (at + length > blob.length) throw new Error("an encoded BLOB ends inside an item");
    items.push(blob.subarray(at, at += length));
  }
  return items;
}
