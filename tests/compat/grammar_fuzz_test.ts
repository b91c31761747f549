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
 * - `REDLITE_FUZZ_ROUNDS`: rounds (each calls every command a few times), default 10.
 * - `REDLITE_FUZZ_SEED`: replay a seed (printed on failure); random by default.
 * - `REDLITE_FUZZ_KEEP_GOING=1`: do not stop at the first divergence; list them all at the end
 *   (both sides are flushed after each one, to start again from the same state).
 * - `REDLITE_FUZZ_LOG=file`: write every step and Redis's reply to the file (RESP2 run only).
 *
 * @module
 */

import { redisTarget, repliesAgree, serverTarget, type Target } from "../_helpers/compat.ts";
import {
  argvOf,
  type CommandGrammar,
  fetchGrammars,
  FIXTURES,
  fixtureSteps,
  generateHostile,
  generateValid,
  type HostileKind,
  KEY_NAMES,
  type KeyKind,
  LEX_KEYS,
  type Universe,
} from "../_helpers/command_grammar.ts";
import { SeededRandom } from "../_helpers/random.ts";
import { HAS_REDIS, type RedisProcess, startRedis } from "../_helpers/redis_server.ts";
import { type Arg, RespClient } from "../_helpers/resp_client.ts";
import { decodeValue, type RespValue } from "../../src/resp/values.ts";
import { COMMANDS } from "../../src/commands/table.ts";
import { Db, scopeOf } from "../../src/db/db.ts";
import type { Protocol } from "../../src/resp/encoder.ts";
import type { Store } from "../../src/db/store.ts";
import type { StatementSync } from "node:sqlite";
import { parseInt64 } from "../../src/db/numbers.ts";

const ROUNDS = Number(Deno.env.get("REDLITE_FUZZ_ROUNDS") ?? 10);
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

/**
 * How the replies of a command are compared: exactly, after sorting (hash order), in shape only
 * (random replies), by their RESP type only, as times read from two clocks (the four `ttl`
 * modes), or not at all (a known divergence; Redlite's data must still be unchanged after its
 * errors).
 */
type Compare =
  | "exact"
  | "unordered"
  | "shape"
  | "type"
  | "ttl"
  | "pttl"
  | "expiretime"
  | "pexpiretime"
  | "ignored";

/**
 * A way of comparing, fixed or depending on the arguments and on the data: `redlite` is a
 * handle on Redlite's database as the fuzzer's connection has it selected (both sides hold the
 * same data when the step is made).
 */
type CompareRule = Compare | ((argv: Arg[], redlite: Db) => Compare);

const LATEST_EXPIRE_MS = BigInt(Number.MAX_SAFE_INTEGER);

const BEYOND_LATEST = "Redlite keeps a time beyond 2^53 - 1 ms as 2^53 - 1 ms (see TTL): GT " +
  "and LT between two such times see them equal";

/**
 * Exact, except that for a time beyond 2^53 - 1 ms only the type of the reply is compared (an
 * error still has to be the same error).
 */
function beyondLatest(unitMs: bigint, relative: boolean): CompareRule {
  return (argv) => {
    const text = typeof argv[2] === "string" ? argv[2] : "";
    if (!/^-?\d{1,19}$/.test(text)) return "exact";
    const at = BigInt(text) * unitMs + (relative ? BigInt(Date.now()) : 0n);
    return at > LATEST_EXPIRE_MS ? "type" : "exact";
  };
}

// COMMAND's whole-table replies list Redis's 240 commands against Redlite's own.
const wholeTable = (argv: Arg[]): boolean => argv.length === 2;

/**
 * How COMMAND INFO and COMMAND DOCS are compared: exactly, except that without names they list
 * Redis's 240 commands against Redlite's own (compared by type), and that a container command
 * (CONFIG, CLIENT) lists its subcommands in the order of a hash table Redis seeds at random
 * (compared after sorting, or by type when Redlite has other subcommands than Redis 7.0: CLIENT
 * has fewer, and 7.2's SETINFO and NO-TOUCH).
 */
function commandMetadataRule(grammars: Map<string, CommandGrammar>): CompareRule {
  return (argv) => {
    if (wholeTable(argv)) return "type";
    let compare: Compare = "exact";
    for (const arg of argv.slice(2)) {
      const name = typeof arg === "string" ? arg.toLowerCase() : "";
      const ours = COMMANDS.get(name)?.subcommands?.map((sub) => `${name}|${sub.name}`);
      if (ours === undefined) continue;
      const theirs = grammars.get(name)?.subcommands ?? [];
      if (ours.length !== theirs.length || ours.some((sub) => !theirs.includes(sub))) {
        return "type";
      }
      compare = "unordered";
    }
    return compare;
  };
}

/**
 * Accepted differences: replies that cannot be equal byte for byte, and how they are compared
 * instead. Everything else follows COMMAND INFO's tips (`nondeterministic_output`: the shape
 * only; `nondeterministic_output_order`: after sorting) or is compared exactly.
 */
const ACCEPTED: Readonly<Record<string, { compare: CompareRule; why: string }>> = {
  ttl: {
    compare: "ttl",
    why: "a relative time to live is set on the two servers some microseconds apart, and " +
      "their clocks read it a little later: a second boundary may fall between them. And " +
      "Redlite keeps expire times as JavaScript numbers: a time beyond 2^53 - 1 ms (year " +
      "287396) is kept as 2^53 - 1 ms, where Redis keeps up to 2^63 - 1",
  },
  expiretime: { compare: "expiretime", why: "as TTL: set from each server's own clock" },
  pttl: { compare: "pttl", why: "as TTL, in milliseconds" },
  pexpiretime: { compare: "pexpiretime", why: "as TTL, in milliseconds" },
  expire: { compare: beyondLatest(1000n, true), why: BEYOND_LATEST },
  pexpire: { compare: beyondLatest(1n, true), why: BEYOND_LATEST },
  expireat: { compare: beyondLatest(1000n, false), why: BEYOND_LATEST },
  pexpireat: { compare: beyondLatest(1n, false), why: BEYOND_LATEST },
  command: { compare: "type", why: "Redlite has a subset of Redis's commands" },
  "command|count": { compare: "type", why: "Redlite has a subset of Redis's commands" },
  "command|list": { compare: "type", why: "Redlite has a subset of Redis's commands" },
  "command|help": { compare: "type", why: "lists the subcommands Redlite has" },
  "client|help": { compare: "type", why: "lists the subcommands Redlite has" },
  "config|help": { compare: "type", why: "lists the subcommands Redlite has" },
  "object|help": { compare: "type", why: "lists the subcommands Redlite has" },
  "client|id": {
    compare: "shape",
    why: "counts the connections since the server started, and the fuzzer opens more to Redis",
  },
  "config|get": {
    compare: "unordered",
    why: "Redis answers in the order of its hash table of parameters",
  },
  sort: {
    compare: sortRule,
    why: "a set that is not an intset, and a sorted set's members, come in the order of " +
      "Redis's hash tables (from a random seed): it shows among elements that compare equal",
  },
  sort_ro: { compare: sortRule, why: "as SORT" },
};

/** How SORT would run: Redis's sortCommandGeneric's parse, null for a syntax error. */
interface SortPlan {
  /** A BY without `*`: no sorting, the native order. */
  dontsort: boolean;
  /** The last BY has a `*`: elements sorted by the values it names. */
  byPattern: boolean;
  alpha: boolean;
  store: boolean;
  limit: boolean;
}

function sortPlan(argv: Arg[]): SortPlan | null {
  const plan = { dontsort: false, byPattern: false, alpha: false, store: false, limit: false };
  const readonly = String(argv[0]).toUpperCase() === "SORT_RO";
  for (let j = 2; j < argv.length; j++) {
    const name = typeof argv[j] === "string" ? (argv[j] as string).toUpperCase() : "";
    const left = argv.length - j - 1;
    if (name === "ASC" || name === "DESC") continue;
    if (name === "ALPHA") plan.alpha = true;
    else if (name === "LIMIT" && left >= 2) (plan.limit = true, j += 2);
    else if (!readonly && name === "STORE" && left >= 1) (plan.store = true, j++);
    else if (name === "BY" && left >= 1) {
      const pattern = argv[++j];
      const text = typeof pattern === "string" ? pattern.split("\0")[0] : "";
      plan.byPattern = text.includes("*");
      if (!plan.byPattern) plan.dontsort = true;
    } else if (name === "GET" && left >= 1) j++;
    else return null;
  }
  return plan;
}

const INTSET_ENTRIES = 512;

/**
 * SORT reads sets and sorted sets in Redis's order when it has no order of its own to sort by:
 * a set's iteration order (numeric for an intset, which Redlite reproduces; a hash table's
 * order, drawn from a random seed, for any other set) and a sorted set's hash table of members
 * (the input of its sort). Where elements compare equal that order shows, and the reply is
 * compared after sorting (a STORE, by its type only: the keys are deleted after it).
 */
function sortRule(argv: Arg[], redlite: Db): Compare {
  const plan = argv.length < 2 ? null : sortPlan(argv);
  const type = plan === null ? "none" : redlite.type(argv[1]);
  if (plan === null || (type !== "set" && type !== "zset")) return "exact";
  const members = redlite.commandBytes(
    type === "set" ? "SMEMBERS" : "ZRANGE",
    argv[1],
    ...(
      type === "set" ? [] : ["0", "-1"]
    ),
  ) as Uint8Array[];
  const intset = type === "set" && members.length <= INTSET_ENTRIES &&
    members.every((member) => parseInt64(member) !== null);
  if (intset) return "exact";
  // Where Redis's order is its hash table's: the reply after sorting, or its shape with a LIMIT
  // (which picks elements in that order), or with STORE its type (the keys are deleted after).
  const random = plan.store ? "type" : plan.limit ? "shape" : "unordered";
  if (plan.dontsort) return type === "zset" || plan.store ? "exact" : random;
  if (!plan.alpha) return "exact";
  if (plan.byPattern) return random;
  if (plan.store) return "exact";
  // ALPHA without STORE compares as strcoll: C strings, equal up to a NUL byte.
  const texts = members.map((member) => {
    const nul = member.indexOf(0);
    return hex(nul < 0 ? member : member.subarray(0, nul));
  });
  return new Set(texts).size === texts.length ? "exact" : random;
}

/**
 * Divergences found by this fuzzer in families still being written, compared loosely until
 * their developers fix them (remove the entry then). Each says what differs.
 */
const PENDING: Readonly<Record<string, { compare: CompareRule; why: string }>> = {};

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
  readonly compare: CompareRule;
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
    fuzzed.push({ grammar, compare: compareOf(grammar, grammars) });
  }
  return fuzzed;
}

function compareOf(grammar: CommandGrammar, grammars: Map<string, CommandGrammar>): CompareRule {
  if (grammar.name === "command|info" || grammar.name === "command|docs") {
    return commandMetadataRule(grammars);
  }
  const accepted = PENDING[grammar.name] ?? ACCEPTED[grammar.name];
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
const tableReaders = new WeakMap<Store, Map<string, StatementSync>>();

// One statement per table and store, prepared once: a statement prepared at every step would
// stay allocated until the garbage collector finalizes it, and tens of thousands of them stall
// the process long enough for the steps' deadlines to pass.
function tableReader(store: Store, table: string): StatementSync {
  let readers = tableReaders.get(store);
  if (readers === undefined) tableReaders.set(store, readers = new Map());
  let statement = readers.get(table);
  if (statement === undefined) {
    statement = store.sql.prepare(`SELECT * FROM "${table}"`);
    // Integers as bigints: a table may hold 64-bit counts (a stream's entries added, a pending
    // entry's deliveries), which node:sqlite refuses to read as numbers beyond 2^53.
    statement.setReadBigInts(true);
    readers.set(table, statement);
  }
  return statement;
}

function snapshot(db: Db, now: number): string {
  const store = scopeOf(db).store;
  const expired = new Set(
    store.all("SELECT id FROM keys WHERE expire_at <= ?", now).map((row) => row.id),
  );
  // key_counts is derived from keys (and counts expired keys until they are removed, which the
  // active expire cycle may do between two snapshots): its own test checks it.
  const tables = store.all(
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'key_counts' ORDER BY name",
  );
  const out: string[] = [];
  for (const { name } of tables) {
    const rows = (tableReader(store, name as string).all() as Record<string, unknown>[])
      .filter((row) => !expired.has(Number(name === "keys" ? row.id : row.key_id)))
      .map((row) =>
        JSON.stringify(
          Object.entries(row),
          (_, value) =>
            value instanceof Uint8Array
              ? hex(value)
              : typeof value === "bigint"
              ? String(value)
              : value,
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

/** The unit of each way of reading a time, and whether it counts from now. */
const CLOCKS = {
  ttl: { ms: 1000n, relative: true },
  pttl: { ms: 1n, relative: true },
  expiretime: { ms: 1000n, relative: false },
  pexpiretime: { ms: 1n, relative: false },
} as const;

/**
 * Whether two times to live or expire times read from two clocks are close enough: within a
 * second (and the rounding of its unit), Redis's time taken as at most 2^53 - 1 ms.
 */
function closeTimes(
  expected: Uint8Array,
  actual: Uint8Array,
  clock: (typeof CLOCKS)[keyof typeof CLOCKS],
): boolean {
  const e = decode(expected);
  const a = decode(actual);
  if (e.type !== "integer" || a.type !== "integer" || e.value < 0n || a.value < 0n) {
    return showBytes(expected) === showBytes(actual);
  }
  const now = clock.relative ? BigInt(Date.now()) : 0n;
  const redisAt = e.value * clock.ms + now;
  const redliteAt = a.value * clock.ms + now;
  const limit = redisAt < LATEST_EXPIRE_MS ? redisAt : LATEST_EXPIRE_MS;
  const diff = limit > redliteAt ? limit - redliteAt : redliteAt - limit;
  return diff <= 1000n + 2n * clock.ms;
}

const textDecoder = new TextDecoder();

/** Raw RESP as JSON text, cut short: COMMAND DOCS runs to hundreds of kilobytes. */
function showBytes(bytes: Uint8Array, limit = Infinity): string {
  const text = JSON.stringify(textDecoder.decode(bytes));
  return text.length > limit ? `${text.slice(0, limit)}... (${bytes.length} bytes)` : text;
}

/** Both replies around the first byte where they differ (the whole of short ones). */
function firstDifference(expected: Uint8Array, actual: Uint8Array): string {
  let at = 0;
  while (at < expected.length && at < actual.length && expected[at] === actual[at]) at++;
  const from = Math.max(0, at - 100);
  const cut = (bytes: Uint8Array) =>
    (from > 0 ? "..." : "") + showBytes(bytes.subarray(from, at + 200)) +
    (at + 200 < bytes.length ? "..." : "");
  return `at byte ${at}, Redis answered ${cut(expected)}\nRedlite answered ${cut(actual)}`;
}

function repliesMatch(step: FuzzStep, expected: Uint8Array, actual: Uint8Array): boolean {
  switch (step.compare) {
    case "ttl":
    case "pttl":
    case "expiretime":
    case "pexpiretime":
      return closeTimes(expected, actual, CLOCKS[step.compare]);
    case "type":
      return expected[0] === actual[0];
    case "ignored":
      return true;
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

const STEP_DEADLINE_MS = 10_000;

/** The reply, or an error naming the step when it takes longer than any command should. */
async function withDeadline(
  reply: Promise<Uint8Array>,
  side: string,
  step: FuzzStep,
): Promise<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${side} did not answer ${render(step.argv)} in time (seed ${SEED})`)),
      STEP_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([reply, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A divergence found, for the failure message or the list of them all. */
interface Divergence {
  readonly step: FuzzStep;
  readonly index: number;
  readonly message: string;
}

/** Both sides of one protocol's run, and the steps sent so far. */
class Pair {
  readonly history: string[] = [];
  readonly divergences: Divergence[] = [];
  /** Redlite's data as the connection sees it: follows its SELECTs. */
  readonly session: Db;

  constructor(
    readonly protocol: Protocol,
    readonly redis: Target,
    readonly redlite: Target,
    readonly db: Db,
  ) {
    this.session = db.session();
  }

  /** Sends one step to both sides and checks the replies (and Redlite's data after an error). */
  async run(step: FuzzStep): Promise<void> {
    const index = this.history.length;
    this.history.push(`${index} [${step.origin}] ${render(step.argv)}`);
    if (step.command === "dbsize") await this.sweepRedis();
    if (step.command === "sort" || step.command === "sort_ro") await this.clearRedisErrno();
    const now = Date.now();
    const before = snapshot(this.db, now);
    this.log(`${this.history.at(-1)} -> `);
    const expected = await withDeadline(this.redis.send(step.argv), "Redis", step);
    this.log(`${showBytes(expected, 300)}\n`);
    const actual = await withDeadline(this.redlite.send(step.argv), "Redlite", step);
    if (step.command === "select" && textDecoder.decode(actual) === "+OK\r\n") {
      this.session.select(Number(step.argv[1]));
    }
    let message: string | undefined;
    if (!repliesMatch(step, expected, actual)) {
      message = `compared ${step.compare}: ${firstDifference(expected, actual)}`;
    }
    if (message === undefined && isError(actual)) {
      const after = snapshot(this.db, now);
      if (after !== before) {
        message = `Redlite answered ${showBytes(actual, 2000)} but changed its data:\n` +
          `before:\n${before}\nafter:\n${after}`;
      }
    }
    if (message === undefined) return;
    const divergence = { step, index, message };
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

  /**
   * Redis 7.0's SORT checks `errno == ERANGE` after strtod without clearing errno first: a number
   * that an earlier command parsed out of range (ZADD z 5e-324 m, a refused 1e400) fails its
   * next numeric SORT with "One or more scores can't be converted into double". A command that
   * parses a double clears errno (GEOSEARCH of a missing key, which Redlite does not have).
   */
  async clearRedisErrno(): Promise<void> {
    await this.redis.send([
      "GEOSEARCH",
      "fuzz:none",
      "FROMLONLAT",
      "1.5",
      "1.5",
      "BYRADIUS",
      "1",
      "m",
    ]);
  }

  /** Starts both sides again from empty databases (after a divergence, when keeping going). */
  async resync(): Promise<void> {
    for (const argv of [["FLUSHALL"], ["SELECT", "0"]]) {
      await this.redis.send(argv);
      await this.redlite.send(argv);
    }
    this.session.select(0);
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

/**
 * What the steps are generated for: the commands, what the implementation has, and a handle on
 * Redlite's database as the fuzzer's connection has it selected (for the comparison rules that
 * depend on the data).
 */
interface Run {
  readonly fuzzed: Fuzzed[];
  readonly universe: Universe;
  readonly redlite: Db;
}

/** The steps of one round: every command a few times, valid and hostile, among writes. */
function* round(random: SeededRandom, run: Run): Generator<FuzzStep> {
  const { fuzzed } = run;
  const writers = fuzzed.filter(({ grammar }) =>
    grammar.flags.has("write") && !grammar.name.startsWith("flush") &&
    !grammar.tips.has("nondeterministic_output")
  );
  yield* lexSets(fuzzed);
  for (const command of shuffleCopy(random, fuzzed)) {
    for (let i = 0; i < 2; i++) yield* valid(random, random.pick(writers), run);
    for (let i = 0; i < 2; i++) yield* valid(random, command, run);
    for (let i = 0; i < 3; i++) yield* hostile(random, command, run);
  }
  yield* audit(run);
}

/** The sorted sets of equal scores for the lexicographic commands, made again. */
function* lexSets(fuzzed: Fuzzed[]): Generator<FuzzStep> {
  if (!fuzzed.some(({ grammar }) => grammar.name === "zadd")) return;
  const members = ["a", "b", "c", "", "hello world", "1", "10", "été", "abc"];
  for (const key of LEX_KEYS) {
    for (const argv of [["DEL", key], ["ZADD", key, ...members.flatMap((m) => ["0", m])]]) {
      yield { argv, compare: "exact", origin: "lex set", command: argv[0].toLowerCase() };
    }
  }
}

/** Commands that read a whole key of each type, for the audit at the end of each round. */
const READERS: readonly string[][] = [
  ["TYPE"],
  ["GET"],
  ["LRANGE", "0", "-1"],
  ["HGETALL"],
  ["SMEMBERS"],
  ["ZRANGE", "0", "-1", "WITHSCORES"],
  ["XRANGE", "-", "+"],
  ["PTTL"],
];

/** Every key read whole by every reader Redlite has: the two sides hold the same data. */
function* audit(run: Run): Generator<FuzzStep> {
  const byName = new Map(run.fuzzed.map((command) => [command.grammar.name, command]));
  for (const key of KEY_NAMES) {
    for (const [name, ...rest] of READERS) {
      const command = byName.get(name.toLowerCase());
      if (command !== undefined) yield* withCleanup(command, [name, key, ...rest], "audit", run);
    }
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

function* valid(random: SeededRandom, command: Fuzzed, run: Run): Generator<FuzzStep> {
  const invocation = generateValid(command.grammar, random, run.universe);
  yield* withCleanup(command, argvOf(invocation), "valid", run);
}

const KEYS = new Set<Arg>(KEY_NAMES);

/**
 * The step, and after a write whose effect is random (SPOP) or whose reply is not compared
 * exactly (a pending divergence), the deletion of the keys it names on both sides, so that they
 * hold the same data again.
 */
function* withCleanup(
  command: Fuzzed,
  argv: Arg[],
  origin: string,
  run: Run,
): Generator<FuzzStep> {
  const name = command.grammar.name;
  const rule = command.compare;
  const compare = typeof rule === "function" ? rule(argv, run.redlite) : rule;
  yield { argv, compare, origin, command: name };
  const loose = compare === "shape" || compare === "type" || compare === "ignored";
  const keys = argv.filter((arg) => KEYS.has(arg));
  if (loose && command.grammar.flags.has("write") && keys.length > 0) {
    // How many it deletes shows what the loosely compared step did: compared loosely too.
    yield { argv: ["DEL", ...keys], compare: "type", origin: "cleanup", command: "del" };
  }
}

function* hostile(random: SeededRandom, command: Fuzzed, run: Run): Generator<FuzzStep> {
  for (let tries = 0; tries < 10; tries++) {
    const kind = random.pick(HOSTILE_KINDS);
    const call = generateHostile(command.grammar, random, kind, run.universe);
    if (call === null) continue;
    if (call.key !== undefined) {
      for (const argv of fixtureSteps(call.key, call.keyKind!)) {
        const fixture = argv[0] as string;
        yield { argv, compare: "exact", origin: "fixture", command: fixture.toLowerCase() };
      }
    }
    const origin = call.keyKind === undefined ? kind : `${kind}: ${call.keyKind}`;
    yield* withCleanup(command, call.argv, origin, run);
    return;
  }
}

// #endregion sequences

/** The divergences by command: how many, and the first few of each. */
function summarize(divergences: Divergence[]): string {
  const byCommand = Map.groupBy(divergences, (divergence) => divergence.step.command);
  const lines: string[] = [];
  for (const [command, found] of [...byCommand].sort(([a], [b]) => a < b ? -1 : 1)) {
    lines.push(`${command}: ${found.length}`);
    for (const { step, message } of found.slice(0, 3)) {
      lines.push(`  [${step.origin}] ${render(step.argv)}`, `    ${message.slice(0, 600)}`);
    }
  }
  return lines.join("\n");
}

async function fuzz(redis: RedisProcess, protocol: Protocol): Promise<Divergence[]> {
  const admin = await RespClient.connect(redis.port);
  const grammars = await fetchGrammars(admin);
  const fuzzed = fuzzedCommands(grammars);
  const universe: Universe = {
    keyKinds: makeableKinds(),
    commandNames: fuzzed.map(({ grammar }) => grammar.name),
  };
  const db = Db.openMemory();
  const pair = new Pair(
    protocol,
    await redisTarget(redis, protocol),
    await serverTarget(protocol, db),
    db,
  );
  const random = new SeededRandom(SEED);
  const run: Run = { fuzzed, universe, redlite: pair.session };
  try {
    for (let n = 0; n < ROUNDS; n++) {
      for (const step of round(random, run)) await pair.run(step);
    }
  } finally {
    await pair.redis.close();
    await pair.redlite.close();
    admin.close();
  }
  if (pair.divergences.length > 0) console.log(summarize(pair.divergences));
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
