/**
 * The command table: every command Redlite knows, by lower-case name. The server dispatches
 * through it, COMMAND reports it, and `db.command()` runs it in-process.
 *
 * @module
 */

import { blockingCommands } from "./blocking.ts";
import { connectionCommands } from "./connection.ts";
import { hashCommands } from "./hashes.ts";
import { keyCommands } from "./keys.ts";
import { listCommands } from "./lists.ts";
import { pubsubCommands } from "./pubsub.ts";
import { redliteCommands } from "./redlite.ts";
import { serverCommands } from "./server.ts";
import { setCommands } from "./sets.ts";
import { sortCommands } from "./sort.ts";
import { streamCommands } from "./streams.ts";
import { stringCommands } from "./strings.ts";
import { transactionCommands } from "./transactions.ts";
import type { CommandSpec } from "./types.ts";
import { zsetCommands } from "./zsets.ts";

/** Every command family. */
const FAMILIES: readonly (readonly CommandSpec[])[] = [
  connectionCommands,
  serverCommands,
  keyCommands,
  stringCommands,
  hashCommands,
  listCommands,
  blockingCommands,
  setCommands,
  zsetCommands,
  sortCommands,
  streamCommands,
  transactionCommands,
  pubsubCommands,
  redliteCommands,
];

/** Every command by lower-case name. */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(
  FAMILIES.flat().map((spec) => [spec.name, spec]),
);
