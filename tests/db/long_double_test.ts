import assert from "node:assert/strict";
import {
  addLongDouble,
  formatLongDouble,
  isFiniteLongDouble,
  type LongDouble,
  parseLongDouble,
} from "../../src/db/long_double.ts";

const parse = (text: string): LongDouble | null => parseLongDouble(new TextEncoder().encode(text));
const sum = (...texts: string[]): string =>
  formatLongDouble(texts.map((t) => parse(t)!).reduce((a, b) => addLongDouble(a, b)));

Deno.test("parseLongDouble accepts strtold's syntax and refuses what Redis refuses", () => {
  for (
    const text of ["1", "-1.5", ".5", "5.", "+3", "1e3", "1E-3", "0x1p3", "inf", "-Infinity", "0"]
  ) {
    assert.notEqual(parse(text), null, text);
  }
  for (
    const text of ["", " 1", "1 ", "abc", "1e", "nan", "1e5000", "1e-5000", ".", "0x", "1.2.3"]
  ) {
    assert.equal(parse(text), null, text);
  }
});

Deno.test("addLongDouble and formatLongDouble print what Redis's INCRBYFLOAT prints", () => {
  assert.equal(sum("0", "0.1", "0.1", "0.1"), "0.3"); // doubles would give 0.30000000000000004
  assert.equal(sum("10.5", "0.1"), "10.6");
  assert.equal(sum("5.0e3", "2.0e2"), "5200");
  assert.equal(sum("1", "1.1"), "2.1");
  assert.equal(sum("0", "-0"), "0");
  assert.equal(sum("1e-20", "1e-20"), "0"); // %.17Lf keeps 17 decimals
  assert.equal(sum("0", "-0.0000000000000000001"), "0"); // "-0" is printed as "0"
  assert.equal(sum("123456789012345678", "1"), "123456789012345679");
  assert.equal(sum("0", "0x1p3"), "8");
  assert.equal(sum("3", "-1e-30"), "3");
});

Deno.test("addLongDouble gives infinities and NaN that INCRBYFLOAT refuses", () => {
  assert.equal(isFiniteLongDouble(addLongDouble(parse("inf")!, parse("1")!)), false);
  assert.equal(addLongDouble(parse("inf")!, parse("-inf")!).kind, "nan");
  assert.equal(isFiniteLongDouble(addLongDouble(parse("1e4932")!, parse("1e4932")!)), false);
  assert.equal(isFiniteLongDouble(addLongDouble(parse("1e308")!, parse("1e308")!)), true); // long double holds 2e308
});
