/**
 * The key cache a server batch keeps for the next one: the next batch uses it without a lookup
 * only when nothing changed the database in between, whoever changed it.
 */

import assert from "node:assert/strict";
import { Db, scopeOf } from "../../src/db/db.ts";
import type { Store } from "../../src/db/store.ts";
import { statementsOf } from "../_helpers/statements.ts";
import { withTempDir } from "../_helpers/temp_dir.ts";

/** The lookups of keys (by name) that `work`, one server batch of writes, runs. */
function lookups(store: Store, work: () => void): string[] {
  return statementsOf(store, () => store.writeBatch(work))
    .filter((sql) => /^SELECT .*\bFROM keys\b/.test(sql));
}

/** Two batches that use `key` twice each: from the second on, the key is cached. */
function warm(store: Store, use: () => void): void {
  for (let batch = 0; batch < 2; batch++) {
    store.writeBatch(() => {
      use();
      use();
    });
  }
}

Deno.test("a batch uses the key cache the batch before kept: hot keys cost no lookup", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    warm(store, () => db.set("s", "v"));
    warm(store, () => db.lpush("l", "x"));
    assert.deepEqual(lookups(store, () => db.set("s", "w")), []);
    assert.deepEqual(lookups(store, () => db.lpush("l", "y")), []);
    // Reads in a read batch use it too.
    const read = statementsOf(store, () => store.readBatch(() => db.get("s")));
    assert.deepEqual(read.filter((sql) => /\bFROM keys\b/.test(sql)), []);
    assert.equal(db.get("s"), "w");
    assert.deepEqual(db.lrange("l", 0, 1), ["y", "x"]);
    assert.equal(db.llen("l"), 5);
  } finally {
    db.close();
  }
});

Deno.test("a write outside a batch in between: the next batch looks its keys up again", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    warm(store, () => db.set("s", "v"));
    warm(store, () => db.rpush("l", "x"));
    db.set("s", "outside");
    db.rpop("l");
    let value: string | null = "";
    store.readBatch(() => value = db.get("s"));
    assert.equal(value, "outside");
    assert.equal(lookups(store, () => db.append("s", "!")).length, 0, "cached again by the read");
    assert.equal(db.get("s"), "outside!");
    db.set("s", "outside again");
    assert.equal(lookups(store, () => db.set("s", "w")).length, 1);
    assert.equal(db.get("s"), "w");
    db.rpush("l", "outside");
    store.writeBatch(() => db.rpush("l", "z"));
    assert.deepEqual(db.lrange("l", 0, -1), ["x", "x", "x", "outside", "z"]);
  } finally {
    db.close();
  }
});

Deno.test("a key that expires between batches is gone for the next batch", async () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    warm(store, () => db.set("s", "v", { px: 30 }));
    await new Promise((resolve) => setTimeout(resolve, 60));
    let value: string | null = "";
    store.readBatch(() => value = db.get("s"));
    assert.equal(value, null);
    store.writeBatch(() => assert.equal(db.lpush("s", "a"), 1, "the expired string is replaced"));
    assert.equal(db.type("s"), "list");
  } finally {
    db.close();
  }
});

Deno.test("a batch that fails keeps no cache: the next batch sees what was committed", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    warm(store, () => db.lpush("l", "x"));
    assert.throws(() =>
      store.writeBatch(() => {
        db.lpush("l", "lost");
        db.lpush("l", "lost");
        throw new Error("the batch fails after its writes");
      })
    );
    store.writeBatch(() => db.lpush("l", "y"));
    assert.deepEqual(db.lrange("l", 0, -1), ["y", "x", "x", "x", "x"]);
  } finally {
    db.close();
  }
});

Deno.test("another connection's commit between batches: the next batch looks its keys up again", async () => {
  await withTempDir((dir) => {
    const db = Db.open(`${dir}/data.db`);
    const other = Db.open(`${dir}/data.db`);
    const store = scopeOf(db).store;
    try {
      warm(store, () => db.set("s", "v"));
      warm(store, () => db.hset("h", { f: "1" }));
      warm(store, () => db.lpush("l", "x"));
      other.set("s", "other");
      other.hdel("h", "f");
      other.lpop("l");
      let value: string | null = "";
      store.readBatch(() => value = db.get("s"));
      assert.equal(value, "other");
      store.writeBatch(() => {
        assert.equal(db.hset("h", { f: "2" }), 1, "the field the other connection deleted is new");
        assert.equal(db.lpush("l", "y"), 4);
      });
      assert.deepEqual(other.lrange("l", 0, -1), ["y", "x", "x", "x"]);
      assert.equal(other.hget("h", "f"), "2");
    } finally {
      other.close();
      db.close();
    }
  });
});

Deno.test("a schema change between batches (HISTORY on a key) empties the kept cache", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    warm(store, () => db.set("s", "v"));
    db.historyEnable("s");
    store.writeBatch(() => db.set("s", "w"));
    assert.equal(db.get("s"), "w");
    assert.deepEqual(
      db.historyGet("s").map((entry) => entry.value),
      ["w", "v"],
      "the write in the batch after is recorded",
    );
  } finally {
    db.close();
  }
});

Deno.test("the schema is looked at again only when another connection has committed", async () => {
  await withTempDir((dir) => {
    const db = Db.open(`${dir}/data.db`);
    const other = Db.open(`${dir}/data.db`);
    const store = scopeOf(db).store;
    const schemaLooks = (value: string) =>
      statementsOf(store, () => store.writeBatch(() => db.set("s", value)))
        .filter((sql) => sql === "PRAGMA schema_version").length;
    try {
      warm(store, () => db.set("s", "v"));
      schemaLooks("w");
      assert.equal(schemaLooks("w"), 0, "nothing committed in between: no look");
      // HISTORY enabled by the other connection: its triggers must record the next writes.
      other.historyEnable("s");
      assert.equal(schemaLooks("x"), 1);
      store.writeBatch(() => db.set("s", "y"));
      assert.deepEqual(
        db.historyGet("s").map((entry) => entry.value),
        ["y", "x", "w"],
        "the value when HISTORY was enabled, and each write after",
      );
    } finally {
      other.close();
      db.close();
    }
  });
});

Deno.test("a write nested in a read batch that rolls back leaves nothing for the next batch", () => {
  const db = Db.openMemory({ activeExpire: false });
  const store = scopeOf(db).store;
  try {
    store.readBatch(() => {
      db.get("k"); // asked once: cached from the next ask
      assert.throws(
        () =>
          store.write(() => {
            db.set("k", "rolled back"); // inserted, and cached with its value
            throw new Error("the nested write fails");
          }),
        /the nested write fails/,
      );
      assert.equal(db.get("k"), null, "the same batch no longer sees it");
    });
    let value: string | null = "";
    store.readBatch(() => value = db.get("k"));
    assert.equal(value, null, "nor does the next one");
  } finally {
    db.close();
  }
});

Deno.test("a batch holding large list end chunks keeps no cache for the next", () => {
  const db = Db.openMemory();
  const store = scopeOf(db).store;
  try {
    const long = "x".repeat(2 * 1024 * 1024);
    warm(store, () => db.rpush("l", long));
    assert.equal(lookups(store, () => db.llen("l")).length, 1);
    assert.equal(db.llen("l"), 4);
  } finally {
    db.close();
  }
});
