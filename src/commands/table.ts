/**
 * The command table: every command Redlite knows, by lower-case name. The server dispatches
 * through it, COMMAND reports it, and `db.command()` runs it in-process.
 *
 * @module
 */

import { stringCommands } from "./strings.ts";
import type { CommandSpec } from "./types.ts";

/** Every command family, in COMMAND LIST order. */
const FAMILIES: readonly (readonly CommandSpec[])[] = [
  stringCommands,
];

/** Every command by lower-case name. */
export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(
  FAMILIES.flat().map((spec) => [spec.name, spec]),
);
