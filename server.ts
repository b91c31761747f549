/**
 * The Redlite server: RESP2/RESP3 over TCP on one SQLite file, for every Redis client.
 *
 * Run it with `deno task serve` (or `deno run -A server.ts`): port 6767 on 127.0.0.1, serving
 * `redlite.db` in the working folder; `--help` lists the flags. Or start it inside an
 * application on an open database:
 *
 * ```ts
 * import { Db } from "@redlite/redlite";
 * import { serve } from "@redlite/redlite/server";
 *
 * const db = Db.open("app.db");
 * const server = serve(db, { port: 0 }); // 0: any free port
 * console.log(`redis-cli -p ${server.port}`);
 * // ... the application keeps using `db` directly ...
 * await server.close();
 * db.close();
 * ```
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Db } from "./src/db/db.ts";
import { Server, type ServerOptions } from "./src/server/server.ts";
import { REDLITE_VERSION } from "./src/version.ts";

/** The version of Redlite, as `--version` and INFO report it. */
export const VERSION: string = REDLITE_VERSION;

/** How {@linkcode serve} listens and whom it lets in. */
export type ServeOptions = ServerOptions;

/** A running server, as {@linkcode serve} returns it. */
export interface RedliteServer {
  /** The address it listens on. */
  readonly hostname: string;
  /** The port it listens on (the one picked when 0 was asked for). */
  readonly port: number;
  /** Resolves when the server has stopped (after `close()` or a SHUTDOWN command). */
  readonly finished: Promise<void>;
  /**
   * Stops the server: no new connections, every client's running batch is answered, then the
   * connections close. The database stays open: it belongs to the caller.
   */
  close(): Promise<void>;
}

/**
 * Starts a RESP server on an open database. Clients get their own sessions of `db` (each with
 * its own selected database); the application may keep using `db` at the same time.
 *
 * @example
 * ```ts
 * import { Db } from "@redlite/redlite";
 * import { serve } from "@redlite/redlite/server";
 *
 * const db = Db.openMemory();
 * const server = serve(db, { port: 0 });
 * console.log(server.port);
 * await server.close();
 * db.close();
 * ```
 */
export function serve(db: Db, options: ServeOptions = {}): RedliteServer {
  const server = Server.listen(db, options);
  return {
    hostname: server.addr.hostname,
    port: server.addr.port,
    finished: server.finished,
    close: () => server.close(),
  };
}

const HELP = `Redlite ${REDLITE_VERSION}: a Redis-compatible server on one SQLite file.

Usage: deno run -A server.ts [options]

Options:
  --port N                 port to listen on (default 6767; 0 picks a free one)
  --bind ADDRESS           address to listen on (default 127.0.0.1)
  --db PATH                database file (default redlite.db in the working folder)
  --memory                 serve an in-memory database instead of a file
  --password PASSWORD      require AUTH (Redis's requirepass; also REDLITE_PASSWORD)
  --durability MODE        normal (default: safe against a crash of the process) or
                           full (safe against a crash of the machine too)
  --maxclients N           the most clients at once (default 10000)
  --help                   print this help
  --version                print the version
`;

/** The settings of the command line. */
interface CliSettings {
  port: number;
  bind: string;
  db: string;
  memory: boolean;
  password?: string;
  durability: "normal" | "full";
  maxClients: number;
}

function parseCli(args: string[]): CliSettings | string {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "6767" },
      bind: { type: "string", default: "127.0.0.1" },
      db: { type: "string", default: "redlite.db" },
      memory: { type: "boolean", default: false },
      password: { type: "string" },
      durability: { type: "string", default: "normal" },
      maxclients: { type: "string", default: "10000" },
      help: { type: "boolean", default: false },
      version: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) return HELP;
  if (values.version) return `redlite ${REDLITE_VERSION}\n`;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--port: not a port");
  const maxClients = Number(values.maxclients);
  if (!Number.isInteger(maxClients) || maxClients < 1) {
    throw new Error("--maxclients: not a positive integer");
  }
  if (values.durability !== "normal" && values.durability !== "full") {
    throw new Error("--durability: normal or full");
  }
  return {
    port,
    bind: values.bind,
    db: values.db,
    memory: values.memory,
    password: values.password ?? envPassword(),
    durability: values.durability,
    maxClients,
  };
}

function envPassword(): string | undefined {
  const allowed = Deno.permissions.querySync({ name: "env", variable: "REDLITE_PASSWORD" });
  return allowed.state === "granted" ? Deno.env.get("REDLITE_PASSWORD") || undefined : undefined;
}

async function main(): Promise<number> {
  let settings: CliSettings | string;
  try {
    settings = parseCli(Deno.args);
  } catch (error) {
    console.error(`redlite: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (typeof settings === "string") {
    await Deno.stdout.write(new TextEncoder().encode(settings));
    return 0;
  }
  const options = { durability: settings.durability };
  const db = settings.memory ? Db.openMemory(options) : Db.open(settings.db, options);
  let server: Server;
  try {
    server = Server.listen(db, {
      hostname: settings.bind,
      port: settings.port,
      password: settings.password,
      maxClients: settings.maxClients,
      log: (message) => console.error(`redlite: ${message}`),
    });
  } catch (error) {
    db.close();
    console.error(
      `redlite: cannot listen on ${settings.bind}:${settings.port}: ${(error as Error).message}`,
    );
    return 1;
  }
  const where = settings.memory ? "an in-memory database" : settings.db;
  console.log(
    `Redlite ${REDLITE_VERSION} listening on ${server.addr.hostname}:${server.addr.port}, serving ${where}`,
  );
  const stop = () => void server.close();
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop);
  await server.finished;
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.removeSignalListener(signal, stop);
  db.close();
  return 0;
}

if (import.meta.main) Deno.exit(await main());
