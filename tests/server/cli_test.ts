/**
 * The command line: `deno task serve`'s exact permissions are enough to serve, report INFO and
 * stop cleanly on SIGTERM.
 */

import assert from "node:assert/strict";
import { RespClient } from "../_helpers/resp_client.ts";
import { SERVER_PATH, serveTaskArgs } from "../_helpers/server_process.ts";

const serverPath = SERVER_PATH;

async function run(args: string[]): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), { args, stderr: "piped" }).output();
  assert.ok(output.success, new TextDecoder().decode(output.stderr));
  return new TextDecoder().decode(output.stdout);
}

Deno.test("server.ts --help and --version", async () => {
  assert.match(await run(["run", serverPath, "--help"]), /--port N[\s\S]*--durability/);
  assert.match(await run(["run", serverPath, "--version"]), /^redlite \d+\.\d+\.\d+\n$/);
});

Deno.test("the serve task's permissions serve a file in the working folder and stop on SIGTERM", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [...await serveTaskArgs(), "--port", "0"],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let line = "";
    while (!line.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      line += value;
    }
    reader.releaseLock();
    const match = line.match(/^Redlite \S+ listening on 127\.0\.0\.1:(\d+), serving redlite\.db\n/);
    assert.ok(match, line);
    const client = await RespClient.connect(Number(match[1]));
    assert.equal(new TextDecoder().decode(await client.send(["SET", "k", "v"])), "+OK\r\n");
    const info = await client.call("INFO");
    assert.equal(info.type, "bulk");
    client.close();
    child.kill("SIGTERM");
    const status = await child.status;
    assert.equal(status.code, 0);
    const stderr = new TextDecoder().decode(await new Response(child.stderr).arrayBuffer());
    assert.equal(stderr, "");
    assert.ok((await Deno.stat(`${dir}/redlite.db`)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
