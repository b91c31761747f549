import assert from "node:assert/strict";
import { Db } from "../../mod.ts";
import {
  commaIntegers,
  concatenatedBlob,
  concatenating,
  FEWEST_CONCATENATED,
  readMany,
  splitConcatenated,
} from "../../src/db/concatenated.ts";
import { scopeOf } from "../../src/db/db.ts";
import { hgetall } from "../../src/db/hashes.ts";
import { SeededRandom } from "../_helpers/random.ts";

Deno.test("splitConcatenated cuts the blob at the lengths, empty values included", () => {
  const bytes = new Uint8Array([97, 0, 255, 98]);
  assert.deepEqual(splitConcatenated(["1,0,2,1", bytes]), [
    new Uint8Array([97]),
    new Uint8Array(0),
    new Uint8Array([0, 255]),
    new Uint8Array([98]),
  ]);
  assert.deepEqual(splitConcatenated([null, null]), [], "no rows");
  assert.deepEqual(splitConcatenated(undefined), []);
  assert.deepEqual(splitConcatenated(["0,0", ""]), [new Uint8Array(0), new Uint8Array(0)]);
});

Deno.test("a concatenating query returns any bytes, in the inner query's order, both ways", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  store.sql.exec("CREATE TABLE t (pos INTEGER PRIMARY KEY, value BLOB NOT NULL)");
  const random = new SeededRandom(7);
  const values = Array.from(
    { length: 700 },
    () => Uint8Array.from({ length: random.int(41) }, () => random.int(256)),
  );
  // Rows inserted out of order: the order comes from the inner query, not from the insertion.
  const order = values.map((_, i) => i).sort(() => random.int(3) - 1);
  for (const i of order) store.run("INSERT INTO t VALUES (?, ?)", i * 3, values[i]);
  for (const [direction, expected] of [["ASC", values], ["DESC", [...values].reverse()]] as const) {
    const sql = concatenating(`SELECT value FROM t ORDER BY pos ${direction} LIMIT ? OFFSET ?`);
    assert.deepEqual(splitConcatenated(store.values(sql, 1000, 0)), expected);
    assert.deepEqual(splitConcatenated(store.values(sql, 5, 100)), expected.slice(100, 105));
    assert.deepEqual(splitConcatenated(store.values(sql, 5, 1000)), []);
  }
  db.close();
});

Deno.test("LRANGE reads binary elements, in order, after inserts between elements", () => {
  const db = Db.openMemory();
  const random = new SeededRandom(11);
  const expected: Uint8Array[] = [];
  for (let i = 0; i < 300; i++) {
    const value = Uint8Array.from({ length: random.int(21) }, () => random.int(256));
    if (i % 2 === 0) {
      db.rpush("l", value);
      expected.push(value);
    } else {
      db.lpush("l", value);
      expected.unshift(value);
    }
  }
  // LINSERT puts elements between two positions.
  const pivot = new Uint8Array([1, 2, 3]);
  db.lset("l", 150, pivot);
  expected[150] = pivot;
  db.linsert("l", "BEFORE", pivot, new Uint8Array([0]));
  expected.splice(150, 0, new Uint8Array([0]));
  const reply = db.commandBytes("LRANGE", "l", 0, -1) as Uint8Array[];
  assert.deepEqual(reply, expected);
  assert.deepEqual(db.commandBytes("LRANGE", "l", -5, -2), expected.slice(-5, -1));
  db.close();
});

Deno.test("LRANGE reads short and long ranges alike (rows below FEWEST_CONCATENATED, concatenated from it)", () => {
  const db = Db.openMemory();
  const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
  db.rpush("l", ...values);
  const few = FEWEST_CONCATENATED;
  for (
    const [start, stop] of [[0, few - 2], [0, few - 1], [0, few], [3, 5], [-12, -1], [-few, -1], [
      5,
      100,
    ]]
  ) {
    const expected = values.slice(
      start < 0 ? 30 + start : start,
      stop < 0 ? 30 + stop + 1 : stop + 1,
    );
    assert.deepEqual(db.lrange("l", start, stop), expected, `${start} ${stop}`);
  }
  db.close();
});

Deno.test("HGETALL, HKEYS, HVALS and SMEMBERS read many binary elements, in BLOB order", () => {
  const db = Db.openMemory();
  const random = new SeededRandom(5);
  const bytesOf = (length: number) => Uint8Array.from({ length }, () => random.int(256));
  const compare = (a: Uint8Array, b: Uint8Array) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  };
  for (const size of [FEWEST_CONCATENATED - 1, FEWEST_CONCATENATED, 200]) {
    const fields = new Map<string, [Uint8Array, Uint8Array]>();
    while (fields.size < size) {
      const field = bytesOf(random.int(12));
      fields.set(field.join(), [field, bytesOf(random.int(30))]);
    }
    const pairs = [...fields.values()].sort(([a], [b]) => compare(a, b));
    db.del("h", "s");
    db.commandBytes("HSET", "h", ...pairs.flat());
    db.commandBytes("SADD", "s", ...pairs.map(([field]) => field));
    assert.deepEqual(db.commandBytes("HKEYS", "h"), pairs.map(([field]) => field), `${size}`);
    assert.deepEqual(db.commandBytes("HVALS", "h"), pairs.map(([, value]) => value));
    assert.deepEqual(db.commandBytes("SMEMBERS", "s"), pairs.map(([field]) => field));
    assert.deepEqual(hgetall(scopeOf(db), new TextEncoder().encode("h")), pairs);
  }
  db.close();
});

Deno.test("readMany reads few elements as rows, and falls back to rows when SQLite says too big", () => {
  const concatenated = () => ["concatenated"];
  const rows = () => ["rows"];
  assert.deepEqual(readMany(FEWEST_CONCATENATED - 1, concatenated, rows), ["rows"]);
  assert.deepEqual(readMany(FEWEST_CONCATENATED, concatenated, rows), ["concatenated"]);
  const tooBig = Object.assign(new Error("string or blob too big"), { errcode: 18 });
  assert.deepEqual(
    readMany(100, () => {
      throw tooBig;
    }, rows),
    ["rows"],
  );
  const other = Object.assign(new Error("disk I/O error"), { errcode: 10 });
  assert.throws(() =>
    readMany(100, () => {
      throw other;
    }, rows), /disk I\/O error/);
});

Deno.test("commaIntegers reads group_concat's integers, negative and past 2^31", () => {
  assert.deepEqual(commaIntegers("0"), [0]);
  assert.deepEqual(commaIntegers("3,-20,0,-9007199254740991,9007199254740991"), [
    3,
    -20,
    0,
    -9007199254740991,
    9007199254740991,
  ]);
  assert.deepEqual(concatenatedBlob(""), new Uint8Array(0));
  assert.deepEqual(concatenatedBlob(new Uint8Array([1])), new Uint8Array([1]));
});
