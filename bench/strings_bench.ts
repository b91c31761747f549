/**
 * String benchmarks. INCR against raw `node:sqlite` doing the least a careful hand-written
 * version does (read the value and write the sum in one transaction); MGET of ten keys against
 * ten GETs; SETBIT and GETBIT on bitmaps of 1 KB and 1 MB (GETBIT reads one byte at any size,
 * SETBIT rewrites the value, as SQLite rewrites a changed row).
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { Db } from "../mod.ts";

const dir = Deno.makeTempDirSync({ prefix: "redlite-strings-bench-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

const db = Db.open(`${dir}/redlite.db`, { activeExpire: false });

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const raw = new DatabaseSync(`${dir}/raw.db`);
raw.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000");
raw.exec("CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL)");
const rawGet = raw.prepare("SELECT value FROM kv WHERE key = ?");
const rawPut = raw.prepare(
  "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
);
const begin = raw.prepare("BEGIN IMMEDIATE");
const commit = raw.prepare("COMMIT");
const counter = encoder.encode("counter");
rawPut.run(counter, encoder.encode("0"));

Deno.bench("raw node:sqlite read + write", { group: "INCR", baseline: true }, () => {
  begin.run();
  const row = rawGet.get(counter) as { value: Uint8Array };
  rawPut.run(counter, encoder.encode(String(Number(decoder.decode(row.value)) + 1)));
  commit.run();
});
Deno.bench("Db.incr", { group: "INCR" }, () => {
  db.incr("counter");
});

const keys = Array.from({ length: 10 }, (_, i) => `key:${i}`);
db.mset(Object.fromEntries(keys.map((key) => [key, "value"])));

Deno.bench("10 × Db.get", { group: "MGET 10", baseline: true }, () => {
  for (const key of keys) db.get(key);
});
Deno.bench("Db.mget", { group: "MGET 10" }, () => {
  db.mget(...keys);
});

for (const [size, label] of [[1024, "1 KB"], [1024 * 1024, "1 MB"]] as const) {
  const key = `bitmap ${label}`;
  db.set(key, new Uint8Array(size));
  let offset = 0;
  const nextOffset = () => (offset = (offset + 7919) % (size * 8));
  Deno.bench(`Db.setbit ${label}`, { group: "SETBIT", baseline: size === 1024 }, () => {
    db.setbit(key, nextOffset(), offset & 1);
  });
  Deno.bench(`Db.getbit ${label}`, { group: "GETBIT", baseline: size === 1024 }, () => {
    db.getbit(key, nextOffset());
  });
}
