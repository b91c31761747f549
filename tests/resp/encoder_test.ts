import assert from "node:assert/strict";
import { encodeReply } from "../../src/resp/encoder.ts";
import { chunked, encodeChunk, encodedBytes, EncodedElements } from "../../src/db/list_chunks.ts";
import { Db } from "../../mod.ts";
import { decimalLength, integerBytes, writeDecimal } from "../../src/db/numbers.ts";

Deno.test("encodeReply writes EncodedElements as the array of their bulk strings", () => {
  const lengths = [0, 1, 9, 10, 32, 33, 127, 128, 1000, 16_384, 3, 0];
  const elements = lengths.map((length, n) => Uint8Array.from({ length }, (_, i) => (i + n) % 256));
  const runs = chunked(elements).map((chunk) => encodeChunk(chunk, encodedBytes(chunk)));
  assert.ok(runs.length > 1, "several runs");
  const reply = new EncodedElements(elements.length, runs);
  for (const protocol of [2, 3] as const) {
    assert.deepEqual(encodeReply(reply, protocol), encodeReply(elements, protocol));
    assert.deepEqual(encodeReply([reply, 1], protocol), encodeReply([elements, 1], protocol));
  }
  assert.deepEqual(encodeReply(new EncodedElements(0, []), 2), new TextEncoder().encode("*0\r\n"));
});

Deno.test("writeDecimal writes what String gives, for every safe integer's length and sign", () => {
  const buffer = new Uint8Array(20);
  const values = [0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
  for (let power = 1; power < 2 ** 53; power *= 10) {
    values.push(power - 1, power, -power, 1 - power);
  }
  for (const value of values) {
    const end = writeDecimal(buffer, 1, value);
    assert.equal(end - 1, decimalLength(value), String(value));
    assert.equal(new TextDecoder().decode(buffer.subarray(1, end)), String(value));
    assert.deepEqual(integerBytes(value), new TextEncoder().encode(String(value)));
  }
  assert.deepEqual(integerBytes(-(2n ** 63n)), new TextEncoder().encode(String(-(2n ** 63n))));
  // Numbers beyond the safe integers (not Int64's own form, but a caller's) as String gives them.
  for (const value of [2 ** 60, -(2 ** 60), 1e21]) {
    assert.deepEqual(integerBytes(value), new TextEncoder().encode(String(value)));
  }
});

Deno.test("integer replies and lengths are written as String gives them, beyond safe integers too", () => {
  const text = (reply: Parameters<typeof encodeReply>[0]) =>
    new TextDecoder().decode(encodeReply(reply, 2));
  for (const value of [0, -1, 123456789, -(2 ** 53) + 1, 2 ** 53, 1e21, -1e300]) {
    assert.equal(text(value), `:${String(value)}\r\n`);
  }
  assert.equal(text([new TextEncoder().encode("ab"), []]), "*2\r\n$2\r\nab\r\n*0\r\n");
});

Deno.test("db.command answers LRANGE's encoded elements as strings or bytes", () => {
  const db = Db.openMemory();
  const values = Array.from({ length: 300 }, (_, i) => `v${i}`);
  db.rpush("l", ...values);
  assert.deepEqual(db.command("LRANGE", "l", 0, -1), values);
  assert.deepEqual(db.command("LRANGE", "l", -3, -1), values.slice(-3));
  assert.deepEqual(db.commandBytes("LRANGE", "l", 5, 6), [
    new TextEncoder().encode("v5"),
    new TextEncoder().encode("v6"),
  ]);
  db.close();
});
