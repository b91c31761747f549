/**
 * The sorted set commands.
 *
 * @module
 */

import type { CommandSpec } from "./types.ts";

/** The sorted set commands. */
export const zsetCommands: CommandSpec[] = [];
