import assert from "node:assert/strict";
import { byteString, dbKeyString, toBytes, transientBytes } from "../../src/db/bytes.ts";
import { Db } from "../../src/db/db.ts";

Deno.test("transientBytes gives a string's UTF-8 bytes, through a shared buffer for short ASCII", () => {
  assert.deepEqual(transientBytes("key:1"), toBytes("key:1"));
  assert.deepEqual(transientBytes("é€"), toBytes("é€"));
  const long = "k".repeat(300);
  assert.deepEqual(transientBytes(long), toBytes(long));
  const bytes = new Uint8Array([0, 255]);
  assert.equal(transientBytes(bytes), bytes);
  // Short ASCII keys share one buffer: the view is valid until the next call only.
  const first = transientBytes("ab");
  transientBytes("cd");
  assert.deepEqual([...first], [..."cd"].map((c) => c.charCodeAt(0)));
});

Deno.test("Db.get and Db.set with keys of every kind the shared buffer sees", () => {
  const db = Db.openMemory();
  const keys = ["a", "key:1", "é", "k".repeat(256), "k".repeat(257), ""];
  keys.forEach((key, i) => db.set(key, `v${i}`));
  keys.forEach((key, i) => assert.equal(db.get(key), `v${i}`));
  assert.equal(db.dbsize(), keys.length);
  db.close();
});

Deno.test("byteString and dbKeyString tell all byte strings apart", () => {
  const seen = new Set<string>();
  for (let length = 0; length <= 70; length += 1) {
    for (const fill of [0, 0x80, 0x81, 0x9f, 0xff]) {
      const name = byteString(new Uint8Array(length).fill(fill));
      assert.equal(name.length, length);
      seen.add(name);
    }
  }
  assert.equal(seen.size, 1 + 70 * 5);
  assert.notEqual(dbKeyString(1, toBytes("1:a")), dbKeyString(11, toBytes(":a")));
});
