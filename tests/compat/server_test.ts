import { differential, type StepLike } from "../_helpers/compat.ts";
import { NOT_IN_REDIS } from "../../src/commands/_redis_commands.ts";
import { redisCommandMeta } from "../../src/commands/command_meta.ts";
import { COMMANDS } from "../../src/commands/table.ts";

differential("CONFIG GET and SET with Redis's names, values and errors", [
  ["CONFIG", "GET", "maxmemory"],
  ["CONFIG", "GET", "MAXMEMORY"],
  { cmd: ["CONFIG", "GET", "maxmemory*"], unordered: true },
  { cmd: ["CONFIG", "GET", "hash-max-*", "zset-max-*"], unordered: true },
  { cmd: ["CONFIG", "GET", "*max-*-entries*", "hash-max-ziplist-entries"], unordered: true },
  ["CONFIG", "GET", "nosuchparameter"],
  ["CONFIG", "SET", "maxmemory", "1mb"],
  ["CONFIG", "GET", "maxmemory"],
  ["CONFIG", "SET", "maxmemory", "2GB", "timeout", "30"],
  { cmd: ["CONFIG", "GET", "maxmemory", "timeout"], unordered: true },
  ["CONFIG", "SET", "maxmemory", "abc"],
  ["CONFIG", "SET", "maxmemory-policy", "allkeys-lru"],
  ["CONFIG", "SET", "maxmemory-policy", "ALLKEYS-LFU"],
  ["CONFIG", "GET", "maxmemory-policy"],
  ["CONFIG", "SET", "maxmemory-policy", "sometimes"],
  ["CONFIG", "SET", "hash-max-listpack-entries", "abc"],
  ["CONFIG", "SET", "hash-max-listpack-entries", "-5"],
  ["CONFIG", "SET", "hash-max-ziplist-entries", "100"],
  ["CONFIG", "GET", "hash-max-listpack-entries"],
  ["CONFIG", "SET", "appendonly", "maybe"],
  ["CONFIG", "SET", "databases", "5"],
  ["CONFIG", "SET", "nosuchparameter", "1"],
  ["CONFIG", "SET", "timeout", "1", "timeout", "2"],
  ["CONFIG", "SET", "timeout", "-1"],
  ["CONFIG", "SET", "lazyfree-lazy-eviction", "yes", "maxmemory-policy", "bad"],
  ["CONFIG", "GET", "lazyfree-lazy-eviction"],
  ["CONFIG", "SET", "save", "foo"],
  ["CONFIG", "SET", "proto-max-bulk-len", "10"],
  ["CONFIG", "SET", "maxclients", "0"],
  ["CONFIG", "SET", "timeout"],
  ["CONFIG", "SET", "timeout", "1", "maxmemory"],
  ["CONFIG", "GET"],
  ["CONFIG", "RESETSTAT"],
  ["CONFIG", "REWRITE"],
  ["CONFIG", "HELP"],
  ["CONFIG", "FOO"],
  ["CONFIG"],
  // Back to the defaults: the same redis-server runs the RESP3 pass next.
  [
    "CONFIG",
    "SET",
    "maxmemory",
    "0",
    "timeout",
    "0",
    "maxmemory-policy",
    "noeviction",
    "hash-max-listpack-entries",
    "512",
  ],
]);

differential("COMMAND GETKEYS, COUNT, INFO and LIST", [
  ["COMMAND", "GETKEYS", "GET", "a"],
  ["COMMAND", "GETKEYS", "SET", "key", "value", "EX", "10"],
  ["COMMAND", "GETKEYS", "GET"],
  ["COMMAND", "GETKEYS", "PING"],
  ["COMMAND", "GETKEYS", "PING", "x"],
  ["COMMAND", "GETKEYS", "NOSUCH", "a"],
  ["COMMAND", "GETKEYS", "SET", "a"],
  ["COMMAND", "GETKEYS", "OBJECT", "ENCODING", "k"],
  { cmd: ["COMMAND", "COUNT"], shape: true },
  ["COMMAND", "INFO", "get", "nosuchcommand"],
  ["COMMAND", "INFO", "GET", "Config|Get", "config|nosuch", "get|x"],
  ["COMMAND", "DOCS", "get", "nosuchcommand", "CONFIG|GET"],
  ["COMMAND", "DOCS", "nosuchcommand"],
  // Found by the grammar fuzzer: key specification flags, several key specifications, tips,
  // and the order of ACL categories; the documentation's complexity, history and arguments.
  ["COMMAND", "INFO", "decr", "copy", "pttl", "lpush", "sort"],
  ["COMMAND", "DOCS", "set", "zadd", "client|list"],
  ["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcategory"],
  { cmd: ["COMMAND", "LIST", "FILTERBY", "PATTERN", "xyz*"], unordered: true },
  ["COMMAND", "LIST", "FILTERBY", "BOGUS", "x"],
  ["COMMAND", "LIST", "FILTERBY"],
  ["COMMAND", "FOO"],
]);

differential("OBJECT on strings", [
  ["SET", "int", "12345"],
  ["SET", "big", "123456789012345678901"],
  ["SET", "short", "hello"],
  ["SET", "long", "x".repeat(45)],
  ["SET", "edge", "y".repeat(44)],
  ["SET", "negative", "-7"],
  ["SET", "padded", "007"],
  ["OBJECT", "ENCODING", "int"],
  ["OBJECT", "ENCODING", "big"],
  ["OBJECT", "ENCODING", "short"],
  ["OBJECT", "ENCODING", "long"],
  ["OBJECT", "ENCODING", "edge"],
  ["OBJECT", "ENCODING", "negative"],
  ["OBJECT", "ENCODING", "padded"],
  ["OBJECT", "ENCODING", "missing"],
  ["OBJECT", "REFCOUNT", "int"],
  ["OBJECT", "REFCOUNT", "short"],
  ["OBJECT", "REFCOUNT", "missing"],
  ["OBJECT", "IDLETIME", "short"],
  ["OBJECT", "IDLETIME", "missing"],
  ["OBJECT", "FREQ", "short"],
  ["OBJECT", "FREQ", "missing"],
  ["OBJECT", "HELP"],
  ["OBJECT", "ENCODING"],
  ["OBJECT", "ENCODING", "a", "b"],
  ["OBJECT", "NOSUCH", "k"],
  ["OBJECT"],
]);

differential("TIME, LASTSAVE, WAIT, SHUTDOWN ABORT, INFO of an unknown section", [
  { cmd: ["TIME"], shape: true },
  ["TIME", "extra"],
  { cmd: ["LASTSAVE"], shape: true },
  ["WAIT", "0", "0"],
  ["WAIT", "0", "100"],
  ["WAIT", "a", "0"],
  ["WAIT", "1", "-1"],
  ["WAIT", "1", "abc"],
  ["WAIT", "1"],
  ["SHUTDOWN", "ABORT"],
  ["SHUTDOWN", "BOGUS"],
  ["BGSAVE", "BOGUS"],
  ["INFO", "nosuchsection"],
]);

/**
 * COMMAND INFO and COMMAND DOCS of each command. A container command's own reply lists its
 * subcommands in the order of a hash table Redis seeds at random when it starts: compared after
 * sorting when Redlite has all of them (each subcommand is compared on its own as well).
 */
function metadataSteps(): StepLike[] {
  const steps: StepLike[] = [];
  for (const spec of COMMANDS.values()) {
    const names = [spec.name, ...(spec.subcommands ?? []).map((sub) => `${spec.name}|${sub.name}`)];
    for (const name of names) {
      if (NOT_IN_REDIS.includes(name)) continue;
      const subcommands = name === spec.name ? spec.subcommands : undefined;
      const redisSubcommands = Object.keys(redisCommandMeta(name)?.subcommands ?? {});
      if (subcommands !== undefined && subcommands.length < redisSubcommands.length) continue;
      for (const sub of ["INFO", "DOCS"]) {
        steps.push({ cmd: ["COMMAND", sub, name], unordered: subcommands !== undefined });
      }
    }
  }
  return steps;
}

differential("COMMAND INFO and COMMAND DOCS of every command are Redis's", metadataSteps());
