/**
 * Command grammars read from a real redis-server (`COMMAND DOCS` for the arguments, `COMMAND
 * INFO` for arity, flags and tips), and invocations generated from them: random valid ones and
 * hostile variants (wrong arity, keys of the wrong type, bad numbers, unknown, repeated and
 * conflicting options). The grammar fuzzer (`tests/compat/grammar_fuzz_test.ts`) sends them to
 * redis-server and to Redlite and compares the replies.
 *
 * Values come from small pools, so that commands collide on the same keys, members and fields.
 *
 * @module
 */

import type { RespValue } from "../../src/resp/values.ts";
import type { SeededRandom } from "./random.ts";
import type { Arg, RespClient } from "./resp_client.ts";

// #region grammar

/** The argument types of `COMMAND DOCS`. */
export type ArgType =
  | "key"
  | "string"
  | "integer"
  | "double"
  | "pattern"
  | "unix-time"
  | "pure-token"
  | "oneof"
  | "block";

/** One argument of a command, as `COMMAND DOCS` describes it. */
export interface ArgSpec {
  /** Its name (`key`, `seconds`, `numkeys`, ...). */
  readonly name: string;
  /** Its type. */
  readonly type: ArgType;
  /** The token that comes before its value (`EX`), or the whole argument for a pure token. */
  readonly token?: string;
  /** It may be left out. */
  readonly optional: boolean;
  /** It may be repeated. */
  readonly multiple: boolean;
  /** When repeated, its token comes before every value. */
  readonly multipleToken: boolean;
  /** The alternatives of a `oneof`, the parts of a `block`. */
  readonly children: readonly ArgSpec[];
}

/** What redis-server says of one command or subcommand. */
export interface CommandGrammar {
  /** Lower-case name; `parent|sub` for a subcommand (`config|get`). */
  readonly name: string;
  /** The words that name it on the wire: `["GET"]`, `["CONFIG", "GET"]`. */
  readonly words: readonly string[];
  /** Redis's arity: the exact argument count including the name, or -N for at least N. */
  readonly arity: number;
  /** `COMMAND DOCS` group (`string`, `list`, `generic`, ...). */
  readonly group: string;
  /** `COMMAND INFO` flags (`write`, `readonly`, `blocking`, ...). */
  readonly flags: ReadonlySet<string>;
  /** `COMMAND INFO` tips (`nondeterministic_output`, `nondeterministic_output_order`, ...). */
  readonly tips: ReadonlySet<string>;
  /** `COMMAND INFO` key specifications, as plain objects. */
  readonly keySpecs: readonly unknown[];
  /** The arguments after the name. */
  readonly args: readonly ArgSpec[];
  /** The names of its subcommands (`config|get`, ...), for a container command. */
  readonly subcommands: readonly string[];
}

const textDecoder = new TextDecoder();

/** A RESP3 value as plain data: maps as objects, sets and arrays as arrays, strings as text. */
function plain(value: RespValue): unknown {
  switch (value.type) {
    case "bulk":
      return value.value === null ? null : textDecoder.decode(value.value);
    case "verbatim":
      return textDecoder.decode(value.value);
    case "integer":
    case "bignumber":
      return Number(value.value);
    case "array":
    case "set":
    case "push":
      return value.value === null ? null : value.value.map(plain);
    case "map":
    case "attribute":
      return Object.fromEntries(value.value.map(([k, v]) => [String(plain(k)), plain(v)]));
    case "null":
      return null;
    case "error":
      throw new Error(value.value);
    default:
      return value.value;
  }
}

interface DocArg {
  name: string;
  type: ArgType;
  token?: string;
  flags?: string[];
  arguments?: DocArg[];
}

interface Doc {
  group: string;
  arguments?: DocArg[];
  subcommands?: Record<string, Doc>;
}

function argSpec(doc: DocArg): ArgSpec {
  const flags = doc.flags ?? [];
  return {
    name: doc.name,
    type: doc.type,
    token: doc.token,
    optional: flags.includes("optional"),
    multiple: flags.includes("multiple"),
    multipleToken: flags.includes("multiple_token"),
    children: (doc.arguments ?? []).map(argSpec),
  };
}

type Info = [
  string,
  number,
  string[],
  number,
  number,
  number,
  string[],
  string[],
  unknown[],
  Info[],
];

/**
 * Reads the grammar of every command (and subcommand) from a redis-server, through a client that
 * speaks RESP3 after this call (it sends `HELLO 3`).
 *
 * @example
 * ```ts
 * const grammars = await fetchGrammars(await RespClient.connect(redis.port));
 * grammars.get("set")!.args.map((arg) => arg.name); // ["key", "value", "condition", "get", "expiration"]
 * ```
 */
export async function fetchGrammars(client: RespClient): Promise<Map<string, CommandGrammar>> {
  await client.send(["HELLO", "3"]);
  const docs = plain(await client.call("COMMAND", "DOCS")) as Record<string, Doc>;
  const infos = plain(await client.call("COMMAND", "INFO")) as Info[];
  const grammars = new Map<string, CommandGrammar>();
  const add = (info: Info, doc: Doc | undefined, subcommands: string[]) => {
    const [name, arity, flags, , , , , tips, keySpecs] = info;
    grammars.set(name, {
      name,
      words: name.split("|").map((word) => word.toUpperCase()),
      arity,
      group: doc?.group ?? "",
      flags: new Set(flags),
      tips: new Set(tips),
      keySpecs,
      args: (doc?.arguments ?? []).map(argSpec),
      subcommands,
    });
  };
  for (const info of infos) {
    const doc = docs[info[0]];
    const subInfos = info[9] ?? [];
    add(info, doc, subInfos.map((sub) => sub[0]));
    for (const sub of subInfos) add(sub, doc?.subcommands?.[sub[0]], []);
  }
  return grammars;
}

// #endregion grammar
// #region value pools

/** Key types a fixture can create: Redis's types, a missing key and an expired one. */
export type KeyKind =
  | "string"
  | "list"
  | "hash"
  | "set"
  | "zset"
  | "stream"
  | "missing"
  | "expired";

/**
 * The commands that make a key of each kind (after `DEL`). The fuzzer uses those whose command
 * the implementation under test has, so that new families bring their types along.
 */
export const FIXTURES: Readonly<Record<KeyKind, readonly (readonly string[])[]>> = {
  string: [["SET", "abc"]],
  list: [["RPUSH", "a", "b", "c"]],
  hash: [["HSET", "a", "1", "b", "2"]],
  set: [["SADD", "a", "b", "1"]],
  zset: [["ZADD", "1", "a", "2", "b"]],
  stream: [["XADD", "1-1", "a", "1"]],
  missing: [],
  // Redis keeps a key set with a time in the past until something looks at it.
  expired: [["SET", "abc", "PXAT", "1"]],
};

/**
 * Numbers that commands must refuse (or take at their edges) where they expect an integer or a
 * double. No large number that is in range: SRANDMEMBER, HRANDFIELD and ZRANDMEMBER answer
 * that many random elements for a negative count (Redis 7.0 builds a reply of 2^31 elements
 * for -2^31), and SETBIT makes a string of 256 MB for bit 2^31.
 */
export const BAD_NUMBERS: readonly string[] = [
  "abc",
  "1.5",
  "",
  "99999999999999999999",
  "-99999999999999999999",
  "9223372036854775808",
  "-9223372036854775809",
  "-1",
  "0",
  "inf",
  "-inf",
  "nan",
  " 1",
  "1 ",
  "0x10",
  "+1",
  "1e3",
  "-0",
  "007",
  ".5",
  "5.",
  "1e400",
  "-1e400",
  "0x1p3",
  "1_000",
  "\u0661",
  "1\u0000",
  "4294967296",
];

const VALUES: readonly Arg[] = [
  "a",
  "b",
  "c",
  "1",
  "2",
  "10",
  "-3",
  "3.5",
  "",
  "abc",
  "hello world",
  "9223372036854775807",
  "-9223372036854775808",
  "0.1",
  "1e308",
  "été",
  new Uint8Array([0, 255, 10, 13]),
];
const PATTERNS = ["*", "k*", "*:1", "list:?", "[a-s]*", "\\*", "h[^a]*", "*[", "str*"];
const SMALL_INTEGERS = ["-3", "-2", "-1", "0", "1", "2", "3", "4", "5", "10"];
const LARGE_INTEGERS = ["100", "9223372036854775807", "-9223372036854775808", "4294967296"];
const DOUBLES = [
  "0",
  "1",
  "-1",
  "2.5",
  "-0.5",
  "1e3",
  "3.14159",
  "10",
  "0.1",
  "-0.0",
  "1e-5",
  "123456789.123456789",
  "1.7976931348623157e308",
  "5e-324",
  "17",
];
const SCORE_RANGES = ["-inf", "+inf", "0", "1", "(1", "2.5", "(2", "-1"];
const LEX_RANGES = ["-", "+", "[a", "(a", "[c", "(b", "a"];
const RANK_RANGES = ["0", "1", "-1", "2", "(1", "-inf", "+inf", "[a", "-", "+"];
// Long enough that nothing the fuzzer sets expires while it runs, 0 or less (delete now, or
// an error, depending on the command), and times beyond what Redis can add to the clock or
// beyond 2^53 ms.
const RELATIVE_SECONDS = ["100", "1000", "86400", "0", "-1", "9223372036854775", "92233720368547"];
const RELATIVE_MILLISECONDS = [
  "100000",
  "1000000",
  "86400000",
  "0",
  "-1",
  "9223372036854775807",
  "9007199254740993",
];
const UNIX_SECONDS = [
  "1",
  "4102444800",
  String(Math.floor(Date.now() / 1000) + 100_000),
  "9223372036854775",
  "9223372036854776",
];
const UNIX_MILLISECONDS = [
  "1",
  "4102444800000",
  String(Date.now() + 100_000_000),
  "9223372036854775807",
  "9007199254740993",
];

/** Pools by argument name, where a name says more than its type. */
const BY_NAME: Readonly<Record<string, readonly string[]>> = {
  cursor: ["0"],
  type: ["string", "list", "hash", "set", "zset", "stream", "none", "bogus"],
  id: ["*", "0-1", "1-1", "1-*", "2-0", "$", ">", "0"],
  encoding: ["u8", "i5", "u1", "i64", "u63", "i8"],
  parameter: ["maxmemory", "save", "*max*", "appendonly", "bogus"],
  "connection-name": ["fuzz", "", "a b"],
  "db": ["0", "1", "2", "16"],
  "destination-db": ["0", "1", "2", "16"],
  bit: ["0", "1"],
  seconds: RELATIVE_SECONDS,
  milliseconds: RELATIVE_MILLISECONDS,
  "unix-time-seconds": UNIX_SECONDS,
  "unix-time-milliseconds": UNIX_MILLISECONDS,
};

/** Pools for argument names that mean different things in different commands. */
const BY_COMMAND_AND_NAME: Readonly<Record<string, readonly string[]>> = {
  "setrange offset": ["0", "1", "3", "7", "20"],
  "setbit offset": ["0", "1", "7", "8", "15", "63"],
  "getbit offset": ["0", "1", "7", "8", "100"],
  "setbit value": ["0", "1"],
  "zrange start": RANK_RANGES,
  "zrange stop": RANK_RANGES,
  "zrangestore min": RANK_RANGES,
  "zrangestore max": RANK_RANGES,
};

/** Key names: a few shared by every family, and a few per family so that most calls fit. */
const SHARED_KEYS = ["k:1", "k:2", "k:\u0000bin"];
const FAMILY_KEYS: Readonly<Record<string, readonly string[]>> = {
  string: ["str:1", "str:2", "str:3"],
  bitmap: ["str:1", "str:2", "str:3"],
  list: ["list:1", "list:2", "list:3"],
  hash: ["hash:1", "hash:2"],
  set: ["set:1", "set:2", "set:3"],
  "sorted-set": ["zset:1", "zset:2", "zset:3"],
  stream: ["stream:1", "stream:2"],
  hyperloglog: ["hll:1", "hll:2"],
  geo: ["zset:1", "geo:1"],
};
const ALL_KEYS = [...new Set([...SHARED_KEYS, ...Object.values(FAMILY_KEYS).flat()])];

/**
 * Sorted sets whose members all have score 0, for the lexicographic commands: Redis leaves
 * their result unspecified over members of different scores. Only those commands pick them
 * (and the audit reads them); the fuzzer fills them again at the start of each round.
 *
 * @example
 * ```ts
 * LEX_KEYS; // ["zlex:1", "zlex:2"]
 * ```
 */
export const LEX_KEYS: readonly string[] = ["zlex:1", "zlex:2"];

/**
 * Whether a command works on lexicographic ranges (ZRANGEBYLEX, ZLEXCOUNT, ...).
 *
 * @example
 * ```ts
 * isLexCommand("zlexcount"); // true
 * ```
 */
export function isLexCommand(name: string): boolean {
  return name.startsWith("z") && name.includes("lex");
}

/**
 * Every key name the generator uses (the fuzzer's audit reads them all).
 *
 * @example
 * ```ts
 * KEY_NAMES.includes("list:1"); // true
 * ```
 */
export const KEY_NAMES: readonly string[] = [...ALL_KEYS, ...LEX_KEYS];

// #endregion value pools
// #region invocations

/** What one argument on the wire is, so that hostile variants know where to strike. */
export type PieceKind =
  | "token"
  | "key"
  | "integer"
  | "double"
  | "unix-time"
  | "string"
  | "pattern";

/** One argument on the wire. */
export interface Piece {
  /** Its bytes or text. */
  readonly value: Arg;
  /** What the grammar says it is. */
  readonly kind: PieceKind;
}

/** The pieces of one top-level argument. */
export interface Chunk {
  /** The argument. */
  readonly arg: ArgSpec;
  /** What it became on the wire (empty when an optional argument was left out). */
  readonly pieces: Piece[];
}

/**
 * What the implementation under test has, where the generator needs to know: the kinds of key
 * it can make, and the commands it knows (for arguments that name commands, COMMAND INFO's).
 */
export interface Universe {
  /** The kinds of key that fixtures can make. */
  readonly keyKinds: readonly KeyKind[];
  /** The lower-case names of its commands (`get`, `config|get`). */
  readonly commandNames: readonly string[];
}

/** A generated call of a command. */
export interface Invocation {
  /** The command. */
  readonly grammar: CommandGrammar;
  /** One chunk per top-level argument, in wire order. */
  readonly chunks: Chunk[];
}

/**
 * The command line of an invocation.
 *
 * @example
 * ```ts
 * argvOf(generateValid(grammar, random, universe)); // ["SET", "str:1", "a", "NX"]
 * ```
 */
export function argvOf(invocation: Invocation): Arg[] {
  return [
    ...invocation.grammar.words,
    ...invocation.chunks.flatMap((chunk) => chunk.pieces.map((piece) => piece.value)),
  ];
}

/**
 * Whether a top-level argument is an option that Redis parses wherever it stands among its
 * neighbours: optional and introduced by a token.
 */
function isOption(arg: ArgSpec): boolean {
  if (!arg.optional) return false;
  if (arg.token !== undefined) return true;
  if (arg.type === "oneof") return arg.children.every((child) => child.token !== undefined);
  if (arg.type === "block") return arg.children[0]?.token !== undefined;
  return false;
}

/**
 * Shuffles items in place (Fisher-Yates) with the seeded generator.
 *
 * @example
 * ```ts
 * shuffle(new SeededRandom(1), [1, 2, 3]);
 * ```
 */
export function shuffle<T>(random: SeededRandom, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

class Generator {
  /** The key count a `numkeys` argument announced, for the `weight`s that follow. */
  #numkeys = 0;

  constructor(
    readonly grammar: CommandGrammar,
    readonly random: SeededRandom,
    readonly universe: Universe,
  ) {}

  /** A whole invocation; `conflict` picks a oneof option that gets two alternatives. */
  invocation(conflict?: ArgSpec): Invocation {
    return { grammar: this.grammar, chunks: this.sequence(this.grammar.args, conflict) };
  }

  /** Chunks for sibling arguments, `numkeys` filled in from the keys that follow it. */
  sequence(args: readonly ArgSpec[], conflict?: ArgSpec): Chunk[] {
    const chunks: Chunk[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg.name === "numkeys" && arg.type === "integer" && i + 1 < args.length) {
        const next = this.chunk(args[i + 1]);
        const count = next.pieces.filter((piece) => piece.kind === "key").length;
        this.#numkeys = count;
        chunks.push({ arg, pieces: [{ value: String(count), kind: "integer" }] }, next);
        i++;
        continue;
      }
      chunks.push(arg === conflict ? this.conflicting(arg) : this.chunk(arg));
    }
    return chunks;
  }

  chunk(arg: ArgSpec): Chunk {
    const pieces: Piece[] = [];
    if (!arg.optional || this.random.next() < 0.5) this.emit(arg, pieces);
    return { arg, pieces };
  }

  /** Two different alternatives of a oneof option, as a client that mixes them up sends. */
  conflicting(arg: ArgSpec): Chunk {
    const [first, second] = shuffle(this.random, [...arg.children]);
    const pieces: Piece[] = [];
    if (arg.token !== undefined) pieces.push({ value: this.token(arg.token), kind: "token" });
    this.emitOnce(first, pieces);
    this.emitOnce(second, pieces);
    return { arg, pieces };
  }

  emit(arg: ArgSpec, pieces: Piece[]): void {
    const count = !arg.multiple
      ? 1
      : arg.name === "weight"
      ? Math.max(this.#numkeys, 1)
      : this.random.range(1, 3);
    for (let n = 0; n < count; n++) {
      if (arg.token !== undefined && (n === 0 || arg.multipleToken) && arg.type !== "pure-token") {
        pieces.push({ value: this.token(arg.token), kind: "token" });
      }
      this.emitValue(arg, pieces);
    }
  }

  emitOnce(arg: ArgSpec, pieces: Piece[]): void {
    if (arg.token !== undefined && arg.type !== "pure-token") {
      pieces.push({ value: this.token(arg.token), kind: "token" });
    }
    this.emitValue(arg, pieces);
  }

  emitValue(arg: ArgSpec, pieces: Piece[]): void {
    switch (arg.type) {
      case "pure-token":
        pieces.push({ value: this.token(arg.token!), kind: "token" });
        return;
      case "oneof":
        this.emitOnce(this.random.pick(arg.children), pieces);
        return;
      case "block":
        for (const chunk of this.sequence(arg.children)) pieces.push(...chunk.pieces);
        return;
      case "key":
        pieces.push({ value: this.key(), kind: "key" });
        return;
      case "pattern":
        pieces.push({ value: this.random.pick(PATTERNS), kind: "pattern" });
        return;
      default:
        pieces.push({ value: this.scalar(arg), kind: arg.type });
    }
  }

  /** A token as clients write it: mostly upper case, sometimes lower or mixed (Redis ignores case). */
  token(token: string): string {
    const dice = this.random.next();
    if (dice < 0.8) return token;
    if (dice < 0.9) return token.toLowerCase();
    return [...token].map((c) => this.random.next() < 0.5 ? c.toLowerCase() : c).join("");
  }

  key(): string {
    if (isLexCommand(this.grammar.name) && this.random.next() < 0.8) {
      return this.random.pick(LEX_KEYS);
    }
    const own = FAMILY_KEYS[this.grammar.group];
    if (own !== undefined && this.random.next() < 0.7) return this.random.pick(own);
    return this.random.pick(own === undefined ? ALL_KEYS : [...SHARED_KEYS, ...own]);
  }

  scalar(arg: ArgSpec): Arg {
    const command = this.grammar.name;
    const pool = BY_COMMAND_AND_NAME[`${command} ${arg.name}`] ?? BY_NAME[arg.name];
    if (pool !== undefined) return this.random.pick(pool);
    if (arg.name === "command-name") {
      // Commands it has (COMMAND DOCS of others differ by design), in any case, and one unknown.
      const name = this.random.pick([...this.universe.commandNames, "bogus"]);
      return this.random.next() < 0.2 ? name.toUpperCase() : name;
    }
    const sortedSet = this.grammar.group === "sorted-set";
    switch (arg.type) {
      case "integer":
        return this.random.next() < 0.9
          ? this.random.pick(SMALL_INTEGERS)
          : this.random.pick(LARGE_INTEGERS);
      case "double":
        return sortedSet && (arg.name === "min" || arg.name === "max")
          ? this.random.pick(SCORE_RANGES)
          : this.random.pick(DOUBLES);
      case "unix-time":
        return this.random.pick(UNIX_SECONDS);
      default:
        if (sortedSet && (arg.name === "min" || arg.name === "max")) {
          return this.random.pick(LEX_RANGES);
        }
        return this.random.pick(VALUES);
    }
  }
}

/**
 * A random valid call of the command (valid in its grammar: the data may still make it fail),
 * with the options that Redis takes in any order shuffled half of the time.
 *
 * @example
 * ```ts
 * argvOf(generateValid(grammars.get("lpos")!, new SeededRandom(7), universe));
 * // ["LPOS", "list:2", "b", "MAXLEN", "3", "RANK", "-1"]
 * ```
 */
export function generateValid(
  grammar: CommandGrammar,
  random: SeededRandom,
  universe: Universe,
): Invocation {
  const invocation = new Generator(grammar, random, universe).invocation();
  if (random.next() < 0.5) shuffleOptions(invocation, random);
  return invocation;
}

/** Shuffles every run of neighbouring options. */
function shuffleOptions(invocation: Invocation, random: SeededRandom): void {
  const chunks = invocation.chunks;
  for (let start = 0; start < chunks.length; start++) {
    if (!isOption(chunks[start].arg)) continue;
    let end = start;
    while (end + 1 < chunks.length && isOption(chunks[end + 1].arg)) end++;
    const run = shuffle(random, chunks.slice(start, end + 1));
    chunks.splice(start, run.length, ...run);
    start = end;
  }
}

/** The kinds of hostile variant. */
export type HostileKind =
  | "too-few"
  | "too-many"
  | "wrong-type"
  | "bad-number"
  | "unknown-option"
  | "repeated-option"
  | "conflicting-options";

/** A hostile call: the command line, and for `wrong-type` the key to prepare first. */
export interface Hostile {
  /** What kind of hostility. */
  readonly kind: HostileKind;
  /** The command line. */
  readonly argv: Arg[];
  /** For `wrong-type`: the key to make of `keyKind` before the call. */
  readonly key?: string;
  /** For `wrong-type`: what the key is made into. */
  readonly keyKind?: KeyKind;
}

/**
 * A hostile call of the command, or null when the command offers no place for that kind (no
 * key, no number, no option, ...).
 *
 * @example
 * ```ts
 * generateHostile(grammars.get("incrby")!, new SeededRandom(3), "bad-number", universe);
 * // { kind: "bad-number", argv: ["INCRBY", "str:2", "0x10"] }
 * ```
 */
export function generateHostile(
  grammar: CommandGrammar,
  random: SeededRandom,
  kind: HostileKind,
  universe: Universe,
): Hostile | null {
  const generator = new Generator(grammar, random, universe);
  if (kind === "conflicting-options") {
    const oneofs = grammar.args.filter((arg) =>
      isOption(arg) && arg.type === "oneof" && arg.children.length > 1
    );
    if (oneofs.length === 0) return null;
    const invocation = generator.invocation(random.pick(oneofs));
    return { kind, argv: argvOf(invocation) };
  }
  const invocation = generateValid(grammar, random, universe);
  const argv = argvOf(invocation);
  const words = grammar.words.length;
  const pieces = invocation.chunks.flatMap((chunk) => chunk.pieces);
  // Positions in argv of the pieces of each kind.
  const where = (kinds: readonly PieceKind[]) =>
    pieces.flatMap((piece, i) => kinds.includes(piece.kind) ? [words + i] : []);
  switch (kind) {
    case "too-few": {
      // Below the arity; or, for a variable arity, one argument short (which may still do).
      const below = Math.abs(grammar.arity) - 1;
      const length = grammar.arity < 0 && random.next() < 0.5 ? argv.length - 1 : below;
      if (length < Math.max(words, 1) || length >= argv.length) return null;
      return { kind, argv: argv.slice(0, length) };
    }
    case "too-many":
      if (grammar.arity < 0) return null;
      return { kind, argv: [...argv, random.pick(VALUES)] };
    case "wrong-type": {
      const keys = where(["key"]);
      if (keys.length === 0 || universe.keyKinds.length === 0) return null;
      const key = argv[random.pick(keys)] as string;
      return { kind, argv, key, keyKind: random.pick(universe.keyKinds) };
    }
    case "bad-number": {
      const numbers = where(["integer", "double", "unix-time"]);
      if (numbers.length === 0) return null;
      argv[random.pick(numbers)] = random.pick(BAD_NUMBERS);
      return { kind, argv };
    }
    case "unknown-option": {
      const at = random.next() < 0.5 ? argv.length : random.range(words, argv.length);
      argv.splice(at, 0, random.pick(["BOGUS", "bogus", "NXX", "EXX"]));
      return { kind, argv };
    }
    case "repeated-option": {
      const options = invocation.chunks.filter((chunk) =>
        isOption(chunk.arg) && chunk.pieces.length > 0
      );
      if (options.length === 0) return null;
      const original = random.pick(options);
      const again = generator.chunk({ ...original.arg, optional: false });
      const at = invocation.chunks.indexOf(original) + (random.next() < 0.5 ? 0 : 1);
      invocation.chunks.splice(at, 0, again);
      return { kind, argv: argvOf(invocation) };
    }
  }
}

/**
 * The commands that prepare `key` as a key of the given kind: `DEL`, then its fixture.
 *
 * @example
 * ```ts
 * fixtureSteps("list:1", "list"); // [["DEL", "list:1"], ["RPUSH", "list:1", "a", "b", "c"]]
 * ```
 */
export function fixtureSteps(key: string, kind: KeyKind): Arg[][] {
  return [["DEL", key], ...FIXTURES[kind].map(([name, ...rest]) => [name, key, ...rest])];
}

// #endregion invocations
