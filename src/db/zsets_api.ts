/**
 * The embedded API's side of sorted sets: the options of the `Db` methods, and the
 * conversions between JavaScript values and `src/db/zsets.ts`'s bytes and ranges.
 *
 * @module
 */

import { type Bytes, toBytes, toText } from "./bytes.ts";
import { ERR, RedisError } from "./errors.ts";
import { requireInteger } from "./numbers.ts";
import type * as sorting from "./sort.ts";
import * as zsets from "./zsets.ts";

/** Options of {@linkcode Db.zadd}, as ZADD's flags. */
export interface ZaddOptions {
  /** Only add new members. */
  nx?: boolean;
  /** Only update existing members. */
  xx?: boolean;
  /** Only update a member when its new score is greater. */
  gt?: boolean;
  /** Only update a member when its new score is less. */
  lt?: boolean;
  /** Count changed members (added or updated), not only added ones. */
  ch?: boolean;
  /** Increment the one member's score instead of setting it; returns the new score. */
  incr?: boolean;
}

/**
 * Members and scores for {@linkcode Db.zadd}: an object of member names to scores, or
 * `[member, score]` pairs (members may be bytes).
 */
export type ScoreMembers = Record<string, number> | readonly (readonly [Bytes, number])[];

/** A member and its score, as the methods that return scores give them. */
export type ScoredPair = [member: string, score: number];

/**
 * A score bound: a number (inclusive), or Redis's text: `"(1.5"` (exclusive), `"-inf"`, `"+inf"`.
 */
export type ScoreBound = number | string;

/**
 * A lexicographic bound, as Redis writes it: `"[a"` (inclusive), `"(a"` (exclusive), `"-"`
 * (before all) or `"+"` (after all).
 */
export type LexBound = Bytes;

/** LIMIT of the range commands: skip `offset` members, return at most `count` (negative: all). */
export interface Limit {
  /** Members to skip. */
  offset: number;
  /** At most this many; negative for all. */
  count: number;
}

/** Options of {@linkcode Db.zrange}, as ZRANGE's. */
export interface ZrangeOptions {
  /** `start` and `stop` are scores. */
  byscore?: boolean;
  /** `start` and `stop` are lexicographic bounds. */
  bylex?: boolean;
  /** From the highest score down (`start` is then the upper bound of a score or lex range). */
  rev?: boolean;
  /** With `byscore` or `bylex`: a window of the range. */
  limit?: Limit;
  /** Return `[member, score]` pairs. */
  withscores?: boolean;
}

/** Options of {@linkcode Db.zrangebyscore} and {@linkcode Db.zrevrangebyscore}. */
export interface ZrangeByScoreOptions {
  /** A window of the range. */
  limit?: Limit;
  /** Return `[member, score]` pairs. */
  withscores?: boolean;
}

/** Options of the methods that may return scores. */
export interface WithScores {
  /** Return `[member, score]` pairs. */
  withscores?: boolean;
}

/** Options of {@linkcode Db.zunion}, {@linkcode Db.zinter} and their STORE forms. */
export interface ZcombineOptions {
  /** A multiplier for each input's scores, one per key. */
  weights?: readonly number[];
  /** How the scores of a member found in several inputs combine (default `"sum"`). */
  aggregate?: "sum" | "min" | "max";
  /** Return `[member, score]` pairs (not for the STORE forms). */
  withscores?: boolean;
}

/** Options of {@linkcode Db.sort} and {@linkcode Db.sortRo}, as SORT's. */
export interface SortOptions {
  /** Sort by the values of other keys: `*` stands for the element, `key->field` reads a hash field; a pattern without `*` keeps the collection's own order. */
  by?: Bytes;
  /** Skip `offset` elements, return `count` (negative: all). */
  limit?: Limit;
  /** Return these instead of the elements: `#` is the element, `*` is replaced by it. */
  get?: readonly Bytes[];
  /** Largest first. */
  desc?: boolean;
  /** Compare as byte strings instead of numbers. */
  alpha?: boolean;
}

/**
 * The options of `src/db/sort.ts` from the embedded API's.
 *
 * @example
 * ```ts
 * sortOptions({ by: "weight_*", desc: true });
 * ```
 */
export function sortOptions(options: SortOptions): sorting.SortOptions {
  const limit = options.limit;
  if (limit !== undefined) {
    checkedInteger(limit.offset);
    checkedInteger(limit.count);
  }
  return {
    by: options.by === undefined ? undefined : toBytes(options.by),
    get: options.get?.map(toBytes),
    limit,
    desc: options.desc,
    alpha: options.alpha,
  };
}

/**
 * The input keys of ZUNION, ZINTER, ZDIFF, ZINTERCARD and the STORE forms, as bytes; Redis's
 * error when there are none.
 *
 * @example
 * ```ts
 * inputKeys(["a", "b"], "zunion"); // the bytes of "a" and "b"
 * ```
 */
export function inputKeys(keys: readonly Bytes[], command: string): Uint8Array[] {
  if (keys.length === 0) {
    throw new RedisError(`ERR at least 1 input key is needed for '${command}' command`);
  }
  return keys.map(toBytes);
}

/**
 * A score from the embedded API: NaN is refused as ZADD refuses it.
 *
 * @example
 * ```ts
 * checkedScore(1.5); // 1.5
 * ```
 */
export function checkedScore(score: number): number {
  if (typeof score !== "number" || Number.isNaN(score)) throw new RedisError(ERR.notFloat);
  return score;
}

/**
 * An integer argument from the embedded API (ranks, counts, offsets).
 *
 * @example
 * ```ts
 * checkedInteger(-1); // -1
 * ```
 */
export function checkedInteger(value: number): number {
  if (!Number.isSafeInteger(value)) throw new RedisError(ERR.notInteger);
  return value;
}

/**
 * ZADD's members from an object or pairs.
 *
 * @example
 * ```ts
 * toEntries({ a: 1 }); // [{ member: bytes of "a", score: 1 }]
 * ```
 */
export function toEntries(members: ScoreMembers): zsets.ScoredMember[] {
  const pairs = Array.isArray(members)
    ? members as readonly (readonly [Bytes, number])[]
    : Object.entries(members);
  return pairs.map(([member, score]) => ({ member: toBytes(member), score: checkedScore(score) }));
}

function boundBytes(bound: ScoreBound): Uint8Array {
  return toBytes(typeof bound === "number" ? String(checkedScore(bound)) : bound);
}

/**
 * A score range from two bounds.
 *
 * @example
 * ```ts
 * scoreRange(1, "(2"); // { min: 1, minExclusive: false, max: 2, maxExclusive: true }
 * ```
 */
export function scoreRange(min: ScoreBound, max: ScoreBound): zsets.ScoreRange {
  return zsets.parseScoreRange(boundBytes(min), boundBytes(max));
}

/**
 * A lexicographic range from two bounds.
 *
 * @example
 * ```ts
 * lexRange("[a", "+");
 * ```
 */
export function lexRange(min: LexBound, max: LexBound): zsets.LexRange {
  return zsets.parseLexRange(toBytes(min), toBytes(max));
}

/**
 * The query of ZRANGE's options, as ZRANGE reads them (with `rev`, a score or lex range is
 * given from its upper end).
 *
 * @example
 * ```ts
 * rangeQuery(0, -1, {}); // { by: "rank", start: 0, stop: -1, reverse: false }
 * ```
 */
export function rangeQuery(
  start: ScoreBound | Bytes,
  stop: ScoreBound | Bytes,
  options: ZrangeOptions,
): zsets.RangeQuery {
  if (options.byscore && options.bylex) throw new RedisError(ERR.syntax);
  const reverse = options.rev ?? false;
  const [low, high] = reverse ? [stop, start] : [start, stop];
  const limit = options.limit;
  if (limit !== undefined) {
    // A count of -1 is Redis's "no limit": accepted by rank, as ZRANGE accepts it.
    if (!options.byscore && !options.bylex && limit.count !== -1) {
      throw new RedisError(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
      );
    }
    checkedInteger(limit.offset);
    checkedInteger(limit.count);
  }
  if (options.bylex) {
    if (options.withscores) {
      throw new RedisError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    }
    const lex = (value: ScoreBound | Bytes) => typeof value === "number" ? String(value) : value;
    return { by: "lex", range: lexRange(lex(low), lex(high)), reverse, ...limit };
  }
  if (options.byscore) {
    return {
      by: "score",
      range: scoreRange(low as ScoreBound, high as ScoreBound),
      reverse,
      ...limit,
    };
  }
  const rank = (value: ScoreBound | Bytes) =>
    typeof value === "number" ? checkedInteger(value) : requireInteger(toBytes(value));
  return { by: "rank", start: rank(start), stop: rank(stop), reverse };
}

/**
 * Members as strings.
 *
 * @example
 * ```ts
 * members([{ member: new TextEncoder().encode("a"), score: 1 }]); // ["a"]
 * ```
 */
export function members(entries: readonly zsets.ScoredMember[]): string[] {
  return entries.map((entry) => toText(entry.member));
}

/**
 * Members and scores as `[member, score]` pairs.
 *
 * @example
 * ```ts
 * pairs([{ member: new TextEncoder().encode("a"), score: 1 }]); // [["a", 1]]
 * ```
 */
export function pairs(entries: readonly zsets.ScoredMember[]): ScoredPair[] {
  return entries.map((entry) => [toText(entry.member), entry.score]);
}

/**
 * Members, or pairs when `withscores` is set.
 *
 * @example
 * ```ts
 * membersOrPairs([], true); // []
 * ```
 */
export function membersOrPairs(
  entries: readonly zsets.ScoredMember[],
  withscores: boolean | undefined,
): string[] | ScoredPair[] {
  return withscores ? pairs(entries) : members(entries);
}

/**
 * The combine options of `src/db/zsets.ts` from the embedded API's.
 *
 * @example
 * ```ts
 * combineOptions({ weights: [1, 2] });
 * ```
 */
export function combineOptions(options: ZcombineOptions): zsets.CombineOptions {
  const aggregate = options.aggregate;
  if (
    aggregate !== undefined && aggregate !== "sum" && aggregate !== "min" && aggregate !== "max"
  ) {
    throw new RedisError(ERR.syntax);
  }
  const weights = options.weights?.map((weight) => {
    if (typeof weight !== "number" || Number.isNaN(weight)) {
      throw new RedisError(zsets.ZSET_ERR.weight);
    }
    return weight;
  });
  return { weights, aggregate };
}
