import assert from "node:assert/strict";
import { Db } from "../../mod.ts";
import { scopeOf } from "../../src/db/db.ts";
import { createKey, KeyType } from "../../src/db/keyspace.ts";
import type { Store } from "../../src/db/store.ts";
import { untilCommitted } from "../_helpers/commits.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const b = (s: string) => new TextEncoder().encode(s);

function count(store: Store, sql: string): number {
  return store.get(sql)!.n as number;
}

Deno.test("The active expire cycle removes expired keys nobody touches, in bounded batches", async () => {
  const db = Db.openMemory();
  const scope = scopeOf(db);
  const store = scope.store;
  const past = Date.now() - 1000;
  store.write(() => {
    for (let i = 0; i < 450; i++) {
      createKey(scope, b(`expired:${i}`), KeyType.string, b("v"), past);
    }
    for (let i = 0; i < 50; i++) {
      const id = createKey(scope, b(`expired-hash:${i}`), KeyType.hash, null, past);
      store.run("INSERT INTO hashes (key_id, field, value) VALUES (?, ?, ?)", id, b("f"), b("v"));
      store.run("UPDATE keys SET size = 1 WHERE id = ?", id);
    }
  });
  for (let i = 0; i < 20; i++) db.set(`live:${i}`, "v");
  for (let i = 0; i < 20; i++) db.set(`later:${i}`, "v", { ex: 3600 });
  const expiredSql = "SELECT count(*) AS n FROM keys WHERE expire_at <= unixepoch('subsec') * 1000";
  let left = count(store, expiredSql);
  assert.equal(left, 500);
  const batches: number[] = [];
  await untilCommitted(store, () => {
    const now = count(store, expiredSql);
    batches.push(left - now);
    left = now;
    return now === 0;
  });
  assert.ok(batches.every((removed) => removed <= 200), `bounded batches: ${batches}`);
  assert.ok(batches.filter((removed) => removed > 0).length >= 3, `several batches: ${batches}`);
  assert.equal(count(store, "SELECT count(*) AS n FROM hashes"), 0, "elements go too");
  assert.equal(count(store, "SELECT count(*) AS n FROM keys"), 40, "live keys stay");
  db.close();
});

Deno.test("Keys given a short time to live leave the table without being read", async () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  for (let i = 0; i < 50; i++) db.set(`k:${i}`, "v");
  for (let i = 0; i < 50; i++) db.pexpire(`k:${i}`, 30);
  db.set("stays", "v");
  await untilCommitted(store, () => count(store, "SELECT count(*) AS n FROM keys") === 1);
  assert.equal(db.get("stays"), "v");
  db.close();
});

Deno.test("A process with expiring keys exits on its own when its work is done", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/data.db`;
    const script = new URL("../fixtures/expiring_keys.ts", import.meta.url).pathname;
    const deadline = AbortSignal.timeout(30_000); // kills the child if it does not exit by then
    const outcome = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-read", "--allow-write", "--allow-env", script, path],
      stdout: "piped",
      stderr: "piped",
      signal: deadline,
    }).output();
    assert.equal(deadline.aborted, false, "the child process did not exit on its own");
    const stderr = new TextDecoder().decode(outcome.stderr);
    assert.equal(outcome.code, 0, stderr);
    assert.equal(new TextDecoder().decode(outcome.stdout).trim(), "done");
    const db = Db.open(path, { activeExpire: false });
    assert.equal(db.keys("later:*").length, 100);
    db.close();
  });
});
