/**
 * Turning Redis's expire arguments (EX, PX, EXAT, PXAT and the EXPIRE family) into an absolute
 * unix time in ms, with Redis's checks.
 *
 * @module
 */

import { invalidExpire } from "./errors.ts";
import type { Int64 } from "./numbers.ts";

/** The unit of an expire argument: relative seconds or ms, or absolute unix seconds or ms. */
export type ExpireUnit = "ex" | "px" | "exat" | "pxat";

const INT64_MAX = 2n ** 63n - 1n;

/**
 * The absolute unix time in ms that an expire argument means, or Redis's
 * `ERR invalid expire time in '<command>' command` when it is not positive or overflows.
 *
 * @example
 * ```ts
 * expireAtFrom("ex", 10, "set", 1_000); // 11_000
 * ```
 */
export function expireAtFrom(
  unit: ExpireUnit,
  amount: Int64,
  command: string,
  now: number = Date.now(),
): number {
  if (typeof amount === "number" && amount > 0 && amount < 1e12) {
    const ms = unit === "ex" || unit === "exat" ? amount * 1000 : amount;
    return unit === "ex" || unit === "px" ? ms + now : ms;
  }
  let ms = BigInt(amount);
  if (ms <= 0n) throw invalidExpire(command);
  if (unit === "ex" || unit === "exat") {
    if (ms > INT64_MAX / 1000n) throw invalidExpire(command);
    ms *= 1000n;
  }
  if (unit === "ex" || unit === "px") {
    if (ms > INT64_MAX - BigInt(now)) throw invalidExpire(command);
    ms += BigInt(now);
  }
  return Number(ms);
}
