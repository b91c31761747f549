/**
 * A minimal RESP client for tests: sends commands, reads raw replies byte for byte.
 *
 * @module
 */

import { decodeValue, type RespValue } from "../../src/resp/values.ts";

const encoder = new TextEncoder();

/** An argument of a command: text or bytes. */
export type Arg = string | Uint8Array;

/**
 * The RESP multibulk encoding of a command.
 *
 * @example
 * ```ts
 * encodeCommand(["GET", "k"]); // "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n" as bytes
 * ```
 */
export function encodeCommand(args: Arg[]): Uint8Array {
  const parts: Uint8Array[] = [encoder.encode(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = typeof arg === "string" ? encoder.encode(arg) : arg;
    parts.push(encoder.encode(`$${bytes.length}\r\n`), bytes, encoder.encode("\r\n"));
  }
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * A connection to a RESP server that reads replies whole.
 *
 * @example
 * ```ts
 * const client = await RespClient.connect(6379);
 * await client.send(["PING"]); // the bytes of "+PONG\r\n"
 * client.close();
 * ```
 */
export class RespClient {
  #conn: Deno.Conn;
  #buffer = new Uint8Array(0);

  private constructor(conn: Deno.Conn) {
    this.#conn = conn;
  }

  /** Connects to a port on 127.0.0.1. */
  static async connect(port: number): Promise<RespClient> {
    return new RespClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }

  /** Sends raw bytes. */
  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) offset += await this.#conn.write(bytes.subarray(offset));
  }

  /** Reads one whole reply and returns its bytes; null when the server closed the connection. */
  async readRaw(): Promise<Uint8Array | null> {
    for (;;) {
      if (this.#buffer.length > 0) {
        const decoded = decodeValue(this.#buffer, 0);
        if (decoded !== null) {
          const raw = this.#buffer.slice(0, decoded.next);
          this.#buffer = this.#buffer.slice(decoded.next);
          return raw;
        }
      }
      const chunk = new Uint8Array(64 * 1024);
      const n = await this.#conn.read(chunk);
      if (n === null) return null;
      const grown = new Uint8Array(this.#buffer.length + n);
      grown.set(this.#buffer);
      grown.set(chunk.subarray(0, n), this.#buffer.length);
      this.#buffer = grown;
    }
  }

  /** Sends a command and returns the raw bytes of its reply. */
  async send(args: Arg[]): Promise<Uint8Array> {
    await this.write(encodeCommand(args));
    const reply = await this.readRaw();
    if (reply === null) throw new Error("connection closed");
    return reply;
  }

  /** Sends a command and returns its decoded reply. */
  async call(...args: Arg[]): Promise<RespValue> {
    return decodeValue(await this.send(args), 0)!.value;
  }

  /** Closes the connection. */
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }
}
