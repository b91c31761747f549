/**
 * Set operations on sets of a thousand, 100 thousand and a million members, in one file on disk
 * (WAL, synchronous=NORMAL): a single SADD or SISMEMBER should cost about the same whatever the
 * set's size (the target: within 2 times at a million of its cost at a thousand). Random picks
 * (SRANDMEMBER) are measured too: they seek, they do not read the set. Run with
 * `deno task bench`.
 *
 * @module
 */

import { Db } from "../mod.ts";

const SIZES = [1_000, 100_000, 1_000_000];
const BATCH = 10_000;
const dir = Deno.makeTempDirSync({ prefix: "redlite-bench-sets-" });
const db = Db.open(`${dir}/sets.db`);

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1_000}K`;
}

// Built once, in batches of members per SADD (one transaction each).
for (const size of SIZES) {
  for (let start = 0; start < size; start += BATCH) {
    const members: string[] = [];
    for (let i = start; i < Math.min(size, start + BATCH); i++) members.push(`member:${i}`);
    db.sadd(`set:${label(size)}`, ...members);
  }
}

let counter = 0;
const randomMember = (size: number) => `member:${Math.floor(Math.random() * size)}`;

for (const size of SIZES) {
  const key = `set:${label(size)}`;
  Deno.bench(`SADD a new member, set of ${label(size)}`, {
    group: "SADD",
    baseline: size === SIZES[0],
  }, (b) => {
    const member = `new:${counter++}`;
    b.start();
    db.sadd(key, member);
    b.end();
    db.srem(key, member); // keeps the size constant, outside the measure
  });
}

for (const size of SIZES) {
  const key = `set:${label(size)}`;
  Deno.bench(`SISMEMBER, set of ${label(size)}`, {
    group: "SISMEMBER",
    baseline: size === SIZES[0],
  }, () => {
    db.sismember(key, randomMember(size));
  });
}

for (const size of SIZES) {
  const key = `set:${label(size)}`;
  Deno.bench(`SRANDMEMBER, set of ${label(size)}`, {
    group: "SRANDMEMBER",
    baseline: size === SIZES[0],
  }, () => {
    db.srandmember(key);
  });
}

globalThis.addEventListener("unload", () => {
  db.close();
  Deno.removeSync(dir, { recursive: true });
});
