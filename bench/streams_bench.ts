/**
 * Stream operations on streams of a thousand, 100 thousand and a million entries, in one file on
 * disk (WAL, synchronous=NORMAL): XADD, XRANGE and a consumer group's read and acknowledgement
 * should cost about the same whatever the stream's length. Run with `deno task bench`.
 *
 * @module
 */

import { Db } from "../mod.ts";

const SIZES = [1_000, 100_000, 1_000_000];
const BATCH = 10_000;
const dir = Deno.makeTempDirSync({ prefix: "redlite-bench-streams-" });
const db = Db.open(`${dir}/streams.db`);

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1_000}K`;
}

// Built once, a transaction per batch, with ids 1-0, 2-0, ... and a group that read none.
for (const size of SIZES) {
  const key = `stream:${label(size)}`;
  for (let start = 0; start < size; start += BATCH) {
    db.transaction((tx) => {
      for (let i = start; i < Math.min(size, start + BATCH); i++) {
        tx.xadd(key, `${i + 1}-0`, { sensor: "t1", value: String(i % 100) });
      }
    });
  }
  db.xgroupCreate(key, "workers", "0");
}

for (const size of SIZES) {
  const key = `stream:${label(size)}`;
  Deno.bench(`XADD *, stream of ${label(size)}`, {
    group: "XADD",
    baseline: size === SIZES[0],
  }, () => {
    db.xadd(key, "*", { sensor: "t1", value: "21.5" });
  });
}

for (const size of SIZES) {
  const key = `stream:${label(size)}`;
  Deno.bench(`XADD * MAXLEN ~ ${label(size)}, stream of ${label(size)}`, {
    group: "XADD MAXLEN ~",
    baseline: size === SIZES[0],
  }, () => {
    db.xadd(key, "*", { sensor: "t1", value: "21.5" }, { maxlen: size, approx: true });
  });
}

for (const size of SIZES) {
  const key = `stream:${label(size)}`;
  Deno.bench(`XRANGE COUNT 10 from a random id, stream of ${label(size)}`, {
    group: "XRANGE",
    baseline: size === SIZES[0],
  }, () => {
    db.xrange(key, String(Math.floor(Math.random() * size)), "+", { count: 10 });
  });
}

for (const size of SIZES) {
  const key = `stream:${label(size)}`;
  Deno.bench(`XREADGROUP > COUNT 10 and XACK, stream of ${label(size)}`, {
    group: "XREADGROUP",
    baseline: size === SIZES[0],
  }, () => {
    const read = db.xreadgroup("workers", "alice", { [key]: ">" }, { count: 10 });
    if (read !== null) db.xack(key, "workers", ...read[key].map(([id]) => id));
  });
}

for (const size of SIZES) {
  const key = `stream:${label(size)}`;
  Deno.bench(`XLEN, stream of ${label(size)}`, {
    group: "XLEN",
    baseline: size === SIZES[0],
  }, () => {
    db.xlen(key);
  });
}

globalThis.addEventListener("unload", () => {
  db.close();
  Deno.removeSync(dir, { recursive: true });
});
