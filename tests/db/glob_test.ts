import assert from "node:assert/strict";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import { globMatch, globPrefix, prefixUpperBound, sqlGlob } from "../../src/db/glob.ts";
import { SeededRandom } from "../_helpers/random.ts";

const b = (s: string) => new TextEncoder().encode(s);
const m = (pattern: string, text: string, nocase = false) => globMatch(b(pattern), b(text), nocase);

Deno.test("globMatch handles *, ? and literals", () => {
  assert.equal(m("*", ""), false); // as stringmatchlen; KEYS and SCAN treat a lone "*" as "all"
  assert.equal(m("*", "anything"), true);
  assert.equal(m("user:*", "user:42"), true);
  assert.equal(m("user:*", "usr:42"), false);
  assert.equal(m("h?llo", "hallo"), true);
  assert.equal(m("h?llo", "hllo"), false);
  assert.equal(m("a*b*c", "aXXbYYc"), true);
  assert.equal(m("a*b*c", "aXXbYY"), false);
  assert.equal(m("", ""), true);
  assert.equal(m("", "a"), false);
  assert.equal(m("a**", "a"), true);
});

Deno.test("globMatch handles classes, negation, ranges and escapes", () => {
  assert.equal(m("h[ae]llo", "hello"), true);
  assert.equal(m("h[ae]llo", "hillo"), false);
  assert.equal(m("h[^e]llo", "hallo"), true);
  assert.equal(m("h[^e]llo", "hello"), false);
  assert.equal(m("h[a-b]llo", "hbllo"), true);
  assert.equal(m("h[b-a]llo", "hbllo"), true);
  assert.equal(m("h\\*llo", "h*llo"), true);
  assert.equal(m("h\\*llo", "hello"), false);
  assert.equal(m("[\\]]", "]"), true);
  assert.equal(m("a[bc", "ab"), true); // an unclosed class ends at the pattern's end, as in Redis
  assert.equal(m("HELLO", "hello", true), true);
});

Deno.test("globMatch gives up on patterns nested too deep instead of recursing without bound", () => {
  assert.equal(m("a*".repeat(1100) + "b", "a".repeat(1200)), false);
});

Deno.test("globPrefix and prefixUpperBound give the key range a pattern can match", () => {
  assert.deepEqual(globPrefix(b("user:*")), b("user:"));
  assert.deepEqual(globPrefix(b("a?c")), b("a"));
  assert.deepEqual(globPrefix(b("*")), b(""));
  assert.deepEqual(prefixUpperBound(b("ab")), b("ac"));
  assert.deepEqual(prefixUpperBound(new Uint8Array([1, 255])), new Uint8Array([2]));
  assert.equal(prefixUpperBound(new Uint8Array([255])), null);
  assert.equal(prefixUpperBound(b("")), null);
});

// What SQL decides for a key with the translated pattern, as the full-text triggers test it.
function sqlMatches(statement: StatementSync, pattern: Uint8Array, key: Uint8Array): boolean {
  const { prefix, upper, glob } = sqlGlob(pattern);
  return statement.get(key, prefix, upper, glob)!.m === 1;
}

Deno.test("sqlGlob: SQL decides as Redis's KEYS does, over random patterns and keys", () => {
  const sql = new DatabaseSync(":memory:");
  const statement = sql.prepare(
    "SELECT ?1 >= ?2 AND (?3 IS NULL OR ?1 < ?3) AND (?4 IS NULL OR ?1 GLOB ?4) AS m",
  );
  const random = new SeededRandom(7);
  const patternBytes = "ab-^]\\[*?z!~0 A";
  const keyBytes = "ab-^]\\[*?zc!~0 A";
  const text = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[random.int(alphabet.length)]).join("");
  let matches = 0;
  for (let i = 0; i < 100_000; i++) {
    const pattern = b(text(patternBytes, random.int(9)));
    const key = b(text(keyBytes, random.int(6)));
    const keys = pattern.length === 1 && pattern[0] === 42 ? true : globMatch(pattern, key);
    if (keys) matches++;
    assert.equal(
      sqlMatches(statement, pattern, key),
      keys,
      `${JSON.stringify(new TextDecoder().decode(pattern))} on ${
        JSON.stringify(new TextDecoder().decode(key))
      }`,
    );
  }
  assert.ok(matches > 1000, `matches: ${matches}`);
});

Deno.test("sqlGlob: a prefix and * is a range; other patterns a GLOB with SQLite's escapes", () => {
  const text = (bytes: Uint8Array | null) =>
    bytes === null ? null : new TextDecoder().decode(bytes);
  assert.deepEqual(sqlGlob(b("user:*")), { prefix: b("user:"), upper: b("user;"), glob: null });
  assert.equal(text(sqlGlob(b("a\\*[0-9]?")).glob), "a[*][0-9]?");
  assert.equal(text(sqlGlob(b("[^a]")).glob), "[^a]");
  assert.equal(text(sqlGlob(b("[]")).glob), "[", "a class matching nothing");
  assert.equal(text(sqlGlob(b("x[*]")).glob), "x[*]");
  assert.deepEqual(sqlGlob(b("*")), { prefix: b(""), upper: null, glob: null });
});
