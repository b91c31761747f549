/**
 * Sorted sets: members and their scores in the `zsets` table, in Redis's order (score, then
 * member bytes) through the `zsets_by_score` index. The cardinality is the `size` of the key's
 * row, so ZCARD is O(1); adds, removals and score lookups are O(log n), and a range by rank,
 * score or member reads only the rows it returns (plus the skipped ones of an offset).
 *
 * Lexicographic ranges (BYLEX) assume, as Redis documents, that all members have the same
 * score; they read the members in byte order through the primary key. Over a small sorted set
 * of mixed scores they answer as Redis's listpack walk does (`_zset_lex_walk.ts`).
 *
 * @module
 */

import type { SQLInputValue } from "node:sqlite";
import { asciiText, compareBytes, concatBytes } from "./bytes.ts";
import { ERR, RedisError, wrongArity } from "./errors.ts";
import {
  createCollection,
  deleteKey,
  findForWrite,
  findForWriteWith,
  findKey,
  findOrCreate,
  findTyped,
  type KeyMeta,
  KeyType,
  META_COLUMNS,
  resize,
  type Scope,
  touch,
} from "./keyspace.ts";
import { ElementTable } from "./elements.ts";
import { SCAN_WHOLE_SIZE, scanElements, type ScanStepOptionsSource } from "./element_scan.ts";
import { globMatch } from "./glob.ts";
import { parseDouble } from "./numbers.ts";
import { randomElement, randomElements } from "./random_members.ts";
import { lexWalk, listpackEntries } from "./_zset_lex_walk.ts";
import type { Row, Store } from "./store.ts";

/** A member of a sorted set and its score. */
export interface ScoredMember {
  /** The member's bytes. */
  member: Uint8Array;
  /** Its score (never NaN). */
  score: number;
}

/** Redis's texts for the sorted set errors. */
export const ZSET_ERR = {
  nan: "ERR resulting score is not a number (NaN)",
  xxAndNx: "ERR XX and NX options at the same time are not compatible",
  gtLtNx: "ERR GT, LT, and/or NX options at the same time are not compatible",
  incrPair: "ERR INCR option supports a single increment-element pair",
  scoreRange: "ERR min or max is not a float",
  lexRange: "ERR min or max not valid string range item",
  weight: "ERR weight value is not a float",
} as const;

// #region ranges

/** A range of scores, as ZRANGEBYSCORE's `min` and `max` (`(` makes a bound exclusive). */
export interface ScoreRange {
  /** The lowest score. */
  min: number;
  /** Whether `min` itself is excluded. */
  minExclusive: boolean;
  /** The highest score. */
  max: number;
  /** Whether `max` itself is excluded. */
  maxExclusive: boolean;
}

/** One end of a lexicographic range: `-` (before everything), `+` (after everything), or a member. */
export type LexBound = "-" | "+" | { value: Uint8Array; exclusive: boolean };

/** A range of members, as ZRANGEBYLEX's `min` and `max`. */
export interface LexRange {
  /** The lower end. */
  min: LexBound;
  /** The upper end. */
  max: LexBound;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function isSpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}

// A bound of a score range, read as Redis's zslParseRange reads it: with strtod alone, so
// leading spaces are skipped, an empty text is 0, overflow gives infinity and underflow 0;
// only trailing bytes (up to a NUL, where C stops reading) and NaN are refused.
function parseScoreBound(bytes: Uint8Array, from: number): number | null {
  let end = bytes.indexOf(0, from);
  if (end < 0) end = bytes.length;
  if (end === from) return 0;
  let start = from;
  while (start < end && isSpace(bytes[start])) start++;
  const number = bytes.subarray(start, end);
  const value = parseDouble(number);
  if (value !== null) return value;
  const text = asciiText(number);
  return DECIMAL.test(text) ? Number(text) : null;
}

/**
 * Parses a score range as ZRANGEBYSCORE, ZCOUNT and ZREMRANGEBYSCORE do: numbers, `-inf`,
 * `+inf`, and `(` for an exclusive bound. Throws `ERR min or max is not a float`.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * parseScoreRange(b("(1"), b("+inf")); // { min: 1, minExclusive: true, max: Infinity, maxExclusive: false }
 * ```
 */
export function parseScoreRange(min: Uint8Array, max: Uint8Array): ScoreRange {
  const minExclusive = min[0] === 40; // '('
  const maxExclusive = max[0] === 40;
  const low = parseScoreBound(min, minExclusive ? 1 : 0);
  const high = parseScoreBound(max, maxExclusive ? 1 : 0);
  if (low === null || high === null) throw new RedisError(ZSET_ERR.scoreRange);
  return { min: low, minExclusive, max: high, maxExclusive };
}

function parseLexBound(bytes: Uint8Array): LexBound | null {
  const first = bytes[0];
  // As zslParseLexRangeItem: C sees the text end at a NUL byte.
  const alone = bytes.length === 1 || bytes[1] === 0;
  if (first === 45) return alone ? "-" : null; // '-'
  if (first === 43) return alone ? "+" : null; // '+'
  if (first === 40 || first === 91) return { value: bytes.subarray(1), exclusive: first === 40 }; // '(' '['
  return null;
}

/**
 * Parses a lexicographic range as ZRANGEBYLEX, ZLEXCOUNT and ZREMRANGEBYLEX do: `[member`
 * (inclusive), `(member` (exclusive), `-` and `+`. Throws
 * `ERR min or max not valid string range item`.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * parseLexRange(b("[a"), b("+")); // { min: { value: b("a"), exclusive: false }, max: "+" }
 * ```
 */
export function parseLexRange(min: Uint8Array, max: Uint8Array): LexRange {
  const low = parseLexBound(min);
  const high = parseLexBound(max);
  if (low === null || high === null) throw new RedisError(ZSET_ERR.lexRange);
  return { min: low, max: high };
}

const float = new Float64Array(1);
const bits = new BigInt64Array(float.buffer);

// The next double above x (x finite or -Infinity).
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  float[0] = x;
  bits[0] += x > 0 ? 1n : -1n;
  return float[0];
}

/** A condition on the rows of one sorted set: SQL after `key_id = ? AND`, and its parameters. */
interface Condition {
  sql: string;
  params: SQLInputValue[];
}

// A score range as a closed interval (an exclusive bound is the next double inward), so that
// one statement serves every kind of bound; null when the range is empty.
function scoreCondition(range: ScoreRange): Condition | null {
  if (range.minExclusive && range.min === Infinity) return null;
  if (range.maxExclusive && range.max === -Infinity) return null;
  const low = range.minExclusive ? nextUp(range.min) : range.min;
  const high = range.maxExclusive ? -nextUp(-range.max) : range.max;
  if (!(low <= high)) return null;
  return { sql: "score BETWEEN ? AND ?", params: [low, high] };
}

const NUL = new Uint8Array([0]);

// A member range: the lower bound always inclusive (the first member after `m` in byte order is
// `m` followed by a NUL byte); null when the range is empty.
function lexCondition(range: LexRange): Condition | null {
  const { min, max } = range;
  if (min === "+" || max === "-") return null;
  const low = min === "-"
    ? new Uint8Array(0)
    : min.exclusive
    ? concatBytes(min.value, NUL)
    : min.value;
  if (max === "+") return { sql: "member >= ?", params: [low] };
  if (compareBytes(low, max.value) > (max.exclusive ? -1 : 0)) return null;
  return {
    sql: `member >= ? AND member ${max.exclusive ? "<" : "<="} ?`,
    params: [low, max.value],
  };
}

// #endregion ranges
// #region statements

const SCORE_SQL = "SELECT score FROM zsets WHERE key_id = ? AND member = ?";
const SCORE_BY_KEY_SQL = "SELECT k.type, k.expire_at, z.score FROM keys AS k " +
  "LEFT JOIN zsets AS z ON z.key_id = k.id AND z.member = ? WHERE k.db = ? AND k.key = ?";
const INSERT_SQL = "INSERT INTO zsets (key_id, member, score) VALUES (?, ?, ?)";
const UPDATE_SQL = "UPDATE zsets SET score = ? WHERE key_id = ? AND member = ?";
const DELETE_SQL = "DELETE FROM zsets WHERE key_id = ? AND member = ?";
const ALL_SQL = "SELECT member, score FROM zsets WHERE key_id = ?";
const SET_MEMBERS_SQL = "SELECT member FROM sets WHERE key_id = ?";
const SET_HAS_SQL = "SELECT 1 AS found FROM sets WHERE key_id = ? AND member = ?";
const BY_SCORE = "score, member";
const BY_SCORE_DESC = "score DESC, member DESC";
const BY_MEMBER = "member";
const BY_MEMBER_DESC = "member DESC";

function toEntries(rows: Row[]): ScoredMember[] {
  const out: ScoredMember[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    out[i] = { member: rows[i].member as Uint8Array, score: rows[i].score as number };
  }
  return out;
}

// Reads a window of the rows matching a condition, in an order.
function selectWindow(
  store: Store,
  keyId: number,
  condition: Condition | null,
  order: string,
  offset: number,
  count: number,
): ScoredMember[] {
  const where = condition === null ? "" : ` AND ${condition.sql}`;
  const sql =
    `SELECT member, score FROM zsets WHERE key_id = ?${where} ORDER BY ${order} LIMIT ? OFFSET ?`;
  // SQLite takes 64-bit integers only: counts beyond any collection's size mean "all".
  const limit = count < 0 || count > Number.MAX_SAFE_INTEGER ? -1 : count;
  const skip = Math.min(offset, Number.MAX_SAFE_INTEGER);
  return toEntries(store.all(sql, keyId, ...(condition?.params ?? []), limit, skip));
}

// #endregion statements
// #region adding

/** How ZADD treats existing and new members. */
export interface ZaddOptions {
  /** Only add new members, never update existing ones. */
  nx?: boolean;
  /** Only update existing members, never add new ones. */
  xx?: boolean;
  /** Only update an existing member when the new score is greater. */
  gt?: boolean;
  /** Only update an existing member when the new score is less. */
  lt?: boolean;
  /** Count the members changed (added or updated) instead of only the added ones. */
  ch?: boolean;
}

/**
 * Throws Redis's error for a combination of ZADD options it refuses.
 *
 * @example
 * ```ts
 * checkZaddOptions({ nx: true, gt: true }); // throws ERR GT, LT, and/or NX options ...
 * ```
 */
export function checkZaddOptions(options: ZaddOptions): void {
  if (options.nx && options.xx) throw new RedisError(ZSET_ERR.xxAndNx);
  if ((options.gt && options.nx) || (options.lt && options.nx) || (options.gt && options.lt)) {
    throw new RedisError(ZSET_ERR.gtLtNx);
  }
}

const ADDED = 1;
const UPDATED = 2;
const UNCHANGED = 3;
const SKIPPED = 0;

/** What adding one member did, and the member's score afterwards. */
interface AddOutcome {
  kind: typeof ADDED | typeof UPDATED | typeof UNCHANGED | typeof SKIPPED;
  score: number;
}

// As Redis's zsetAdd: one member, its score set (or incremented) as the options allow.
// `known` is the member's current score when it was read already (null: not a member).
function addMember(
  store: Store,
  keyId: number,
  member: Uint8Array,
  score: number,
  options: ZaddOptions,
  increment: boolean,
  known?: number | null,
): AddOutcome {
  // In a batch, the score may be known; the writes run beside the key cache, which then knows
  // the new score (they change only this member's row).
  const cache = store.keyCache;
  const current = known !== undefined ? known : cache?.knownScore(keyId, member) ??
    (store.values(SCORE_SQL, keyId, member)?.[0] ?? null) as number | null;
  if (current === null) {
    if (options.xx) return { kind: SKIPPED, score };
    store.writeBesideCache(INSERT_SQL, keyId, member, score);
    cache?.rememberScore(keyId, member, score);
    return { kind: ADDED, score };
  }
  cache?.rememberScore(keyId, member, current);
  if (options.nx) return { kind: SKIPPED, score: current };
  const next = increment ? current + score : score;
  if (Number.isNaN(next)) throw new RedisError(ZSET_ERR.nan);
  if ((options.lt && next >= current) || (options.gt && next <= current)) {
    return { kind: SKIPPED, score: current };
  }
  if (next === current) return { kind: UNCHANGED, score: next };
  store.writeBesideCache(UPDATE_SQL, next, keyId, member);
  cache?.rememberScore(keyId, member, next);
  return { kind: UPDATED, score: next };
}

// A sorted set's metadata and the score of the member ?3 (null when not a member).
const FIND_WITH_SCORE_SQL = `SELECT ${META_COLUMNS}, ` +
  "(SELECT score FROM zsets WHERE key_id = keys.id AND member = ?3) " +
  "FROM keys WHERE db = ?1 AND key = ?2";

/** The sorted set to add to and the score of a first member, read by one statement. */
interface AddTarget {
  meta: KeyMeta;
  /** The command's time, read once. */
  now: number;
  /** The first member's current score, null when it is not a member, undefined when not read. */
  firstScore: number | null | undefined;
}

// The sorted set to add to, created when missing; null when XX says not to create it.
function findForAdd(
  scope: Scope,
  key: Uint8Array,
  xx: boolean | undefined,
  firstMember: Uint8Array,
): AddTarget | null {
  const now = Date.now();
  const found = findForWriteWith(scope, key, KeyType.zset, now, FIND_WITH_SCORE_SQL, firstMember);
  if (found !== null) {
    const firstScore = found.row === null ? undefined : found.row[5] as number | null;
    return { meta: found.meta, now, firstScore };
  }
  if (xx) return null;
  return { meta: createCollection(scope, key, KeyType.zset, now), now, firstScore: null };
}

function recordChanges(
  scope: Scope,
  meta: KeyMeta,
  added: number,
  updated: number,
  now: number,
): void {
  if (added > 0 || meta.size === 0) resize(scope, meta, meta.size + added, now);
  else if (updated > 0) touch(scope, meta.id, now);
}

/**
 * ZADD: sets the scores of members, adding the missing ones. Returns how many members were
 * added (with `ch`, added or updated).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zadd(db, b("z"), [{ member: b("a"), score: 1 }, { member: b("b"), score: 2 }]); // 2
 * ```
 */
export function zadd(
  scope: Scope,
  key: Uint8Array,
  entries: readonly ScoredMember[],
  options: ZaddOptions = {},
): number {
  checkZaddOptions(options);
  if (entries.length === 0) throw wrongArity("zadd");
  return scope.store.write(() => {
    const target = findForAdd(scope, key, options.xx, entries[0].member);
    if (target === null) return 0;
    const { meta, now } = target;
    let added = 0;
    let updated = 0;
    entries.forEach(({ member, score }, i) => {
      const known = i === 0 ? target.firstScore : undefined;
      const { kind } = addMember(scope.store, meta.id, member, score, options, false, known);
      if (kind === ADDED) added++;
      else if (kind === UPDATED) updated++;
    });
    recordChanges(scope, meta, added, updated, now);
    return options.ch ? added + updated : added;
  });
}

/**
 * ZADD with INCR: adds `increment` to a member's score (a missing member starts at 0) as the
 * options allow. Returns the new score, or null when the options prevented the change. Throws
 * `ERR resulting score is not a number (NaN)` for inf + -inf.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zaddIncr(db, b("z"), 2.5, b("a")); // 2.5
 * zaddIncr(db, b("z"), 1, b("a"), { nx: true }); // null
 * ```
 */
export function zaddIncr(
  scope: Scope,
  key: Uint8Array,
  increment: number,
  member: Uint8Array,
  options: ZaddOptions = {},
): number | null {
  checkZaddOptions(options);
  return scope.store.write(() => {
    const target = findForAdd(scope, key, options.xx, member);
    if (target === null) return null;
    const { meta, now, firstScore } = target;
    const outcome = addMember(scope.store, meta.id, member, increment, options, true, firstScore);
    const added = outcome.kind === ADDED ? 1 : 0;
    recordChanges(scope, meta, added, outcome.kind === UPDATED ? 1 : 0, now);
    return outcome.kind === SKIPPED ? null : outcome.score;
  });
}

/**
 * ZINCRBY: adds `increment` to a member's score (a missing member starts at 0) and returns
 * the new score.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zincrby(db, b("z"), 2, b("a")); // 2
 * ```
 */
export function zincrby(
  scope: Scope,
  key: Uint8Array,
  increment: number,
  member: Uint8Array,
): number {
  return zaddIncr(scope, key, increment, member)!;
}

/**
 * ZREM: removes members; returns how many were there. A sorted set left empty is deleted.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zrem(db, b("z"), [b("a"), b("missing")]); // 1
 * ```
 */
export function zrem(scope: Scope, key: Uint8Array, members: readonly Uint8Array[]): number {
  return scope.store.write(() => {
    const meta = findForWrite(scope, key, KeyType.zset);
    if (meta === null) return 0;
    let removed = 0;
    for (const member of members) removed += scope.store.run(DELETE_SQL, meta.id, member);
    if (removed > 0) resize(scope, meta, meta.size - removed);
    return removed;
  });
}

// #endregion adding
// #region reading

/**
 * ZSCORE: a member's score, or null when the member or the key is missing.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zscore(db, b("z"), b("a")); // 1, or null
 * ```
 */
export function zscore(scope: Scope, key: Uint8Array, member: Uint8Array): number | null {
  // One statement: the key's row and the member's, as findTyped and SCORE_SQL would read them.
  const row = scope.store.get(SCORE_BY_KEY_SQL, member, scope.index, key);
  if (row === undefined) return null;
  const expireAt = row.expire_at as number | null;
  if (expireAt !== null && expireAt <= Date.now()) return null;
  if (row.type !== KeyType.zset) throw new RedisError(ERR.wrongType);
  return row.score as number | null;
}

/**
 * ZMSCORE: the scores of members, null for each missing one.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zmscore(db, b("z"), [b("a"), b("missing")]); // [1, null]
 * ```
 */
export function zmscore(
  scope: Scope,
  key: Uint8Array,
  members: readonly Uint8Array[],
): (number | null)[] {
  const meta = findTyped(scope, key, KeyType.zset);
  if (meta === null) return members.map(() => null);
  return members.map((member) => {
    const row = scope.store.get(SCORE_SQL, meta.id, member);
    return row === undefined ? null : row.score as number;
  });
}

/**
 * ZCARD: the number of members (0 for a missing key), from the key's row.
 *
 * @example
 * ```ts
 * zcard(db, new TextEncoder().encode("z")); // 2
 * ```
 */
export function zcard(scope: Scope, key: Uint8Array): number {
  return findTyped(scope, key, KeyType.zset)?.size ?? 0;
}

function countWhere(store: Store, meta: KeyMeta | null, condition: Condition | null): number {
  if (meta === null || condition === null) return 0;
  const sql = `SELECT count(*) AS n FROM zsets WHERE key_id = ? AND ${condition.sql}`;
  return store.get(sql, meta.id, ...condition.params)!.n as number;
}

/**
 * ZCOUNT: how many members have a score in the range.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zcount(db, b("z"), parseScoreRange(b("-inf"), b("(2"))); // members scored below 2
 * ```
 */
export function zcount(scope: Scope, key: Uint8Array, range: ScoreRange): number {
  return countWhere(scope.store, findTyped(scope, key, KeyType.zset), scoreCondition(range));
}

/**
 * ZLEXCOUNT: how many members are in the lexicographic range.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zlexcount(db, b("z"), parseLexRange(b("[a"), b("+"))); // members from "a" on
 * ```
 */
export function zlexcount(scope: Scope, key: Uint8Array, range: LexRange): number {
  const meta = findTyped(scope, key, KeyType.zset);
  const entries = meta === null ? null : listpackEntries(scope.store, meta);
  if (entries !== null) return lexWalk(entries, range, false, 0, -1).length;
  return countWhere(scope.store, meta, lexCondition(range));
}

/**
 * ZRANK (ZREVRANK with `reverse`): a member's 0-based position in score order (from the
 * highest score when reversed), or null when it is missing. Counts the members before it.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zrank(db, b("z"), b("a")); // 0
 * zrank(db, b("z"), b("a"), true); // the rank from the top
 * ```
 */
export function zrank(
  scope: Scope,
  key: Uint8Array,
  member: Uint8Array,
  reverse = false,
): number | null {
  const meta = findTyped(scope, key, KeyType.zset);
  if (meta === null) return null;
  const row = scope.store.get(SCORE_SQL, meta.id, member);
  if (row === undefined) return null;
  const sql = reverse
    ? "SELECT count(*) AS n FROM zsets WHERE key_id = ? AND (score, member) > (?, ?)"
    : "SELECT count(*) AS n FROM zsets WHERE key_id = ? AND (score, member) < (?, ?)";
  return scope.store.get(sql, meta.id, row.score, member)!.n as number;
}

/** Which members a range query selects, and in which direction. */
export type RangeQuery =
  | {
    /** By position in score order: `start` and `stop` as ZRANGE takes them (negative from the end). */
    by: "rank";
    start: number;
    stop: number;
    /** From the highest score down. */
    reverse?: boolean;
  }
  | {
    /** By score. */
    by: "score";
    range: ScoreRange;
    /** From the highest score down. */
    reverse?: boolean;
    /** Members of the range to skip (LIMIT's offset; a negative one selects nothing). */
    offset?: number;
    /** At most this many (LIMIT's count; negative: all). */
    count?: number;
  }
  | {
    /** By member, in byte order. */
    by: "lex";
    range: LexRange;
    /** From the last member down. */
    reverse?: boolean;
    /** Members of the range to skip (LIMIT's offset; a negative one selects nothing). */
    offset?: number;
    /** At most this many (LIMIT's count; negative: all). */
    count?: number;
  };

/** Where a rank range is read: an offset and count from one end of the score order. */
interface RankWindow {
  offset: number;
  count: number;
  /** Read from the highest score down. */
  descending: boolean;
  /** The rows come in the opposite order of the reply. */
  flipped: boolean;
}

// As Redis normalizes ZRANGE's start and stop, then read from the nearer end: an OFFSET costs
// the rows it skips.
function rankWindow(
  size: number,
  start: number,
  stop: number,
  reverse: boolean,
): RankWindow | null {
  if (start < 0) start += size;
  if (stop < 0) stop += size;
  if (start < 0) start = 0;
  if (start > stop || start >= size) return null;
  if (stop >= size) stop = size - 1;
  const count = stop - start + 1;
  const fromOtherEnd = size - 1 - stop;
  if (fromOtherEnd < start) {
    return { offset: fromOtherEnd, count, descending: !reverse, flipped: true };
  }
  return { offset: start, count, descending: reverse, flipped: false };
}

// The rows of a range query in reply order, for a sorted set that exists.
function readRange(store: Store, meta: KeyMeta, query: RangeQuery): ScoredMember[] {
  if (query.by === "rank") {
    const window = rankWindow(meta.size, query.start, query.stop, query.reverse ?? false);
    if (window === null) return [];
    const order = window.descending ? BY_SCORE_DESC : BY_SCORE;
    const rows = selectWindow(store, meta.id, null, order, window.offset, window.count);
    return window.flipped ? rows.reverse() : rows;
  }
  const offset = query.offset ?? 0;
  const entries = query.by === "lex" ? listpackEntries(store, meta) : null;
  if (entries !== null) {
    return lexWalk(
      entries,
      query.range as LexRange,
      query.reverse ?? false,
      offset,
      query.count ?? -1,
    );
  }
  const condition = query.by === "score" ? scoreCondition(query.range) : lexCondition(query.range);
  if (condition === null || offset < 0) return [];
  const order = query.by === "score"
    ? (query.reverse ? BY_SCORE_DESC : BY_SCORE)
    : (query.reverse ? BY_MEMBER_DESC : BY_MEMBER);
  return selectWindow(store, meta.id, condition, order, offset, query.count ?? -1);
}

/**
 * ZRANGE and its older forms: the members of a range by rank, score or member, in order.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zrange(db, b("z"), { by: "rank", start: 0, stop: 9 }); // the ten lowest
 * zrange(db, b("z"), { by: "score", range: parseScoreRange(b("1"), b("2")), reverse: true });
 * ```
 */
export function zrange(scope: Scope, key: Uint8Array, query: RangeQuery): ScoredMember[] {
  const meta = findTyped(scope, key, KeyType.zset);
  return meta === null ? [] : readRange(scope.store, meta, query);
}

/**
 * ZRANGESTORE: stores a range of `source` (as {@linkcode zrange} selects it) in `destination`,
 * replacing whatever it held; returns the number of members stored. An empty range deletes
 * the destination.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zrangestore(db, b("top"), b("z"), { by: "rank", start: -3, stop: -1 }); // 3
 * ```
 */
export function zrangestore(
  scope: Scope,
  destination: Uint8Array,
  source: Uint8Array,
  query: RangeQuery,
): number {
  return scope.store.write(() => replaceWith(scope, destination, zrange(scope, source, query)));
}

/**
 * ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX: removes the members of a range (LIMIT
 * and direction do not apply); returns how many. A sorted set left empty is deleted.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zremrange(db, b("z"), { by: "rank", start: 0, stop: 1 }); // 2
 * ```
 */
export function zremrange(scope: Scope, key: Uint8Array, query: RangeQuery): number {
  return scope.store.write(() => {
    const meta = findForWrite(scope, key, KeyType.zset);
    if (meta === null) return 0;
    const removed = query.by === "rank"
      ? removeRanks(scope.store, meta, query.start, query.stop)
      : query.by === "score"
      ? removeWhere(scope.store, meta.id, scoreCondition(query.range))
      : removeLex(scope.store, meta, query.range);
    if (removed > 0) resize(scope, meta, meta.size - removed);
    return removed;
  });
}

function removeRanks(store: Store, meta: KeyMeta, start: number, stop: number): number {
  const window = rankWindow(meta.size, start, stop, false);
  if (window === null) return 0;
  const order = window.descending ? BY_SCORE_DESC : BY_SCORE;
  return store.run(
    `DELETE FROM zsets WHERE key_id = ? AND member IN (SELECT member FROM zsets WHERE key_id = ? ORDER BY ${order} LIMIT ? OFFSET ?)`,
    meta.id,
    meta.id,
    window.count,
    window.offset,
  );
}

function removeLex(store: Store, meta: KeyMeta, range: LexRange): number {
  const entries = listpackEntries(store, meta);
  if (entries === null) return removeWhere(store, meta.id, lexCondition(range));
  const removed = lexWalk(entries, range, false, 0, -1);
  for (const { member } of removed) store.run(DELETE_SQL, meta.id, member);
  return removed.length;
}

function removeWhere(store: Store, keyId: number, condition: Condition | null): number {
  if (condition === null) return 0;
  return store.run(
    `DELETE FROM zsets WHERE key_id = ? AND ${condition.sql}`,
    keyId,
    ...condition.params,
  );
}

// #endregion reading
// #region popping

// Removes and returns up to `count` members from the low (or high) end of an existing set.
function popFrom(scope: Scope, meta: KeyMeta, count: number, max: boolean): ScoredMember[] {
  const popped = selectWindow(scope.store, meta.id, null, max ? BY_SCORE_DESC : BY_SCORE, 0, count);
  if (popped.length === 0) return popped;
  // The popped members are everything up to (or from) the last one, in score order.
  const last = popped[popped.length - 1];
  const sql = max
    ? "DELETE FROM zsets WHERE key_id = ? AND (score, member) >= (?, ?)"
    : "DELETE FROM zsets WHERE key_id = ? AND (score, member) <= (?, ?)";
  scope.store.run(sql, meta.id, last.score, last.member);
  resize(scope, meta, meta.size - popped.length);
  return popped;
}

/**
 * ZPOPMIN (ZPOPMAX with `max`): removes and returns up to `count` members with the lowest (or
 * highest) scores, in that order. A sorted set left empty is deleted.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zpop(db, b("z"), 1, false); // [{ member: b("a"), score: 1 }]
 * ```
 */
export function zpop(scope: Scope, key: Uint8Array, count: number, max: boolean): ScoredMember[] {
  if (count <= 0) {
    findTyped(scope, key, KeyType.zset);
    return [];
  }
  return scope.store.write(() => {
    const meta = findForWrite(scope, key, KeyType.zset);
    return meta === null ? [] : popFrom(scope, meta, count, max);
  });
}

/**
 * ZMPOP: pops up to `count` members from the first of `keys` that is not empty; null when
 * all are. A key of another type met before that one throws WRONGTYPE.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zmpop(db, [b("empty"), b("z")], false, 2); // { key: b("z"), entries: [...] }
 * ```
 */
export function zmpop(
  scope: Scope,
  keys: readonly Uint8Array[],
  max: boolean,
  count: number,
): { key: Uint8Array; entries: ScoredMember[] } | null {
  return scope.store.write(() => {
    for (const key of keys) {
      const meta = findForWrite(scope, key, KeyType.zset);
      if (meta !== null) return { key, entries: popFrom(scope, meta, count, max) };
    }
    return null;
  });
}

// #endregion popping
// #region combining

/** How ZUNION and ZINTER combine the scores of a member found in several inputs. */
export type Aggregate = "sum" | "min" | "max";

/** Options of ZUNION, ZINTER and their STORE forms. */
export interface CombineOptions {
  /** A multiplier for each input's scores, in the order of the keys (default 1 each). */
  weights?: readonly number[];
  /** How scores of the same member combine (default `"sum"`). */
  aggregate?: Aggregate;
}

/** An input of ZUNION, ZINTER, ZDIFF: a sorted set, a set (scores 1), or a missing key. */
interface Source {
  meta: KeyMeta | null;
  weight: number;
}

function openSource(scope: Scope, key: Uint8Array, weight: number): Source {
  const meta = findKey(scope, key);
  if (meta !== null && meta.type !== KeyType.zset && meta.type !== KeyType.set) {
    throw new RedisError(ERR.wrongType);
  }
  return { meta, weight };
}

/**
 * Throws WRONGTYPE when one of the keys holds neither a sorted set nor a set: ZUNION, ZINTER
 * and ZDIFF check their inputs before their options.
 *
 * @example
 * ```ts
 * checkSources(db, [new TextEncoder().encode("z")]);
 * ```
 */
export function checkSources(scope: Scope, keys: readonly Uint8Array[]): void {
  for (const key of keys) openSource(scope, key, 1);
}

function openSources(
  scope: Scope,
  keys: readonly Uint8Array[],
  weights: readonly number[] | undefined,
): Source[] {
  if (keys.length === 0) throw new RedisError(ERR.syntax);
  if (weights !== undefined && weights.length !== keys.length) throw new RedisError(ERR.syntax);
  return keys.map((key, i) => openSource(scope, key, weights?.[i] ?? 1));
}

function sourceSize(source: Source): number {
  return source.meta?.size ?? 0;
}

function sourceEntries(store: Store, source: Source): ScoredMember[] {
  const meta = source.meta;
  if (meta === null) return [];
  if (meta.type === KeyType.zset) return toEntries(store.all(ALL_SQL, meta.id));
  return store.all(SET_MEMBERS_SQL, meta.id).map((row) => ({
    member: row.member as Uint8Array,
    score: 1,
  }));
}

function sourceScore(store: Store, source: Source, member: Uint8Array): number | null {
  const meta = source.meta;
  if (meta === null) return null;
  if (meta.type === KeyType.zset) {
    const row = store.get(SCORE_SQL, meta.id, member);
    return row === undefined ? null : row.score as number;
  }
  return store.get(SET_HAS_SQL, meta.id, member) === undefined ? null : 1;
}

// As Redis's zunionInterAggregate: inf + -inf counts as 0.
function combineScores(how: Aggregate, target: number, value: number): number {
  if (how === "sum") {
    const sum = target + value;
    return Number.isNaN(sum) ? 0 : sum;
  }
  if (how === "min") return value < target ? value : target;
  return value > target ? value : target;
}

// An input's score times its weight; as Redis, inf * 0 counts as 0.
function weighted(score: number, weight: number): number {
  const value = score * weight;
  return Number.isNaN(value) ? 0 : value;
}

const latin1 = new TextDecoder("latin1");

// Redis takes the inputs from the smallest to the largest (a stable sort, as glibc's qsort),
// which fixes the order in which scores are added.
function bySize(sources: Source[]): Source[] {
  return sources.map((source, i) => ({ source, i }))
    .sort((a, b) => sourceSize(a.source) - sourceSize(b.source) || a.i - b.i)
    .map(({ source }) => source);
}

/**
 * Compares two members as Redis orders a sorted set: by score, then by member bytes.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * compareScored({ member: b("b"), score: 1 }, { member: b("a"), score: 2 }); // negative
 * ```
 */
export function compareScored(a: ScoredMember, b: ScoredMember): number {
  if (a.score < b.score) return -1;
  if (a.score > b.score) return 1;
  return compareBytes(a.member, b.member);
}

function unionOf(store: Store, sources: Source[], how: Aggregate): ScoredMember[] {
  const accumulated = new Map<string, ScoredMember>();
  for (const source of bySize(sources)) {
    for (const entry of sourceEntries(store, source)) {
      const score = weighted(entry.score, source.weight);
      const id = latin1.decode(entry.member);
      const seen = accumulated.get(id);
      if (seen === undefined) accumulated.set(id, { member: entry.member, score });
      else seen.score = combineScores(how, seen.score, score);
    }
  }
  return [...accumulated.values()];
}

// Calls `found` for each member in every input with its combined score; stops when it returns false.
function eachInIntersection(
  store: Store,
  sources: Source[],
  how: Aggregate,
  found: (entry: ScoredMember) => boolean,
): void {
  const [first, ...rest] = bySize(sources);
  if (sourceSize(first) === 0) return;
  for (const entry of sourceEntries(store, first)) {
    let score = weighted(entry.score, first.weight);
    let inAll = true;
    for (const other of rest) {
      const value = other.meta?.id === first.meta!.id
        ? entry.score
        : sourceScore(store, other, entry.member);
      if (value === null) {
        inAll = false;
        break;
      }
      // Redis does not turn NaN into 0 here: a NaN never wins MIN or MAX, and SUM turns it to 0.
      score = combineScores(how, score, value * other.weight);
    }
    if (inAll && !found({ member: entry.member, score })) return;
  }
}

function interOf(store: Store, sources: Source[], how: Aggregate): ScoredMember[] {
  const out: ScoredMember[] = [];
  eachInIntersection(store, sources, how, (entry) => {
    out.push(entry);
    return true;
  });
  return out;
}

function diffOf(store: Store, sources: Source[]): ScoredMember[] {
  const [first, ...rest] = sources;
  return sourceEntries(store, first).filter((entry) =>
    rest.every((other) => sourceScore(store, other, entry.member) === null)
  );
}

/** The set operations of ZUNION, ZINTER and ZDIFF. */
export type SetOperation = "union" | "inter" | "diff";

function combine(
  scope: Scope,
  operation: SetOperation,
  keys: readonly Uint8Array[],
  options: CombineOptions,
): ScoredMember[] {
  const sources = openSources(scope, keys, options.weights);
  const how = options.aggregate ?? "sum";
  if (operation === "union") return unionOf(scope.store, sources, how);
  if (operation === "inter") return interOf(scope.store, sources, how);
  return diffOf(scope.store, sources);
}

/**
 * ZUNION, ZINTER, ZDIFF: the union, intersection or difference of sorted sets (sets count
 * with score 1), in score order. ZDIFF takes the first input's scores and no options.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zcombine(db, "union", [b("a"), b("b")], { weights: [1, 2], aggregate: "max" });
 * ```
 */
export function zcombine(
  scope: Scope,
  operation: SetOperation,
  keys: readonly Uint8Array[],
  options: CombineOptions = {},
): ScoredMember[] {
  return combine(scope, operation, keys, options).sort(compareScored);
}

/**
 * ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE: stores the result of {@linkcode zcombine} in
 * `destination`, replacing whatever it held; returns its size. An empty result deletes the
 * destination.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zcombineStore(db, "inter", b("out"), [b("a"), b("b")]); // the size of the intersection
 * ```
 */
export function zcombineStore(
  scope: Scope,
  operation: SetOperation,
  destination: Uint8Array,
  keys: readonly Uint8Array[],
  options: CombineOptions = {},
): number {
  return scope.store.write(() =>
    replaceWith(scope, destination, combine(scope, operation, keys, options))
  );
}

/**
 * ZINTERCARD: the size of the intersection, counting no further than `limit` (0: no limit).
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * zintercard(db, [b("a"), b("b")], 10);
 * ```
 */
export function zintercard(scope: Scope, keys: readonly Uint8Array[], limit = 0): number {
  const sources = openSources(scope, keys, undefined);
  let count = 0;
  eachInIntersection(scope.store, sources, "sum", () => ++count !== limit);
  return count;
}

// Replaces `key` with a sorted set of the entries (deleting it when there are none). Inside a
// write transaction; returns the new size.
function replaceWith(scope: Scope, key: Uint8Array, entries: readonly ScoredMember[]): number {
  const old = findForWrite(scope, key);
  if (old !== null) deleteKey(scope, old);
  if (entries.length === 0) return 0;
  const meta = findOrCreate(scope, key, KeyType.zset);
  for (const { member, score } of entries) scope.store.run(INSERT_SQL, meta.id, member, score);
  resize(scope, meta, entries.length);
  return entries.length;
}

// #endregion combining
// #region random and scan

/** The members of sorted sets, with their scores, for the shared scan and random helpers. */
export const ZSET_MEMBERS: ElementTable = new ElementTable("zsets", "member", ["score"]);

/**
 * ZRANDMEMBER without a count: a random member, or null when the key is missing.
 *
 * @example
 * ```ts
 * zrandmember(db, new TextEncoder().encode("z")); // a member's bytes, or null
 * ```
 */
export function zrandmember(scope: Scope, key: Uint8Array): Uint8Array | null {
  const meta = findTyped(scope, key, KeyType.zset);
  if (meta === null) return null;
  return randomElement(scope.store, ZSET_MEMBERS, meta.id, meta.size).member as Uint8Array;
}

/**
 * ZRANDMEMBER with a count: distinct random members with their scores (all of them when
 * `count` is at least the size), or for a negative count, `-count` members drawn
 * independently (see `random_members.ts` for the distribution).
 *
 * @example
 * ```ts
 * zrandmemberCount(db, new TextEncoder().encode("z"), -3); // three members, maybe repeated
 * ```
 */
export function zrandmemberCount(scope: Scope, key: Uint8Array, count: number): ScoredMember[] {
  const meta = findTyped(scope, key, KeyType.zset);
  if (meta === null || count === 0) return [];
  const size = meta.size;
  return toEntries(
    randomElements(scope.store, ZSET_MEMBERS, meta.id, size, Math.abs(count), count < 0),
  );
}

/** One step of ZSCAN: where to continue (0 at the end) and the members found. */
export interface ZscanStep {
  /** The cursor of the next call; 0 when the iteration is over. */
  cursor: number;
  /** The members of this step that MATCH accepted, with their scores. */
  entries: ScoredMember[];
}

/**
 * ZSCAN: one step of an iteration over a sorted set's members (see `element_scan.ts` for the
 * cursor). Up to 128 members come back whole, in score order as Redis's small sorted sets do;
 * larger sets are read in pages in member order. The options are read only once the key is
 * found, as Redis reads them.
 *
 * @example
 * ```ts
 * zscan(db, new TextEncoder().encode("z"), 0, { match: null, count: 10 });
 * ```
 */
export function zscan(
  scope: Scope,
  key: Uint8Array,
  cursor: number,
  options: ScanStepOptionsSource,
): ZscanStep {
  const meta = findTyped(scope, key, KeyType.zset);
  if (meta !== null && meta.size <= SCAN_WHOLE_SIZE) {
    const { match } = typeof options === "function" ? options() : options;
    const entries = toEntries(scope.store.all(`${ALL_SQL} ORDER BY ${BY_SCORE}`, meta.id));
    return {
      cursor: 0,
      entries: match === null ? entries : entries.filter((e) => globMatch(match, e.member)),
    };
  }
  const step = scanElements(scope.store, ZSET_MEMBERS, meta, cursor, options);
  return { cursor: step.cursor, entries: toEntries(step.rows) };
}

// #endregion random and scan
