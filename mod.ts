/**
 * Redlite: Redis's data model in one SQLite file, embedded and synchronous, with a RESP server
 * for every Redis client.
 *
 * ```ts
 * import { Db } from "@redlite/redlite";
 *
 * const db = Db.open("data.db"); // or Db.openMemory()
 * db.set("visits", "0");
 * db.set("session", "abc", { ex: 60 });
 * db.get("session"); // "abc"
 * db.close();
 * ```
 *
 * Methods are named after Redis commands in lower case and return JavaScript values; errors
 * are thrown as {@linkcode RedisError} with Redis's exact text. `db.command()` runs any command
 * of the table by name. The server is in `@redlite/redlite/server`.
 *
 * @module
 */

export {
  type CopyOptions,
  DATABASES,
  Db,
  type DbOptions,
  type ExpireOptions,
  type ScanOptions,
  type SetOptions,
} from "./src/db/db.ts";
export type { BitOp, BitUnit, GetexOptions, LcsIdxResult, LcsMatch } from "./src/db/db.ts";
export { RedisError } from "./src/db/errors.ts";
export type { Bytes } from "./src/db/bytes.ts";
export type {
  LexBound,
  Limit,
  ScoreBound,
  ScoredPair,
  ScoreMembers,
  SortOptions,
  WithScores,
  ZaddOptions,
  ZcombineOptions,
  ZrangeByScoreOptions,
  ZrangeOptions,
} from "./src/db/zsets_api.ts";
export type {
  PendingStreamEntry,
  StreamEntry,
  StreamIds,
  XaddOptions,
  XautoclaimOptions,
  XautoclaimResult,
  XclaimOptions,
  XgroupCreateOptions,
  XgroupSetidOptions,
  XinfoConsumer,
  XinfoConsumerFull,
  XinfoGroup,
  XinfoGroupFull,
  XinfoPending,
  XinfoStream,
  XinfoStreamFull,
  XinfoStreamFullOptions,
  XinfoStreamSummary,
  XpendingEntry,
  XpendingRange,
  XpendingSummary,
  XrangeOptions,
  XreadgroupOptions,
  XreadOptions,
  XsetidOptions,
  XtrimOptions,
} from "./src/db/streams_api.ts";
export type { JsReply } from "./src/commands/js_reply.ts";
export type {
  AutovacuumOptions,
  AutovacuumStatus,
  FtsearchOptions,
  FtsearchResult,
  HistoryEnableOptions,
  HistoryEntry,
  HistoryGetOptions,
  HistoryState,
  KeyInfo,
} from "./src/db/redlite_api.ts";
