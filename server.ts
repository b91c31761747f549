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
import { toBytes } from "./src/db/bytes.ts";
import { Checkpointer } from "./src/db/checkpointer.ts";
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
  /**
   * Publishes a message to the server's subscribers, as PUBLISH does (channel subscribers,
   * then matching patterns); returns how many deliveries it made.
   *
   * @example
   * ```ts
   * server.publish("news", "hello"); // 0 while no client is subscribed
   * ```
   */
  publish(channel: string | Uint8Array, message: string | Uint8Array): number;
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
    publish: (channel, message) => server.pubsub.publish(toBytes(channel), toBytes(message)),
  };
}

const HELP = `Redlite ${REDLITE_VERSION}: a Redis-compatible server on one SQLite file.

Usage: deno run -A server.ts [options]

Options:
  --port N                 port to listen on (default 6767; 0 picks a free one)
  --bind ADDRESS           address to listen on (default 127.0.0.1)
  --db PATH                database file (default redlite.db in the working folder)
  --memory                 serve an in-memory database instead of a file
  --password PASSWORD      require AUTH (Redis's requirepass); visible in the process
                           list: prefer --password-file or REDLITE_PASSWORD
  --password-file PATH     read the password from a file (one trailing newline ignored)
  --protected-mode yes|no  yes (default): without a password, refuse clients that are not
                           on the loopback interface, as Redis does
  --tls-cert PATH          serve RESP over TLS with this certificate chain (PEM) ...
  --tls-key PATH           ... and this private key (PEM); both or neither
  --durability MODE        normal (default: safe against a crash of the process) or
                           full (safe against a crash of the machine too)
  --busy-timeout MS        how long a write waits for another process's lock before it
                           gets an error (default 5000)
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
  protectedMode: boolean;
  tls?: { cert: string; key: string };
  durability: "normal" | "full";
  busyTimeout: number;
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
      "password-file": { type: "string" },
      "protected-mode": { type: "string", default: "yes" },
      "tls-cert": { type: "string" },
      "tls-key": { type: "string" },
      durability: { type: "string", default: "normal" },
      "busy-timeout": { type: "string", default: "5000" },
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
  const busyTimeout = Number(values["busy-timeout"]);
  if (!Number.isInteger(busyTimeout) || busyTimeout < 0) {
    throw new Error("--busy-timeout: not a number of milliseconds");
  }
  const protectedMode = values["protected-mode"];
  if (protectedMode !== "yes" && protectedMode !== "no") {
    throw new Error("--protected-mode: yes or no");
  }
  return {
    port,
    bind: values.bind,
    db: values.db,
    memory: values.memory,
    password: password(values.password, values["password-file"]),
    protectedMode: protectedMode === "yes",
    tls: tlsFiles(values["tls-cert"], values["tls-key"]),
    durability: values.durability,
    busyTimeout,
    maxClients,
  };
}

// --password, --password-file (one of them), else REDLITE_PASSWORD.
function password(text: string | undefined, file: string | undefined): string | undefined {
  if (text !== undefined && file !== undefined) {
    throw new Error("--password and --password-file: give one of them");
  }
  if (file === undefined) return text ?? envPassword();
  const content = Deno.readTextFileSync(file).replace(/\r?\n$/, "");
  if (content === "") throw new Error(`--password-file: ${file} is empty`);
  return content;
}

function tlsFiles(
  cert: string | undefined,
  key: string | undefined,
): { cert: string; key: string } | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) {
    throw new Error("--tls-cert and --tls-key: give both");
  }
  return { cert: Deno.readTextFileSync(cert), key: Deno.readTextFileSync(key) };
}

function envPassword(): string | undefined {
  const allowed = Deno.permissions.querySync({ name: "env", variable: "REDLITE_PASSWORD" });
  return allowed.state === "granted" ? Deno.env.get("REDLITE_PASSWORD") || undefined : undefined;
}

async function main(): Promise<number> {
  // Past the process's file-size limit (ulimit -f) the kernel sends SIGXFSZ, which would kill
  // the server: ignored from the start (the runtime's own caches may meet the limit too), the
  // write that failed gets its error reply and the server goes on.
  const fileTooLarge = () => {};
  Deno.addSignalListener("SIGXFSZ", fileTooLarge);
  try {
    return await run();
  } finally {
    Deno.removeSignalListener("SIGXFSZ", fileTooLarge);
  }
}

async function run(): Promise<number> {
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
  const options = { durability: settings.durability, busyTimeout: settings.busyTimeout };
  let db: Db;
  try {
    db = settings.memory ? Db.openMemory(options) : Db.open(settings.db, options);
  } catch (error) {
    console.error(`redlite: ${(error as Error).message}`);
    return 1;
  }
  let server: Server;
  try {
    server = Server.listen(db, {
      hostname: settings.bind,
      port: settings.port,
      password: settings.password,
      protectedMode: settings.protectedMode,
      tls: settings.tls,
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
  // The write-ahead log is copied into the file by a worker, so that the COMMITs' own copies,
  // which stop every client meanwhile, find little left to do.
  const checkpointer = settings.memory ? null : Checkpointer.start(settings.db, {
    durability: settings.durability,
    log: (message) => console.error(`redlite: ${message}`),
  });
  const where = settings.memory ? "an in-memory database" : settings.db;
  const tls = settings.tls === undefined ? "" : " (TLS)";
  console.log(
    `Redlite ${REDLITE_VERSION} listening on ${server.addr.hostname}:${server.addr.port}${tls}, serving ${where}`,
  );
  const stop = () => void server.close();
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.addSignalListener(signal, stop);
  await server.finished;
  for (const signal of ["SIGINT", "SIGTERM"] as const) Deno.removeSignalListener(signal, stop);
  await checkpointer?.close();
  // Every batch is answered and committed: fold the write-ahead log into the file, then close.
  try {
    server.save();
  } catch (error) {
    console.error(`redlite: checkpoint at shutdown: ${(error as Error).message}`);
  }
  db.close();
  return 0;
}

if (import.meta.main) Deno.exit(await main());
