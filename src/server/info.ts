/**
 * INFO's text: the server, clients, memory, persistence, stats and keyspace sections in Redis's
 * format (`# Section` headers, `field:value` lines, CRLF line ends).
 *
 * @module
 */

import { type Db, scopeOf } from "../db/db.ts";
import type { Server } from "./server.ts";

import { REDIS_VERSION, REDLITE_VERSION } from "../version.ts";

const RUN_ID = Array.from(crypto.getRandomValues(new Uint8Array(20)))
  .map((byte) => byte.toString(16).padStart(2, "0")).join("");

type Fields = [string, string | number][];

/** The sections INFO knows, in Redis's order. */
const SECTIONS: Record<string, (server: Server, db: Db) => Fields> = {
  server: serverSection,
  clients: clientsSection,
  memory: memorySection,
  persistence: persistenceSection,
  stats: statsSection,
  keyspace: keyspaceSection,
};

function sysAllowed(kind: "osRelease"): boolean {
  // Asking for an API that was not granted would prompt on a terminal: look first.
  return Deno.permissions.querySync({ name: "sys", kind }).state === "granted";
}

function serverSection(server: Server): Fields {
  const now = Date.now();
  const uptime = Math.floor((now - server.startedAt) / 1000);
  const release = sysAllowed("osRelease") ? Deno.osRelease() : "";
  const os = Deno.build.os === "linux" ? "Linux" : Deno.build.os;
  return [
    ["redis_version", REDIS_VERSION],
    ["redlite_version", REDLITE_VERSION],
    ["deno_version", Deno.version.deno],
    ["sqlite_version", sqliteVersion(server)],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_mode", "standalone"],
    ["os", `${os} ${release} ${Deno.build.arch}`.replace("  ", " ")],
    ["arch_bits", 64],
    ["multiplexing_api", "deno"],
    ["process_id", Deno.pid],
    ["process_supervised", "no"],
    ["run_id", RUN_ID],
    ["tcp_port", server.addr.port],
    ["server_time_usec", now * 1000],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", server.config.get("hz")],
    ["configured_hz", server.config.get("hz")],
    ["executable", ""],
    ["config_file", ""],
    ["io_threads_active", 0],
  ];
}

function sqliteVersion(server: Server): string {
  const row = server.store.get("SELECT sqlite_version() AS version");
  return String(row?.version ?? "");
}

function clientsSection(server: Server): Fields {
  const clients = server.clients();
  let maxInput = 0;
  for (const client of clients) maxInput = Math.max(maxInput, client.decoder.buffered);
  return [
    ["connected_clients", clients.length],
    ["cluster_connections", 0],
    ["maxclients", server.config.get("maxclients")],
    ["client_recent_max_input_buffer", maxInput],
    ["client_recent_max_output_buffer", 0],
    ["blocked_clients", server.blocking.blockedClients],
    ["tracking_clients", 0],
    ["clients_in_timeout_table", server.blocking.timedClients],
  ];
}

function human(bytes: number): string {
  const units = ["B", "K", "M", "G", "T"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes}B` : `${value.toFixed(2)}${units[unit]}`;
}

function memorySection(server: Server): Fields {
  const memory = Deno.memoryUsage();
  const pages = server.store.get(
    "SELECT (SELECT page_count FROM pragma_page_count) * (SELECT page_size FROM pragma_page_size) AS size",
  );
  const dataset = Number(pages?.size ?? 0);
  const maxmemory = Number(server.config.get("maxmemory"));
  return [
    ["used_memory", memory.heapUsed + memory.external],
    ["used_memory_human", human(memory.heapUsed + memory.external)],
    ["used_memory_rss", memory.rss],
    ["used_memory_rss_human", human(memory.rss)],
    ["used_memory_dataset", dataset],
    ["used_memory_dataset_human", human(dataset)],
    ["maxmemory", maxmemory],
    ["maxmemory_human", human(maxmemory)],
    ["maxmemory_policy", server.config.get("maxmemory-policy")],
    ["mem_allocator", "v8"],
  ];
}

function persistenceSection(server: Server): Fields {
  return [
    ["loading", 0],
    ["async_loading", 0],
    ["rdb_changes_since_last_save", 0],
    ["rdb_bgsave_in_progress", 0],
    ["rdb_last_save_time", server.lastSave],
    ["rdb_last_bgsave_status", "ok"],
    ["aof_enabled", 0],
    ["aof_rewrite_in_progress", 0],
    ["aof_last_write_status", "ok"],
    ["storage", "sqlite"],
    ["storage_file", server.store.path],
    [
      "storage_durability",
      server.store.get("PRAGMA synchronous")?.synchronous === 2 ? "full" : "normal",
    ],
  ];
}

function statsSection(server: Server): Fields {
  const stats = server.stats;
  return [
    ["total_connections_received", stats.connections],
    ["total_commands_processed", stats.commands],
    ["total_net_input_bytes", stats.inputBytes],
    ["total_net_output_bytes", stats.outputBytes],
    ["rejected_connections", stats.rejected],
    ["pubsub_channels", server.pubsub.channelCount],
    ["pubsub_patterns", server.pubsub.patternCount],
    ["pubsubshard_channels", server.pubsub.shardChannelCount],
  ];
}

function keyspaceSection(_server: Server, db: Db): Fields {
  const now = Date.now();
  // The key counts the triggers keep; only keys with a time to live are read (through the
  // expiry index), to leave out the expired ones and to count and average the others.
  const rows = scopeOf(db).store.all(
    "SELECT c.db, c.n - coalesce(t.expired, 0) AS keys, coalesce(t.expires, 0) AS expires, " +
      "coalesce(t.avg_ttl, 0) AS avg_ttl FROM key_counts AS c LEFT JOIN (" +
      "SELECT db, sum(expire_at <= ?1) AS expired, sum(expire_at > ?1) AS expires, " +
      "avg(CASE WHEN expire_at > ?1 THEN expire_at - ?1 END) AS avg_ttl " +
      "FROM keys INDEXED BY keys_by_expiry WHERE expire_at IS NOT NULL GROUP BY db) AS t " +
      "ON t.db = c.db " +
      "WHERE c.n - coalesce(t.expired, 0) > 0 ORDER BY c.db",
    now,
  );
  return rows.map((row) => [
    `db${row.db}`,
    `keys=${row.keys},expires=${row.expires},avg_ttl=${Math.round(Number(row.avg_ttl))}`,
  ]);
}

/**
 * INFO's text for the sections asked for: none, `default` or `all` give every section,
 * `everything` too; unknown names are skipped, as Redis skips them.
 *
 * @example
 * ```ts
 * infoText(server, db, ["keyspace"]); // "# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"
 * ```
 */
export function infoText(server: Server, db: Db, sections: readonly string[]): string {
  const all = sections.length === 0 ||
    sections.some((name) => name === "default" || name === "all" || name === "everything");
  const chosen = Object.keys(SECTIONS).filter((name) => all || sections.includes(name));
  const parts: string[] = [];
  for (const name of chosen) {
    const fields = SECTIONS[name](server, db);
    const title = name[0].toUpperCase() + name.slice(1);
    parts.push(`# ${title}\r\n` + fields.map(([key, value]) => `${key}:${value}\r\n`).join(""));
  }
  return parts.join("\r\n");
}
