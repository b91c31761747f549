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
const INT64_MIN = -(2n ** 63n);

/**
 * The latest expire time Redlite stores, in unix ms (2^53 - 1, in the year 287396): node:sqlite
 * cannot read a larger integer as a number. A later time given to SET or EXPIRE is stored as
 * this one, so PEXPIRETIME answers it where Redis would answer the time given.
 */
export const MAX_EXPIRE_AT: number = Number.MAX_SAFE_INTEGER;

/**
 * An expire time in unix ms as stored: clamped to {@linkcode MAX_EXPIRE_AT} (and, for times
 * long past, to its negative).
 *
 * @example
 * ```ts
 * storedExpireAt(2n ** 62n); // MAX_EXPIRE_AT
 * ```
 */
export function storedExpireAt(ms: number | bigint): number {
  const value = Number(ms);
  return value > MAX_EXPIRE_AT ? MAX_EXPIRE_AT : value < -MAX_EXPIRE_AT ? -MAX_EXPIRE_AT : value;
}

function isSeconds(unit: ExpireUnit): boolean {
  return unit === "ex" || unit === "exat";
}

function isRelative(unit: ExpireUnit): boolean {
  return unit === "ex" || unit === "px";
}

// Small amounts, the usual case, need no 64-bit checks.
function smallAbsoluteMs(unit: ExpireUnit, amount: number, now: number): number {
  const ms = isSeconds(unit) ? amount * 1000 : amount;
  return isRelative(unit) ? ms + now : ms;
}

// As Redis: the conversion to ms and the addition of the base time must not overflow 64 bits
// (C's division truncates toward zero, as BigInt's does).
function absoluteMs(unit: ExpireUnit, amount: bigint, command: string, now: number): number {
  let ms = amount;
  if (isSeconds(unit)) {
    if (ms > INT64_MAX / 1000n || ms < INT64_MIN / 1000n) throw invalidExpire(command);
    ms *= 1000n;
  }
  if (isRelative(unit)) {
    if (ms > INT64_MAX - BigInt(now)) throw invalidExpire(command);
    ms += BigInt(now);
  }
  return storedExpireAt(ms);
}

/**
 * The absolute unix time in ms that an expire argument of SET, GETEX and the like means, or
 * Redis's `ERR invalid expire time in '<command>' command` when it is not positive or overflows.
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
    return smallAbsoluteMs(unit, amount, now);
  }
  if (amount <= 0) throw invalidExpire(command);
  return absoluteMs(unit, BigInt(amount), command, now);
}

/**
 * The absolute unix time in ms that an argument of EXPIRE, PEXPIRE, EXPIREAT or PEXPIREAT
 * means, as Redis's `expireGenericCommand` computes it: zero and negative amounts are allowed
 * (a time in the past deletes the key), only an overflow of 64 bits is
 * `ERR invalid expire time in '<command>' command`.
 *
 * @example
 * ```ts
 * expireCommandTime("ex", -1, "expire", 5_000); // 4_000
 * ```
 */
export function expireCommandTime(
  unit: ExpireUnit,
  amount: Int64,
  command: string,
  now: number = Date.now(),
): number {
  if (typeof amount === "number" && amount > -1e12 && amount < 1e12) {
    return smallAbsoluteMs(unit, amount, now);
  }
  return absoluteMs(unit, BigInt(amount), command, now);
}
