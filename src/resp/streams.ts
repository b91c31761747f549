/**
 * RESP as web streams: bytes to commands and replies to bytes, over the same decoder and
 * encoder the server uses. For applications that speak RESP over any `ReadableStream`
 * (a socket's `readable`, a file, a test); the server itself drives the decoder directly.
 *
 * ```ts
 * const conn = await Deno.connect({ port: 6767 });
 * const commands = conn.readable.pipeThrough(new CommandDecoderStream());
 * ```
 *
 * @module
 */

import { CommandDecoder, type DecoderLimits } from "./decoder.ts";
import { type Protocol, ReplyWriter } from "./encoder.ts";
import type { Reply } from "./reply.ts";

/**
 * Bytes in, commands out (each an array of arguments as bytes). A broken frame errors the
 * stream with a `ProtocolError` carrying Redis's text.
 *
 * @example
 * ```ts
 * const stream = ReadableStream.from([new TextEncoder().encode("PING\r\n*1\r\n$4\r\nPI")])
 *   .pipeThrough(new CommandDecoderStream());
 * for await (const argv of stream) console.log(argv.length); // 1
 * ```
 */
export class CommandDecoderStream extends TransformStream<Uint8Array, Uint8Array[]> {
  /** @param limits what a client may send; Redis's defaults when omitted */
  constructor(limits: Partial<DecoderLimits> = {}) {
    const decoder = new CommandDecoder(limits);
    super({
      transform(chunk, controller) {
        decoder.feed(chunk);
        for (let argv = decoder.next(); argv !== null; argv = decoder.next()) {
          controller.enqueue(argv);
        }
      },
    });
  }
}

/**
 * Replies in, RESP bytes out, in the given protocol version (RESP2 or RESP3).
 *
 * @example
 * ```ts
 * const stream = ReadableStream.from([1, null]).pipeThrough(new ReplyEncoderStream(3));
 * for await (const bytes of stream) console.log(bytes); // ":1\r\n", then "_\r\n"
 * ```
 */
export class ReplyEncoderStream extends TransformStream<Reply, Uint8Array> {
  /** @param protocol 2 (the default) or 3 */
  constructor(protocol: Protocol = 2) {
    const writer = new ReplyWriter(256);
    super({
      transform(reply, controller) {
        writer.write(reply, protocol);
        controller.enqueue(writer.take());
      },
    });
  }
}
