/**
 * Runs the Redlite server (server.ts) as a child process, for tests that kill it, starve it or
 * measure it from outside.
 *
 * @module
 */

/** server.ts, as an absolute path. */
export const SERVER_PATH: string = new URL("../../server.ts", import.meta.url).pathname;

/**
 * The `serve` task's deno arguments (its permissions), with server.ts as an absolute path.
 *
 * @example
 * ```ts
 * const args = await serveTaskArgs(); // ["run", "--allow-net=127.0.0.1", ..., "/.../server.ts"]
 * ```
 */
export async function serveTaskArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(new URL("../../deno.json", import.meta.url)));
  const words = (config.tasks.serve as string).split(" ");
  if (words[0] !== "deno") throw new Error(`the serve task does not start with deno: ${words}`);
  return words.slice(1).map((word) => word === "server.ts" ? SERVER_PATH : word);
}

/** A running server process. */
export interface ServerProcess {
  /** The port it printed that it listens on. */
  readonly port: number;
  /** Its process id. */
  readonly pid: number;
  /** The child process. */
  readonly child: Deno.ChildProcess;
  /** Everything it wrote to stderr so far (its log). */
  stderr(): string;
  /** Sends `signal` and waits for the exit; returns the exit status. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/** How {@linkcode startServer} runs the child. */
export interface StartOptions {
  /** The arguments of `deno`, up to and including server.ts (default: `run -A server.ts`). */
  denoArgs?: string[];
  /** A program and its arguments that run deno (for `prlimit ...`, `ip netns exec ...`). */
  wrapper?: string[];
  /** The working folder. */
  cwd?: string;
  /** Environment variables for the child. */
  env?: Record<string, string>;
  /** How long to wait for the listening line (default 30 s). */
  timeoutMs?: number;
}

/**
 * Starts server.ts with `args` and waits until it prints the line saying where it listens.
 * Throws with its stderr if it exits first.
 *
 * @example
 * ```ts
 * const server = await startServer(["--port", "0", "--db", "/tmp/x.db"]);
 * await server.stop("SIGTERM");
 * ```
 */
export async function startServer(
  args: string[],
  options: StartOptions = {},
): Promise<ServerProcess> {
  // The serve task's arguments end with server.ts already.
  const denoArgs = options.denoArgs ?? ["run", "-A", SERVER_PATH];
  const deno = [Deno.execPath(), ...denoArgs, ...args];
  const command = [...(options.wrapper ?? []), ...deno];
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: options.env,
    cwd: options.cwd,
  }).spawn();
  let log = "";
  const stderrDone = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) log += chunk;
  })();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let line = "";
  const timeout = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }, options.timeoutMs ?? 30_000);
  while (!line.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    line += value;
  }
  clearTimeout(timeout);
  // Keep draining stdout so that the child never blocks on a full pipe.
  const stdoutDone = (async () => {
    while (!(await reader.read()).done);
  })();
  const match = line.match(/listening on \S+:(\d+)/);
  if (match === null) {
    await child.status;
    await Promise.all([stderrDone, stdoutDone]);
    throw new Error(`the server did not start: ${line}${log}`);
  }
  let status: Promise<Deno.CommandStatus> | null = null;
  return {
    port: Number(match[1]),
    pid: child.pid,
    child,
    stderr: () => log,
    async stop(signal: Deno.Signal = "SIGKILL") {
      if (status === null) {
        try {
          child.kill(signal);
        } catch {
          // already exited
        }
        status = child.status;
      }
      const result = await status;
      await Promise.all([stderrDone, stdoutDone]);
      return result;
    },
  };
}
