/**
 * The embedded Db against raw `node:sqlite` statements doing the same work with the same
 * pragmas (WAL, synchronous=NORMAL, keys and values bound as bytes, one commit per write), and
 * against Deno KV. Run with `deno task bench`.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { Db } from "../mod.ts";

const KEYS = 10_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const dir = Deno.makeTempDirSync({ prefix: "redlite-bench-" });

const db = Db.open(`${dir}/redlite.db`);

const raw = new DatabaseSync(`${dir}/raw.db`);
raw.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000");
raw.exec("CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL)");
const rawSet = raw.prepare(
  "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
);
const rawGet = raw.prepare("SELECT value FROM kv WHERE key = ?");

const kv = await Deno.openKv(`${dir}/kv.db`);

const keys = Array.from({ length: KEYS }, (_, i) => `key:${i}`);
for (const key of keys) {
  db.set(key, "initial value");
  rawSet.run(encoder.encode(key), encoder.encode("initial value"));
  await kv.set([key], "initial value");
}

let i = 0;
const nextKey = () => keys[i++ % KEYS];
// Every write stores a new value: SQLite skips writing a page whose bytes do not change, so
// writing the same value over and over would measure no write at all.
let version = 0;
const nextValue = () => `value ${version++}`;

Deno.bench("raw node:sqlite SET", { group: "SET", baseline: true }, () => {
  rawSet.run(encoder.encode(nextKey()), encoder.encode(nextValue()));
});
Deno.bench("Db.set", { group: "SET" }, () => {
  db.set(nextKey(), nextValue());
});
Deno.bench("Deno KV set", { group: "SET" }, async () => {
  await kv.set([nextKey()], nextValue());
});

Deno.bench("raw node:sqlite GET", { group: "GET", baseline: true }, () => {
  const row = rawGet.get(encoder.encode(nextKey())) as { value: Uint8Array };
  decoder.decode(row.value);
});
Deno.bench("Db.get", { group: "GET" }, () => {
  db.get(nextKey());
});
Deno.bench("Deno KV get", { group: "GET" }, async () => {
  await kv.get([nextKey()]);
});
