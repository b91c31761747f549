import assert from "node:assert/strict";
import { globMatch, globPrefix, prefixUpperBound } from "../../src/db/glob.ts";

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
