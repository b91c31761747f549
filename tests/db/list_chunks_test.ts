import assert from "node:assert/strict";
import {
  chunked,
  chunkFits,
  chunkRun,
  encodeChunk,
  encodedBytes,
  ListChunk,
  matchingIndexes,
  MOST_CHUNK_BYTES,
  MOST_CHUNK_ELEMENTS,
} from "../../src/db/list_chunks.ts";
import { decodeItems, encodedSize } from "../../src/db/length_prefixed.ts";
import { SeededRandom } from "../_helpers/random.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("encodeChunk and decodeItems round-trip lengths of one to four varint bytes", () => {
  const elements = [0, 1, 127, 128, 16_383, 16_384, 2_097_152].map((length) =>
    Uint8Array.from({ length }, (_, i) => i % 251)
  );
  assert.deepEqual(elements.map(encodedSize), [1, 2, 128, 130, 16_385, 16_387, 2_097_156]);
  const blob = encodeChunk(elements, encodedBytes(elements));
  assert.equal(blob.length, encodedBytes(elements));
  assert.deepEqual(decodeItems(blob), elements);
  assert.deepEqual(decodeItems(chunkRun(blob, 2, 4)), elements.slice(2, 4));
  assert.deepEqual(decodeItems(chunkRun(blob, 5, 99)), elements.slice(5));
  assert.deepEqual(chunkRun(blob, 0, 0), new Uint8Array(0));
  assert.deepEqual(chunkRun(blob, 0, 7), blob);
  assert.throws(() => decodeItems(blob.subarray(0, blob.length - 1)), /ends inside an item/);
  assert.throws(() => decodeItems(new Uint8Array([0x80])), /inside an item's length/);
});

Deno.test("chunked cuts elements into even chunks within the count and the bytes", () => {
  // 2.5 chunks' worth: three even chunks.
  const small = Array.from({ length: MOST_CHUNK_ELEMENTS * 2.5 }, () => bytes("x"));
  const third = MOST_CHUNK_ELEMENTS * 2.5 / 3;
  assert.deepEqual(chunked(small).map((chunk) => chunk.length), [third, third, third]);
  assert.deepEqual(chunked([]), []);
  const long = new Uint8Array(MOST_CHUNK_BYTES * 2);
  const mixed = [bytes("a"), long, bytes("b"), bytes("c")];
  assert.deepEqual(chunked(mixed), [[mixed[0]], [long], [mixed[2], mixed[3]]]);
  const random = new SeededRandom(3);
  const elements = Array.from(
    { length: 2000 },
    () => new Uint8Array(random.int(4) === 0 ? random.range(100, 1500) : random.int(20)),
  );
  const chunks = chunked(elements);
  assert.deepEqual(chunks.flat(), elements);
  assert.ok(chunks.every((chunk) => chunkFits(chunk.length, encodedBytes(chunk))));
  assert.equal(chunkFits(MOST_CHUNK_ELEMENTS + 1, 200), false);
});

Deno.test("ListChunk pushes and pops at both ends across its pushed and its read elements", () => {
  const read = [bytes("c"), bytes("d"), new Uint8Array(200), bytes("e")];
  const chunk = new ListChunk(5, encodeChunk(read, encodedBytes(read)), read.length, true);
  const model = read.slice();
  let stored = true;
  const random = new SeededRandom(11);
  for (let step = 0; step < 400; step++) {
    const end = random.int(2) === 0 ? "LEFT" : "RIGHT";
    if (random.int(3) === 0) {
      const value = bytes(`v${step}`);
      chunk.push(end, value);
      end === "LEFT" ? model.unshift(value) : model.push(value);
    } else {
      assert.deepEqual(chunk.peek(end), end === "LEFT" ? model[0] : model.at(-1));
      assert.deepEqual(chunk.pop(end), end === "LEFT" ? model.shift() : model.pop());
    }
    assert.equal(chunk.count, model.length);
    assert.equal(chunk.bytes, encodedBytes(model));
    if (step % 50 === 49) {
      // Written, its elements are read back from its new bytes.
      const write = chunk.write(9);
      if (model.length === 0) {
        const deleted = ["DELETE FROM lists WHERE key_id = ? AND pos = ?", 9, 5];
        assert.deepEqual(write, stored ? deleted : null);
      } else {
        assert.equal(write?.[0].startsWith(stored ? "UPDATE" : "INSERT"), true);
        assert.deepEqual(write?.slice(1), [9, 5, model.length, encodeChunk(model, chunk.bytes)]);
      }
      stored = model.length > 0;
      assert.equal(chunk.stored, stored);
      assert.equal(chunk.write(9), null, "unchanged since written");
    }
  }
});

Deno.test("ListChunk writes an INSERT when new, an UPDATE once stored, nothing when emptied unstored", () => {
  const chunk = ListChunk.empty(-1_000_000);
  assert.equal(chunk.pop("LEFT"), undefined);
  assert.equal(chunk.fits(new Uint8Array(5000)), true, "alone, any length fits");
  chunk.push("LEFT", bytes("a"));
  assert.equal(chunk.fits(new Uint8Array(MOST_CHUNK_BYTES)), false);
  assert.deepEqual(chunk.write(1), [
    "INSERT INTO lists (key_id, pos, count, value) VALUES (?, ?, ?, ?)",
    1,
    -1_000_000,
    1,
    bytes("\x01a"),
  ]);
  chunk.push("RIGHT", bytes("b"));
  assert.equal(
    chunk.write(1)?.[0],
    "UPDATE lists SET count = ?3, value = ?4 WHERE key_id = ?1 AND pos = ?2",
  );
  const fresh = ListChunk.empty(0);
  fresh.push("RIGHT", bytes("x"));
  fresh.pop("LEFT");
  assert.equal(fresh.write(1), null, "never stored, nothing to delete");
});

Deno.test("matchingIndexes finds equal elements by their bytes, not by a prefix or a suffix", () => {
  const elements = ["ab", "a", "", "abc", "a", "ba", "a".repeat(200)].map(bytes);
  const blob = encodeChunk(elements, encodedBytes(elements));
  assert.deepEqual(matchingIndexes(blob, bytes("a")), [1, 4]);
  assert.deepEqual(matchingIndexes(blob, bytes("")), [2]);
  assert.deepEqual(matchingIndexes(blob, bytes("a".repeat(200))), [6]);
  assert.deepEqual(matchingIndexes(blob, bytes("b")), []);
  assert.deepEqual(matchingIndexes(new Uint8Array(0), bytes("a")), []);
});
