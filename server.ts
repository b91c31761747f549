/**
 * The Redlite server: RESP2/RESP3 over TCP on one database file. Run it with
 * `deno run -A server.ts`.
 *
 * @module
 */

import { Db } from "./mod.ts";

/** The version of Redlite, as `--version` and INFO report it. */
export const VERSION = "0.1.0";

if (import.meta.main) {
  const db = Db.open("redlite.db");
  console.log(`redlite ${VERSION}: the server is not written yet; opened ${db.path}`);
  db.close();
}
