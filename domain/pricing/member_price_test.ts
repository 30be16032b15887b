import assert from "node:assert/strict";
import { memberPrice } from "./member_price.ts";

Deno.test("memberPrice() applies the level's discount and rounds to cents", () => {
  assert.equal(memberPrice("100.00", null).toFixed(2), "100.00");
  assert.equal(memberPrice("100.00", "ordinary").toFixed(2), "100.00");
  assert.equal(memberPrice("99.99", "gold").toFixed(2), "94.99"); // 94.9905
  assert.equal(memberPrice("19.90", "diamond").toFixed(2), "17.91");
});
