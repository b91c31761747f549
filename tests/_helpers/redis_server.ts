/**
 * Starts a real redis-server (Debian's package) on a free loopback port for differential tests.
 *
 * @module
 */

/** Whether redis-server is installed; differential tests are ignored (never passed) without it. */
export const HAS_REDIS: boolean = (() => {
  try {
    return new Deno.Command("redis-server", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

/** A running redis-server. */
export interface RedisProcess {
  /** Its port on 127.0.0.1. */
  port: number;
  /** Its process id. */
  pid: number;
  /** Stops it and waits for it to exit. */
  stop(): Promise<void>;
}

/**
 * A free TCP port on 127.0.0.1.
 *
 * @example
 * ```ts
 * const port = freePort();
 * ```
 */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Waits until something accepts TCP connections on the port, or throws after `timeoutMs`.
 *
 * @example
 * ```ts
 * await waitForPort(6379);
 * ```
 */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

/**
 * Starts redis-server without persistence on a free port and waits until it accepts connections.
 *
 * @example
 * ```ts
 * const redis = await startRedis();
 * await redis.stop();
 * ```
 */
export async function startRedis(extraArgs: string[] = []): Promise<RedisProcess> {
  const port = freePort();
  const dir = Deno.makeTempDirSync();
  const child = new Deno.Command("redis-server", {
    args: [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      ...extraArgs,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    child.kill("SIGKILL");
    await child.status;
    await Deno.remove(dir, { recursive: true });
  };
  try {
    await waitForPort(port);
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
  return { port, pid: child.pid, stop };
}
