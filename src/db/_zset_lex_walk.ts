/**
 * Lexicographic ranges over sorted sets whose members do not all have the same score. Redis
 * leaves the result unspecified, and what it answers depends on the encoding: a small sorted
 * set is a listpack in score order, which Redis walks from one end to the first member in
 * range and then while members stay in range; a large one is a skiplist whose answer depends
 * on its random levels. Redlite answers as the listpack walk does for a sorted set Redis would
 * keep as a listpack (at most 128 members of at most 64 bytes, the defaults of
 * `zset-max-listpack-entries` and `zset-max-listpack-value`), and by member order otherwise.
 *
 * @module
 */

import { compareBytes } from "./bytes.ts";
import type { KeyMeta } from "./keyspace.ts";
import type { Store } from "./store.ts";
import type { LexBound, LexRange, ScoredMember } from "./zsets.ts";

/** Redis's default `zset-max-listpack-entries`. */
const LISTPACK_ENTRIES = 128;
/** Redis's default `zset-max-listpack-value`. */
const LISTPACK_VALUE = 64;

const SCORE_SPAN_SQL = "SELECT " +
  "(SELECT score FROM zsets WHERE key_id = ?1 ORDER BY score LIMIT 1) AS low, " +
  "(SELECT score FROM zsets WHERE key_id = ?1 ORDER BY score DESC LIMIT 1) AS high";
const IN_ORDER_SQL = "SELECT member, score FROM zsets WHERE key_id = ? ORDER BY score, member";

/**
 * The members of a small sorted set of mixed scores in Redis's listpack order, or null when
 * the range is read by member order: a sorted set of one score (the documented case) or one
 * that Redis would keep as a skiplist.
 *
 * @example
 * ```ts
 * const entries = listpackEntries(store, meta); // null, or every member by score
 * ```
 */
export function listpackEntries(store: Store, meta: KeyMeta): ScoredMember[] | null {
  if (meta.size > LISTPACK_ENTRIES) return null;
  const span = store.get(SCORE_SPAN_SQL, meta.id)!;
  if (span.low === span.high) return null;
  const entries = store.all(IN_ORDER_SQL, meta.id).map((row) => ({
    member: row.member as Uint8Array,
    score: row.score as number,
  }));
  return entries.some((entry) => entry.member.length > LISTPACK_VALUE) ? null : entries;
}

// sdscmplex: `-` before and `+` after every member.
function compareBound(member: Uint8Array, bound: LexBound): number {
  if (bound === "-") return 1;
  if (bound === "+") return -1;
  return compareBytes(member, bound.value);
}

// `-` and `+` count as exclusive, as zslParseLexRangeItem makes them.
function exclusive(bound: LexBound): boolean {
  return typeof bound === "string" || bound.exclusive;
}

function atLeastMin(member: Uint8Array, range: LexRange): boolean {
  const cmp = compareBound(member, range.min);
  return exclusive(range.min) ? cmp > 0 : cmp >= 0;
}

function atMostMax(member: Uint8Array, range: LexRange): boolean {
  const cmp = compareBound(member, range.max);
  return exclusive(range.max) ? cmp < 0 : cmp <= 0;
}

// zzlIsInLexRange: a range that cannot hold anything, or a listpack whose ends are outside it.
function mayHold(entries: ScoredMember[], range: LexRange): boolean {
  const { min, max } = range;
  const cmp = min === max
    ? 0
    : min === "-" || max === "+"
    ? -1
    : min === "+" || max === "-"
    ? 1
    : compareBytes(min.value, max.value);
  if (cmp > 0 || (cmp === 0 && (exclusive(min) || exclusive(max)))) return false;
  return atLeastMin(entries[entries.length - 1].member, range) &&
    atMostMax(entries[0].member, range);
}

// zzlFirstInLexRange / zzlLastInLexRange: the position where the walk starts, or -1.
function walkStart(entries: ScoredMember[], range: LexRange, reverse: boolean): number {
  if (!mayHold(entries, range)) return -1;
  if (!reverse) {
    const first = entries.findIndex((entry) => atLeastMin(entry.member, range));
    return first >= 0 && atMostMax(entries[first].member, range) ? first : -1;
  }
  const last = entries.findLastIndex((entry) => atMostMax(entry.member, range));
  return last >= 0 && atLeastMin(entries[last].member, range) ? last : -1;
}

/**
 * The members of a lexicographic range as Redis's listpack walk finds them: from the first
 * member in range (the last, reversed), `offset` skipped whatever they are, then at most
 * `count` (negative: all) while they stay below `max` (above `min`, reversed).
 *
 * @example
 * ```ts
 * lexWalk(entries, parseLexRange(b("-"), b("[c")), false, 0, -1);
 * ```
 */
export function lexWalk(
  entries: ScoredMember[],
  range: LexRange,
  reverse: boolean,
  offset: number,
  count: number,
): ScoredMember[] {
  const start = walkStart(entries, range, reverse);
  if (start < 0 || offset < 0) return [];
  const step = reverse ? -1 : 1;
  const out: ScoredMember[] = [];
  for (let i = start + step * offset; i >= 0 && i < entries.length && count-- !== 0; i += step) {
    const member = entries[i].member;
    if (reverse ? !atLeastMin(member, range) : !atMostMax(member, range)) break;
    out.push(entries[i]);
  }
  return out;
}
