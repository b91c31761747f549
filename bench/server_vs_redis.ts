/**
 * The server benchmark: redis-benchmark against a redis-server and against the Redlite server
 * (a file database, default durability: every write committed before its reply), with the same
 * flags, interleaved command by command (who goes first alternates), and the ratio of their
 * requests per second. Only the ratio means something: both run on the same machine at the same
 * time. Each ratio is the median of the rounds' ratios, each round's two runs back to back.
 *
 * ```sh
 * deno task bench:server                                  # every command, -P 1 and -P 16
 * deno task bench:server --rounds 5 --tests set,get --pipelines 1
 * deno task bench:server --no-pin                         # let the OS place servers and client
 * deno task bench:server --before ../redlite-main          # also another checkout: before/after
 * deno task bench:server --random 100000                   # keys drawn from 100,000 (-r)
 * deno task bench:server --floor                           # also PING_MBULK on a bare Deno server
 * deno task bench:server --memory                          # also Redlite on an in-memory database
 * ```
 *
 * It needs redis-server and redis-benchmark (Debian: `apt install redis-server redis-tools`) and
 * installs nothing. It prints a Markdown table and writes a chart of Redlite against
 * redis-server per command to `docs/server_vs_redis.svg` (`--svg PATH` to change it). On Linux
 * the table also gives each server's CPU time per request (user and system, all its threads,
 * from /proc): steadier than requests per second on a shared machine, where the client and
 * other work take turns with the server. `--floor` adds PING_MBULK, run against redis-server,
 * Redlite and `bench/deno_floor_server.ts` (the least a Deno server does per request): the floor
 * that Deno's sockets set on the machine. `--memory` adds a Redlite server on an in-memory
 * database (`server.ts --memory`: no file, no write-ahead log, nothing durable): what Redlite
 * costs without its storage's, between the floor and the file's figures.
 *
 * Where it can (Linux with taskset and at least 2 CPUs to run on), it pins the servers to the
 * first of them and redis-benchmark to the second, as Redis's benchmark documentation advises
 * for results that do not depend on where the OS puts each process. Pinned, every thread of a
 * server (Redlite's checkpoint worker and garbage collector too) shares its one CPU: the stricter
 * setup for Redlite. On a shared machine the ratios still move between runs, pinned or not.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { freePort, startRedis, waitForPort } from "../tests/_helpers/redis_server.ts";
import { REDLITE_VERSION } from "../src/version.ts";
import { median } from "./median.ts";

const { values } = parseArgs({
  args: Deno.args,
  allowNegative: true,
  options: {
    rounds: { type: "string", default: "5" },
    requests: { type: "string", default: "100000" },
    clients: { type: "string", default: "50" },
    tests: { type: "string", default: "set,get,incr,lpush,rpop,sadd,hset,zadd,lrange_100" },
    pipelines: { type: "string", default: "1,16" },
    pin: { type: "boolean" },
    svg: { type: "string", default: "docs/server_vs_redis.svg" },
    before: { type: "string" },
    floor: { type: "boolean", default: false },
    memory: { type: "boolean", default: false },
    random: { type: "string" },
  },
});

const rounds = Number(values.rounds);
const requests = Number(values.requests);
const clients = Number(values.clients);
const tests = values.tests.split(",").map((test) => test.trim().toLowerCase());
if (values.floor && !tests.includes("ping_mbulk")) tests.unshift("ping_mbulk");
const pipelines = values.pipelines.split(",").map(Number);
// redis-benchmark's -r: keys (and members, fields) drawn from this many, instead of one.
const keyspace = values.random === undefined ? [] : ["-r", String(Number(values.random))];
const ROOT = new URL("..", import.meta.url).pathname;

/** Whether a program runs; the benchmark says what is missing instead of installing it. */
function installed(program: string, args = ["--version"]): boolean {
  try {
    return new Deno.Command(program, { args, stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

const missing = ["redis-server", "redis-benchmark"].filter((program) => !installed(program));
if (missing.length > 0) {
  console.error(
    `The server benchmark needs ${missing.join(" and ")}, which ${
      missing.length > 1 ? "are" : "is"
    } not installed.\nOn Debian or Ubuntu: sudo apt install redis-server redis-tools`,
  );
  Deno.exit(1);
}
/**
 * The first two CPUs this process may run on (taskset's affinity list, such as "0-3" or "2,5"),
 * or null where there are fewer, or no taskset (not Linux).
 */
function twoAllowedCpus(): [number, number] | null {
  if (Deno.build.os !== "linux" || !installed("taskset", ["-V"])) return null;
  const output = new Deno.Command("taskset", { args: ["-pc", String(Deno.pid)], stderr: "null" })
    .outputSync();
  const list = new TextDecoder().decode(output.stdout).split(":").pop()?.trim() ?? "";
  const cpus: number[] = [];
  for (const part of list.split(",")) {
    const [first, last = first] = part.split("-").map(Number);
    for (let cpu = first; cpu <= last && cpus.length < 2; cpu++) cpus.push(cpu);
  }
  return cpus.length === 2 && cpus.every(Number.isInteger) ? [cpus[0], cpus[1]] : null;
}

// Pinned by default where it can be (see above); --pin insists, --no-pin lets the OS decide.
const cpus = values.pin === false ? null : twoAllowedCpus();
if (values.pin === true && cpus === null) {
  console.error("--pin needs Linux, taskset (util-linux) and at least 2 CPUs to run on");
  Deno.exit(1);
}
if (values.pin === undefined && cpus === null) {
  console.error("Not pinned: pinning needs Linux, taskset (util-linux) and 2 CPUs to run on.");
}
const pin = cpus !== null;
const [SERVER_CPU, CLIENT_CPU] = cpus ?? [0, 0];

/** Runs a command on the given CPU when pinning, as it is otherwise. */
function pinned(cpu: number, program: string, args: string[]): [string, string[]] {
  return pin ? ["taskset", ["-c", String(cpu), program, ...args]] : [program, args];
}

/** One run of redis-benchmark: requests per second, and the server's CPU time per request. */
interface Run {
  rps: number;
  cpuMicros: number;
}

/**
 * Runs redis-benchmark once for one test against a server; rps NaN when it failed, cpuMicros NaN
 * where /proc cannot tell (not Linux).
 */
async function benchmark(side: Side, test: string, pipeline: number): Promise<Run> {
  const args = ["-p", String(side.port), "-t", test, "-n", String(requests), "-c", String(clients)];
  args.push(...keyspace);
  args.push("-P", String(pipeline), "--csv");
  const [program, argv] = pinned(CLIENT_CPU, "redis-benchmark", args);
  const cpuBefore = cpuSeconds(side.pid);
  const output = await new Deno.Command(program, { args: argv, stderr: "null" }).output();
  const cpu = cpuSeconds(side.pid) - cpuBefore;
  // The test's own line is the last: LRANGE_* tests print the LPUSH that fills the list first.
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  const line = lines.length > 1 ? lines[lines.length - 1] : "";
  const rps = Number(line.split(",")[1]?.replaceAll('"', ""));
  // LRANGE_* tests ran their LPUSHes too: the CPU time of the two cannot be told apart.
  return { rps, cpuMicros: lines.length > 2 ? NaN : (cpu / requests) * 1e6 };
}

// Linux counts a process's CPU time (fields 14 and 15 of /proc/PID/stat) in ticks of 1/100 s.
const TICKS_PER_SECOND = 100;

/** The CPU time (user and system, all threads) a process has used, in seconds; NaN without /proc. */
function cpuSeconds(pid: number): number {
  try {
    // Read by cat: Deno lets a program read /proc only with every permission.
    const output = new Deno.Command("cat", { args: [`/proc/${pid}/stat`], stderr: "null" })
      .outputSync();
    if (!output.success) return NaN;
    const stat = new TextDecoder().decode(output.stdout);
    // The fields after the command name (in parentheses, which may hold spaces).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

interface Side {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** How a server is started: its program and arguments, and how it is stopped. */
interface ServerCommand {
  program: string;
  args: string[];
  port: number;
  /** SIGTERM for a server that should end cleanly; SIGKILL for one whose end does not matter. */
  signal: Deno.Signal;
  /** A directory of its own, removed once it has stopped. */
  dir?: string;
  /** Where its errors go: a Redlite server's to ours, redis-server's nowhere. */
  stderr: "inherit" | "null";
}

/**
 * Starts a server (on its CPU when pinning; taskset runs it in its own process, so the pid is the
 * server's) and waits until it accepts connections.
 */
async function startServer(server: ServerCommand): Promise<Side> {
  const [program, args] = pinned(SERVER_CPU, server.program, server.args);
  const child = new Deno.Command(program, { args, stdout: "null", stderr: server.stderr })
    .spawn();
  await waitForPort(server.port);
  return {
    port: server.port,
    pid: child.pid,
    async stop() {
      child.kill(server.signal);
      await child.status;
      if (server.dir !== undefined) await Deno.remove(server.dir, { recursive: true });
    },
  };
}

/**
 * Starts the Redlite server of a checkout (this one by default) on a new file, or on an
 * in-memory database.
 */
async function startRedlite(checkout = ROOT, storage: "file" | "memory" = "file"): Promise<Side> {
  const port = freePort();
  const server = `${checkout.replace(/\/?$/, "/")}server.ts`;
  const dir = storage === "file" ? await Deno.makeTempDir({ prefix: "redlite-bench-" }) : undefined;
  const database = dir === undefined ? ["--memory"] : ["--db", `${dir}/bench.db`];
  return await startServer({
    program: Deno.execPath(),
    args: ["run", "-A", server, "--port", String(port), ...database],
    port,
    signal: "SIGTERM",
    dir,
    stderr: "inherit",
  });
}

/** Starts `bench/deno_floor_server.ts`. */
async function startFloor(): Promise<Side> {
  const port = freePort();
  const server = `${ROOT}bench/deno_floor_server.ts`;
  return await startServer({
    program: Deno.execPath(),
    args: ["run", "--allow-net", server, "--port", String(port)],
    port,
    signal: "SIGKILL",
    stderr: "inherit",
  });
}

async function startRedisServer(): Promise<Side> {
  if (!pin) return await startRedis();
  // Pinned: the same redis-server, started through taskset.
  const port = freePort();
  const dir = await Deno.makeTempDir({ prefix: "redis-bench-" });
  return await startServer({
    program: "redis-server",
    args: [
      ...["--port", String(port), "--bind", "127.0.0.1"],
      ...["--save", "", "--appendonly", "no", "--dir", dir],
    ],
    port,
    signal: "SIGKILL",
    dir,
    stderr: "null",
  });
}

function loadAverage(): string {
  return Deno.loadavg().map((load) => load.toFixed(2)).join(" ");
}

/**
 * `before` is the other checkout's (`--before`), `floor` the bare Deno server (`--floor`),
 * `memory` Redlite on an in-memory database (`--memory`).
 */
type SideName = "redis" | "redlite" | "before" | "floor" | "memory";

/** One command at one pipeline depth: every round's run on each side. */
interface Result {
  test: string;
  pipeline: number;
  runs: Record<SideName, Run[]>;
}

const results: Result[] = pipelines.flatMap((pipeline) =>
  tests.map((test) => ({
    test: test.toUpperCase(),
    pipeline,
    runs: { redis: [], redlite: [], before: [], floor: [], memory: [] },
  }))
);

/** The median of a side's requests per second. */
function medianRps(result: Result, side: SideName): number {
  return median(result.runs[side].map((run) => run.rps));
}

/** The median of a side's CPU time per request, in µs. */
function medianCpu(result: Result, side: SideName): number {
  return median(result.runs[side].map((run) => run.cpuMicros));
}
const loadBefore = loadAverage();
const servers: Partial<Record<SideName, Side>> = {};
try {
  servers.redis = await startRedisServer();
  servers.redlite = await startRedlite();
  if (values.before !== undefined) servers.before = await startRedlite(values.before);
  if (values.floor) servers.floor = await startFloor();
  if (values.memory) servers.memory = await startRedlite(ROOT, "memory");
  const sides = Object.keys(servers) as SideName[];
  for (let round = 0; round < rounds; round++) {
    for (const result of results) {
      // Rotate who goes first, so that none always runs on a warmer machine.
      const order = sides.map((_, i) => sides[(i + round) % sides.length]);
      for (const side of order) {
        // The bare server answers PING and nothing else.
        if (side === "floor" && result.test !== "PING_MBULK") continue;
        const run = await benchmark(servers[side]!, result.test.toLowerCase(), result.pipeline);
        result.runs[side].push(run);
      }
    }
    console.error(`round ${round + 1} of ${rounds} done`);
  }
} finally {
  for (const server of Object.values(servers)) await server.stop();
}

/** The median of the rounds' ratios to redis-server: each round's runs ran back to back. */
function ratioOf(result: Result, side: Exclude<SideName, "redis"> = "redlite"): number {
  return median(result.runs[side].map((run, i) => run.rps / result.runs.redis[i].rps));
}

const redisVersion = new TextDecoder().decode(
  new Deno.Command("redis-server", { args: ["--version"] }).outputSync().stdout,
).match(/v=(\S+)/)?.[1] ?? "?";
const machine =
  `${navigator.hardwareConcurrency} CPUs, load ${loadBefore} before, ${loadAverage()} after`;
const setup = `redis-benchmark -n ${requests} -c ${clients}` +
  (values.random === undefined ? "" : ` -r ${values.random}`) + `, ${rounds} interleaved rounds` +
  (pin
    ? `, servers pinned to CPU ${SERVER_CPU} and the client to CPU ${CLIENT_CPU}`
    : ", not pinned");

console.log(
  `${setup}; Redlite ${REDLITE_VERSION} (Deno ${Deno.version.deno}), redis-server ${redisVersion}; ${machine}\n`,
);
const withBefore = values.before !== undefined;
const columns = ["command", "pipeline", "redis-server rps", "Redlite rps", "ratio"];
if (withBefore) columns.push("before rps", "before ratio");
columns.push("redis-server CPU µs", "Redlite CPU µs");
if (withBefore) columns.push("before CPU µs");
if (values.memory) columns.push("in-memory ratio", "in-memory CPU µs");
if (values.floor) columns.push("Deno floor ratio", "Deno floor CPU µs");
console.log(`| ${columns.join(" | ")} |`);
console.log(`| ${columns.map((column) => "-".repeat(column.length)).join(" | ")} |`);
const shown = (ratio: number) => Number.isNaN(ratio) ? "failed" : ratio.toFixed(2);
// CPU time per request: none for LRANGE_* (its LPUSHes are in it) or without /proc.
const micros = (value: number) => Number.isNaN(value) ? "-" : value.toFixed(1);
for (const result of results) {
  const cells = [
    result.test,
    `-P ${result.pipeline}`,
    Math.round(medianRps(result, "redis")),
    Math.round(medianRps(result, "redlite")),
    shown(ratioOf(result)),
  ];
  if (withBefore) {
    cells.push(Math.round(medianRps(result, "before")), shown(ratioOf(result, "before")));
  }
  cells.push(micros(medianCpu(result, "redis")), micros(medianCpu(result, "redlite")));
  if (withBefore) cells.push(micros(medianCpu(result, "before")));
  if (values.memory) {
    cells.push(shown(ratioOf(result, "memory")), micros(medianCpu(result, "memory")));
  }
  if (values.floor) {
    const ran = result.runs.floor.length > 0;
    cells.push(ran ? shown(ratioOf(result, "floor")) : "-", micros(medianCpu(result, "floor")));
  }
  console.log(`| ${cells.join(" | ")} |`);
}

// The chart: one panel per pipeline depth, a pair of bars per command (requests per second,
// medians), the ratio above each pair.
const PANEL_HEIGHT = 230;
const LEFT = 70;
const GROUP = 64;
const BAR = 24;
const width = Math.max(LEFT + tests.length * GROUP + 20, 600);
const height = 70 + pipelines.length * (PANEL_HEIGHT + 40);
const colors = { redis: "#9ca3af", redlite: "#2563eb" };
const svg: string[] = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
  `<rect width="100%" height="100%" fill="white"/>`,
  `<text x="${LEFT}" y="20" font-size="14" font-weight="bold">Redlite vs redis-server: requests per second</text>`,
  `<text x="${LEFT}" y="36" fill="#555">${escapeXml(setup)}</text>`,
  `<rect x="${LEFT}" y="46" width="10" height="10" fill="${colors.redis}"/><text x="${
    LEFT + 14
  }" y="55">redis-server ${redisVersion}</text>`,
  `<rect x="${LEFT + 150}" y="46" width="10" height="10" fill="${colors.redlite}"/><text x="${
    LEFT + 164
  }" y="55">Redlite ${REDLITE_VERSION} (ratio above)</text>`,
];
pipelines.forEach((pipeline, panel) => {
  const top = 80 + panel * (PANEL_HEIGHT + 40);
  const bottom = top + PANEL_HEIGHT - 30;
  // A command that failed (not implemented yet) has no bars.
  const rows = results.filter((result) =>
    result.pipeline === pipeline && !Number.isNaN(ratioOf(result))
  );
  const most = Math.max(
    ...rows.flatMap((result) => [medianRps(result, "redis"), medianRps(result, "redlite")]),
  );
  const scale = niceCeiling(most);
  svg.push(`<text x="${LEFT}" y="${top}" font-weight="bold">-P ${pipeline}</text>`);
  for (let tick = 0; tick <= 4; tick++) {
    const y = bottom - (tick / 4) * (bottom - top - 20);
    svg.push(
      `<line x1="${LEFT}" x2="${width - 20}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${LEFT - 6}" y="${y + 4}" text-anchor="end" fill="#555">${
        formatRps((scale * tick) / 4)
      }</text>`,
    );
  }
  rows.forEach((result, i) => {
    const x = LEFT + i * GROUP + 8;
    const barHeight = (rps: number) => Math.round((rps / scale) * (bottom - top - 20));
    const redisHeight = barHeight(medianRps(result, "redis"));
    const redliteHeight = barHeight(medianRps(result, "redlite"));
    svg.push(
      `<rect x="${x}" y="${
        bottom - redisHeight
      }" width="${BAR}" height="${redisHeight}" fill="${colors.redis}"/>`,
      `<rect x="${x + BAR}" y="${
        bottom - redliteHeight
      }" width="${BAR}" height="${redliteHeight}" fill="${colors.redlite}"/>`,
      `<text x="${x + BAR}" y="${
        bottom - Math.max(redisHeight, redliteHeight) - 4
      }" text-anchor="middle">${ratioOf(result).toFixed(2)}</text>`,
      `<text x="${x + BAR}" y="${bottom + 14}" text-anchor="middle">${result.test}</text>`,
    );
  });
});
svg.push("</svg>");
const svgPath = values.svg.startsWith("/") ? values.svg : `${ROOT}${values.svg}`;
Deno.mkdirSync(svgPath.slice(0, svgPath.lastIndexOf("/")), { recursive: true });
Deno.writeTextFileSync(svgPath, svg.join("\n") + "\n");
console.log(`\nchart: ${values.svg}`);

function niceCeiling(value: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(value || 1));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

function formatRps(value: number): string {
  return value >= 1e6 ? `${value / 1e6}M` : value >= 1e3 ? `${value / 1e3}k` : String(value);
}

function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
