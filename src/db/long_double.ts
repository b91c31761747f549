/**
 * Redis's `long double` arithmetic for INCRBYFLOAT and HINCRBYFLOAT, emulated exactly.
 *
 * Redis parses both operands with `strtold`, adds them in the x87 80-bit extended format (a
 * 64-bit significand) and prints the sum with `%.17Lf`, trimming trailing zeros. Doubles would
 * print other digits (three increments of 0.1 give "0.30000000000000004" in doubles and "0.3"
 * in Redis), so the values here are exact binary numbers `mantissa * 2^exponent` with a 64-bit
 * mantissa, rounded to nearest-even as the hardware does, and printed exactly.
 *
 * @module
 */

/** A value of the 80-bit extended format: zero, a finite number, an infinity or NaN. */
export type LongDouble =
  | {
    readonly kind: "finite";
    readonly negative: boolean;
    readonly mantissa: bigint;
    readonly exponent: number;
  }
  | { readonly kind: "infinite"; readonly negative: boolean }
  | { readonly kind: "nan" };

const BITS = 64;
const TOP = 1n << BigInt(BITS); // mantissas are below this
const MIN_EXPONENT = -16382 - (BITS - 1); // the exponent of the smallest normal number's mantissa
const MAX_EXPONENT = 16383 - (BITS - 1); // the exponent of the largest finite number's mantissa
const MAX_TEXT = 5 * 1024; // Redis's MAX_LONG_DOUBLE_CHARS

const ZERO: LongDouble = zero(false);

function zero(negative: boolean): LongDouble {
  return { kind: "finite", negative, mantissa: 0n, exponent: 0 };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds the exact positive rational `numerator / denominator * 2^scale` to the format:
 * nearest, ties to even; subnormal below the normal range, infinity above it.
 */
function roundRational(
  negative: boolean,
  numerator: bigint,
  denominator: bigint,
  scale: number,
): LongDouble {
  if (numerator === 0n) return zero(negative);
  // Choose the exponent so that the quotient has exactly 64 bits (or fewer when subnormal).
  let exponent = bitLength(numerator) - bitLength(denominator) + scale - BITS;
  for (;;) {
    const e = Math.max(exponent, MIN_EXPONENT);
    const shift = scale - e; // value / 2^e = numerator * 2^shift / denominator
    const num = shift >= 0 ? numerator << BigInt(shift) : numerator;
    const den = shift >= 0 ? denominator : denominator << BigInt(-shift);
    let quotient = num / den;
    if (quotient >= TOP) {
      exponent++;
      continue;
    }
    if (quotient < TOP >> 1n && e > MIN_EXPONENT) {
      exponent--;
      continue;
    }
    const twiceRemainder = (num % den) * 2n;
    if (twiceRemainder > den || (twiceRemainder === den && (quotient & 1n) === 1n)) quotient++;
    let finalExponent = e;
    if (quotient === TOP) {
      quotient >>= 1n;
      finalExponent++;
    }
    if (finalExponent > MAX_EXPONENT) return { kind: "infinite", negative };
    return { kind: "finite", negative, mantissa: quotient, exponent: finalExponent };
  }
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEXADECIMAL = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)inf(inity)?$/i;

/**
 * Parses text as Redis's `string2ld` does: `strtold` over the whole text, no leading space, no
 * NaN, no overflow to infinity or underflow to zero. Null when Redis would refuse it ("ERR value
 * is not a valid float").
 *
 * @example
 * ```ts
 * formatLongDouble(parseLongDouble(new TextEncoder().encode("10.5"))!); // "10.5"
 * parseLongDouble(new TextEncoder().encode(" 1")); // null
 * ```
 */
export function parseLongDouble(bytes: Uint8Array): LongDouble | null {
  if (bytes.length === 0 || bytes.length >= MAX_TEXT) return null;
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  const infinity = INFINITY.exec(text);
  if (infinity) return { kind: "infinite", negative: infinity[1] === "-" };
  const hex = HEXADECIMAL.exec(text);
  if (hex) return parseParts(hex, 16, 2n, 4);
  const decimal = DECIMAL.exec(text);
  if (decimal) return parseParts(decimal, 10, 10n, 1);
  return null;
}

// A number `digits.fraction * base^(exponent)` (decimal: 10^e; hexadecimal: 2^p) as a rational.
function parseParts(
  match: RegExpExecArray,
  radix: number,
  expBase: bigint,
  bitsPerDigit: number,
): LongDouble | null {
  const [, sign, whole, fraction = "", exponentText = "0"] = match;
  const digits = (whole + fraction).replace(/^0+/, "");
  if (whole === "" && fraction === "") return null;
  const negative = sign === "-";
  if (digits === "") return zero(negative);
  const exponent = Number(exponentText);
  const mantissa = BigInt((radix === 16 ? "0x" : "") + digits);
  if (expBase === 10n) {
    const scale = exponent - fraction.length;
    // Beyond these, the value overflows or underflows whatever its digits (ERANGE: refused).
    const magnitude = scale + digits.length;
    if (magnitude > 4934) return null;
    if (magnitude < -4952) return null;
    const result = scale >= 0
      ? roundRational(negative, mantissa * 10n ** BigInt(scale), 1n, 0)
      : roundRational(negative, mantissa, 10n ** BigInt(-scale), 0);
    return acceptRange(result);
  }
  const scale = exponent - bitsPerDigit * fraction.length;
  if (
    scale + bitsPerDigit * digits.length > 16400 || scale < -16500 - bitsPerDigit * digits.length
  ) return null;
  return acceptRange(roundRational(negative, mantissa, 1n, scale));
}

// strtold reports ERANGE for overflow (Redis refuses infinity) and for underflow to zero.
function acceptRange(value: LongDouble): LongDouble | null {
  if (value.kind === "infinite") return null;
  if (value.kind === "finite" && value.mantissa === 0n) return null;
  return value;
}

/**
 * The sum of two values, rounded to the format as the x87 unit rounds it.
 *
 * @example
 * ```ts
 * const b = (s: string) => parseLongDouble(new TextEncoder().encode(s))!;
 * formatLongDouble(addLongDouble(addLongDouble(b("0.1"), b("0.1")), b("0.1"))); // "0.3"
 * ```
 */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.kind === "nan" || b.kind === "nan") return { kind: "nan" };
  if (a.kind === "infinite" || b.kind === "infinite") {
    if (a.kind === "infinite" && b.kind === "infinite" && a.negative !== b.negative) {
      return { kind: "nan" };
    }
    return a.kind === "infinite" ? a : b;
  }
  if (a.mantissa === 0n) {
    return b.mantissa === 0n ? zero(a.negative && b.negative) : b;
  }
  if (b.mantissa === 0n) return a;
  const low = Math.min(a.exponent, b.exponent);
  const signedA = (a.negative ? -a.mantissa : a.mantissa) << BigInt(a.exponent - low);
  const signedB = (b.negative ? -b.mantissa : b.mantissa) << BigInt(b.exponent - low);
  const sum = signedA + signedB;
  if (sum === 0n) return ZERO;
  return roundRational(sum < 0n, sum < 0n ? -sum : sum, 1n, low);
}

/**
 * Whether a value is finite (INCRBYFLOAT refuses NaN and infinite results).
 *
 * @example
 * ```ts
 * isFiniteLongDouble({ kind: "nan" }); // false
 * ```
 */
export function isFiniteLongDouble(value: LongDouble): boolean {
  return value.kind === "finite";
}

/**
 * Prints a value as Redis's `ld2string` in its human mode: `%.17Lf`, then trailing zeros and a
 * trailing point removed, and "-0" printed as "0"; infinities as "inf" and "-inf".
 *
 * @example
 * ```ts
 * formatLongDouble(parseLongDouble(new TextEncoder().encode("3.0e3"))!); // "3000"
 * ```
 */
export function formatLongDouble(value: LongDouble): string {
  if (value.kind === "nan") return value.kind;
  if (value.kind === "infinite") return value.negative ? "-inf" : "inf";
  const { mantissa, exponent } = value;
  let scaled: bigint; // round(|value| * 10^17), ties to even as glibc's printf rounds
  if (exponent >= 0) {
    scaled = (mantissa << BigInt(exponent)) * 10n ** 17n;
  } else {
    const numerator = mantissa * 10n ** 17n;
    const shift = BigInt(-exponent);
    scaled = numerator >> shift;
    const remainder = numerator - (scaled << shift);
    const half = 1n << (shift - 1n);
    if (remainder > half || (remainder === half && (scaled & 1n) === 1n)) scaled++;
  }
  const digits = scaled.toString().padStart(18, "0");
  let text = `${value.negative ? "-" : ""}${digits.slice(0, -17)}.${digits.slice(-17)}`;
  text = text.replace(/0+$/, "").replace(/\.$/, "");
  return text === "-0" ? "0" : text;
}
