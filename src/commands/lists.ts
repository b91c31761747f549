/**
 * The list commands.
 *
 * @module
 */

import type { CommandSpec } from "./types.ts";

/** The list commands. */
export const listCommands: CommandSpec[] = [];
