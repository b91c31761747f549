import { differential } from "../_helpers/compat.ts";

differential("PING and ECHO", [
  ["PING"],
  ["PING", "hello"],
  ["PING", "a", "b"],
  ["ECHO", "message"],
  ["ECHO", ""],
  ["ECHO"],
  ["ECHO", "a", "b"],
  ["ping"],
]);

differential("SELECT keeps keys apart per database", [
  ["SET", "k", "zero"],
  ["SELECT", "1"],
  ["GET", "k"],
  ["SET", "k", "one"],
  ["SELECT", "15"],
  ["GET", "k"],
  ["SELECT", "16"],
  ["SELECT", "-1"],
  ["SELECT", "abc"],
  ["SELECT", "99999999999"],
  ["SELECT", "1.5"],
  ["SELECT"],
  ["SELECT", "0"],
  ["GET", "k"],
  ["SELECT", "1"],
  ["GET", "k"],
]);

differential("AUTH without a password configured", [
  ["AUTH", "secret"],
  ["AUTH", "default", "anything"],
  ["AUTH", "someone", "secret"],
  ["AUTH", "a", "b", "c"],
  ["AUTH"],
  ["PING"],
]);

differential("HELLO negotiates the protocol and names the client", [
  { cmd: ["HELLO"], shape: true },
  ["HELLO", "4"],
  ["HELLO", "1"],
  ["HELLO", "abc"],
  ["HELLO", "3", "FOO"],
  ["HELLO", "3", "SETNAME"],
  ["HELLO", "3", "SETNAME", "a b"],
  ["HELLO", "3", "AUTH", "someone", "x"],
  { cmd: ["HELLO", "3", "AUTH", "default", "x", "SETNAME", "named"], shape: true },
  ["CLIENT", "GETNAME"],
  ["PING"],
  ["GET", "missing"],
  { cmd: ["HELLO", "2"], shape: true },
  ["GET", "missing"],
  { cmd: ["HELLO", "3"], shape: true },
  ["GET", "missing"],
]);

differential("CLIENT SETNAME, GETNAME, ID, NO-EVICT", [
  ["CLIENT", "GETNAME"],
  ["CLIENT", "SETNAME", "worker-1"],
  ["CLIENT", "GETNAME"],
  ["CLIENT", "SETNAME", "two words"],
  ["CLIENT", "SETNAME", "new\nline"],
  ["CLIENT", "GETNAME"],
  ["CLIENT", "SETNAME", ""],
  ["CLIENT", "GETNAME"],
  ["CLIENT", "SETNAME"],
  { cmd: ["CLIENT", "ID"], shape: true },
  ["CLIENT", "NO-EVICT", "on"],
  ["CLIENT", "NO-EVICT", "OFF"],
  ["CLIENT", "NO-EVICT", "maybe"],
  ["CLIENT"],
  ["CLIENT", "FOO"],
  ["client", "getname", "extra"],
]);

differential("CLIENT KILL and LIST argument errors", [
  ["CLIENT", "KILL", "1.2.3.4:5"],
  ["CLIENT", "KILL", "ADDR", "1.2.3.4:5"],
  ["CLIENT", "KILL", "ADDR", "1.2.3.4:5", "SKIPME"],
  ["CLIENT", "KILL", "ID", "0"],
  ["CLIENT", "KILL", "ID", "abc"],
  ["CLIENT", "KILL", "ID", "999999"],
  ["CLIENT", "KILL", "TYPE", "bogus"],
  ["CLIENT", "KILL", "TYPE", "pubsub"],
  ["CLIENT", "KILL", "USER", "nobody"],
  ["CLIENT", "KILL", "SKIPME", "maybe"],
  ["CLIENT", "KILL", "FOO", "bar"],
  ["CLIENT", "LIST", "ID", "abc"],
  ["CLIENT", "LIST", "TYPE", "bogus"],
  ["CLIENT", "LIST", "TYPE", "pubsub"],
  ["CLIENT", "LIST", "FOO"],
  ["CLIENT", "LIST", "ID", "999999"],
  // Found by the grammar fuzzer: ids of no client (0, negative) list nothing; TYPE takes one
  // type and nothing after it.
  ["CLIENT", "LIST", "ID", "-2", "0", "999999"],
  ["CLIENT", "LIST", "ID", "-9223372036854775808"],
  ["CLIENT", "LIST", "ID", "1", "abc"],
  ["CLIENT", "LIST", "ID", "99999999999999999999"],
  ["CLIENT", "LIST", "ID"],
  ["CLIENT", "LIST", "TYPE"],
  ["CLIENT", "LIST", "TYPE", "master", "TYPE", "pubsub"],
  ["CLIENT", "LIST", "TYPE", "normal", "ID", "1"],
  ["CLIENT", "LIST", "type", "Master"],
]);

differential("RESET returns the connection to its first state", [
  ["CLIENT", "SETNAME", "before"],
  ["SELECT", "2"],
  ["SET", "k", "in two"],
  { cmd: ["HELLO", "3"], shape: true },
  ["RESET"],
  ["CLIENT", "GETNAME"],
  ["GET", "k"],
  ["GET", "missing"],
  ["RESET", "extra"],
]);

differential("unknown commands and wrong arity", [
  ["NOSUCHCOMMAND"],
  ["nosuchcommand", "a", "b"],
  ["FOO", "x".repeat(200)],
  ["GET"],
  ["SET", "k"],
  ["PING", "a", "b"],
]);

differential("QUIT answers OK", [
  ["PING"],
  ["QUIT"],
]);
