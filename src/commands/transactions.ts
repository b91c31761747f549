/**
 * The transaction commands: MULTI, EXEC, DISCARD, WATCH and UNWATCH. They work on the
 * connection's state (`src/server/transactions.ts`); run in-process (`db.command("MULTI")`) they
 * answer that they are the server's: the embedded API has `db.transaction(fn)` instead.
 *
 * @module
 */

import { OK } from "../resp/reply.ts";
import { clientOf, NO_KEYS } from "./connection.ts";
import type { CommandSpec } from "./types.ts";

const FLAGS = ["noscript", "loading", "stale", "fast", "allow_busy"] as const;

/** The transaction commands. */
export const transactionCommands: CommandSpec[] = [
  {
    name: "multi",
    arity: 1,
    flags: [...FLAGS],
    ...NO_KEYS,
    group: "transactions",
    summary: "Mark the start of a transaction block",
    since: "1.2.0",
    handler: (ctx) => {
      clientOf(ctx).transaction.multi();
      return OK;
    },
  },
  {
    name: "exec",
    arity: 1,
    flags: ["noscript", "loading", "stale", "skip_slowlog"],
    ...NO_KEYS,
    group: "transactions",
    summary: "Execute all commands issued after MULTI",
    since: "1.2.0",
    handler: (ctx) => clientOf(ctx).transaction.exec(),
  },
  {
    name: "discard",
    arity: 1,
    flags: [...FLAGS],
    ...NO_KEYS,
    group: "transactions",
    summary: "Discard all commands issued after MULTI",
    since: "2.0.0",
    handler: (ctx) => {
      clientOf(ctx).transaction.discard();
      return OK;
    },
  },
  {
    name: "watch",
    arity: -2,
    flags: [...FLAGS],
    firstKey: 1,
    lastKey: -1,
    step: 1,
    group: "transactions",
    summary: "Watch the given keys to determine execution of the MULTI/EXEC block",
    since: "2.2.0",
    handler: (ctx, argv) => {
      clientOf(ctx).transaction.watch(argv.slice(1));
      return OK;
    },
  },
  {
    name: "unwatch",
    arity: 1,
    flags: [...FLAGS],
    ...NO_KEYS,
    group: "transactions",
    summary: "Forget about all watched keys",
    since: "2.2.0",
    handler: (ctx) => {
      clientOf(ctx).transaction.unwatch();
      return OK;
    },
  },
];
