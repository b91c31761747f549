import { differential, type StepLike } from "../_helpers/compat.ts";
import { SeededRandom } from "../_helpers/random.ts";

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

/** Steps run after the key "list" was made a list, for WRONGTYPE cases. */
function withList(steps: StepLike[]): StepLike[] {
  return [["RPUSH", "list", "x"], ...steps];
}

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

differential("SET options in every combination and order", [
  ["SET", "k", "1", "NX", "GET"],
  ["SET", "k", "2", "NX", "GET"],
  ["GET", "k"],
  ["SET", "k", "3", "GET", "XX"],
  ["SET", "missing", "3", "XX", "GET"],
  ["SET", "k", "4", "xx", "nx"],
  ["SET", "k", "4", "NX", "NX"],
  ["SET", "k", "4", "XX", "XX", "GET", "GET"],
  ["SET", "k", "5", "KEEPTTL", "KEEPTTL"],
  ["SET", "k", "5", "EX", "10", "KEEPTTL"],
  ["SET", "k", "5", "PX", "10", "PX", "20000"],
  ["SET", "k", "5", "EXAT", "99999999999", "PXAT", "99999999999999"],
  ["SET", "k", "5", "PXAT", "99999999999999", "PXAT", "99999999999999"],
  ["SET", "k", "5", "EX"],
  ["SET", "k", "5", "NX", "EX"],
  ["SET", "k", "5", "PERSIST"],
  ["SET", "k", "5", "EX", "-1"],
  ["SET", "k", "5", "PX", "0"],
  ["SET", "k", "5", "EX", "9223372036854775807"],
  ["SET", "k", "5", "EX", "9223372036854775"],
  ["SET", "k", "5", "PX", "9223372036854775807"],
  ["SET", "k", "5", "EXAT", "9223372036854775807"],
  ["SET", "k", "5", "PXAT", "9223372036854775807"],
  ["SET", "k", "5", "EX", "1.5"],
  ["SET", "k", "5", "EX", "10", "foo"],
  ["SET", "k", "5", "foo", "EX", "x"],
  ["SET", "k", "6", "ex", "100", "nx", "get"],
  ["SET", "k", "7", "Px", "100000", "xX", "Get"],
  ["GET", "k"],
  ["SET", "k", "8", "KEEPTTL", "GET", "XX"],
  ["SET", "k", "9", bytes(78, 88, 0, 120)], // "NX\0x": Redis reads options as C strings
  ["SET", "k", "9", bytes(69, 88, 0), "10"],
  ["SET", "k", "", "GET"],
  ["GET", "k"],
]);

differential(
  "SET and GET against another type",
  withList([
    ["GET", "list"],
    ["SET", "list", "v", "GET"],
    ["SET", "list", "v", "NX", "GET"],
    ["SET", "list", "v", "NX"],
    ["SET", "list", "v", "XX", "GET", "EX", "abc"],
    ["SET", "list", "v", "XX"],
    ["GET", "list"],
  ]),
);

differential("SETNX, SETEX, PSETEX", [
  ["SETNX", "k", "1"],
  ["SETNX", "k", "2"],
  ["GET", "k"],
  ["SETNX", "k"],
  ["SETEX", "k", "100", "v"],
  ["GET", "k"],
  ["SETEX", "k", "0", "v"],
  ["SETEX", "k", "-5", "v"],
  ["SETEX", "k", "abc", "v"],
  ["SETEX", "k", "9223372036854775807", "v"],
  ["SETEX", "k", "100"],
  ["PSETEX", "k", "100000", "w"],
  ["GET", "k"],
  ["PSETEX", "k", "0", "w"],
  ["PSETEX", "k", "9223372036854775807", "w"],
  ["PSETEX", "k", "1.5", "w"],
  ["SET", "gone", "v", "PXAT", "1"],
  ["SETNX", "gone", "again"],
  ["GET", "gone"],
]);

differential(
  "SETNX, SETEX and GETSET replace or respect another type",
  withList([
    ["SETNX", "list", "v"],
    ["GETSET", "list", "v"],
    ["SETEX", "list", "100", "v"],
    ["GET", "list"],
  ]),
);

differential("GETSET, GETDEL", [
  ["GETSET", "k", "1"],
  ["GETSET", "k", "2"],
  ["GET", "k"],
  ["GETDEL", "k"],
  ["GETDEL", "k"],
  ["GET", "k"],
  ["SET", "gone", "v", "PXAT", "1"],
  ["GETDEL", "gone"],
  ["GETSET", "gone", "v"],
  ["GETSET", "k"],
  ["GETDEL"],
  ["GETDEL", "a", "b"],
  ["SET", "bin", bytes(0, 255, 13, 10)],
  ["GETDEL", "bin"],
]);

differential(
  "GETDEL and GETSET on another type",
  withList([
    ["GETDEL", "list"],
    ["GETSET", "list", "x"],
    ["GETEX", "list"],
  ]),
);

differential("GETEX", [
  ["GETEX", "missing"],
  ["GETEX", "missing", "EX", "abc"],
  ["GETEX", "missing", "EX", "10", "PX", "10"],
  ["SET", "k", "v"],
  ["GETEX", "k"],
  ["GETEX", "k", "EX", "100"],
  ["GETEX", "k", "PX", "100000"],
  ["GETEX", "k", "EXAT", "99999999999"],
  ["GETEX", "k", "PXAT", "99999999999999"],
  ["GETEX", "k", "PERSIST"],
  ["GETEX", "k", "PERSIST", "PERSIST"],
  ["GETEX", "k", "EX", "10", "EX", "20"],
  ["GETEX", "k", "EX", "10", "PX", "20"],
  ["GETEX", "k", "PERSIST", "EX", "10"],
  ["GETEX", "k", "EX", "10", "PERSIST"],
  ["GETEX", "k", "EX"],
  ["GETEX", "k", "EX", "abc"],
  ["GETEX", "k", "EX", "0"],
  ["GETEX", "k", "PX", "-1"],
  ["GETEX", "k", "EX", "9223372036854775807"],
  ["GETEX", "k", "NX"],
  ["GETEX", "k", "KEEPTTL"],
  ["GETEX", "k", "GET"],
  ["GETEX", "k", "foo"],
  ["GET", "k"],
  ["GETEX", "k", "EXAT", "1"],
  ["GET", "k"],
  ["SET", "k", "v"],
  ["GETEX", "k", "PXAT", "1"],
  ["GETEX", "k"],
  ["GETEX"],
]);

differential("MGET, MSET, MSETNX", [
  ["MSET", "a", "1", "b", "2"],
  ["MGET", "a", "b", "c", "a"],
  ["MSET", "a", "1", "b"],
  ["MSET", "a"],
  ["MSET", "a", "x", "a", "y"],
  ["GET", "a"],
  ["MSETNX", "a", "1", "c", "3"],
  ["GET", "c"],
  ["MSETNX", "c", "3", "d", "4"],
  ["MGET", "c", "d"],
  ["MSETNX", "e", "1", "e", "2"],
  ["GET", "e"],
  ["MSETNX", "x", "1", "y"],
  ["SET", "gone", "v", "PXAT", "1"],
  ["MGET", "gone"],
  ["MSETNX", "gone", "back"],
  ["MGET", "gone"],
  ["MGET"],
  ["MSETNX"],
]);

differential(
  "MGET, MSET and MSETNX with another type",
  withList([
    ["MGET", "list", "missing"],
    ["MSETNX", "list", "1", "z", "2"],
    ["GET", "z"],
    ["MSET", "list", "now a string", "z", "2"],
    ["MGET", "list", "z"],
  ]),
);

differential("INCR, DECR, INCRBY, DECRBY", [
  ["INCR", "n"],
  ["INCR", "n"],
  ["DECR", "n"],
  ["DECR", "n"],
  ["DECR", "n"],
  ["INCRBY", "n", "100"],
  ["INCRBY", "n", "-200"],
  ["DECRBY", "n", "-50"],
  ["DECRBY", "n", "5"],
  ["GET", "n"],
  ["INCRBY", "n", "abc"],
  ["INCRBY", "n", "1.5"],
  ["INCRBY", "n", " 1"],
  ["INCRBY", "n", "01"],
  ["INCRBY", "n", "+1"],
  ["INCRBY", "n", "9223372036854775808"],
  ["DECRBY", "n", "-9223372036854775808"],
  ["DECRBY", "missing", "-9223372036854775808"],
  ["DECRBY", "x", "9223372036854775807"],
  ["DECR", "x"],
  ["DECR", "x"],
  ["GET", "x"],
  ["INCRBY", "x", "9223372036854775807"],
  ["INCRBY", "x", "9223372036854775807"],
  ["SET", "big", "9223372036854775806"],
  ["INCR", "big"],
  ["INCR", "big"],
  ["GET", "big"],
  ["SET", "big", "9007199254740991"],
  ["INCR", "big"],
  ["INCRBY", "big", "9007199254740993"],
  ["DECRBY", "big", "18014398509481990"],
  ["SET", "s", " 1"],
  ["INCR", "s"],
  ["SET", "s", "01"],
  ["INCR", "s"],
  ["SET", "s", "1 "],
  ["INCR", "s"],
  ["SET", "s", "+1"],
  ["INCR", "s"],
  ["SET", "s", "-0"],
  ["INCR", "s"],
  ["SET", "s", "1.0"],
  ["INCR", "s"],
  ["SET", "s", ""],
  ["INCR", "s"],
  ["SET", "s", "9223372036854775808"],
  ["INCR", "s"],
  ["SET", "s", "-9223372036854775808"],
  ["DECR", "s"],
  ["INCR", "s"],
  ["SET", "s", bytes(49, 0)],
  ["INCR", "s"],
  ["SET", "s", "0"],
  ["INCR", "s"],
  ["SET", "s", "-1"],
  ["INCR", "s"],
  ["INCR", "s"],
  ["SET", "gone", "41", "PXAT", "1"],
  ["INCR", "gone"],
  ["SET", "ttl", "41", "EX", "1000"],
  ["INCR", "ttl"],
  ["INCR"],
  ["INCRBY", "n"],
  ["DECRBY", "n", "1", "2"],
]);

differential(
  "INCR family on another type",
  withList([
    ["INCR", "list"],
    ["DECR", "list"],
    ["INCRBY", "list", "abc"],
    ["DECRBY", "list", "-9223372036854775808"],
    ["INCRBYFLOAT", "list", "abc"],
    ["APPEND", "list", "x"],
    ["STRLEN", "list"],
  ]),
);

differential("INCRBYFLOAT", [
  ["INCRBYFLOAT", "f", "0.1"],
  ["INCRBYFLOAT", "f", "0.1"],
  ["INCRBYFLOAT", "f", "0.1"],
  ["INCRBYFLOAT", "f", "-0.3"],
  ["INCRBYFLOAT", "f", "10.5"],
  ["INCRBYFLOAT", "f", "5.0e3"],
  ["INCRBYFLOAT", "f", "2.0e2"],
  ["INCRBYFLOAT", "f", "-5200"],
  ["INCRBYFLOAT", "f", "1e-20"],
  ["INCRBYFLOAT", "f", "1.5e300"],
  ["INCRBYFLOAT", "f", "-1.5e300"],
  ["INCRBYFLOAT", "f", "abc"],
  ["INCRBYFLOAT", "f", "nan"],
  ["INCRBYFLOAT", "f", "inf"],
  ["INCRBYFLOAT", "f", "-inf"],
  ["INCRBYFLOAT", "f", " 1"],
  ["INCRBYFLOAT", "f", ""],
  ["INCRBYFLOAT", "f", "0x10"],
  ["INCRBYFLOAT", "f", "1e5000"],
  ["GET", "f"],
  ["SET", "f", "3.0"],
  ["INCRBYFLOAT", "f", "1"],
  ["SET", "f", "  3"],
  ["INCRBYFLOAT", "f", "1"],
  ["SET", "f", "abc"],
  ["INCRBYFLOAT", "f", "1"],
  ["INCRBYFLOAT", "f", "abc"],
  ["SET", "f", "1.7976931348623157e308"],
  ["INCRBYFLOAT", "f", "1.7976931348623157e308"],
  ["SET", "f", "12345678901234567890"],
  ["INCRBYFLOAT", "f", "1"],
  ["SET", "i", "17"],
  ["INCRBYFLOAT", "i", "-17"],
  ["INCRBYFLOAT", "i", "-0.0"],
  ["SET", "gone", "5", "PXAT", "1"],
  ["INCRBYFLOAT", "gone", "1.25"],
  ["INCRBYFLOAT", "f"],
]);

differential("APPEND and STRLEN", [
  ["STRLEN", "k"],
  ["APPEND", "k", "hello"],
  ["APPEND", "k", " world"],
  ["GET", "k"],
  ["STRLEN", "k"],
  ["APPEND", "k", ""],
  ["APPEND", "empty", ""],
  ["GET", "empty"],
  ["STRLEN", "empty"],
  ["APPEND", "bin", bytes(0, 255)],
  ["APPEND", "bin", bytes(0, 128, 13, 10)],
  ["GET", "bin"],
  ["STRLEN", "bin"],
  ["SET", "n", "10"],
  ["APPEND", "n", "5"],
  ["INCR", "n"],
  ["SET", "gone", "v", "PXAT", "1"],
  ["APPEND", "gone", "x"],
  ["STRLEN", "gone"],
  ["APPEND", "k"],
  ["STRLEN"],
]);

differential("GETRANGE and SUBSTR", [
  ["GETRANGE", "missing", "0", "-1"],
  ["GETRANGE", "missing", "a", "b"],
  ["SET", "k", "This is a string"],
  ["GETRANGE", "k", "0", "3"],
  ["GETRANGE", "k", "-3", "-1"],
  ["GETRANGE", "k", "0", "-1"],
  ["GETRANGE", "k", "10", "100"],
  ["GETRANGE", "k", "5", "3"],
  ["GETRANGE", "k", "-1", "-5"],
  ["GETRANGE", "k", "0", "-100"],
  ["GETRANGE", "k", "-100", "-50"],
  ["GETRANGE", "k", "-100", "2"],
  ["GETRANGE", "k", "100", "200"],
  ["GETRANGE", "k", "15", "15"],
  ["GETRANGE", "k", "16", "16"],
  ["GETRANGE", "k", "-9223372036854775808", "9223372036854775807"],
  ["GETRANGE", "k", "-9223372036854775807", "-9223372036854775808"],
  ["GETRANGE", "k", "9223372036854775807", "-1"],
  ["GETRANGE", "k", "0", "9223372036854775808"],
  ["GETRANGE", "k", "1.5", "2"],
  ["SUBSTR", "k", "1", "-2"],
  ["SUBSTR", "k", "-4", "-1"],
  ["SET", "e", ""],
  ["GETRANGE", "e", "0", "-1"],
  ["GETRANGE", "e", "0", "0"],
  ["GETRANGE", "e", "-1", "0"],
  ["SET", "bin", bytes(0, 1, 2, 255, 254)],
  ["GETRANGE", "bin", "1", "3"],
  ["GETRANGE", "k", "0"],
  ["SUBSTR", "k"],
]);

differential("SETRANGE", [
  ["SETRANGE", "k", "0", ""],
  ["GET", "k"],
  ["SETRANGE", "k", "5", ""],
  ["GET", "k"],
  ["SETRANGE", "k", "0", "hello"],
  ["SETRANGE", "k", "6", "world"],
  ["GET", "k"],
  ["SETRANGE", "k", "2", "LL"],
  ["GET", "k"],
  ["SETRANGE", "k", "20", "!"],
  ["GET", "k"],
  ["SETRANGE", "k", "5", ""],
  ["SETRANGE", "k", "999999999999", ""],
  ["SETRANGE", "k", "-1", "x"],
  ["SETRANGE", "k", "abc", "x"],
  ["SETRANGE", "k", "536870912", "x"],
  ["SETRANGE", "k", "536870910", "xyz"],
  ["SETRANGE", "missing", "536870912", "x"],
  ["SETRANGE", "missing", "9223372036854775807", "x"],
  ["SETRANGE", "missing", "9223372036854775808", "x"],
  ["SETRANGE", "new", "3", "abc"],
  ["GET", "new"],
  ["SETRANGE", "bin", "2", bytes(0, 255, 0)],
  ["SETRANGE", "bin", "1", bytes(128)],
  ["GET", "bin"],
  ["SET", "n", "12345"],
  ["SETRANGE", "n", "1", "0"],
  ["INCR", "n"],
  ["SET", "gone", "v", "PXAT", "1"],
  ["SETRANGE", "gone", "0", ""],
  ["SETRANGE", "gone", "1", "x"],
  ["GET", "gone"],
  ["SETRANGE", "k", "1"],
]);

differential(
  "SETRANGE, GETRANGE, SETBIT, GETBIT, BITCOUNT, BITPOS on another type",
  withList([
    ["SETRANGE", "list", "0", "x"],
    ["SETRANGE", "list", "0", ""],
    ["SETRANGE", "list", "536870912", "x"],
    ["SETRANGE", "list", "-1", "x"],
    ["GETRANGE", "list", "0", "-1"],
    ["GETRANGE", "list", "-1", "-5"],
    ["SETBIT", "list", "0", "1"],
    ["SETBIT", "list", "0", "2"],
    ["GETBIT", "list", "0"],
    ["BITCOUNT", "list"],
    ["BITCOUNT", "list", "a", "b"],
    ["BITPOS", "list", "1"],
    ["BITPOS", "list", "1", "a"],
    ["BITOP", "AND", "dest", "list"],
    ["BITOP", "OR", "list", "missing"],
    ["BITOP", "OR", "list", "missing", "missing2"],
    ["GET", "list"],
    ["LCS", "list", "missing"],
    ["LCS", "missing", "list", "IDX", "LEN"],
  ]),
);

differential("SETBIT and GETBIT", [
  ["SETBIT", "b", "7", "1"],
  ["GET", "b"],
  ["SETBIT", "b", "7", "1"],
  ["SETBIT", "b", "7", "0"],
  ["SETBIT", "b", "0", "1"],
  ["GETBIT", "b", "0"],
  ["GETBIT", "b", "1"],
  ["GETBIT", "b", "100"],
  ["GETBIT", "missing", "0"],
  ["SETBIT", "b", "100", "1"],
  ["GET", "b"],
  ["SETBIT", "b", "100", "0"],
  ["SETBIT", "b", "150", "0"],
  ["GET", "b"],
  ["SETBIT", "z", "20", "0"],
  ["GET", "z"],
  ["SETBIT", "b", "-1", "1"],
  ["SETBIT", "b", "abc", "1"],
  ["SETBIT", "b", "4294967296", "1"],
  ["SETBIT", "b", "1", "2"],
  ["SETBIT", "b", "1", "-1"],
  ["SETBIT", "b", "1", "abc"],
  ["SETBIT", "b", "abc", "abc"],
  ["SETBIT", "b", "1", "01"],
  ["GETBIT", "b", "-1"],
  ["GETBIT", "b", "4294967296"],
  ["GETBIT", "b", "4294967295"],
  ["GETBIT", "b", "9223372036854775808"],
  ["SET", "s", "a"],
  ["SETBIT", "s", "6", "1"],
  ["GET", "s"],
  ["SET", "gone", "v", "PXAT", "1"],
  ["GETBIT", "gone", "1"],
  ["SETBIT", "gone", "1", "1"],
  ["GET", "gone"],
  ["SETBIT", "b", "1"],
  ["GETBIT", "b"],
]);

differential("BITCOUNT", [
  ["BITCOUNT", "missing"],
  ["BITCOUNT", "missing", "a", "b"],
  ["BITCOUNT", "missing", "1"],
  ["SET", "k", "foobar"],
  ["BITCOUNT", "k"],
  ["BITCOUNT", "k", "0", "0"],
  ["BITCOUNT", "k", "1", "1"],
  ["BITCOUNT", "k", "1", "1", "BYTE"],
  ["BITCOUNT", "k", "5", "30", "BIT"],
  ["BITCOUNT", "k", "5", "30", "bit"],
  ["BITCOUNT", "k", "-1", "-1"],
  ["BITCOUNT", "k", "-1", "-5"],
  ["BITCOUNT", "k", "-100", "100"],
  ["BITCOUNT", "k", "-100", "-100"],
  ["BITCOUNT", "k", "100", "200"],
  ["BITCOUNT", "k", "0", "-100"],
  ["BITCOUNT", "k", "-3", "-1", "BIT"],
  ["BITCOUNT", "k", "-9", "-2", "BIT"],
  ["BITCOUNT", "k", "0", "47", "BIT"],
  ["BITCOUNT", "k", "0", "48", "BIT"],
  ["BITCOUNT", "k", "9223372036854775807", "-9223372036854775808"],
  ["BITCOUNT", "k", "-9223372036854775807", "-9223372036854775808"],
  ["BITCOUNT", "k", "-9223372036854775808", "9223372036854775807", "BIT"],
  ["BITCOUNT", "k", "1"],
  ["BITCOUNT", "k", "a", "b"],
  ["BITCOUNT", "k", "0", "1", "foo"],
  ["BITCOUNT", "k", "0", "a", "foo"],
  ["BITCOUNT", "k", "0", "1", "BIT", "extra"],
  ["BITCOUNT", "k", "0", "1", bytes(66, 73, 84, 0, 33)], // "BIT\0!"
  // Redis 7.0 answers 0 for negative indexes in the wrong order before it reads the unit (found
  // by the grammar fuzzer); 7.2 reads the unit first.
  ["BITCOUNT", "k", "-2", "-4", "NXX"],
  ["BITCOUNT", "k", "-2", "-9223372036854775808", "foo"],
  ["BITCOUNT", "k", "-4", "-2", "foo"],
  ["BITCOUNT", "k", "2", "-4", "foo"],
  ["BITCOUNT", "k", "-2", "-4", "BIT"],
  ["SET", "e", ""],
  ["BITCOUNT", "e"],
  ["BITCOUNT", "e", "0", "-1"],
  ["BITCOUNT", "e", "0", "-1", "BIT"],
  ["SET", "bin", bytes(255, 0, 255, 128, 1)],
  ["BITCOUNT", "bin"],
  ["BITCOUNT", "bin", "7", "33", "BIT"],
  ["BITCOUNT"],
]);

differential("BITPOS", [
  ["BITPOS", "missing", "0"],
  ["BITPOS", "missing", "1"],
  ["BITPOS", "missing", "1", "a"],
  ["BITPOS", "missing", "1", "0", "1", "2", "3"],
  ["BITPOS", "missing", "2"],
  ["BITPOS", "missing", "a"],
  ["SET", "k", bytes(255, 240, 0)],
  ["BITPOS", "k", "0"],
  ["BITPOS", "k", "1"],
  ["BITPOS", "k", "1", "2"],
  ["BITPOS", "k", "0", "0", "0"],
  ["BITPOS", "k", "0", "0", "-1"],
  ["BITPOS", "k", "1", "-1"],
  ["BITPOS", "k", "1", "7", "15", "BIT"],
  ["BITPOS", "k", "0", "7", "15", "BIT"],
  ["BITPOS", "k", "0", "0", "11", "BIT"],
  ["BITPOS", "k", "0", "0", "12", "bit"],
  ["BITPOS", "k", "1", "12", "-1", "BIT"],
  ["BITPOS", "k", "0", "1", "0"],
  ["BITPOS", "k", "1", "100"],
  ["BITPOS", "k", "0", "100"],
  ["BITPOS", "k", "0", "-100"],
  ["BITPOS", "k", "1", "0", "a", "foo"],
  ["BITPOS", "k", "1", "a", "0", "foo"],
  ["BITPOS", "k", "1", "0", "1", "foo"],
  ["BITPOS", "k", "1", "0", "1", "BIT", "x"],
  ["BITPOS", "k", "1", "1.5"],
  ["BITPOS", "k", "-1"],
  ["SET", "ones", bytes(255, 255)],
  ["BITPOS", "ones", "0"],
  ["BITPOS", "ones", "0", "0"],
  ["BITPOS", "ones", "0", "0", "-1"],
  ["BITPOS", "ones", "0", "1"],
  ["BITPOS", "ones", "0", "0", "15", "BIT"],
  ["BITPOS", "ones", "0", "3", "BYTE"],
  ["SET", "zeros", bytes(0, 0)],
  ["BITPOS", "zeros", "1"],
  ["BITPOS", "zeros", "0"],
  ["BITPOS", "zeros", "1", "0", "-1", "BIT"],
  ["SET", "e", ""],
  ["BITPOS", "e", "0"],
  ["BITPOS", "e", "1"],
  ["BITPOS", "e", "0", "0"],
  ["BITPOS"],
  ["BITPOS", "k"],
]);

differential("BITOP", [
  ["SET", "a", bytes(0xff, 0x0f, 0xaa)],
  ["SET", "b", bytes(0x0f, 0xff)],
  ["BITOP", "AND", "dest", "a", "b"],
  ["GET", "dest"],
  ["BITOP", "OR", "dest", "a", "b"],
  ["GET", "dest"],
  ["BITOP", "XOR", "dest", "a", "b"],
  ["GET", "dest"],
  ["BITOP", "NOT", "dest", "a"],
  ["GET", "dest"],
  ["BITOP", "and", "dest", "a", "missing"],
  ["GET", "dest"],
  ["BITOP", "or", "dest", "missing", "a"],
  ["GET", "dest"],
  ["BITOP", "AND", "dest", "a"],
  ["GET", "dest"],
  ["BITOP", "XOR", "dest", "a", "a", "b"],
  ["GET", "dest"],
  ["BITOP", "OR", "dest", "missing", "missing2"],
  ["GET", "dest"],
  ["BITOP", "NOT", "dest", "missing"],
  ["GET", "dest"],
  ["SET", "e", ""],
  ["SET", "dest", "x"],
  ["BITOP", "AND", "dest", "e"],
  ["GET", "dest"],
  ["BITOP", "NOT", "dest", "a", "b"],
  ["BITOP", "NOT", "dest"],
  ["BITOP", "NAND", "dest", "a"],
  ["BITOP", bytes(65, 78, 68, 0), "dest", "a"], // "AND\0"
  ["SET", "ttl", "v", "EX", "1000"],
  ["BITOP", "OR", "ttl", "a"],
  ["GET", "ttl"],
  ["BITOP", "OR", "a", "a", "b"],
  ["GET", "a"],
  ["BITOP", "AND", "dest"],
]);

differential("LCS", [
  ["SET", "a", "ohmytext"],
  ["SET", "b", "mynewtext"],
  ["LCS", "a", "b"],
  ["LCS", "a", "b", "LEN"],
  ["LCS", "a", "b", "IDX"],
  ["LCS", "a", "b", "IDX", "WITHMATCHLEN"],
  ["LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"],
  ["LCS", "a", "b", "idx", "minmatchlen", "-5", "withmatchlen"],
  ["LCS", "a", "b", "IDX", "MINMATCHLEN", "100"],
  ["LCS", "a", "b", "MINMATCHLEN", "2"],
  ["LCS", "a", "b", "LEN", "WITHMATCHLEN"],
  ["LCS", "a", "b", "WITHMATCHLEN"],
  ["LCS", "a", "b", "IDX", "LEN"],
  ["LCS", "a", "b", "LEN", "IDX"],
  ["LCS", "a", "b", "MINMATCHLEN"],
  ["LCS", "a", "b", "MINMATCHLEN", "x"],
  ["LCS", "a", "b", "foo"],
  ["LCS", "a", "missing"],
  ["LCS", "missing", "b", "IDX"],
  ["LCS", "missing", "missing2", "LEN"],
  ["LCS", "a", "a", "IDX", "WITHMATCHLEN"],
  ["SET", "x", "abcabcabc"],
  ["SET", "y", "cbacbacba"],
  ["LCS", "x", "y"],
  ["LCS", "x", "y", "IDX", "WITHMATCHLEN"],
  ["SET", "bin1", bytes(0, 1, 2, 255, 3)],
  ["SET", "bin2", bytes(255, 0, 2, 3)],
  ["LCS", "bin1", "bin2"],
  ["LCS", "bin1", "bin2", "IDX"],
  ["LCS", "a"],
]);

// Seeded random ranges over a few values: the index arithmetic of GETRANGE, BITCOUNT and BITPOS.
function randomRangeSteps(seed: number): StepLike[] {
  const random = new SeededRandom(seed);
  const values = [bytes(), bytes(0), bytes(255), bytes(0, 255, 1, 128, 127, 0, 0, 3)];
  const index = () => String(random.range(-12, 12));
  const steps: StepLike[] = [];
  values.forEach((value, i) => steps.push(["SET", `v${i}`, value]));
  for (let n = 0; n < 400; n++) {
    const key = `v${random.int(values.length)}`;
    const unit = random.pick(["BIT", "BYTE"]);
    const bit = String(random.int(2));
    const bitIndex = () => String(random.range(-70, 70));
    switch (random.int(6)) {
      case 0:
        steps.push(["GETRANGE", key, index(), index()]);
        break;
      case 1:
        steps.push(["BITCOUNT", key, index(), index()]);
        break;
      case 2:
        steps.push(["BITCOUNT", key, bitIndex(), bitIndex(), unit]);
        break;
      case 3:
        steps.push(["BITPOS", key, bit, index()]);
        break;
      case 4:
        steps.push(["BITPOS", key, bit, index(), index()]);
        break;
      default:
        steps.push(["BITPOS", key, bit, bitIndex(), bitIndex(), "BIT"]);
    }
  }
  return steps;
}

differential("GETRANGE, BITCOUNT and BITPOS over random ranges", randomRangeSteps(20240607));

// Seeded random writes: SETRANGE, SETBIT, APPEND and BITOP growing and combining values.
function randomWriteSteps(seed: number): StepLike[] {
  const random = new SeededRandom(seed);
  const keys = ["a", "b", "c"];
  const steps: StepLike[] = [];
  const randomBytes = () => Uint8Array.from({ length: random.int(4) }, () => random.int(256));
  for (let n = 0; n < 300; n++) {
    const key = random.pick(keys);
    switch (random.int(6)) {
      case 0:
        steps.push(["SETRANGE", key, String(random.int(12)), randomBytes()]);
        break;
      case 1:
        steps.push(["SETBIT", key, String(random.int(90)), String(random.int(2))]);
        break;
      case 2:
        steps.push(["APPEND", key, randomBytes()]);
        break;
      case 3:
        steps.push(["BITOP", random.pick(["AND", "OR", "XOR"]), key, ...keys]);
        break;
      case 4:
        steps.push(["BITOP", "NOT", key, random.pick(keys)]);
        break;
      default:
        steps.push(["LCS", key, random.pick(keys), "IDX", "WITHMATCHLEN"]);
    }
    steps.push(["GET", key]);
  }
  return steps;
}

differential("SETRANGE, SETBIT, APPEND, BITOP and LCS over random writes", randomWriteSteps(7));

// Seeded random option lists for SET and GETEX: every combination and order of their options,
// in mixed case, with and without values.
function randomOptionSteps(seed: number): StepLike[] {
  const random = new SeededRandom(seed);
  const tokens = [
    ["NX"],
    ["XX"],
    ["GET"],
    ["KEEPTTL"],
    ["PERSIST"],
    ["EX", "100"],
    ["PX", "100000"],
    ["EXAT", "99999999999"],
    ["PXAT", "99999999999999"],
    ["EX", "0"],
    ["PX", "abc"],
    ["EX"],
    ["FOO"],
  ];
  const mixCase = (token: string) =>
    [...token].map((c) => random.int(2) ? c.toLowerCase() : c).join("");
  const steps: StepLike[] = [];
  for (let n = 0; n < 400; n++) {
    const options: string[] = [];
    const count = random.int(4);
    for (let k = 0; k < count; k++) {
      const [name, ...value] = random.pick(tokens);
      options.push(mixCase(name), ...value);
    }
    const key = random.pick(["k", "other"]);
    if (random.int(3) === 0) steps.push(["GETEX", key, ...options]);
    else steps.push(["SET", key, `v${n}`, ...options]);
    if (random.int(8) === 0) steps.push(["GETDEL", key]);
  }
  steps.push(["MGET", "k", "other"]);
  return steps;
}

differential("SET and GETEX over random option lists", randomOptionSteps(42));

differential("which string commands keep, set or remove the time to live", [
  ["SET", "k", "1", "EX", "100"],
  ["INCR", "k"],
  ["INCRBY", "k", "5"],
  ["DECR", "k"],
  ["INCRBYFLOAT", "k", "0.5"],
  ["APPEND", "k", "0"],
  ["SETRANGE", "k", "0", "2"],
  ["SETBIT", "k", "100", "1"],
  ["TTL", "k"],
  ["SET", "k", "v", "KEEPTTL"],
  ["TTL", "k"],
  ["GETSET", "k", "w"],
  ["TTL", "k"],
  ["SETEX", "k", "50", "v"],
  ["TTL", "k"],
  ["PSETEX", "k", "30000", "v"],
  ["TTL", "k"],
  ["MSET", "k", "v", "other", "v"],
  ["TTL", "k"],
  ["GETEX", "k", "EX", "70"],
  ["TTL", "k"],
  ["GETEX", "k"],
  ["TTL", "k"],
  ["GETEX", "k", "PERSIST"],
  ["TTL", "k"],
  ["GETEX", "k", "EXAT", "99999999999"],
  // The time itself: a TTL this far off crosses a second between the two servers now and then.
  ["EXPIRETIME", "k"],
  ["GETEX", "k", "PXAT", "1"],
  ["EXISTS", "k"],
  ["SET", "dest", "v", "EX", "100"],
  ["BITOP", "OR", "dest", "other"],
  ["TTL", "dest"],
  ["SET", "dest", "v", "EX", "100"],
  ["BITOP", "OR", "dest", "missing"],
  ["EXISTS", "dest"],
  ["SET", "gone", "1", "PXAT", "1"],
  ["INCR", "gone"],
  ["TTL", "gone"],
  ["SETBIT", "fresh", "3", "1"],
  ["TTL", "fresh"],
]);
