/**
 * The server commands: INFO, CONFIG, COMMAND, DBSIZE, TIME, ...
 *
 * @module
 */

import type { CommandSpec } from "./types.ts";

/** The server commands */
export const serverCommands: CommandSpec[] = [];
