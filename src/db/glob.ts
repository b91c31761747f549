/**
 * Redis's glob patterns (KEYS, SCAN MATCH, HSCAN/SSCAN/ZSCAN MATCH, PSUBSCRIBE), ported from
 * Redis's `stringmatchlen`: `*`, `?`, `[abc]`, `[^abc]`, `[a-z]` and backslash escapes, over bytes.
 *
 * @module
 */

// Redis compares `char`s, which are signed on the platforms it runs on: ranges with bytes of 128
// and above order as negative numbers there.
function signed(byte: number): number {
  return (byte << 24) >> 24;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * Whether `text` matches the glob `pattern`, exactly as Redis decides.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * globMatch(b("user:*"), b("user:42")); // true
 * globMatch(b("h[^e]llo"), b("hello")); // false
 * ```
 */
export function globMatch(pattern: Uint8Array, text: Uint8Array, nocase = false): boolean {
  const skipLonger = { value: false };
  return match(pattern, 0, text, 0, nocase, skipLonger, 0);
}

function match(
  pattern: Uint8Array,
  p: number,
  text: Uint8Array,
  s: number,
  nocase: boolean,
  skipLonger: { value: boolean },
  nesting: number,
): boolean {
  if (nesting > 1000) return false; // Redis's protection against abusive patterns
  const plen = pattern.length;
  const slen = text.length;
  while (p < plen && s < slen) {
    switch (pattern[p]) {
      case 42: { // '*'
        while (p + 1 < plen && pattern[p + 1] === 42) p++;
        if (p + 1 === plen) return true;
        while (s < slen) {
          if (match(pattern, p + 1, text, s, nocase, skipLonger, nesting + 1)) return true;
          if (skipLonger.value) return false;
          s++;
        }
        // No match for the rest of the pattern anywhere in the rest of the text: an earlier
        // '*' matching more would not help either.
        skipLonger.value = true;
        return false;
      }
      case 63: // '?'
        s++;
        break;
      case 91: { // '['
        p++;
        const not = pattern[p] === 94; // '^'
        if (not) p++;
        let matched = false;
        for (;;) {
          if (pattern[p] === 92 && plen - p >= 2) { // '\\'
            p++;
            if (pattern[p] === text[s]) matched = true;
          } else if (pattern[p] === 93) { // ']'
            break;
          } else if (p >= plen) {
            p--;
            break;
          } else if (plen - p >= 3 && pattern[p + 1] === 45) { // 'a-z'
            let start = signed(pattern[p]);
            let end = signed(pattern[p + 2]);
            let c = signed(text[s]);
            if (start > end) [start, end] = [end, start];
            if (nocase) {
              start = lower(start);
              end = lower(end);
              c = lower(c);
            }
            p += 2;
            if (c >= start && c <= end) matched = true;
          } else if (nocase ? lower(pattern[p]) === lower(text[s]) : pattern[p] === text[s]) {
            matched = true;
          }
          p++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        s++;
        break;
      }
      default:
        if (pattern[p] === 92 && plen - p >= 2) p++; // '\\': the escaped byte is a literal
        if (nocase ? lower(pattern[p]) !== lower(text[s]) : pattern[p] !== text[s]) return false;
        s++;
        break;
    }
    p++;
    if (s === slen) {
      while (p < plen && pattern[p] === 42) p++;
      break;
    }
  }
  return p === plen && s === slen;
}

/**
 * The literal bytes every match of `pattern` starts with (up to its first special byte), so
 * that a search can be limited to a range of keys.
 *
 * @example
 * ```ts
 * globPrefix(new TextEncoder().encode("user:*")); // the bytes of "user:"
 * ```
 */
export function globPrefix(pattern: Uint8Array): Uint8Array {
  let end = 0;
  while (end < pattern.length) {
    const c = pattern[end];
    if (c === 42 || c === 63 || c === 91 || c === 92) break;
    end++;
  }
  return pattern.subarray(0, end);
}

/**
 * The smallest byte string greater than every string starting with `prefix`, or null when
 * there is none (the prefix is empty or all 0xff bytes): the exclusive upper bound of a range.
 *
 * @example
 * ```ts
 * prefixUpperBound(new TextEncoder().encode("ab")); // the bytes of "ac"
 * ```
 */
export function prefixUpperBound(prefix: Uint8Array): Uint8Array | null {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return null;
  const bound = prefix.slice(0, end);
  bound[end - 1]++;
  return bound;
}
