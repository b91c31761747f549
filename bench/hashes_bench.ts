/**
 * Hash operations on hashes of a thousand, 100 thousand and a million fields, in one file on
 * disk (WAL, synchronous=NORMAL): a single HSET or HGET should cost about the same whatever
 * the hash's size (the target: within 2 times at a million of its cost at a thousand). Run
 * with `deno task bench`.
 *
 * @module
 */

import { Db } from "../mod.ts";

const SIZES = [1_000, 100_000, 1_000_000];
const BATCH = 10_000;
const dir = Deno.makeTempDirSync({ prefix: "redlite-bench-hashes-" });
const db = Db.open(`${dir}/hashes.db`);

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1_000}K`;
}

// Built once, in batches of fields per HSET (one transaction each).
for (const size of SIZES) {
  for (let start = 0; start < size; start += BATCH) {
    const fields: [string, string][] = [];
    for (let i = start; i < Math.min(size, start + BATCH); i++) {
      fields.push([`field:${i}`, `value ${i}`]);
    }
    db.hset(`hash:${label(size)}`, fields);
  }
}

let counter = 0;
const randomField = (size: number) => `field:${Math.floor(Math.random() * size)}`;

for (const size of SIZES) {
  const key = `hash:${label(size)}`;
  Deno.bench(`HSET a new field, hash of ${label(size)}`, {
    group: "HSET",
    baseline: size === SIZES[0],
  }, (b) => {
    const field = `new:${counter++}`;
    b.start();
    db.hset(key, field, "value");
    b.end();
    db.hdel(key, field); // keeps the size constant, outside the measure
  });
}

for (const size of SIZES) {
  const key = `hash:${label(size)}`;
  Deno.bench(`HSET an existing field, hash of ${label(size)}`, {
    group: "HSET existing",
    baseline: size === SIZES[0],
  }, () => {
    // A new value each time: SQLite skips writing pages whose bytes do not change.
    db.hset(key, randomField(size), `value ${counter++}`);
  });
}

for (const size of SIZES) {
  const key = `hash:${label(size)}`;
  Deno.bench(`HGET, hash of ${label(size)}`, {
    group: "HGET",
    baseline: size === SIZES[0],
  }, () => {
    db.hget(key, randomField(size));
  });
}

globalThis.addEventListener("unload", () => {
  db.close();
  Deno.removeSync(dir, { recursive: true });
});
