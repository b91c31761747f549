/**
 * Which SQL a piece of work runs: for tests of how many statements a command or a batch costs.
 *
 * @module
 */

import type { Store } from "../../src/db/store.ts";

/**
 * Records the SQL `work` runs by its text, through every way the store runs it: the statement
 * caches and the key cache's paths (not the store's own BEGIN and COMMIT, nor the writes a
 * batch kept back and makes at its end).
 *
 * @example
 * ```ts
 * const seen = statementsOf(store, () => db.get("k")); // ["SELECT ... FROM keys WHERE ..."]
 * ```
 */
export function statementsOf(store: Store, work: () => void): string[] {
  const seen: string[] = [];
  const methods = [
    "statement",
    "arrayStatement",
    "valuesBesideCache",
    "runBesideCache",
    "insertBesideCache",
    "writeBesideCache",
  ] as const;
  const originals = methods.map((name) => store[name]);
  methods.forEach((name, i) => {
    const original = originals[i] as (sql: string, ...params: never[]) => unknown;
    (store as unknown as Record<string, unknown>)[name] = (sql: string, ...params: never[]) => {
      seen.push(sql);
      return original.call(store, sql, ...params);
    };
  });
  try {
    work();
  } finally {
    methods.forEach((name, i) => {
      (store as unknown as Record<string, unknown>)[name] = originals[i];
    });
  }
  return seen;
}
