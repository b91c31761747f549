import { differential } from "../_helpers/compat.ts";

differential("GET and SET", [
  ["GET", "missing"],
  ["SET", "k", "v"],
  ["GET", "k"],
  ["SET", "k", "w", "NX"],
  ["SET", "k", "w", "XX", "GET"],
  ["SET", "new", "v", "XX"],
  ["SET", "k", "v", "EX", "0"],
  ["SET", "k", "v", "EX", "abc"],
  ["SET", "k", "v", "EX", "abc", "FOO"],
  ["SET", "k", "v", "NX", "XX"],
  ["SET", "k", "v", "KEEPTTL", "EX", "10"],
  ["SET", "k", "v", "EX", "10", "PX", "100"],
  ["SET", "k", "v", "EX", "10", "EX", "20"],
  ["SET", "k", "v", "PXAT", "1"],
  ["GET", "k"],
  ["SET"],
  ["GET", "a", "b"],
]);
