/**
 * The server benchmark: redis-benchmark against a redis-server and against the Redlite server
 * (a file database, default durability), with the same flags, interleaved round by round, and
 * the ratio of their requests per second. Only the ratio means something: both run on the same
 * machine at the same time.
 *
 * ```sh
 * deno task bench:server                       # SET and GET at -c 50, with and without -P 16
 * deno task bench:server --rounds 5 --requests 200000 --tests set,get,incr
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { startRedis } from "../tests/_helpers/redis_server.ts";
import { freePort, waitForPort } from "../tests/_helpers/redis_server.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rounds: { type: "string", default: "3" },
    requests: { type: "string", default: "100000" },
    clients: { type: "string", default: "50" },
    tests: { type: "string", default: "set,get" },
    pipelines: { type: "string", default: "1,16" },
  },
});

const rounds = Number(values.rounds);
const requests = Number(values.requests);
const clients = Number(values.clients);
const tests = values.tests.split(",");
const pipelines = values.pipelines.split(",").map(Number);

/** Runs redis-benchmark once and returns requests per second by test name. */
async function benchmark(port: number, pipeline: number): Promise<Map<string, number>> {
  const args = ["-p", String(port), "-t", tests.join(","), "-n", String(requests)];
  args.push("-c", String(clients), "-P", String(pipeline), "--csv");
  const output = await new Deno.Command("redis-benchmark", { args, stderr: "null" }).output();
  const rps = new Map<string, number>();
  for (const line of new TextDecoder().decode(output.stdout).split("\n").slice(1)) {
    const [name, value] = line.split(",").map((field) => field.replaceAll('"', ""));
    if (name) rps.set(name.toLowerCase(), Number(value));
  }
  return rps;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function startRedlite(): Promise<{ port: number; stop(): Promise<void> }> {
  const port = freePort();
  const dir = await Deno.makeTempDir();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../server.ts", import.meta.url).pathname,
      "--port",
      String(port),
      "--db",
      `${dir}/bench.db`,
    ],
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  await waitForPort(port);
  return {
    port,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

const redis = await startRedis();
const redlite = await startRedlite();
const results = new Map<string, { redis: number[]; redlite: number[] }>();
try {
  for (let round = 0; round < rounds; round++) {
    for (const pipeline of pipelines) {
      // Alternate who goes first, so that neither always runs on a warmer machine.
      const order = round % 2 === 0 ? ["redis", "redlite"] as const : ["redlite", "redis"] as const;
      for (const side of order) {
        const rps = await benchmark(side === "redis" ? redis.port : redlite.port, pipeline);
        for (const [test, value] of rps) {
          const key = `${test.toUpperCase()}\t-P ${pipeline}`;
          const entry = results.get(key) ?? { redis: [], redlite: [] };
          entry[side].push(value);
          results.set(key, entry);
        }
      }
    }
  }
} finally {
  await redlite.stop();
  await redis.stop();
}

console.log(
  `redis-benchmark -n ${requests} -c ${clients}, median of ${rounds} interleaved rounds\n`,
);
console.log("| command | pipeline | redis-server rps | Redlite rps | ratio |");
console.log("| ------- | -------- | ---------------- | ----------- | ----- |");
for (const [key, { redis: r, redlite: l }] of results) {
  const [test, pipeline] = key.split("\t");
  const ratio = median(l) / median(r);
  console.log(
    `| ${test} | ${pipeline} | ${Math.round(median(r))} | ${Math.round(median(l))} | ${
      ratio.toFixed(2)
    } |`,
  );
}
