/**
 * The incremental decoder of client commands: RESP multibulk arrays (`*2\r\n$3\r\nGET\r\n...`)
 * and inline commands (`GET key\r\n`, with quotes as redis-cli writes them). Bytes arrive in
 * chunks of any size; every complete command is handed out, a partial one waits for more bytes,
 * and a broken one is a {@linkcode ProtocolError} with Redis's text.
 *
 * @module
 */

import { RedisError } from "../db/errors.ts";

/** Limits on what a client may send, with Redis's defaults. */
export interface DecoderLimits {
  /** The largest bulk string (Redis's `proto-max-bulk-len`): 512 MB. */
  maxBulkLength: number;
  /** The largest element count of a multibulk command: 2^31 - 1, as Redis's INT_MAX. */
  maxMultibulkLength: number;
  /** The longest inline command or header line: 64 KB (Redis's `PROTO_INLINE_MAX_SIZE`). */
  maxInlineLength: number;
  /** The most bytes buffered for one client (Redis's `client-query-buffer-limit`): 1 GB. */
  maxQueryBuffer: number;
}

/** Redis's default limits. */
export const DEFAULT_LIMITS: DecoderLimits = {
  maxBulkLength: 512 * 1024 * 1024,
  maxMultibulkLength: 2 ** 31 - 1,
  maxInlineLength: 64 * 1024,
  maxQueryBuffer: 1024 * 1024 * 1024,
};

/**
 * A protocol violation. Its message is Redis's reply (`ERR Protocol error: ...`); the server
 * sends it and closes the connection.
 *
 * @example
 * ```ts
 * new ProtocolError("invalid bulk length").message; // "ERR Protocol error: invalid bulk length"
 * ```
 */
export class ProtocolError extends RedisError {
  /** @param detail what was wrong, in Redis's words */
  constructor(detail: string) {
    super(`ERR Protocol error: ${detail}`);
    this.name = "ProtocolError";
  }
}

/**
 * The query buffer of a client grew past its limit; Redis closes such a client without a reply.
 *
 * @example
 * ```ts
 * new QueryBufferExceeded().message; // "client query buffer exceeds the limit"
 * ```
 */
export class QueryBufferExceeded extends Error {
  constructor() {
    super("client query buffer exceeds the limit");
    this.name = "QueryBufferExceeded";
  }
}

// What Redis allows a client that has not authenticated yet (networking.c).
const UNAUTHENTICATED_MULTIBULK = 10;
const UNAUTHENTICATED_BULK = 16384;

/** The size of a new buffer: Redis reads 16 KB at a time too. */
const INITIAL_CAPACITY = 16 * 1024;

/** What one argument costs beyond its bytes, for the query buffer limit. */
const ARG_OVERHEAD = 64;
const CR = 13;
const LF = 10;

/**
 * Decodes commands from a stream of bytes.
 *
 * @example
 * ```ts
 * const decoder = new CommandDecoder();
 * decoder.feed(new TextEncoder().encode("*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nEC"));
 * decoder.next(); // [bytes of "PING"]
 * decoder.next(); // null: the second command is not complete yet
 * decoder.feed(new TextEncoder().encode("HO\r\n$2\r\nhi\r\n"));
 * decoder.next(); // [bytes of "ECHO", bytes of "hi"]
 * ```
 */
export class CommandDecoder {
  readonly limits: DecoderLimits;
  #buffer = new Uint8Array(INITIAL_CAPACITY);
  // Arguments are handed out as views of the buffer, not copies (a copy costs more than the
  // rest of decoding). Once a view is out, the bytes under it are never written again: the
  // buffer is not rewound or compacted, and a new one is allocated when it is full.
  #shared = false;
  #start = 0;
  #end = 0;
  // The multibulk command being read: its arguments so far, how many remain and the length of
  // the bulk string being waited for (-1: its header is not read yet).
  #args: Uint8Array[] | null = null;
  #remaining = 0;
  #bulkLength = -1;
  // Bytes held by the arguments of the command being read, counted against the query buffer
  // limit with an overhead per argument, so that `*2147483647` followed by empty bulks cannot
  // grow memory without bound.
  #argsBytes = 0;

  /**
   * Whether the client has authenticated. When it has not (and a password is required), Redis
   * allows at most 10 arguments of 16 KB each before AUTH: the server clears this flag.
   */
  authenticated = true;

  /** @param limits what a client may send; Redis's defaults when omitted */
  constructor(limits: Partial<DecoderLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  /** How many bytes are buffered and not yet decoded. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * Adds bytes received from the client. Throws {@linkcode QueryBufferExceeded} when the
   * client's buffer would grow past its limit.
   *
   * @example
   * ```ts
   * new CommandDecoder().feed(new TextEncoder().encode("PING\r\n"));
   * ```
   */
  feed(chunk: Uint8Array): void {
    if (this.#end - this.#start + chunk.length > this.limits.maxQueryBuffer) {
      throw new QueryBufferExceeded();
    }
    this.#reserve(chunk.length);
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /**
   * The space to read the next chunk into, at least `size` bytes; call {@linkcode commit}
   * with how many bytes were read. Saves a copy when the server reads straight into it.
   *
   * @example
   * ```ts
   * const decoder = new CommandDecoder();
   * const space = decoder.space(4096);
   * space.set(new TextEncoder().encode("PING\r\n"));
   * decoder.commit(6);
   * ```
   */
  space(size: number): Uint8Array {
    this.#reserve(size);
    return view(this.#buffer, this.#end, this.#buffer.length - this.#end);
  }

  /**
   * Records that `count` bytes were read into {@linkcode space}.
   *
   * @example
   * ```ts
   * const decoder = new CommandDecoder();
   * decoder.space(16).set([80, 73, 78, 71, 13, 10]);
   * decoder.commit(6);
   * ```
   */
  commit(count: number): void {
    if (this.#end - this.#start + count > this.limits.maxQueryBuffer) {
      throw new QueryBufferExceeded();
    }
    this.#end += count;
  }

  /**
   * The next complete command, or null when more bytes are needed. Empty commands (blank
   * lines, `*0`) are skipped. The arguments are views of the decoder's buffer that stay valid
   * (the decoder never writes over them). Throws {@linkcode ProtocolError} on a broken frame; the decoder is
   * unusable afterwards.
   *
   * @example
   * ```ts
   * const decoder = new CommandDecoder();
   * decoder.feed(new TextEncoder().encode("SET k \"a b\"\r\n"));
   * decoder.next(); // [SET, k, a b] as bytes
   * ```
   */
  next(): Uint8Array[] | null {
    for (;;) {
      if (this.#args === null) {
        if (this.#start >= this.#end) {
          if (!this.#shared) this.#start = this.#end = 0;
          return null;
        }
        if (this.#buffer[this.#start] !== 42) { // '*'
          const inline = this.#inline();
          if (inline === null) return null;
          if (inline.length > 0) return inline;
          continue;
        }
        const count = this.#header(false);
        if (count === null) return null;
        if (count <= 0) continue;
        this.#args = [];
        this.#remaining = count;
        this.#bulkLength = -1;
      }
      while (this.#remaining > 0) {
        if (this.#bulkLength < 0) {
          if (this.#start >= this.#end) return null;
          if (this.#buffer[this.#start] !== 36) { // '$'
            const got = String.fromCharCode(this.#buffer[this.#start]);
            throw new ProtocolError(`expected '$', got '${got}'`);
          }
          const length = this.#header(true);
          if (length === null) return null;
          this.#bulkLength = length;
        }
        if (this.#end - this.#start < this.#bulkLength + 2) return null;
        this.#argsBytes += this.#bulkLength + ARG_OVERHEAD;
        if (this.#argsBytes > this.limits.maxQueryBuffer) throw new QueryBufferExceeded();
        this.#args.push(view(this.#buffer, this.#start, this.#bulkLength));
        this.#shared = true;
        this.#start += this.#bulkLength + 2; // Redis skips the CRLF without looking at it
        this.#bulkLength = -1;
        this.#remaining--;
      }
      const args = this.#args;
      this.#args = null;
      this.#argsBytes = 0;
      return args;
    }
  }

  // Reads a `*N` or `$N` header line; null when the line is incomplete.
  #header(bulk: boolean): number | null {
    const buffer = this.#buffer;
    const end = this.#end;
    let cr = this.#start + 1;
    while (cr < end && buffer[cr] !== CR) cr++;
    const newline = cr - this.#start;
    if (cr + 1 >= end) {
      if (this.#end - this.#start > this.limits.maxInlineLength) {
        throw new ProtocolError(bulk ? "too big bulk count string" : "too big mbulk count string");
      }
      return null;
    }
    const value = parseLength(this.#buffer, this.#start + 1, this.#start + newline);
    if (bulk) {
      if (value === null || value < 0 || value > this.limits.maxBulkLength) {
        throw new ProtocolError("invalid bulk length");
      }
      if (value > UNAUTHENTICATED_BULK && !this.authenticated) {
        throw new ProtocolError("unauthenticated bulk length");
      }
    } else {
      if (value === null || value > this.limits.maxMultibulkLength) {
        throw new ProtocolError("invalid multibulk length");
      }
      if (value > UNAUTHENTICATED_MULTIBULK && !this.authenticated) {
        throw new ProtocolError("unauthenticated multibulk length");
      }
    }
    this.#start += newline + 2;
    return value;
  }

  // Reads an inline command; null when its line is incomplete, [] for a blank line.
  #inline(): Uint8Array[] | null {
    const line = this.#buffer.subarray(this.#start, this.#end);
    const newline = line.indexOf(LF);
    if (newline < 0) {
      if (line.length > this.limits.maxInlineLength) {
        throw new ProtocolError("too big inline request");
      }
      return null;
    }
    let lineEnd = newline;
    if (lineEnd > 0 && line[lineEnd - 1] === CR) lineEnd--;
    const args = splitInline(line.subarray(0, lineEnd));
    this.#start += newline + 1;
    if (args === null) throw new ProtocolError("unbalanced quotes in request");
    return args;
  }

  #reserve(extra: number): void {
    if (this.#end + extra <= this.#buffer.length) return;
    const used = this.#end - this.#start;
    if (!this.#shared && used + extra <= this.#buffer.length) {
      this.#buffer.copyWithin(0, this.#start, this.#end);
    } else {
      let capacity = INITIAL_CAPACITY;
      while (capacity < used + extra) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.#buffer.subarray(this.#start, this.#end));
      this.#buffer = grown;
      this.#shared = false;
    }
    this.#start = 0;
    this.#end = used;
  }
}

/**
 * Bytes of a buffer the decoder made itself (so at offset 0 of its ArrayBuffer), as
 * `buffer.subarray(start, start + length)`: made from the ArrayBuffer, which V8 does in half the
 * time, and the decoder makes one per argument.
 */
function view(buffer: Uint8Array, start: number, length: number): Uint8Array {
  return new Uint8Array(buffer.buffer, start, length);
}

// string2ll over a slice of the buffer, for lengths: null when not an integer.
function parseLength(buffer: Uint8Array, from: number, to: number): number | null {
  if (from >= to || to - from > 20) return null;
  let negative = false;
  let i = from;
  if (buffer[i] === 45) {
    negative = true;
    i++;
    if (i === to) return null;
  }
  if (to - from === 1 && buffer[from] === 48) return 0;
  if (buffer[i] < 49 || buffer[i] > 57) return null;
  let value = 0;
  for (; i < to; i++) {
    const d = buffer[i] - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  return negative ? -value : value;
}

const ESCAPES: Record<number, number> = { 110: 10, 114: 13, 116: 9, 98: 8, 97: 7 }; // n r t b a

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/**
 * Splits an inline command line as Redis's `sdssplitargs` does: words separated by spaces,
 * double quotes with escapes (`\n`, `\xff`, ...), single quotes with `\'`. Null when quotes are
 * unbalanced or a closing quote is not followed by a space.
 *
 * @example
 * ```ts
 * splitInline(new TextEncoder().encode('SET k "a\\x41"')); // [SET, k, aA] as bytes
 * ```
 */
export function splitInline(line: Uint8Array): Uint8Array[] | null {
  const args: Uint8Array[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return args;
    const word: number[] = [];
    let inDouble = false;
    let inSingle = false;
    for (;;) {
      if (inDouble) {
        if (i >= n) return null;
        const c = line[i];
        if (
          c === 92 && i + 3 < n && line[i + 1] === 120 && isHex(line[i + 2]) && isHex(line[i + 3])
        ) {
          word.push(parseInt(String.fromCharCode(line[i + 2], line[i + 3]), 16));
          i += 3;
        } else if (c === 92 && i + 1 < n) {
          i++;
          word.push(ESCAPES[line[i]] ?? line[i]);
        } else if (c === 34) {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          inDouble = false;
          i++;
          break;
        } else {
          word.push(c);
        }
      } else if (inSingle) {
        if (i >= n) return null;
        const c = line[i];
        if (c === 92 && i + 1 < n && line[i + 1] === 39) {
          i++;
          word.push(39);
        } else if (c === 39) {
          if (i + 1 < n && !isSpace(line[i + 1])) return null;
          inSingle = false;
          i++;
          break;
        } else {
          word.push(c);
        }
      } else {
        if (i >= n) break;
        const c = line[i];
        if (isSpace(c)) break;
        if (c === 34) inDouble = true;
        else if (c === 39) inSingle = true;
        else word.push(c);
      }
      i++;
    }
    args.push(Uint8Array.from(word));
  }
}
