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

/**
 * A Redis glob pattern as SQL can test it: the range of keys it can match (`prefix`, and
 * `upper` as in {@linkcode prefixUpperBound}) and, unless the pattern is that prefix followed by
 * `*`, a SQLite GLOB pattern (as bytes) with the same meaning.
 */
export interface SqlGlob {
  /** The literal bytes every match starts with. */
  prefix: Uint8Array;
  /** The exclusive upper bound of the matching range, or null when there is none. */
  upper: Uint8Array | null;
  /** The SQLite GLOB pattern, or null when the range alone decides (a `prefix*` pattern). */
  glob: Uint8Array | null;
}

const STAR = 42;
const QUESTION = 63;
const OPEN = 91;
const CLOSE = 93;
const CARET = 94;
const DASH = 45;
const BACKSLASH = 92;

/**
 * Translates a Redis glob pattern into SQLite's GLOB, for tests run by SQL (triggers), with the
 * meaning KEYS gives it (a lone `*` matches every key). Exact for keys of ASCII bytes other than
 * NUL, over the whole of Redis's syntax (escapes, `[^...]`, reversed and unterminated classes);
 * beyond ASCII, SQLite's `?` and classes match a UTF-8 character where Redis matches a byte.
 *
 * @example
 * ```ts
 * const b = (s: string) => new TextEncoder().encode(s);
 * sqlGlob(b("user:*")).glob; // null: the range of "user:" decides
 * sqlGlob(b("a\\*[0-9]?")).glob; // the bytes of "a[*][0-9]?"
 * ```
 */
export function sqlGlob(pattern: Uint8Array): SqlGlob {
  // A lone `*` matches every key, the empty one included, as KEYS has it; stringmatchlen matches
  // the empty key with the empty pattern only: any other starts its range at the byte 0.
  const literal = globPrefix(pattern);
  const prefix = literal.length === 0 && pattern.length > 0 && !isMatchAll(pattern)
    ? Uint8Array.of(0)
    : literal;
  let rest = literal.length;
  while (rest < pattern.length && pattern[rest] === STAR) rest++;
  const prefixOnly = rest === pattern.length && rest > literal.length;
  return { prefix, upper: prefixUpperBound(literal), glob: prefixOnly ? null : translate(pattern) };
}

function isMatchAll(pattern: Uint8Array): boolean {
  return pattern.length === 1 && pattern[0] === STAR;
}

// Redis's stringmatchlen, reading the pattern once and writing SQLite's equivalent of each part.
function translate(pattern: Uint8Array): Uint8Array {
  const out: number[] = [];
  const plen = pattern.length;
  let p = 0;
  while (p < plen) {
    const c = pattern[p];
    if (c === STAR) {
      if (out.at(-1) !== STAR) out.push(STAR);
      p++;
    } else if (c === QUESTION) {
      out.push(QUESTION);
      p++;
    } else if (c === OPEN) {
      const [bytes, next] = readClass(pattern, p + 1);
      const glob = classGlob(bytes);
      // A class matching no byte fails every key: so does an unterminated SQLite class.
      if (glob === null) return Uint8Array.of(OPEN);
      out.push(...glob);
      p = next;
    } else {
      if (c === BACKSLASH && plen - p >= 2) p++;
      out.push(...literalGlob(pattern[p]));
      p++;
    }
  }
  return Uint8Array.from(out);
}

// A class of stringmatchlen starting after its '[': which bytes it matches, and where the pattern
// goes on. Its parse does not depend on the byte tested, so each byte is tried against it.
function readClass(pattern: Uint8Array, start: number): [Set<number>, number] {
  const plen = pattern.length;
  let p = start;
  const not = pattern[p] === CARET;
  if (not) p++;
  const tests: ((c: number) => boolean)[] = [];
  for (;;) {
    if (pattern[p] === BACKSLASH && plen - p >= 2) {
      p++;
      const literal = pattern[p];
      tests.push((c) => c === literal);
    } else if (pattern[p] === CLOSE) {
      break;
    } else if (p >= plen) {
      p--;
      break;
    } else if (plen - p >= 3 && pattern[p + 1] === DASH) {
      let low = signed(pattern[p]);
      let high = signed(pattern[p + 2]);
      if (low > high) [low, high] = [high, low];
      tests.push((c) => signed(c) >= low && signed(c) <= high);
      p += 2;
    } else {
      const literal = pattern[p];
      tests.push((c) => c === literal);
    }
    p++;
  }
  const bytes = new Set<number>();
  for (let c = 0; c < 256; c++) if (tests.some((test) => test(c)) !== not) bytes.add(c);
  return [bytes, p + 1];
}

// A literal byte: SQLite's GLOB has no escape, so its special bytes go in a class of their own.
function literalGlob(byte: number): number[] {
  return byte === STAR || byte === QUESTION || byte === OPEN ? [OPEN, byte, CLOSE] : [byte];
}

// A SQLite class matching the ASCII bytes of `bytes` (NUL aside: it never reaches GLOB), or null
// when it matches none. Written as the shorter of the bytes in it and the bytes out of it.
function classGlob(bytes: Set<number>): number[] | null {
  const members: number[] = [];
  const others: number[] = [];
  for (let c = 1; c < 128; c++) (bytes.has(c) ? members : others).push(c);
  if (members.length === 0) return null;
  if (others.length === 0) return [QUESTION];
  if (members.length === 1) return literalGlob(members[0]);
  if (others.length < members.length) return [OPEN, CARET, ...classItems(others), CLOSE];
  const items = classItems(members);
  // '^' first would negate: only {'^', '-'} leads with it, and '-' first is a literal too.
  return [OPEN, ...(items[0] === CARET ? [DASH, CARET] : items), CLOSE];
}

// The inside of a SQLite class: ']' first (a literal there), runs as ranges, '^' and '-' last.
function classItems(bytes: number[]): number[] {
  const plain = bytes.filter((c) => c !== CLOSE && c !== DASH && c !== CARET);
  const out: number[] = [];
  if (bytes.includes(CLOSE)) out.push(CLOSE);
  for (let i = 0; i < plain.length;) {
    let j = i;
    while (j + 1 < plain.length && plain[j + 1] === plain[j] + 1) j++;
    if (j - i >= 2) out.push(plain[i], DASH, plain[j]);
    else out.push(...plain.slice(i, j + 1));
    i = j + 1;
  }
  if (bytes.includes(CARET)) out.push(CARET);
  if (bytes.includes(DASH)) out.push(DASH);
  return out;
}
