/**
 * What Redlite's own features cost SET. HISTORY and FTS keep their records with SQLite
 * triggers that exist only while the feature is enabled somewhere in the file: the baseline is
 * a file that never used them (and one where they were enabled, then disabled: the triggers are
 * gone); then SET of a key that is not tracked or indexed while the triggers exist (the price
 * every write pays: a lookup of the tracked keys or a test of the patterns); then SET of a key
 * whose history is recorded or whose value is indexed.
 *
 * Each file is on disk (WAL, synchronous=NORMAL) with the active expiry cycle off, written by
 * the same SET of a 100-byte value over 1,000 keys.
 *
 * @module
 */

import { Db } from "../mod.ts";
import { scopeOf } from "../src/db/db.ts";
import { historyTriggersInstalled } from "../src/db/history.ts";
import { searchTriggersInstalled } from "../src/db/search.ts";

const dir = Deno.makeTempDirSync({ prefix: "redlite-extras-bench-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

function open(name: string, setup: (db: Db) => void = () => {}): Db {
  const db = Db.open(`${dir}/${name}.db`, { activeExpire: false });
  setup(db);
  return db;
}

const KEYS = 1000;
const words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"];
const value = Array.from({ length: 17 }, (_, i) => words[i % words.length]).join(" ").slice(0, 100);

// SET over `KEYS` keys named `prefix` and a number, one per call.
function setter(db: Db, prefix: string): () => void {
  let i = 0;
  return () => {
    db.set(`${prefix}${i}`, value);
    i = (i + 1) % KEYS;
  };
}

const plain = open("plain");
const disabled = open("disabled", (db) => {
  db.historyEnable("tracked");
  db.historyDisable("tracked");
  db.ftsEnable("doc:*");
  db.ftsDisable("doc:*");
  const store = scopeOf(db).store;
  if (historyTriggersInstalled(store) || searchTriggersInstalled(store)) {
    throw new Error("the triggers outlived the features");
  }
});
const historyElsewhere = open("history-elsewhere", (db) => db.historyEnable("tracked"));
const historyHere = open("history-here", (db) => {
  for (let i = 0; i < KEYS; i++) db.historyEnable(`k:${i}`, { maxversions: 10 });
});
const ftsElsewhere = open("fts-elsewhere", (db) => db.ftsEnable("doc:*"));
const ftsHere = open("fts-here", (db) => db.ftsEnable("k:*"));

Deno.bench("SET, features never used", { group: "SET", baseline: true }, setter(plain, "k:"));
Deno.bench("SET, HISTORY and FTS enabled then disabled", { group: "SET" }, setter(disabled, "k:"));
Deno.bench(
  "SET of an untracked key, HISTORY on another key",
  { group: "SET" },
  setter(historyElsewhere, "k:"),
);
Deno.bench(
  "SET of a tracked key (HISTORY ENABLE k MAXVERSIONS 10)",
  { group: "SET" },
  setter(historyHere, "k:"),
);
Deno.bench(
  "SET of an unindexed key, FTS on another pattern",
  { group: "SET" },
  setter(ftsElsewhere, "k:"),
);
Deno.bench("SET of an indexed key (FTS ENABLE k:*)", { group: "SET" }, setter(ftsHere, "k:"));
