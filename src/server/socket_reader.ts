/**
 * Reads from a client's socket. Deno's `Conn.read` wraps its read operation in an async function
 * that also records the pending read in a Set (for `unref()`): per read, a promise and an `await`
 * more, and the Set's bookkeeping, about a third of what a server allocates per request. A TCP
 * connection's reads go straight to the operation where this Deno exposes it (its internal
 * `core.read` and the connection's resource id, as `Conn.read` itself uses them): 0.3 to 0.6 µs
 * less user time a request in a bare PING server on this machine, of 2.5 to 3. Elsewhere (a TLS
 * connection, whose reads may first finish its handshake; a Deno without them) they go through
 * `Conn.read`.
 *
 * @module
 */

/**
 * Reads into `buffer` (never empty): how many bytes came, or 0 or null at the end of the stream.
 * Rejects as `Conn.read` does.
 */
export type SocketRead = (buffer: Uint8Array) => Promise<number | null>;

/** The part of Deno's internal core that reads a resource. */
interface CoreRead {
  read(rid: number, buffer: Uint8Array): Promise<number>;
}

// Deno's internal core (`Deno[Deno.internal].core`) when it has the read operation, else null.
const core: CoreRead | null = (() => {
  const internal = Reflect.get(Deno, "internal");
  if (typeof internal !== "symbol") return null;
  const found: unknown = Reflect.get(Reflect.get(Deno, internal) ?? {}, "core");
  return typeof found === "object" && found !== null &&
      typeof (found as Partial<CoreRead>).read === "function"
    ? found as CoreRead
    : null;
})();

// A connection's resource id, kept under Deno's `Deno.internal.rid` symbol; undefined without it.
function resourceId(conn: Deno.Conn): number | undefined {
  const symbol = Object.getOwnPropertySymbols(conn)
    .find((candidate) => candidate.description === "Deno.internal.rid");
  const rid: unknown = symbol === undefined ? undefined : Reflect.get(conn, symbol);
  return typeof rid === "number" ? rid : undefined;
}

/**
 * How to read `conn`: straight through Deno's read operation for a TCP connection where this Deno
 * allows it (unless `direct` is false), else through `conn.read`.
 *
 * @example
 * ```ts
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * const conn = await listener.accept();
 * await client.write(new TextEncoder().encode("PING\r\n"));
 * await socketReader(conn)(new Uint8Array(64)); // 6
 * client.close();
 * conn.close();
 * listener.close();
 * ```
 */
export function socketReader(conn: Deno.Conn, direct = true): SocketRead {
  const isTcp = "setNoDelay" in conn && !("handshake" in conn);
  const rid = direct && isTcp && core !== null ? resourceId(conn) : undefined;
  if (rid === undefined || core === null) return (buffer) => conn.read(buffer);
  const op = core;
  return (buffer) => op.read(rid, buffer);
}
