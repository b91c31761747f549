/**
 * Who gets in: protected mode (clients outside the loopback interface refused with Redis's
 * DENIED text while no password is set), the password from a flag, a file or the environment
 * (never in the process list unless given with --password), AUTH failures, and TLS with
 * redis-cli and the client libraries.
 */

import assert from "node:assert/strict";
import net from "node:net";
import { Redis } from "ioredis";
import { createClient } from "redis";
import type { Db } from "../../src/db/db.ts";
import type { ServeOptions } from "../../server.ts";
import { Password, PROTECTED_MODE_DENIED } from "../../src/server/security.ts";
import { RespClient } from "../_helpers/resp_client.ts";
import { HAS_REDIS, startRedis } from "../_helpers/redis_server.ts";
import { SERVER_PATH, serveTaskArgs, startServer } from "../_helpers/server_process.ts";
import { HAS_REDIS_CLI, installed, withServer as withDefaultDb } from "../_helpers/served.ts";

const withServer = (options: ServeOptions, fn: (port: number, db: Db) => Promise<void>) =>
  withDefaultDb(fn, options);

const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? new Uint8Array());

const HAS_OPENSSL = installed("openssl", ["version"]);

/**
 * A network namespace made for a test, joined to this one by a veth pair: a host on another
 * network, on this machine only. Its address is `peer`; this side's is `local`.
 */
class TestHost {
  readonly name = `redlite-${Deno.pid}`;
  readonly local = "10.231.77.1";
  readonly peer = "10.231.77.2";

  /** Whether network namespaces can be made here (root and iproute2): tried once. */
  static readonly available: boolean = (() => {
    if (Deno.build.os !== "linux") return false;
    const probe = `redlite-probe-${Deno.pid}`;
    if (!installed("ip", ["netns", "add", probe])) return false;
    return installed("ip", ["netns", "del", probe]);
  })();

  create(): void {
    const veth = `rl${Deno.pid % 100000}`;
    for (
      const args of [
        ["netns", "add", this.name],
        ["link", "add", `${veth}a`, "type", "veth", "peer", "name", `${veth}b`],
        ["link", "set", `${veth}b`, "netns", this.name],
        ["addr", "add", `${this.local}/30`, "dev", `${veth}a`],
        ["link", "set", `${veth}a`, "up"],
        ["-n", this.name, "addr", "add", `${this.peer}/30`, "dev", `${veth}b`],
        ["-n", this.name, "link", "set", `${veth}b`, "up"],
        ["-n", this.name, "link", "set", "lo", "up"],
      ]
    ) {
      assert.ok(installed("ip", args), `ip ${args.join(" ")}`);
    }
  }

  /** Deletes the namespace, and with it both ends of the veth pair. */
  remove(): void {
    installed("ip", ["netns", "del", this.name]);
  }

  /** Connects from the namespace to `port` on this side, sends `input`, returns the reply. */
  async exchange(port: number, input: string): Promise<string> {
    const script = `
      const conn = await Deno.connect({ hostname: "${this.local}", port: ${port} });
      await conn.write(new TextEncoder().encode(${JSON.stringify(input)}));
      const buffer = new Uint8Array(4096);
      let received = "";
      const timer = setTimeout(() => conn.close(), 3000);
      try {
        for (let n; (n = await conn.read(buffer)) !== null;) {
          received += new TextDecoder().decode(buffer.subarray(0, n));
          if (!received.startsWith("-DENIED") && received.endsWith("\\r\\n")) break;
        }
      } catch { /* reset or closed by the timer */ }
      clearTimeout(timer);
      console.log(JSON.stringify(received));
      Deno.exit(0);
    `;
    const output = await new Deno.Command("ip", {
      args: ["netns", "exec", this.name, Deno.execPath(), "eval", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(output.success, text(output.stderr));
    return JSON.parse(text(output.stdout));
  }
}

/**
 * Connects from `localAddress` (127.0.0.2 is outside the loopback interface for Redis 7.0's
 * protected mode: only 127.0.0.1 and ::1 are in), sends `input`, and returns everything the
 * server writes until it closes the connection (or 5 s pass).
 */
function exchangeFrom(localAddress: string, port: number, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: "127.0.0.1", port, localAddress });
    let received = "";
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on("connect", () => socket.write(input));
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      // A command that was answered and not refused: done.
      if (received.endsWith("\r\n") && !received.startsWith("-DENIED")) socket.end();
    });
    socket.on("error", (error: Error & { code?: string }) => {
      clearTimeout(timer);
      // Redis closes a refused connection with the client's command unread: a reset.
      if (error.code === "ECONNRESET" && received !== "") resolve(received);
      else reject(error);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

// node:net sockets close on their own schedule after the test's last await.
const netTest = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "protected mode refuses a client from outside the loopback interface, as Redis 7.0 does",
  ...netTest,
  async fn() {
    const denied = text(PROTECTED_MODE_DENIED);
    await withServer({}, async (port) => {
      assert.equal(await exchangeFrom("127.0.0.2", port, "PING\r\n"), denied);
      assert.equal(await exchangeFrom("127.0.0.1", port, "PING\r\n"), "+PONG\r\n");
      const admin = await RespClient.connect(port);
      const info = text(await admin.send(["INFO", "stats"]));
      assert.match(info, /rejected_connections:1\r\n/);
      // CONFIG SET protected-mode no from the loopback interface lets the outside in.
      assert.equal(text(await admin.send(["CONFIG", "SET", "protected-mode", "no"])), "+OK\r\n");
      assert.equal(await exchangeFrom("127.0.0.2", port, "PING\r\n"), "+PONG\r\n");
      admin.close();
    });
    if (HAS_REDIS) {
      // The same bytes from a real redis-server, its bind and protected mode as they ship.
      const redis = await startRedis(["--protected-mode", "yes"]);
      try {
        assert.equal(await exchangeFrom("127.0.0.2", redis.port, "PING\r\n"), denied);
      } finally {
        await redis.stop();
      }
    }
  },
});

Deno.test({
  name: "protected mode lets everyone in with a password (to AUTH) or with protectedMode false",
  ...netTest,
  async fn() {
    await withServer({ password: "pw" }, async (port) => {
      assert.equal(
        await exchangeFrom("127.0.0.2", port, "PING\r\n"),
        "-NOAUTH Authentication required.\r\n",
      );
      assert.equal(await exchangeFrom("127.0.0.2", port, "AUTH pw\r\n"), "+OK\r\n");
    });
    await withServer({ protectedMode: false }, async (port) => {
      assert.equal(await exchangeFrom("127.0.0.2", port, "PING\r\n"), "+PONG\r\n");
    });
  },
});

Deno.test({
  name: "protected mode refuses a host on another network, unless a password is set",
  ignore: !TestHost.available,
  async fn() {
    const host = new TestHost();
    host.create();
    try {
      // Listening on every address, or on the one the other host reaches: refused either way
      // (Redis 7.0 ignores the bind address here).
      await withServer({ hostname: "0.0.0.0" }, async (port) => {
        assert.equal(await host.exchange(port, "PING\r\n"), text(PROTECTED_MODE_DENIED));
        assert.equal(await exchangeFrom("127.0.0.1", port, "PING\r\n"), "+PONG\r\n");
      });
      await withServer({ hostname: host.local }, async (port) => {
        assert.equal(await host.exchange(port, "PING\r\n"), text(PROTECTED_MODE_DENIED));
      });
      await withServer({ hostname: "0.0.0.0", password: "pw" }, async (port) => {
        assert.equal(await host.exchange(port, "AUTH pw\r\n"), "+OK\r\n");
      });
      await withServer({ hostname: "0.0.0.0", protectedMode: false }, async (port) => {
        assert.equal(await host.exchange(port, "PING\r\n"), "+PONG\r\n");
      });
    } finally {
      host.remove();
    }
  },
});

Deno.test("Password matches only itself, whatever the length of the guess", () => {
  const encode = (value: string) => new TextEncoder().encode(value);
  const password = new Password(encode("s3cret"));
  assert.equal(password.matches(encode("s3cret")), true);
  for (const guess of ["", "s", "s3cre", "s3cret ", "S3cret", "s3cret\0", "x".repeat(10_000)]) {
    assert.equal(password.matches(encode(guess)), false, guess);
  }
});

async function auth(port: number, password: string): Promise<string> {
  const client = await RespClient.connect(port);
  try {
    return text(await client.send(["AUTH", password])) +
      text(await client.send(["GET", "k"]));
  } finally {
    client.close();
  }
}

Deno.test("the password comes from --password-file or REDLITE_PASSWORD, not the process list", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/password`, "from the file\n");
    const cases: { args: string[]; env: Record<string, string>; secret: string }[] = [
      { args: ["--password-file", `${dir}/password`], env: {}, secret: "from the file" },
      { args: [], env: { REDLITE_PASSWORD: "from the env" }, secret: "from the env" },
    ];
    for (const { args, env, secret } of cases) {
      const server = await startServer(["--port", "0", "--memory", ...args], { env });
      try {
        // What `ps` shows (read through cat: /proc needs more than the test task's permissions).
        const cmdline = text(
          (await new Deno.Command("cat", { args: [`/proc/${server.pid}/cmdline`] }).output())
            .stdout,
        );
        assert.match(cmdline, /server\.ts/);
        assert.ok(!cmdline.includes(secret), cmdline);
        assert.equal(
          await auth(server.port, "wrong"),
          "-WRONGPASS invalid username-password pair or user is disabled.\r\n" +
            "-NOAUTH Authentication required.\r\n",
        );
        assert.equal(await auth(server.port, secret), "+OK\r\n$-1\r\n");
      } finally {
        await server.stop("SIGTERM");
      }
    }
    const both = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", SERVER_PATH, "--password", "a", "--password-file", `${dir}/password`],
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(both.code, 2);
    assert.match(text(both.stderr), /--password and --password-file: give one of them/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl. */
async function selfSignedCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const output = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      `${dir}/key.pem`,
      "-out",
      `${dir}/cert.pem`,
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(output.success, text(output.stderr));
  return { cert: `${dir}/cert.pem`, key: `${dir}/key.pem` };
}

async function redisCliTls(port: number, ca: string, args: string[]): Promise<string> {
  const output = await new Deno.Command("redis-cli", {
    args: ["--tls", "--cacert", ca, "-h", "127.0.0.1", "-p", String(port), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return text(output.stdout) + text(output.stderr);
}

Deno.test({
  name: "--tls-cert and --tls-key serve RESP over TLS to redis-cli, ioredis and node-redis",
  ignore: !HAS_OPENSSL,
  ...netTest,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const files = await selfSignedCertificate(dir);
      const ca = await Deno.readTextFile(files.cert);
      const server = await startServer([
        "--port",
        "0",
        "--memory",
        "--tls-cert",
        files.cert,
        "--tls-key",
        files.key,
      ]);
      try {
        if (HAS_REDIS_CLI) {
          assert.equal(
            await redisCliTls(server.port, files.cert, ["SET", "k", "over tls"]),
            "OK\n",
          );
          assert.equal(await redisCliTls(server.port, files.cert, ["GET", "k"]), "over tls\n");
        }
        const ioredis = new Redis({
          host: "127.0.0.1",
          port: server.port,
          tls: { ca, servername: "localhost" },
          lazyConnect: true,
        });
        await ioredis.connect();
        assert.equal(await ioredis.set("io", "redis"), "OK");
        assert.equal(await ioredis.get("io"), "redis");
        await ioredis.quit();
        const nodeRedis = createClient({
          socket: { host: "127.0.0.1", port: server.port, tls: true, ca, servername: "localhost" },
        });
        nodeRedis.on("error", () => {});
        await nodeRedis.connect();
        assert.equal(await nodeRedis.get("io"), "redis");
        nodeRedis.destroy();
        // A client speaking plain RESP to the TLS port gets nothing it can use, and the
        // server carries on.
        const plain = await RespClient.connect(server.port);
        await plain.write(new TextEncoder().encode("*1\r\n$4\r\nPING\r\n")).catch(() => {});
        const reply = await plain.readRaw().catch(() => null);
        assert.notEqual(text(reply), "+PONG\r\n");
        plain.close();
        if (HAS_REDIS_CLI) {
          assert.equal(await redisCliTls(server.port, files.cert, ["PING"]), "PONG\n");
        }
      } finally {
        const status = await server.stop("SIGTERM");
        assert.equal(status.code, 0, server.stderr());
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the serve task's permissions are enough for a password file and TLS in its folder",
  ignore: !HAS_OPENSSL || !HAS_REDIS_CLI,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const files = await selfSignedCertificate(dir);
      await Deno.writeTextFile(`${dir}/password`, "task secret\n");
      const server = await startServer(
        [
          "--port",
          "0",
          "--password-file",
          "password",
          "--tls-cert",
          "cert.pem",
          "--tls-key",
          "key.pem",
        ],
        { denoArgs: await serveTaskArgs(), cwd: dir },
      );
      try {
        const cli = (args: string[]) => redisCliTls(server.port, files.cert, args);
        assert.match(await cli(["SET", "k", "v"]), /NOAUTH Authentication required/);
        assert.equal(
          await cli(["--no-auth-warning", "-a", "task secret", "SET", "k", "v"]),
          "OK\n",
        );
      } finally {
        const status = await server.stop("SIGTERM");
        assert.equal(status.code, 0, server.stderr());
        assert.equal(server.stderr(), "");
      }
      assert.ok((await Deno.stat(`${dir}/redlite.db`)).isFile);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
