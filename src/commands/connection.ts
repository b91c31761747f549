/**
 * The connection commands: PING, ECHO, HELLO, AUTH, SELECT, CLIENT, ...
 *
 * @module
 */

import type { CommandSpec } from "./types.ts";

/** The connection commands */
export const connectionCommands: CommandSpec[] = [];
