import assert from "node:assert/strict";
import fc from "fast-check";
import {
  CommandDecoder,
  ProtocolError,
  QueryBufferExceeded,
  splitInline,
} from "../../src/resp/decoder.ts";
import { encodeCommand } from "../_helpers/resp_client.ts";
import { concatBytes } from "../../src/db/bytes.ts";

const text = (s: string) => new TextEncoder().encode(s);
const strings = (args: Uint8Array[] | null) =>
  args?.map((a) => new TextDecoder().decode(a)) ?? null;

/** Every command the decoder yields for the chunks, and the error that stopped it, if any. */
function decodeAll(
  chunks: Uint8Array[],
  decoder = new CommandDecoder(),
): { commands: Uint8Array[][]; error?: Error } {
  const commands: Uint8Array[][] = [];
  try {
    for (const chunk of chunks) {
      decoder.feed(chunk);
      for (let command = decoder.next(); command !== null; command = decoder.next()) {
        commands.push(command);
      }
    }
  } catch (error) {
    return { commands, error: error as Error };
  }
  return { commands };
}

function isAllowedError(error: Error | undefined): boolean {
  return error === undefined || error instanceof ProtocolError ||
    error instanceof QueryBufferExceeded;
}

Deno.test("CommandDecoder decodes multibulk commands split across reads", () => {
  const decoder = new CommandDecoder();
  decoder.feed(text("*2\r\n$3\r\nGET\r\n$1"));
  assert.equal(decoder.next(), null);
  decoder.feed(text("\r\nk\r\n*1\r\n$4\r\nPING\r\n"));
  assert.deepEqual(strings(decoder.next()), ["GET", "k"]);
  assert.deepEqual(strings(decoder.next()), ["PING"]);
  assert.equal(decoder.next(), null);
});

Deno.test("CommandDecoder decodes inline commands with quotes and skips blank lines", () => {
  const { commands } = decodeAll([text("\r\nSET k \"a b\\x41\" 'c\\'d'\nPING\r\n")]);
  assert.deepEqual(commands.map(strings), [["SET", "k", "a bA", "c'd"], ["PING"]]);
});

Deno.test("CommandDecoder skips empty multibulks and reports Redis's protocol errors", () => {
  assert.deepEqual(decodeAll([text("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n")]).commands.map(strings), [[
    "PING",
  ]]);
  const cases: [string, string][] = [
    ["*1\r\n+PING\r\n", "ERR Protocol error: expected '$', got '+'"],
    ["*x\r\n", "ERR Protocol error: invalid multibulk length"],
    ["*1\r\n$-1\r\n", "ERR Protocol error: invalid bulk length"],
    ["*1\r\n$536870913\r\n", "ERR Protocol error: invalid bulk length"],
    ["*3000000000\r\n", "ERR Protocol error: invalid multibulk length"],
    ['SET k "unbalanced\r\n', "ERR Protocol error: unbalanced quotes in request"],
  ];
  for (const [input, message] of cases) {
    const { error } = decodeAll([text(input)]);
    assert.ok(error instanceof ProtocolError, input);
    assert.equal(error.message, message, input);
  }
});

Deno.test("CommandDecoder refuses over-long inline requests and header lines", () => {
  const inline = decodeAll([new Uint8Array(70 * 1024).fill(97)]);
  assert.equal(inline.error?.message, "ERR Protocol error: too big inline request");
  const header = decodeAll([text("*1" + "1".repeat(70 * 1024))]);
  assert.equal(header.error?.message, "ERR Protocol error: too big mbulk count string");
});

Deno.test("CommandDecoder does not allocate a declared bulk length before its bytes arrive", () => {
  const decoder = new CommandDecoder();
  decoder.feed(text("*1\r\n$536870000\r\nabc"));
  assert.equal(decoder.next(), null);
  assert.ok(decoder.space(1).buffer.byteLength < 1024 * 1024);
});

Deno.test("CommandDecoder stops a client whose pending arguments pass the query buffer limit", () => {
  const decoder = new CommandDecoder({ maxQueryBuffer: 64 * 1024 });
  const { error } = decodeAll([text("*2147483647\r\n"), text("$0\r\n\r\n".repeat(2000))], decoder);
  assert.ok(error instanceof QueryBufferExceeded);
});

Deno.test("splitInline rejects a closing quote followed by a non-space", () => {
  assert.equal(splitInline(text('"a"b')), null);
  assert.deepEqual(splitInline(text("  a   b ")), [text("a"), text("b")]);
});

const argArb = fc.uint8Array({ maxLength: 40 });
const commandArb = fc.array(argArb, { minLength: 1, maxLength: 6 });

Deno.test("CommandDecoder property: valid frames split anywhere decode to the same commands", () => {
  fc.assert(
    fc.property(
      fc.array(commandArb, { minLength: 1, maxLength: 8 }),
      fc.array(fc.nat(), { maxLength: 10 }),
      (commands, cuts) => {
        const bytes = concatBytes(...commands.map(encodeCommand));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let last = 0;
        for (const point of points) {
          chunks.push(bytes.subarray(last, point));
          last = point;
        }
        chunks.push(bytes.subarray(last));
        const { commands: decoded, error } = decodeAll(chunks);
        assert.equal(error, undefined);
        assert.deepEqual(decoded, commands);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("CommandDecoder property: a frame fed one byte at a time decodes whole", () => {
  fc.assert(
    fc.property(commandArb, (command) => {
      const bytes = encodeCommand(command);
      const chunks = Array.from(bytes, (byte) => new Uint8Array([byte]));
      assert.deepEqual(decodeAll(chunks).commands, [command]);
    }),
    { numRuns: 200 },
  );
});

Deno.test("CommandDecoder property: random bytes give commands, a wait for more, or a protocol error", () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 5 }), (chunks) => {
      const { error } = decodeAll(chunks);
      assert.ok(isAllowedError(error), String(error));
    }),
    { numRuns: 1000 },
  );
});

Deno.test("CommandDecoder property: mutated valid frames never break the decoder", () => {
  fc.assert(
    fc.property(
      fc.array(commandArb, { minLength: 1, maxLength: 4 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 5,
      }),
      (commands, mutations) => {
        const bytes = concatBytes(...commands.map(encodeCommand));
        for (const [at, value] of mutations) bytes[at % bytes.length] = value;
        const { error } = decodeAll([bytes]);
        assert.ok(isAllowedError(error), String(error));
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("CommandDecoder property: huge declared lengths are refused or awaited, never allocated", () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.boolean(), (length, bulk) => {
      const decoder = new CommandDecoder();
      const frame = bulk ? `*1\r\n$${length}\r\n` : `*${length}\r\n`;
      const { error } = decodeAll([text(frame)], decoder);
      assert.ok(isAllowedError(error), String(error));
      assert.ok(decoder.space(1).buffer.byteLength < 1024 * 1024);
    }),
    { numRuns: 500 },
  );
});
