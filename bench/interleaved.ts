/**
 * Interleaved rounds for the in-process benchmarks: each row (a command) is timed on each side
 * (this checkout, another) in turn, round after round, who goes first alternating, after one
 * round to warm up; the table gives each side's median.
 *
 * @module
 */

import { median } from "./median.ts";

/**
 * What {@linkcode printInterleaved} times, and how.
 *
 * @example
 * ```ts
 * const runs: InterleavedRuns = { rows: ["PING"], sides: ["this"], rounds: 3, time: () => 1 };
 * ```
 */
export interface InterleavedRuns {
  /** The rows of the table: the commands. */
  rows: string[];
  /** The columns: the sides' names. */
  sides: string[];
  /** Rounds timed, after the warm-up. */
  rounds: number;
  /** One round of one row on one side: the time it gives, in the table's unit. */
  time: (row: string, side: number) => number | Promise<number>;
}

/**
 * Times every row on every side in interleaved rounds and prints a Markdown table of the medians.
 *
 * @example
 * ```ts
 * await printInterleaved({
 *   rows: ["PING"],
 *   sides: ["this", "before"],
 *   rounds: 5,
 *   time: (row, side) => side === 0 ? 1.2 : 1.4,
 * });
 * // | command | this | before |
 * // | --- | --- | --- |
 * // | PING | 1.20 | 1.40 |
 * ```
 */
export async function printInterleaved(runs: InterleavedRuns): Promise<void> {
  const { rows, sides, rounds, time } = runs;
  console.log(`| command | ${sides.join(" | ")} |`);
  console.log(`| --- | ${sides.map(() => "---").join(" | ")} |`);
  for (const row of rows) {
    for (let side = 0; side < sides.length; side++) await time(row, side);
    const times: number[][] = sides.map(() => []);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < sides.length; i++) {
        const side = round % 2 === 0 ? i : sides.length - 1 - i;
        times[side].push(await time(row, side));
      }
    }
    console.log(`| ${row} | ${times.map((t) => median(t).toFixed(2)).join(" | ")} |`);
  }
}
