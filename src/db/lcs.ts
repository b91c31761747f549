/**
 * The longest common subsequence of two strings, computed as Redis's LCS command does: the
 * classic dynamic-programming table, walked back from the end to produce the subsequence and its
 * matching ranges (last match first, as Redis replies).
 *
 * @module
 */

/** One run of consecutive matching bytes: inclusive ranges in both strings, and its length. */
export interface LcsMatch {
  /** First and last index in the first string. */
  a: [number, number];
  /** First and last index in the second string. */
  b: [number, number];
  /** The number of bytes in the run. */
  length: number;
}

/** The longest common subsequence and where its runs lie. */
export interface LcsResult {
  /** The subsequence itself. */
  sequence: Uint8Array;
  /** Its length. */
  length: number;
  /** Its runs of at least the minimum length, from the end of the strings to their start. */
  matches: LcsMatch[];
}

/**
 * The bytes of memory {@linkcode longestCommonSubsequence} needs for strings of these lengths
 * (Redis refuses more than proto-max-bulk-len).
 *
 * @example
 * ```ts
 * lcsTableBytes(3, 4); // 80
 * ```
 */
export function lcsTableBytes(aLength: number, bLength: number): number {
  return (aLength + 1) * (bLength + 1) * 4;
}

/**
 * Computes the longest common subsequence of `a` and `b`, keeping the runs of at least
 * `minMatchLength` bytes. It allocates {@linkcode lcsTableBytes} bytes.
 *
 * @example
 * ```ts
 * const e = new TextEncoder();
 * const result = longestCommonSubsequence(e.encode("ohmytext"), e.encode("mynewtext"));
 * new TextDecoder().decode(result.sequence); // "mytext"
 * result.matches[0]; // { a: [4, 7], b: [5, 8], length: 4 }
 * ```
 */
export function longestCommonSubsequence(
  a: Uint8Array,
  b: Uint8Array,
  minMatchLength = 0,
): LcsResult {
  const width = b.length + 1;
  // table[i * width + j]: the LCS length of a[0..i) and b[0..j).
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = 1; i <= a.length; i++) {
    const row = i * width;
    const above = row - width;
    for (let j = 1; j <= b.length; j++) {
      table[row + j] = a[i - 1] === b[j - 1]
        ? table[above + j - 1] + 1
        : Math.max(table[above + j], table[row + j - 1]);
    }
  }
  const length = table[a.length * width + b.length];
  const sequence = new Uint8Array(length);
  const matches: LcsMatch[] = [];
  let run: LcsMatch | null = null;
  const emit = () => {
    if (run !== null && run.length >= minMatchLength) matches.push(run);
    run = null;
  };
  let i = a.length;
  let j = b.length;
  let k = length;
  while (i > 0 && j > 0) {
    if (a[i - 1] === b[j - 1]) {
      sequence[--k] = a[i - 1];
      if (run === null) run = { a: [i - 1, i - 1], b: [j - 1, j - 1], length: 1 };
      else {
        run.a[0]--;
        run.b[0]--;
        run.length++;
      }
      i--;
      j--;
      if (i === 0 || j === 0) emit();
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      emit();
    }
  }
  return { sequence, length, matches };
}
