import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Db } from "../../mod.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

const WRITER = new URL("../fixtures/transaction_writer.ts", import.meta.url).pathname;
const KEYS_PER_TRANSACTION = 50;

/** Starts the writer, waits until it has acknowledged `acks` transactions, kills it with SIGKILL. */
async function runAndKill(path: string, start: number, acks: number): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      WRITER,
      path,
      String(start),
      String(KEYS_PER_TRANSACTION),
    ],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let lastAcked = start - 1;
  let seen = 0;
  let pending = "";
  const reader = child.stdout.getReader();
  while (seen < acks) {
    const { value, done } = await reader.read();
    if (done) break;
    pending += new TextDecoder().decode(value);
    const lines = pending.split("\n");
    pending = lines.pop()!;
    for (const line of lines) {
      lastAcked = Number(line);
      seen++;
    }
  }
  // Not always right after an acknowledgement: somewhere within the next transactions.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
  child.kill("SIGKILL");
  await reader.cancel();
  await child.status;
  return lastAcked;
}

Deno.test({
  name: "Db transactions survive SIGKILL: every acknowledged one is there, none is partial",
  async fn() {
    await withTempDir(async (dir) => {
      const path = `${dir}/crash.db`;
      let start = 0;
      for (let round = 0; round < 8; round++) {
        const lastAcked = await runAndKill(path, start, 1 + Math.floor(Math.random() * 20));
        const sqlite = new DatabaseSync(path);
        assert.equal(sqlite.prepare("PRAGMA integrity_check").get()?.integrity_check, "ok");
        sqlite.close();
        const db = Db.open(path); // the file always opens
        const last = Number(db.get("last"));
        // The counter incremented in every transaction counts exactly the committed ones.
        assert.equal(Number(db.get("committed")), last + 1);
        assert.ok(last >= lastAcked, `round ${round}: acknowledged ${lastAcked}, found ${last}`);
        for (let transaction = start; transaction <= last; transaction++) {
          let present = 0;
          for (let i = 0; i < KEYS_PER_TRANSACTION; i++) {
            if (db.get(`round:${transaction}:${i}`) === String(transaction)) present++;
          }
          assert.equal(present, KEYS_PER_TRANSACTION, `transaction ${transaction} is partial`);
        }
        // The transaction after the last committed one left nothing behind.
        assert.equal(db.get(`round:${last + 1}:0`), null);
        db.close();
        start = last + 1;
      }
    });
  },
});
