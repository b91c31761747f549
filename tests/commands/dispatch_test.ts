import assert from "node:assert/strict";
import { resolveCommand } from "../../src/commands/dispatch.ts";
import { COMMANDS } from "../../src/commands/table.ts";
import { RedisError } from "../../src/db/errors.ts";

const encoder = new TextEncoder();
const argv = (...words: string[]) => words.map((word) => encoder.encode(word));

Deno.test("resolveCommand finds every command of the table by its name in any case", () => {
  for (const [name, spec] of COMMANDS) {
    if (spec.subcommands !== undefined) continue; // their next argument names a subcommand
    const mixed = [...name].map((c, i) => i % 2 === 0 ? c.toUpperCase() : c).join("");
    for (const sent of [name, name.toUpperCase(), mixed]) {
      const args = argv(sent, ...Array(Math.max(Math.abs(spec.arity) - 1, 0)).fill("a"));
      assert.equal(resolveCommand(args), spec, sent);
    }
  }
});

Deno.test("resolveCommand refuses names that only look like a command", () => {
  // "gkxfrw7" has the hash of "get": a name is checked byte by byte, not by its hash alone.
  for (const sent of ["ge", "gett", "get\u00e9", "g\u0000t", "", "GET ", "gkxfrw7", "GKXFRW7"]) {
    assert.throws(
      () => resolveCommand(argv(sent, "k")),
      (error: unknown) =>
        error instanceof RedisError && error.message.startsWith("ERR unknown command"),
      JSON.stringify(sent),
    );
  }
  assert.throws(() => resolveCommand(argv("gkxfrw7", "k")), {
    message: "ERR unknown command 'gkxfrw7', with args beginning with: 'k' ",
  });
  // A letter with its high bit set ("g\xe5t": 0xe5 is "e" + 0x80) is no letter of any name.
  assert.throws(() => resolveCommand([new Uint8Array([0x67, 0xe5, 0x74]), encoder.encode("k")]), {
    message: /^ERR unknown command/,
  });
});

Deno.test("resolveCommand gives arity errors with the lower-case name, and finds subcommands", () => {
  assert.throws(() => resolveCommand(argv("GeT")), {
    message: "ERR wrong number of arguments for 'get' command",
  });
  assert.equal(resolveCommand(argv("CONFIG", "get", "maxclients")).name, "get");
  assert.throws(() => resolveCommand(argv("Config", "nope")), {
    message: "ERR unknown subcommand 'nope'. Try CONFIG HELP.",
  });
});
