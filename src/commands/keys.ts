/**
 * The key commands (Redis's generic group): DEL, EXISTS, EXPIRE, SCAN, ...
 *
 * @module
 */

import type { CommandSpec } from "./types.ts";

/** The key commands (Redis's generic group) */
export const keyCommands: CommandSpec[] = [];
