/**
 * The hash commands.
 *
 * @module
 */

import type { CommandSpec } from "./types.ts";

/** The hash commands. */
export const hashCommands: CommandSpec[] = [];
