/**
 * SORT and SORT_RO, parsed as Redis 7.0's sortCommandGeneric parses them.
 *
 * @module
 */

import { scopeOf } from "../db/db.ts";
import * as sorting from "../db/sort.ts";
import type { Reply } from "../resp/reply.ts";
import { intArg, option, syntaxError } from "./args.ts";
import type { CommandContext, CommandSpec } from "./types.ts";

/** SORT's command line, parsed. */
interface ParsedSort {
  options: sorting.SortOptions;
  store: Uint8Array | null;
}

// Options in any order, each later one winning, except that one BY without `*` is enough to
// keep the native order (Redis sets its `dontsort` and never clears it); STORE only for SORT.
function parseSort(argv: Uint8Array[], readonly: boolean): ParsedSort {
  const options: sorting.SortOptions = {};
  const get: Uint8Array[] = [];
  let store: Uint8Array | null = null;
  let constantBy: Uint8Array | undefined;
  for (let i = 2; i < argv.length; i++) {
    const name = option(argv[i]);
    const left = argv.length - i - 1;
    if (name === "ASC") options.desc = false;
    else if (name === "DESC") options.desc = true;
    else if (name === "ALPHA") options.alpha = true;
    else if (name === "LIMIT" && left >= 2) {
      options.limit = { offset: intArg(argv[i + 1]), count: intArg(argv[i + 2]) };
      i += 2;
    } else if (!readonly && name === "STORE" && left >= 1) store = argv[++i];
    else if (name === "BY" && left >= 1) {
      options.by = argv[++i];
      if (!sorting.isSortPattern(options.by)) constantBy ??= options.by;
    } else if (name === "GET" && left >= 1) get.push(argv[++i]);
    else syntaxError();
  }
  if (get.length > 0) options.get = get;
  if (constantBy !== undefined) options.by = constantBy;
  return { options, store };
}

function sortHandler(readonly: boolean) {
  return (ctx: CommandContext, argv: Uint8Array[]): Reply => {
    const { options, store } = parseSort(argv, readonly);
    const intsetEntries = ctx.client?.server.configValue("set-max-intset-entries");
    if (intsetEntries !== undefined) options.intsetEntries = Number(intsetEntries);
    const scope = scopeOf(ctx.db);
    if (store !== null) return sorting.sortStore(scope, argv[1], store, options);
    return sorting.sort(scope, argv[1], options);
  };
}

// SORT's keys: the sorted key, and the STORE destination when there is one.
function sortKeys(argv: Uint8Array[]): number[] {
  const keys = [1];
  for (let i = 2; i < argv.length; i++) {
    const name = option(argv[i]);
    if (name === "LIMIT") i += 2;
    else if (name === "BY" || name === "GET") i++;
    else if (name === "STORE" && i + 1 < argv.length) keys.push(++i);
  }
  return keys;
}

/** SORT and SORT_RO. */
export const sortCommands: CommandSpec[] = [
  {
    name: "sort",
    arity: -2,
    flags: ["write", "denyoom", "movablekeys"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "generic",
    summary: "Sort the elements in a list, set or sorted set",
    since: "1.0.0",
    keys: sortKeys,
    handler: sortHandler(false),
  },
  {
    name: "sort_ro",
    arity: -2,
    flags: ["readonly", "movablekeys"],
    firstKey: 1,
    lastKey: 1,
    step: 1,
    group: "generic",
    summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
    since: "7.0.0",
    keys: () => [1],
    handler: sortHandler(true),
  },
];
