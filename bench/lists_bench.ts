/**
 * List benchmarks: pushes, pops and LINDEX at both ends on lists of a thousand, a hundred
 * thousand and a million elements, each list in its own file. Each operation should cost about
 * the same at every size (O(log n) through the primary key); the group's baseline is the
 * smallest list. Lists keep their size: a measured push is followed by an unmeasured pop, and the
 * other way round.
 *
 * @module
 */

import { Db } from "../mod.ts";

const SIZES = [1_000, 100_000, 1_000_000];
const KEY = "list";
const BATCH = 10_000;

const files: string[] = [];

/** A database in a temporary file holding one list of `size` elements, built in bulk. */
function listOf(size: number): Db {
  const path = Deno.makeTempFileSync({ prefix: "redlite-lists-bench-", suffix: ".db" });
  files.push(path);
  const db = Db.open(path, { activeExpire: false });
  const batch = Array.from({ length: Math.min(BATCH, size) }, (_, i) => `element ${i}`);
  for (let done = 0; done < size; done += batch.length) {
    db.rpush(KEY, ...batch.slice(0, Math.min(batch.length, size - done)));
  }
  return db;
}

globalThis.addEventListener("unload", () => {
  for (const path of files) {
    for (const suffix of ["", "-wal", "-shm"]) {
      try {
        Deno.removeSync(path + suffix);
      } catch {
        // Already gone.
      }
    }
  }
});

function label(size: number): string {
  return size >= 1_000_000 ? `${size / 1_000_000}M` : `${size / 1_000}k`;
}

for (const size of SIZES) {
  const db = listOf(size);
  const common = { baseline: size === SIZES[0] };
  Deno.bench({
    ...common,
    name: `LPUSH ${label(size)}`,
    group: "LPUSH",
    fn(b) {
      b.start();
      db.lpush(KEY, "pushed");
      b.end();
      db.lpop(KEY);
    },
  });
  Deno.bench({
    ...common,
    name: `RPUSH ${label(size)}`,
    group: "RPUSH",
    fn(b) {
      b.start();
      db.rpush(KEY, "pushed");
      b.end();
      db.rpop(KEY);
    },
  });
  Deno.bench({
    ...common,
    name: `LPOP ${label(size)}`,
    group: "LPOP",
    fn(b) {
      db.lpush(KEY, "pushed");
      b.start();
      db.lpop(KEY);
      b.end();
    },
  });
  Deno.bench({
    ...common,
    name: `RPOP ${label(size)}`,
    group: "RPOP",
    fn(b) {
      db.rpush(KEY, "pushed");
      b.start();
      db.rpop(KEY);
      b.end();
    },
  });
  Deno.bench({
    ...common,
    name: `LINDEX 0 ${label(size)}`,
    group: "LINDEX 0",
    fn() {
      db.lindex(KEY, 0);
    },
  });
  Deno.bench({
    ...common,
    name: `LINDEX -1 ${label(size)}`,
    group: "LINDEX -1",
    fn() {
      db.lindex(KEY, -1);
    },
  });
}
