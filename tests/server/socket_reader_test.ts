import assert from "node:assert/strict";
import { socketReader } from "../../src/server/socket_reader.ts";

/** A connected pair of TCP sockets on the loopback: the client's end and the server's. */
async function tcpPair(): Promise<{ client: Deno.TcpConn; server: Deno.TcpConn; close(): void }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  const server = await listener.accept();
  return {
    client,
    server,
    close() {
      for (const closable of [client, server, listener]) {
        try {
          closable.close();
        } catch {
          // closed by the test already
        }
      }
    },
  };
}

// Counts the calls of a connection's own `read`, still reading through it.
function countReads(conn: Deno.Conn): { count: number } {
  const calls = { count: 0 };
  const read = conn.read.bind(conn);
  conn.read = (buffer: Uint8Array) => {
    calls.count++;
    return read(buffer);
  };
  return calls;
}

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("socketReader reads a TCP connection through Deno's read operation, as Conn.read would", async () => {
  for (const direct of [true, false]) {
    const { client, server, close } = await tcpPair();
    try {
      const calls = countReads(server);
      const read = socketReader(server, direct);
      const buffer = new Uint8Array(64);
      await client.write(bytes("*1\r\n$4\r\nPING\r\n"));
      const count = await read(buffer);
      assert.equal(count, 14);
      assert.deepEqual(buffer.subarray(0, 14), bytes("*1\r\n$4\r\nPING\r\n"));
      client.close();
      assert.ok(!await read(buffer), "the end of the stream: 0 or null");
      // Deno 2.9 has the operation: the direct reader never calls Conn.read.
      assert.equal(calls.count, direct ? 0 : 2, `direct: ${direct}`);
    } finally {
      close();
    }
  }
});

Deno.test("socketReader's direct reads reject as Conn.read's do once the connection is closed", async () => {
  const { server, close } = await tcpPair();
  try {
    const read = socketReader(server);
    server.close();
    await assert.rejects(read(new Uint8Array(8)), Deno.errors.BadResource);
  } finally {
    close();
  }
});

Deno.test("a connection that is not a plain TCP one is read through its own read", async () => {
  const chunks = [bytes("abc")];
  const fake = {
    read: (buffer: Uint8Array) => {
      const chunk = chunks.shift();
      if (chunk === undefined) return Promise.resolve(null);
      buffer.set(chunk);
      return Promise.resolve(chunk.length);
    },
  } as unknown as Deno.Conn;
  const read = socketReader(fake);
  const buffer = new Uint8Array(8);
  assert.equal(await read(buffer), 3);
  assert.deepEqual(buffer.subarray(0, 3), bytes("abc"));
  assert.equal(await read(buffer), null);
});
