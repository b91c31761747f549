import assert from "node:assert/strict";
import { CommandDecoder, ProtocolError } from "../../src/resp/decoder.ts";
import { CommandDecoderStream, ReplyEncoderStream } from "../../src/resp/streams.ts";
import { MapReply, OK } from "../../src/resp/reply.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (value: Uint8Array) => new TextDecoder().decode(value);

Deno.test("CommandDecoderStream yields commands split across chunks and many per chunk", async () => {
  const chunks = [
    "*2\r\n$4\r\nEC",
    "HO\r\n$2\r\nhi\r\nPING\r\n*1\r\n$4\r\nPING\r\n",
    "SET k 'a b'\r\n",
  ];
  const stream = ReadableStream.from(chunks.map(bytes)).pipeThrough(new CommandDecoderStream());
  const commands: string[][] = [];
  for await (const argv of stream) commands.push(argv.map(text));
  assert.deepEqual(commands, [["ECHO", "hi"], ["PING"], ["PING"], ["SET", "k", "a b"]]);
});

Deno.test("CommandDecoderStream errors the stream on a broken frame", async () => {
  const stream = ReadableStream.from([bytes("*1\r\n$x\r\n")]).pipeThrough(
    new CommandDecoderStream(),
  );
  await assert.rejects(async () => {
    for await (const _ of stream) { /* drain */ }
  }, new ProtocolError("invalid bulk length"));
});

Deno.test("ReplyEncoderStream encodes each reply in the protocol asked for", async () => {
  const replies = [OK, null, new MapReply([[bytes("a"), 1]])];
  for (
    const [protocol, expected] of [[2, "+OK\r\n$-1\r\n*2\r\n$1\r\na\r\n:1\r\n"], [
      3,
      "+OK\r\n_\r\n%1\r\n$1\r\na\r\n:1\r\n",
    ]] as const
  ) {
    const stream = ReadableStream.from(replies).pipeThrough(new ReplyEncoderStream(protocol));
    let out = "";
    for await (const chunk of stream) out += text(chunk);
    assert.equal(out, expected);
  }
});

Deno.test("CommandDecoder limits a client that has not authenticated to 10 arguments of 16 KB", () => {
  const many = new CommandDecoder();
  many.authenticated = false;
  many.feed(bytes("*11\r\n"));
  assert.throws(() => many.next(), new ProtocolError("unauthenticated multibulk length"));
  const big = new CommandDecoder();
  big.authenticated = false;
  big.feed(bytes("*1\r\n$16385\r\n"));
  assert.throws(() => big.next(), new ProtocolError("unauthenticated bulk length"));
  const fine = new CommandDecoder();
  fine.authenticated = false;
  fine.feed(bytes(`*2\r\n$4\r\nAUTH\r\n$16384\r\n${"p".repeat(16384)}\r\n`));
  assert.equal(fine.next()?.length, 2);
});

Deno.test("CommandDecoder arguments stay intact while later reads fill the buffer", () => {
  const decoder = new CommandDecoder();
  const kept: Uint8Array[][] = [];
  for (let i = 0; i < 5000; i++) {
    const command = bytes(`*2\r\n$3\r\nGET\r\n$${String(i).length + 4}\r\nkey:${i}\r\n`);
    decoder.space(command.length).set(command);
    decoder.commit(command.length);
    kept.push(decoder.next()!);
  }
  kept.forEach((argv, i) => assert.equal(text(argv[1]), `key:${i}`));
});
