/**
 * A Redlite server for one test: started on a free port over an open `Db` (in memory unless
 * given), closed with its database afterwards whatever the test did. And whether a program
 * such as redis-cli is installed, for tests that use it when it is there.
 *
 * @module
 */

import { Db } from "../../src/db/db.ts";
import { Server, type ServerOptions } from "../../src/server/server.ts";

/**
 * Runs `fn` with a server listening on a free loopback port, then closes it and its database.
 *
 * @example
 * ```ts
 * await withServerInstance(async (server, db) => {
 *   const client = await RespClient.connect(server.addr.port);
 * });
 * ```
 */
export async function withServerInstance(
  fn: (server: Server, db: Db) => Promise<void>,
  options: ServerOptions = {},
  db: Db = Db.openMemory(),
): Promise<void> {
  const server = Server.listen(db, { port: 0, ...options });
  try {
    await fn(server, db);
  } finally {
    await server.close();
    db.close();
  }
}

/**
 * {@linkcode withServerInstance} for tests that only need the port.
 *
 * @example
 * ```ts
 * await withServer(async (port) => {
 *   const redis = new Redis({ port });
 * }, { password: "pw" });
 * ```
 */
export function withServer(
  fn: (port: number, db: Db) => Promise<void>,
  options: ServerOptions = {},
  db: Db = Db.openMemory(),
): Promise<void> {
  return withServerInstance((server, db) => fn(server.addr.port, db), options, db);
}

/**
 * Whether `program` runs here (it answers `args`, `--version` by default, with success).
 *
 * @example
 * ```ts
 * if (installed("redis-cli")) { ... }
 * ```
 */
export function installed(program: string, args: string[] = ["--version"]): boolean {
  try {
    return new Deno.Command(program, { args, stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

/** Whether redis-cli is installed. */
export const HAS_REDIS_CLI: boolean = installed("redis-cli");
