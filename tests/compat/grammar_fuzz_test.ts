/**
 * The grammar fuzzer: for every command of Redlite's table that Redis 7.0 documents, random
 * valid calls and hostile ones (wrong arity, keys of every other type, bad numbers, unknown,
 * repeated and conflicting options, options in any order), generated from redis-server's own
 * `COMMAND DOCS`, sent to redis-server and to Redlite in RESP2 and RESP3, replies compared. Each
 * time Redlite answers with an error, every table of its SQLite file must be as it was before.
 *
 * New families are covered as soon as their commands are in the table.
 *
 * Environment:
 * - `REDLITE_FUZZ_ROUNDS`: rounds (each calls every command a few times), default 4.
 * - `REDLITE_FUZZ_SEED`: replay a seed (printed on failure); random by default.
 * - `REDLITE_FUZZ_KEEP_GOING=1`: do not stop at the first divergence; list them all at the end
 *   (both sides are flushed after each one, to start again from the same state).
 * - `REDLITE_FUZZ_LOG=file`: write every step and Redis's reply to the file (RESP2 run only).
 *
 * @module
 */

import { inProcessTarget, redisTarget, repliesAgree, type Target } from "../_helpers/compat.ts";
import {
  argvOf,
  type CommandGrammar,
  fetchGrammars,
  FIXTURES,
  fixtureSteps,
  generateHostile,
  generateValid,
  type HostileKind,
  type KeyKind,
} from "../_helpers/command_grammar.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { HAS_REDIS, type RedisProcess, startRedis } from "../_helpers/redis_server.ts";
import { type Arg, RespClient } from "../_helpers/resp_client.ts";
import { decodeValue, type RespValue } from "../../src/resp/values.ts";
import { COMMANDS } from "../../src/commands/table.ts";
import { Db, scopeOf } from "../../src/db/db.ts";
import type { Protocol } from "../../src/resp/encoder.ts";

const ROUNDS = Number(Deno.env.get("REDLITE_FUZZ_ROUNDS") ?? 4);
const SEED = Number(Deno.env.get("REDLITE_FUZZ_SEED") ?? Math.floor(Math.random() * 2 ** 31));
const KEEP_GOING = Deno.env.get("REDLITE_FUZZ_KEEP_GOING") === "1";
const LOG = Deno.env.get("REDLITE_FUZZ_LOG");

/** Commands never fuzzed, and why. */
const SKIPPED: Readonly<Record<string, string>> = {
  shutdown: "stops the server",
  debug: "a developer's tool with its own effects",
  monitor: "turns the connection into a feed of commands",
  quit: "closes the connection",
  reset: "resets the connection's protocol, database and name",
  hello: "switches the protocol; each run keeps the one it started with",
  multi: "queues everything after it; transactions have their own tests (EXEC and DISCARD " +
    "are fuzzed outside of one)",
  wait: "waits for replicas",
  sync: "replication",
  psync: "replication",
  replicaof: "replication",
  slaveof: "replication",
  failover: "replication",
  migrate: "talks to another server",
  save: "writes a snapshot file",
  bgsave: "writes a snapshot file",
  bgrewriteaof: "writes an append-only file",
  subscribe: "enters the subscribed state (pushes instead of replies)",
  psubscribe: "enters the subscribed state",
  ssubscribe: "enters the subscribed state",
  unsubscribe: "answers with pushes",
  punsubscribe: "answers with pushes",
  sunsubscribe: "answers with pushes",
  "client|kill": "closes connections",
  "client|pause": "stops the server answering",
  "client|unpause": "goes with CLIENT PAUSE",
  "client|reply": "turns replies off",
  "client|tracking": "sends invalidation pushes",
  "config|set": "changes the server's configuration",
  "config|rewrite": "writes the configuration file",
};

/** How the replies of a command are compared. */
type Compare = "exact" | "unordered" | "shape" | "seconds" | "milliseconds";

/**
 * Accepted differences: replies that cannot be equal byte for byte, and how they are compared
 * instead. Everything else follows COMMAND INFO's tips (`nondeterministic_output`: the shape
 * only; `nondeterministic_output_order`: after sorting) or is compared exactly.
 */
const ACCEPTED: Readonly<Record<string, { compare: Compare; why: string }>> = {
  ttl: {
    compare: "seconds",
    why: "a relative time to live is set on the two servers some microseconds apart, and " +
      "their clocks read it a little later: a second boundary may fall between them",
  },
  expiretime: { compare: "seconds", why: "as TTL: set from each server's own clock" },
  pttl: { compare: "milliseconds", why: "as TTL, in milliseconds" },
  pexpiretime: { compare: "milliseconds", why: "as TTL, in milliseconds" },
};

/** The kinds of hostile call, each tried for every command where it applies. */
const HOSTILE_KINDS: readonly HostileKind[] = [
  "too-few",
  "too-many",
  "wrong-type",
  "wrong-type",
  "bad-number",
  "bad-number",
  "unknown-option",
  "repeated-option",
  "conflicting-options",
];

/** What the fuzzer knows of one command it fuzzes. */
interface Fuzzed {
  readonly grammar: CommandGrammar;
  readonly compare: Compare;
}

/** The commands (and subcommands) of Redlite's table that Redis documents and that are safe. */
function fuzzedCommands(grammars: Map<string, CommandGrammar>): Fuzzed[] {
  const names: string[] = [];
  for (const spec of COMMANDS.values()) {
    names.push(spec.name);
    for (const sub of spec.subcommands ?? []) names.push(`${spec.name}|${sub.name}`);
  }
  const fuzzed: Fuzzed[] = [];
  for (const name of names) {
    const grammar = grammars.get(name);
    if (grammar === undefined || name in SKIPPED || grammar.flags.has("blocking")) continue;
    fuzzed.push({ grammar, compare: compareOf(grammar) });
  }
  return fuzzed;
}

function compareOf(grammar: CommandGrammar): Compare {
  const accepted = ACCEPTED[grammar.name];
  if (accepted !== undefined) return accepted.compare;
  if (grammar.tips.has("nondeterministic_output")) return "shape";
  if (grammar.tips.has("nondeterministic_output_order")) return "unordered";
  return "exact";
}

/** The kinds of key that Redlite can make today: those whose fixture command it has. */
function makeableKinds(): KeyKind[] {
  return (Object.keys(FIXTURES) as KeyKind[]).filter((kind) =>
    FIXTURES[kind].every(([name]) => COMMANDS.has(name.toLowerCase()))
  );
}

// #region snapshots

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Every row of every table of Redlite's file, in a canonical order, as text. Keys that had
 * expired at `now` (and their elements) are left out: they are absent to every command, and any
 * command may remove them when it meets them, as Redis does, even one that then fails.
 */
function snapshot(db: Db, now: number): string {
  const store = scopeOf(db).store;
  const expired = new Set(
    store.all("SELECT id FROM keys WHERE expire_at <= ?", now).map((row) => row.id),
  );
  const tables = store.all("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  const out: string[] = [];
  for (const { name } of tables) {
    const rows = store.all(`SELECT * FROM "${name}"`)
      .filter((row) => !expired.has(name === "keys" ? row.id : row.key_id))
      .map((row) =>
        JSON.stringify(
          Object.entries(row),
          (_, value) => value instanceof Uint8Array ? hex(value) : value,
        )
      )
      .sort();
    out.push(`${name}: ${rows.join("\n  ")}`);
  }
  return out.join("\n");
}

// #endregion snapshots
// #region comparing

/** One command to send to both sides. */
interface FuzzStep {
  readonly argv: Arg[];
  readonly compare: Compare;
  /** What produced it: `valid`, a hostile kind, `fixture`, ... (for failure messages). */
  readonly origin: string;
  /** The command it exercises (for the list of divergences). */
  readonly command: string;
}

function render(argv: Arg[]): string {
  return argv.map((arg) => JSON.stringify(typeof arg === "string" ? arg : `<${hex(arg)}>`))
    .join(" ");
}

function decode(bytes: Uint8Array): RespValue {
  return decodeValue(bytes, 0)!.value;
}

function isError(bytes: Uint8Array): boolean {
  return bytes[0] === 0x2d /* - */ || bytes[0] === 0x21; /* ! */
}

/** Whether two times to live or expire times read from two clocks are close enough. */
function closeTimes(expected: Uint8Array, actual: Uint8Array, tolerance: number): boolean {
  const e = decode(expected);
  const a = decode(actual);
  if (e.type === "integer" && a.type === "integer" && e.value >= 0n && a.value >= 0n) {
    const diff = e.value > a.value ? e.value - a.value : a.value - e.value;
    return diff <= BigInt(tolerance);
  }
  return showBytes(expected) === showBytes(actual);
}

const textDecoder = new TextDecoder();

/** Raw RESP as JSON text, cut short: COMMAND DOCS runs to hundreds of kilobytes. */
function showBytes(bytes: Uint8Array, limit = Infinity): string {
  const text = JSON.stringify(textDecoder.decode(bytes));
  return text.length > limit ? `${text.slice(0, limit)}... (${bytes.length} bytes)` : text;
}

function repliesMatch(step: FuzzStep, expected: Uint8Array, actual: Uint8Array): boolean {
  switch (step.compare) {
    case "seconds":
      return closeTimes(expected, actual, 1);
    case "milliseconds":
      return closeTimes(expected, actual, 1000);
    default:
      return repliesAgree(
        {
          cmd: step.argv,
          unordered: step.compare === "unordered",
          shape: step.compare === "shape",
        },
        expected,
        actual,
      );
  }
}

/** A divergence found, for the failure message or the list of them all. */
interface Divergence {
  readonly step: FuzzStep;
  readonly index: number;
  readonly message: string;
  readonly redis?: Uint8Array;
  readonly redlite?: Uint8Array;
}

/** Both sides of one protocol's run, and the steps sent so far. */
class Pair {
  readonly history: string[] = [];
  readonly divergences: Divergence[] = [];

  constructor(
    readonly protocol: Protocol,
    readonly redis: Target,
    readonly redlite: Target,
    readonly db: Db,
  ) {}

  /** Sends one step to both sides and checks the replies (and Redlite's data after an error). */
  async run(step: FuzzStep): Promise<void> {
    const index = this.history.length;
    this.history.push(`${index} [${step.origin}] ${render(step.argv)}`);
    if (step.command === "dbsize") await this.sweepRedis();
    const now = Date.now();
    const before = snapshot(this.db, now);
    this.log(`${this.history.at(-1)} -> `);
    const expected = await this.redis.send(step.argv);
    this.log(`${showBytes(expected, 300)}\n`);
    const actual = await this.redlite.send(step.argv);
    let message: string | undefined;
    if (!repliesMatch(step, expected, actual)) {
      message = `compared ${step.compare}: Redis answered ${showBytes(expected, 2000)}\n` +
        `Redlite answered ${showBytes(actual, 2000)}`;
    }
    if (message === undefined && isError(actual)) {
      const after = snapshot(this.db, now);
      if (after !== before) {
        message = `Redlite answered ${showBytes(actual, 2000)} but changed its data:\n` +
          `before:\n${before}\nafter:\n${after}`;
      }
    }
    if (message === undefined) return;
    const divergence = { step, index, message, redis: expected, redlite: actual };
    if (!KEEP_GOING) throw new Error(this.explain(divergence));
    this.divergences.push(divergence);
    await this.resync();
  }

  log(text: string): void {
    if (LOG !== undefined && this.protocol === 2) {
      Deno.writeTextFileSync(LOG, text, { append: true });
    }
  }

  /**
   * Redis 7.0's DBSIZE counts keys that have expired until something looks at them; Redlite
   * counts live keys. A full SCAN makes Redis look at every key of the selected database first.
   */
  async sweepRedis(): Promise<void> {
    await this.redis.send(["SCAN", "0", "COUNT", "1000000"]);
  }

  /** Starts both sides again from empty databases (after a divergence, when keeping going). */
  async resync(): Promise<void> {
    for (const argv of [["FLUSHALL"], ["SELECT", "0"]]) {
      await this.redis.send(argv);
      await this.redlite.send(argv);
    }
  }

  explain(divergence: Divergence): string {
    return [
      `RESP${this.protocol}, seed ${SEED} (replay: REDLITE_FUZZ_SEED=${SEED} deno test -A ` +
      `tests/compat/grammar_fuzz_test.ts)`,
      `step ${divergence.index} [${divergence.step.origin}]: ${render(divergence.step.argv)}`,
      divergence.message,
      "the steps before it:",
      ...this.history.slice(-40, -1),
    ].join("\n");
  }
}

// #endregion comparing
// #region sequences

/** The steps of one round: every command a few times, valid and hostile, among writes. */
function* round(
  random: SeededRandom,
  fuzzed: Fuzzed[],
  kinds: KeyKind[],
): Generator<FuzzStep> {
  const writers = fuzzed.filter(({ grammar }) =>
    grammar.flags.has("write") && !grammar.name.startsWith("flush") &&
    !grammar.tips.has("nondeterministic_output")
  );
  for (const command of shuffleCopy(random, fuzzed)) {
    for (let i = 0; i < 2; i++) yield* valid(random, random.pick(writers));
    for (let i = 0; i < 2; i++) yield* valid(random, command);
    for (let i = 0; i < 3; i++) yield* hostile(random, command, kinds);
  }
}

function shuffleCopy<T>(random: SeededRandom, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function* valid(random: SeededRandom, command: Fuzzed): Generator<FuzzStep> {
  const invocation = generateValid(command.grammar, random);
  yield* withCleanup(
    command,
    argvOf(invocation),
    "valid",
    invocation.chunks.flatMap((chunk) =>
      chunk.pieces.filter((piece) => piece.kind === "key").map((piece) => piece.value)
    ),
  );
}

/**
 * The step, and after a write whose effect is random (SPOP), the deletion of its keys on both
 * sides, so that they hold the same data again.
 */
function* withCleanup(
  command: Fuzzed,
  argv: Arg[],
  origin: string,
  keys: Arg[],
): Generator<FuzzStep> {
  const name = command.grammar.name;
  yield { argv, compare: command.compare, origin, command: name };
  const random = command.grammar.tips.has("nondeterministic_output");
  if (random && command.grammar.flags.has("write") && keys.length > 0) {
    yield { argv: ["DEL", ...keys], compare: "exact", origin: "cleanup", command: "del" };
  }
}

function* hostile(
  random: SeededRandom,
  command: Fuzzed,
  kinds: KeyKind[],
): Generator<FuzzStep> {
  for (let tries = 0; tries < 10; tries++) {
    const kind = random.pick(HOSTILE_KINDS);
    const call = generateHostile(command.grammar, random, kind, kinds);
    if (call === null) continue;
    if (call.key !== undefined) {
      for (const argv of fixtureSteps(call.key, call.keyKind!)) {
        const fixture = argv[0] as string;
        yield { argv, compare: "exact", origin: "fixture", command: fixture.toLowerCase() };
      }
    }
    const origin = call.keyKind === undefined ? kind : `${kind}: ${call.keyKind}`;
    yield* withCleanup(command, call.argv, origin, call.key === undefined ? [] : [call.key]);
    return;
  }
}

// #endregion sequences

async function fuzz(redis: RedisProcess, protocol: Protocol): Promise<Divergence[]> {
  const admin = await RespClient.connect(redis.port);
  const grammars = await fetchGrammars(admin);
  const fuzzed = fuzzedCommands(grammars);
  const kinds = makeableKinds();
  const db = Db.openMemory();
  const pair = new Pair(
    protocol,
    await redisTarget(redis, protocol),
    inProcessTarget(protocol, db),
    db,
  );
  const random = new SeededRandom(SEED);
  try {
    for (let n = 0; n < ROUNDS; n++) {
      for (const step of round(random, fuzzed, kinds)) await pair.run(step);
    }
  } finally {
    await pair.redis.close();
    await pair.redlite.close();
    admin.close();
  }
  for (const divergence of pair.divergences) {
    console.log(pair.explain(divergence).split("\nthe steps")[0]);
  }
  return pair.divergences;
}

for (const protocol of [2, 3] as const) {
  Deno.test({
    name: `compat: grammar fuzzer over every command of the table, RESP${protocol}`,
    ignore: !HAS_REDIS,
    async fn() {
      const redis = await startRedis();
      try {
        const divergences = await fuzz(redis, protocol);
        if (divergences.length > 0) {
          throw new Error(`${divergences.length} divergences (seed ${SEED}), listed above`);
        }
      } finally {
        await redis.stop();
      }
    },
  });
}
