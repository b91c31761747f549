/**
 * The scale benchmark: a database of 10 million string keys (about 1.4 GB), served without
 * loading it. It measures, each in a fresh process,
 *
 * - opening the file and answering the first GET through the embedded `Db`, and through the
 *   server (from process start to the first reply), with the file's pages first dropped from
 *   the operating system's cache when `dd` can do it (`--cold`, the default);
 * - the server's resident memory (peak and last, from /proc) under redis-benchmark load with
 *   random keys over the whole key space (`-r 10000000`), with and without pipelining;
 * - DBSIZE and INFO keyspace on that file.
 *
 * ```sh
 * deno task bench:scale                      # builds bench/results/scale-10000000.db once
 * deno task bench:scale --keys 1000000       # a smaller file, for a quick look
 * deno task bench:scale --path /big/disk/scale.db --requests 2000000
 * ```
 *
 * It runs with `-A`: Deno reads another process's `/proc/PID/status` only with every permission.
 *
 * The file is built once (bulk inserts through the schema, a million keys per transaction) and
 * kept for later runs; `bench/results/` is not committed. Keys are `key:%012d`, as
 * redis-benchmark writes `key:__rand_int__`, so its GETs find them and its SETs overwrite them;
 * values are 64 random bytes. Needs redis-benchmark (Debian's redis-tools) for the load part.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Db } from "../mod.ts";
import { scopeOf } from "../src/db/db.ts";
import { freePort } from "../tests/_helpers/redis_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    keys: { type: "string", default: "10000000" },
    path: { type: "string" },
    requests: { type: "string", default: "1000000" },
    cold: { type: "boolean", default: true },
    "no-cold": { type: "boolean", default: false },
    // Internal: the fresh process that opens the file and answers one GET.
    "probe-db": { type: "string" },
  },
});

const KEYS = Number(values.keys);
const VALUE_BYTES = 64;
const CHUNK = 1_000_000;
const ROOT = new URL("..", import.meta.url).pathname;
const path = values.path ?? `${ROOT}bench/results/scale-${KEYS}.db`;
const cold = values.cold && !values["no-cold"];

/** The key redis-benchmark writes for the random number `i`. */
function keyOf(i: number): string {
  return `key:${String(i).padStart(12, "0")}`;
}

if (values["probe-db"] !== undefined) {
  // In the fresh process: open and answer one GET, and say how long each took.
  const started = performance.now();
  const db = Db.open(values["probe-db"]);
  const opened = performance.now();
  const value = db.getBytes(keyOf(Math.floor(KEYS / 2)));
  const answered = performance.now();
  console.log(JSON.stringify({
    openMs: opened - started,
    getMs: answered - opened,
    found: value !== null,
  }));
  db.close();
  Deno.exit(0);
}

function hasCommand(name: string): boolean {
  try {
    return new Deno.Command(name, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** Builds the file when it does not hold `KEYS` keys yet. */
function build(): void {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")) || "/", { recursive: true });
  try {
    const db = Db.open(path, { activeExpire: false });
    const present = db.dbsize();
    db.close();
    if (present === KEYS) return;
    console.log(`${path} holds ${present} keys, not ${KEYS}: building it`);
  } catch {
    console.log(`${path} is not a Redlite database: building it`);
  }
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      Deno.removeSync(path + suffix);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  const started = performance.now();
  const db = Db.open(path, { activeExpire: false });
  const store = scopeOf(db).store;
  const now = Date.now();
  // The rows in key order, so that the (db, key) index grows at its end.
  const insert = store.statement(
    "WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2) " +
      "INSERT INTO keys (db, key, type, value, size, expire_at, version, created_at, updated_at) " +
      "SELECT 0, CAST(printf('key:%012d', i) AS BLOB), 1, randomblob(?3), 0, NULL, i + 1, ?4, ?4 " +
      "FROM n",
  );
  for (let from = 0; from < KEYS; from += CHUNK) {
    store.write(() => insert.run(from, Math.min(from + CHUNK, KEYS), VALUE_BYTES, now));
    const done = Math.min(from + CHUNK, KEYS);
    console.log(`  ${done} keys (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  store.sql.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  db.close();
  console.log(`built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Drops the file's pages from the page cache (GNU dd's `iflag=nocache`), when it can. */
function dropFromCache(): boolean {
  if (!cold) return false;
  try {
    return new Deno.Command("dd", {
      args: [`if=${path}`, "iflag=nocache", "count=0", "status=none"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/** A fresh Deno process opens the file through `Db` and answers one GET. */
async function firstGetThroughDb(): Promise<Record<string, unknown>> {
  const dropped = dropFromCache();
  const started = performance.now();
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      "--keys",
      String(KEYS),
      "--probe-db",
      path,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const total = performance.now() - started;
  const probe = JSON.parse(new TextDecoder().decode(output.stdout));
  return { ...probe, processMs: total, cold: dropped };
}

/** Starts the server on the file; returns its process and port. */
function startServer(): { child: Deno.ChildProcess; port: number } {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}server.ts`, "--port", String(port), "--db", path],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  return { child, port };
}

const GET_MIDDLE = (() => {
  const key = keyOf(Math.floor(KEYS / 2));
  return new TextEncoder().encode(`*2\r\n$3\r\nGET\r\n$${key.length}\r\n${key}\r\n`);
})();

/** From the server process's start to its first reply to a GET. */
async function firstGetThroughServer(): Promise<Record<string, unknown>> {
  const dropped = dropFromCache();
  const started = performance.now();
  const { child, port } = startServer();
  let reply = "";
  for (;;) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      await conn.write(GET_MIDDLE);
      const buffer = new Uint8Array(256);
      const count = await conn.read(buffer);
      reply = new TextDecoder().decode(buffer.subarray(0, count ?? 0));
      conn.close();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
  const total = performance.now() - started;
  child.kill("SIGTERM");
  await child.status;
  return { processMs: total, found: /^\$\d/.test(reply), cold: dropped };
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = (field: string) => Number(status.match(new RegExp(`${field}:\\s+(\\d+)`))?.[1] ?? 0);
  return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
}

async function send(port: number, ...args: string[]): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  let frame = `*${args.length}\r\n`;
  for (const arg of args) frame += `$${arg.length}\r\n${arg}\r\n`;
  await conn.write(new TextEncoder().encode(frame));
  let reply = "";
  const buffer = new Uint8Array(64 * 1024);
  // A reply is complete when it ends with CRLF and no more bytes come at once.
  while (!reply.endsWith("\r\n")) {
    const count = await conn.read(buffer);
    if (count === null) break;
    reply += new TextDecoder().decode(buffer.subarray(0, count));
  }
  conn.close();
  return reply;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** The server under redis-benchmark load over random keys; its memory and throughput. */
async function underLoad(): Promise<Record<string, unknown>> {
  const { child, port } = startServer();
  for (;;) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  const idle = memoryOf(child.pid);
  const results: Record<string, unknown> = { idleRssMb: idle.rssMb };
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, memoryOf(child.pid).rssMb);
  }, 100);
  for (const pipeline of [1, 16]) {
    const args = ["-p", String(port), "-t", "get,set", "-r", String(KEYS)];
    args.push("-n", values.requests, "-c", "50", "-P", String(pipeline), "--csv");
    const output = await new Deno.Command("redis-benchmark", { args, stderr: "null" }).output();
    for (const line of new TextDecoder().decode(output.stdout).split("\n").slice(1)) {
      const [name, rps] = line.split(",").map((field) => field.replaceAll('"', ""));
      if (name) results[`${name} -P ${pipeline} rps`] = Math.round(Number(rps));
    }
  }
  const dbsize = await timed(() => send(port, "DBSIZE"));
  const info = await timed(() => send(port, "INFO", "keyspace"));
  clearInterval(sampler);
  const end = memoryOf(child.pid);
  Object.assign(results, {
    rssMb: end.rssMb,
    peakRssMb: Math.max(peak, end.peakMb),
    dbsize: dbsize.value.trim(),
    dbsizeMs: dbsize.ms,
    infoKeyspace: info.value.split("\r\n").find((line) => line.startsWith("db0:")),
    infoKeyspaceMs: info.ms,
  });
  child.kill("SIGTERM");
  await child.status;
  return results;
}

build();
const size = [path, `${path}-wal`].reduce((sum, file) => {
  try {
    return sum + Deno.statSync(file).size;
  } catch {
    return sum;
  }
}, 0);
console.log(`\n${KEYS} keys in ${path}: ${(size / 1e9).toFixed(2)} GB`);

const round = (value: unknown) => typeof value === "number" ? Math.round(value * 10) / 10 : value;
const show = (title: string, fields: Record<string, unknown>) =>
  console.log(
    `${title}: ${Object.entries(fields).map(([key, value]) => `${key}=${round(value)}`).join(" ")}`,
  );

for (let run = 1; run <= 3; run++) {
  show(`first GET through Db, run ${run}`, await firstGetThroughDb());
  show(`first GET through the server, run ${run}`, await firstGetThroughServer());
}
if (hasCommand("redis-benchmark")) {
  show("server under load", await underLoad());
} else {
  console.log("redis-benchmark is missing (Debian: apt install redis-tools): no load test");
}
