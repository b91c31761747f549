/**
 * The types of the embedded API of Redlite's own commands (KEYINFO, AUTOVACUUM, HISTORY, FTS,
 * FTSEARCH), and the conversions of their results to JavaScript values.
 *
 * @module
 */

import { toText } from "./bytes.ts";
import type { HistoryEntry as EntryBytes, HistoryValue } from "./history.ts";
import type { SearchResult as ResultBytes } from "./search.ts";

export type { KeyInfo } from "./keyinfo.ts";

/** The state of the active expiration cycle ({@linkcode Db.autovacuum}). */
export interface AutovacuumStatus {
  /** Whether expired keys are removed in the background. */
  enabled: boolean;
  /** Every how many ms the cycle runs. */
  interval: number;
}

/** Options of {@linkcode Db.autovacuum}: what to change. */
export interface AutovacuumOptions {
  /** Start (true) or stop (false) the cycle. */
  enabled?: boolean;
  /** Run the cycle every this many ms (1 to 2^31 - 1). */
  interval?: number;
}

/** Options of {@linkcode Db.historyEnable}: how much history is kept (all when omitted). */
export interface HistoryEnableOptions {
  /** Keep the states of the last this many ms (and the one in force before them). */
  retention?: number;
  /** Keep at most this many states, the newest. */
  maxversions?: number;
}

/** Options of {@linkcode Db.historyGet}. */
export interface HistoryGetOptions {
  /** At most this many states, the newest (default: all). */
  count?: number;
  /** Only the states that began at or after this unix time in ms. */
  from?: number;
  /** Only the states that began at or before this unix time in ms. */
  to?: number;
}

/**
 * A key's type and value at some time: the value as the type's read command gives it (GET,
 * HGETALL, LRANGE, SMEMBERS, ZRANGE WITHSCORES). "none": the key did not exist; a stream's
 * entries are not recorded.
 */
export type HistoryState =
  | { type: "none"; value: null }
  | { type: "string"; value: string }
  | { type: "hash"; value: Record<string, string> }
  | { type: "list"; value: string[] }
  | { type: "set"; value: string[] }
  | { type: "zset"; value: [string, number][] }
  | { type: "stream"; value: null };

/** One recorded state of a key ({@linkcode Db.historyGet}). */
export type HistoryEntry = HistoryState & {
  /** The key's version in this state (as KEYINFO reports it); null when it did not exist. */
  version: number | null;
  /** Unix time in ms when the key came to this state. */
  timestamp: number;
};

/** Options of {@linkcode Db.ftsearch}. */
export interface FtsearchOptions {
  /** At most this many results (default 10). */
  limit?: number;
  /** Mark matched terms: true for `<b>` and `</b>`, or the opening and closing tags. */
  highlight?: boolean | [open: string, close: string];
}

/** One result of {@linkcode Db.ftsearch}. */
export interface FtsearchResult {
  /** The key. */
  key: string;
  /** The hash field whose value matched; null for a string key. */
  field: string | null;
  /** Relevance (bm25, made positive): larger is more relevant. */
  score: number;
  /** The matched text with its terms marked, when asked for. */
  highlight?: string;
}

/**
 * A recorded state with its bytes as text.
 *
 * @example
 * ```ts
 * historyState({ type: "list", value: [new TextEncoder().encode("a")] }); // { type: "list", value: ["a"] }
 * ```
 */
export function historyState(state: HistoryValue): HistoryState {
  switch (state.type) {
    case "string":
      return { type: state.type, value: toText(state.value) };
    case "hash":
      return {
        type: state.type,
        value: Object.fromEntries(
          state.value.map(([field, value]) => [toText(field), toText(value)]),
        ),
      };
    case "list":
    case "set":
      return { type: state.type, value: state.value.map(toText) };
    case "zset":
      return {
        type: state.type,
        value: state.value.map(([member, score]) => [toText(member), score]),
      };
    default:
      return { type: state.type, value: null };
  }
}

/**
 * A recorded entry with its bytes as text.
 *
 * @example
 * ```ts
 * historyEntry({ type: "none", value: null, version: null, timestamp: 0 }).type; // "none"
 * ```
 */
export function historyEntry(entry: EntryBytes): HistoryEntry {
  return { ...historyState(entry), version: entry.version, timestamp: entry.timestamp };
}

/**
 * A search result with its bytes as text.
 *
 * @example
 * ```ts
 * searchResult({ key: new TextEncoder().encode("k"), field: null, score: 1 }).key; // "k"
 * ```
 */
export function searchResult(result: ResultBytes): FtsearchResult {
  const out: FtsearchResult = {
    key: toText(result.key),
    field: result.field === null ? null : toText(result.field),
    score: result.score,
  };
  if (result.highlight !== undefined) out.highlight = toText(result.highlight);
  return out;
}
