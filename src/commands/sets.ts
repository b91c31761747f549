/**
 * The set commands.
 *
 * @module
 */

import type { CommandSpec } from "./types.ts";

/** The set commands. */
export const setCommands: CommandSpec[] = [];
