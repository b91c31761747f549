/**
 * Temporary folders for tests that write files (a database with its -wal and -shm): removed
 * with everything in them once the test is done, whether it passed or failed.
 *
 * @module
 */

/**
 * Runs `fn` with a new empty folder in the system's temporary folder, then removes the folder
 * and everything in it whatever `fn` did. Close the databases and stop the processes that use
 * it before `fn` returns.
 *
 * @example
 * ```ts
 * await withTempDir(async (dir) => {
 *   const db = Db.open(`${dir}/data.db`);
 *   db.close();
 * });
 * ```
 */
export async function withTempDir(
  fn: (dir: string) => Promise<void> | void,
  options?: Deno.MakeTempOptions,
): Promise<void> {
  const dir = await Deno.makeTempDir(options);
  try {
    await fn(dir);
  } catch (error) {
    // The test's own failure is the one to report, not a failure to remove what it left.
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
  await Deno.remove(dir, { recursive: true });
}
