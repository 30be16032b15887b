import assert from "node:assert/strict";
import { stockShown } from "./stock_shown.ts";

Deno.test("stockShown() hides the count above the threshold and shows it at or below", () => {
  assert.equal(stockShown(30, 5), "in_stock");
  assert.equal(stockShown(29, 5), "in_stock");
  assert.equal(stockShown(5, 5), "low:5");
  assert.equal(stockShown(1, 5), "low:1");
  assert.equal(stockShown(0, 5), "sold_out");
  assert.equal(stockShown(0, 0), "sold_out");
  assert.equal(stockShown(1, 0), "in_stock");
});
