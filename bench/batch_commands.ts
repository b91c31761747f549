/**
 * Commands as the server runs them, without the sockets: batches of one command repeated, each in
 * a write transaction of the store (`store.writeBatch`, one COMMIT per batch, a file database),
 * each command's arguments new views, as the server's decoder hands them out. Prints the median
 * time per command over interleaved rounds, for this checkout and, with `--before`, another:
 * changes below a microsecond a command show here long before they show through redis-benchmark.
 *
 * ```sh
 * deno run -A bench/batch_commands.ts "LPUSH l xxx" "SET k xxx"
 * deno run -A bench/batch_commands.ts --before ../redlite-main --batch 20 --rounds 9 "HSET h f v"
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { printInterleaved } from "./interleaved.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    before: { type: "string" },
    batch: { type: "string", default: "20" },
    rounds: { type: "string", default: "9" },
    commands: { type: "string", default: "15000" },
  },
});

const batch = Number(values.batch);
const rounds = Number(values.rounds);
const perRound = Number(values.commands);
const commands = positionals.length > 0 ? positionals : ["SET k xxx", "LPUSH l xxx", "HSET h f v"];
const ROOT = new URL("..", import.meta.url).pathname;

/** One checkout's database, and what runs a command on it. */
interface Side {
  name: string;
  run: (argv: Uint8Array[]) => unknown;
  writeBatch: (work: () => void) => void;
  close: () => void;
}

async function open(checkout: string, name: string, dir: string): Promise<Side> {
  const root = checkout.replace(/\/?$/, "/");
  const { Db } = await import(`${root}mod.ts`);
  const { runCommand } = await import(`${root}src/commands/dispatch.ts`);
  const { scopeOf } = await import(`${root}src/db/db.ts`);
  const db = Db.open(`${dir}/${name}.db`);
  const store = scopeOf(db).store;
  const ctx = { db, protocol: 2 };
  return {
    name,
    run: (argv) => store.guard(() => runCommand(ctx, argv)),
    writeBatch: (work) => store.writeBatch(work),
    close: () => db.close(),
  };
}

const dir = await Deno.makeTempDir({ prefix: "redlite-batch-bench-" });
const sides = [await open(ROOT, "this", dir)];
if (values.before !== undefined) sides.push(await open(values.before, "before", dir));
const encoder = new TextEncoder();
try {
  console.log(
    `µs per command, median of ${rounds} interleaved rounds of ${perRound} in batches of ${batch}`,
  );
  await printInterleaved({
    rows: commands,
    sides: sides.map((side) => side.name),
    rounds,
    time(command, i) {
      const side = sides[i];
      const words = command.split(" ").map((word) => encoder.encode(word));
      const start = performance.now();
      for (let done = 0; done < perRound; done += batch) {
        side.writeBatch(() => {
          for (let j = 0; j < batch; j++) side.run(words.map((word) => word.subarray()));
        });
      }
      return ((performance.now() - start) * 1000) / perRound;
    },
  });
} finally {
  for (const side of sides) side.close();
  await Deno.remove(dir, { recursive: true });
}
