/**
 * A seeded pseudo-random generator for randomized tests: the same seed gives the same sequence,
 * so a failure can be replayed.
 *
 * @module
 */

/**
 * A seeded generator (mulberry32).
 *
 * @example
 * ```ts
 * const random = new SeededRandom(42);
 * random.int(10); // 0..9, the same for the same seed
 * ```
 */
export class SeededRandom {
  #state: number;

  /** @param seed any 32-bit integer */
  constructor(readonly seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** One of the items. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}
