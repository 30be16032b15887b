import assert from "node:assert/strict";
import Big from "big.js";
import { money, roundCents, sum, toMoneyString } from "./money.ts";

Deno.test("toMoneyString() rounds half up to two places", () => {
  assert.equal(toMoneyString(money("1.005")), "1.01");
  assert.equal(toMoneyString(money("1.004")), "1.00");
  assert.equal(toMoneyString(money("129")), "129.00");
  assert.equal(toMoneyString(money("-2.345")), "-2.35");
});

Deno.test("money() refuses anything that is not a decimal", () => {
  assert.throws(() => money(""), /value is empty/);
  assert.throws(() => money("1e3"), /not a decimal/);
  assert.throws(() => money("abc"), /not a decimal/);
});

Deno.test("sum() is exact where floats are not", () => {
  assert.equal(sum([money("0.1"), money("0.2")]).toString(), "0.3");
  assert.equal(roundCents(new Big("0.125")).toString(), "0.13");
});
