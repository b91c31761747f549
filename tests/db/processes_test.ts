import assert from "node:assert/strict";
import { Db } from "../../mod.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const PEER = new URL("../fixtures/keys_peer.ts", import.meta.url).pathname;

function peer(args: string[], stdin: "piped" | "null" = "null"): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", PEER, ...args],
    stdin,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000), // a stuck child is killed and the test fails
  }).spawn();
}

/** Reads the child's stdout up to the first line, leaving the rest to read later. */
async function firstLine(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  return text.split("\n")[0];
}

Deno.test("Two processes on one file see each other's committed writes", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/shared.db`;
    const db = Db.open(path);
    db.set("from-parent", "hello child");
    const output = await peer(["exchange", path]).output();
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    assert.deepEqual(new TextDecoder().decode(output.stdout).trim().split("\n"), [
      "hello child",
      "ok",
    ]);
    assert.equal(db.get("from-child"), "hello parent");
    db.close();
  });
});

Deno.test("Two processes writing one file at once both succeed and lose nothing", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/shared.db`;
    const db = Db.open(path);
    const n = 1000;
    const child = peer(["race", path, String(n)], "piped");
    const reader = child.stdout.getReader();
    assert.equal(await firstLine(reader), "ready");
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode("go\n"));
    await writer.close();
    // The child starts its loop as this one runs: both wait on each other's locks (busy_timeout,
    // BEGIN IMMEDIATE), and each read-modify-write of the counter sees the other's commits.
    for (let i = 0; i < n; i++) {
      db.set(`parent:${i}`, String(i));
      db.transaction((tx) => tx.set("counter", String(Number(tx.get("counter") ?? "0") + 1)));
    }
    assert.equal(await firstLine(reader), "done");
    reader.releaseLock();
    const [status, stderr] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
    ]);
    assert.equal(status.code, 0, stderr);
    await child.stdout.cancel();
    assert.equal(db.get("counter"), String(2 * n));
    assert.equal(db.keys("parent:*").length, n);
    assert.equal(db.keys("child:*").length, n);
    assert.equal(db.dbsize(), 2 * n + 1);
    db.close();
  });
});
