import assert from "node:assert/strict";
import { ListChunk, newListEnds } from "../../src/db/list_chunks.ts";
import { KeyCache, LONGEST_CACHED_VALUE, MOST_CACHED_VALUE_BYTES } from "../../src/db/key_cache.ts";
import type { KeyMeta } from "../../src/db/keyspace.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const meta = (id: number, type = 3): KeyMeta => ({
  id,
  type,
  size: 1,
  expireAt: null,
  version: 1,
});

Deno.test("KeyCache finds keys by database and name, and hands out one object per key", () => {
  const cache = new KeyCache();
  const list = meta(1);
  cache.remember(0, bytes("k"), list);
  assert.equal(cache.find(0, bytes("k")), list);
  assert.equal(cache.find(1, bytes("k")), undefined);
  assert.equal(cache.find(0, bytes("K")), undefined);
  cache.remember(0, bytes("x".repeat(257)), meta(2));
  assert.equal(cache.find(0, bytes("x".repeat(257))), undefined, "long keys are not cached");
  cache.clear();
  assert.equal(cache.find(0, bytes("k")), undefined);
});

Deno.test("KeyCache keeps writes back once per key, in first-write order, until taken", () => {
  const cache = new KeyCache();
  const a = meta(1);
  const b = meta(2, 1);
  cache.remember(0, bytes("a"), a);
  cache.remember(0, bytes("b"), b, bytes("old"));
  assert.equal(cache.keepBack(3, 5, 9, 100), false, "an uncached key is the caller's to write");
  assert.equal(cache.keepBack(1, 2, 10, 100), true);
  assert.equal(cache.keepBackValue(2, bytes("new"), 5000, 11, 101), true);
  assert.equal(cache.keepBack(1, 3, 12, 102), true);
  assert.equal(a.size, 3);
  assert.equal(a.version, 12);
  assert.deepEqual(cache.findValue(0, bytes("b")), bytes("new"));
  assert.deepEqual(cache.takePending(), [
    { id: 1, size: 3, version: 12, updatedAt: 102, value: undefined, expireAt: null },
    { id: 2, size: 1, version: 11, updatedAt: 101, value: bytes("new"), expireAt: 5000 },
  ]);
  assert.equal(cache.hasPending, false);
  assert.deepEqual(cache.takePending(), []);
});

Deno.test("KeyCache caches no value over 16 KB nor more than its byte budget per batch", () => {
  const cache = new KeyCache();
  cache.remember(0, bytes("big"), meta(1, 1), new Uint8Array(LONGEST_CACHED_VALUE + 1));
  assert.equal(cache.findValue(0, bytes("big")), undefined);
  assert.equal(cache.keepBackValue(1, new Uint8Array(LONGEST_CACHED_VALUE + 1), null, 2, 0), false);
  const count = Math.floor(MOST_CACHED_VALUE_BYTES / LONGEST_CACHED_VALUE);
  for (let id = 2; id < 2 + count; id++) {
    cache.remember(0, bytes(`k${id}`), meta(id, 1), new Uint8Array(LONGEST_CACHED_VALUE));
    assert.notEqual(cache.findValue(0, bytes(`k${id}`)), undefined);
  }
  cache.remember(0, bytes("over"), meta(9999, 1), new Uint8Array(1));
  assert.equal(cache.findValue(0, bytes("over")), undefined, "the budget is spent");
  assert.equal(cache.keepBackValue(9999, new Uint8Array(1), null, 3, 0), false);
  cache.clear();
  cache.remember(0, bytes("again"), meta(1, 1), new Uint8Array(1));
  assert.notEqual(cache.findValue(0, bytes("again")), undefined, "a new batch, a new budget");
});

Deno.test("KeyCache keeps a cached list's end chunks, and hands out the writes of those changed", () => {
  const cache = new KeyCache();
  const value = bytes("v");
  assert.equal(cache.keepListEnds(9, newListEnds()), false, "an uncached key's are not kept");
  cache.remember(0, bytes("l"), meta(1));
  cache.remember(0, bytes("m"), meta(2));
  const ends = newListEnds();
  const chunk = ListChunk.empty(0);
  ends.LEFT = ends.RIGHT = chunk;
  ends.touched.push(chunk);
  chunk.push("RIGHT", value);
  assert.equal(cache.keepListEnds(1, ends), true);
  assert.equal(cache.listEnds(1), ends);
  assert.equal(cache.listEnds(2), undefined);
  assert.equal(cache.hasListEnds, true);
  assert.deepEqual(cache.takeChunkWrites(), [
    ["INSERT INTO lists (key_id, pos, count, value) VALUES (?, ?, ?, ?)", 1, 0, 1, bytes("\x01v")],
  ]);
  assert.deepEqual(cache.takeChunkWrites(), [], "written: nothing changed since");
  assert.equal(cache.listEnds(1), ends, "still kept, as written");
  chunk.pop("LEFT");
  assert.deepEqual(cache.takeChunkWrites(), [[
    "DELETE FROM lists WHERE key_id = ? AND pos = ?",
    1,
    0,
  ]]);
  cache.forgetListEnds(1);
  assert.equal(cache.listEnds(1), undefined);
  assert.equal(cache.hasListEnds, false);
  cache.keepListEnds(2, newListEnds());
  cache.forgetListEnds();
  assert.equal(cache.listEnds(2), undefined, "all forgotten");
  cache.keepListEnds(2, newListEnds());
  cache.clear();
  assert.equal(cache.hasListEnds, false, "a rollback forgets them");
});

Deno.test("KeyCache knows present fields and members of cached keys, and keeps field writes back", () => {
  const cache = new KeyCache();
  const update = "UPDATE hashes SET value = ? WHERE key_id = ? AND field = ?";
  cache.rememberElement(9, bytes("f"));
  assert.equal(
    cache.knowsElement(9, bytes("f")),
    false,
    "an uncached key's elements are not known",
  );
  cache.remember(0, bytes("h"), meta(1, 2));
  cache.remember(0, bytes("s"), meta(2, 4));
  assert.equal(cache.keepBackField(1, bytes("f"), bytes("v0"), update), false, "not known yet");
  cache.rememberElement(1, bytes("f"));
  cache.rememberElement(2, bytes("m"));
  assert.equal(cache.knowsElement(1, bytes("f")), true);
  assert.equal(cache.knowsElement(1, bytes("m")), false, "per key");
  assert.equal(cache.knowsElement(2, bytes("m")), true);
  const value = bytes("v1");
  assert.equal(cache.keepBackField(1, bytes("f"), value, update), true);
  value[1] = 57;
  assert.equal(cache.keepBackField(1, bytes("f"), bytes("v2"), update), true);
  assert.equal(cache.hasPendingFields, true);
  const [write, ...rest] = cache.takePendingFields();
  assert.deepEqual(rest, []);
  assert.deepEqual([write.sql, write.id, write.field, write.value], [
    update,
    1,
    bytes("f"),
    bytes("v2"),
  ]);
  assert.equal(cache.hasPendingFields, false);
  assert.equal(cache.knowsElement(1, bytes("f")), true, "still present once written");

  const big = new Uint8Array(LONGEST_CACHED_VALUE + 1);
  assert.equal(cache.keepBackField(1, bytes("f"), big, update), false, "too long to keep");
  assert.equal(cache.keepBackField(1, bytes("f"), bytes("v3"), update), true);
  assert.equal(
    cache.keepBackField(1, bytes("f"), big, update),
    true,
    "a field with a kept-back write takes every later value",
  );
  assert.equal(cache.takePendingFields()[0].value.length, big.length);

  assert.equal(cache.keepBackField(1, bytes("f"), bytes("v5"), update), true);
  cache.forgetElements();
  assert.equal(cache.knowsElement(2, bytes("m")), false);
  assert.equal(
    cache.knowsElement(1, bytes("f")),
    true,
    "a field with a kept-back write stays known",
  );
  assert.equal(cache.keepBackField(1, bytes("f"), bytes("v6"), update), true);
  assert.deepEqual(cache.takePendingFields().map((write) => write.value), [bytes("v6")]);
  cache.forgetElements();
  assert.equal(cache.knowsElement(1, bytes("f")), false, "once written, forgotten");
  cache.rememberElement(1, bytes("x".repeat(257)));
  assert.equal(cache.knowsElement(1, bytes("x".repeat(257))), false, "long elements never");
  cache.rememberElement(1, bytes("f"));
  assert.equal(cache.keepBackField(1, bytes("f"), bytes("v4"), update), true);
  cache.clear();
  assert.equal(cache.hasPendingFields, false, "a rollback forgets the writes");
  assert.deepEqual(cache.takePendingFields(), []);
});

Deno.test("KeyCache knows the scores a batch found or wrote, until a statement changes the table", () => {
  const cache = new KeyCache();
  cache.rememberScore(9, bytes("m"), 1);
  assert.equal(
    cache.knownScore(9, bytes("m")),
    undefined,
    "an uncached key's scores are not known",
  );
  cache.remember(0, bytes("z"), meta(1, 5));
  assert.equal(cache.knownScore(1, bytes("m")), undefined);
  cache.rememberScore(1, bytes("m"), 0);
  assert.equal(cache.knownScore(1, bytes("m")), 0);
  cache.rememberScore(1, bytes("m"), -2.5);
  assert.equal(cache.knownScore(1, bytes("m")), -2.5, "the last score written");
  assert.equal(cache.knowsElement(1, bytes("m")), false, "a score is not a set's member");
  cache.forgetElements();
  assert.equal(cache.knownScore(1, bytes("m")), undefined);
  cache.rememberScore(1, bytes("m"), 3);
  cache.clear();
  cache.remember(0, bytes("z"), meta(1, 5));
  assert.equal(cache.knownScore(1, bytes("m")), undefined, "a new batch starts over");
});

Deno.test("KeyCache finds a key worth caching the second time a batch asks for it", () => {
  const cache = new KeyCache();
  const key = bytes("k");
  assert.equal(cache.worthCaching(0, key), false);
  assert.equal(cache.worthCaching(1, key), false, "another database, another key");
  assert.equal(cache.worthCaching(0, bytes("k")), true, "the same bytes in a new array");
  cache.clear();
  assert.equal(cache.worthCaching(0, key), false, "a new batch starts over");
  assert.equal(cache.worthCaching(0, bytes("x".repeat(257))), false);
  assert.equal(cache.worthCaching(0, bytes("x".repeat(257))), false, "long keys never");
});

Deno.test("KeyCache finds worth caching at the first ask the keys the batch before used more than once", () => {
  const cache = new KeyCache();
  // Batch 1: "twice" is asked for, then cached at its second ask; "found" is cached at its first
  // and found again by another command; "once" is cached and never asked for again.
  cache.worthCaching(0, bytes("twice"));
  cache.worthCaching(0, bytes("twice"));
  cache.remember(0, bytes("twice"), meta(1));
  cache.remember(0, bytes("found"), meta(2));
  const again = bytes("found");
  assert.equal(cache.find(0, again)?.id, 2);
  assert.equal(cache.find(0, again)?.id, 2, "the same command asking twice");
  const once = bytes("once");
  cache.remember(0, once, meta(3));
  assert.equal(cache.find(0, once)?.id, 3, "the command that cached it");
  // The batch's reads end (the cache is cleared), its writes begin: still the same batch.
  cache.clear();
  assert.equal(cache.worthCaching(0, bytes("twice")), true, "used twice earlier in the batch");
  cache.remember(0, bytes("twice"), meta(1));
  cache.clear();
  cache.endBatch();
  assert.equal(cache.worthCaching(0, bytes("twice")), true);
  assert.equal(cache.worthCaching(0, bytes("found")), true);
  assert.equal(cache.worthCaching(0, bytes("once")), false);
  assert.equal(cache.worthCaching(1, bytes("twice")), false, "another database");
  cache.clear();
  cache.endBatch();
  assert.equal(
    cache.worthCaching(0, bytes("found")),
    true,
    "a batch that cached nothing keeps them",
  );
  cache.remember(0, bytes("other"), meta(4));
  cache.clear();
  cache.endBatch();
  assert.equal(
    cache.worthCaching(0, bytes("found")),
    false,
    "a batch that used other keys forgets them",
  );
});

Deno.test("KeyCache tells keys and elements apart by their bytes when one buffer is written over", () => {
  const cache = new KeyCache();
  // One buffer, written over for each ask, as the embedded API's short keys are.
  const scratch = new Uint8Array(8);
  const view = (text: string) => {
    scratch.set(bytes(text));
    return scratch.subarray(0, text.length);
  };
  cache.remember(0, view("ab"), meta(1));
  assert.equal(cache.find(0, view("ab"))?.id, 1);
  assert.equal(cache.find(0, view("ac")), undefined);
  assert.equal(cache.find(0, view("ab"))?.id, 1);
  assert.equal(cache.find(1, view("ab")), undefined, "another database");
  assert.equal(cache.find(0, view("a")), undefined, "a prefix");
  cache.rememberElement(1, view("f1"));
  assert.equal(cache.knowsElement(1, view("f1")), true);
  assert.equal(cache.knowsElement(1, view("f2")), false);
  assert.equal(cache.knowsElement(1, view("f1")), true);
  assert.equal(cache.knowsElement(1, bytes("f1")), true, "the same bytes in another array");
  const long = (fill: number) => new Uint8Array(300).fill(fill);
  assert.equal(cache.knowsElement(1, long(1)), false, "too long to be known");
  assert.equal(cache.knowsElement(1, view("f1")), true);
});

Deno.test("KeyCache's copies keep their bytes when the source changes, across chunks and clears", () => {
  const cache = new KeyCache();
  const source = bytes("abc");
  const first = cache.copy(source);
  source.set(bytes("xyz"));
  assert.deepEqual(first, bytes("abc"));
  const digits = cache.integerCopy(-42);
  assert.deepEqual(digits, bytes("-42"));
  assert.deepEqual(cache.integerCopy(2n ** 63n - 1n), bytes(String(2n ** 63n - 1n)));
  cache.clear();
  // Enough copies to fill several chunks: none writes over an earlier one.
  const copies = Array.from({ length: 40 }, (_, i) => cache.copy(bytes(`${i}`.repeat(1000))));
  copies.forEach((copy, i) => assert.deepEqual(copy, bytes(`${i}`.repeat(1000))));
  assert.deepEqual(first, bytes("abc"), "a clear does not reuse a chunk's bytes");
  assert.deepEqual(digits, bytes("-42"));
  const long = bytes("y".repeat(LONGEST_CACHED_VALUE + 1));
  const longCopy = cache.copy(long);
  long[0] = 0;
  assert.equal(longCopy[0], 121, "a value over the chunk's share is a copy of its own");
});
