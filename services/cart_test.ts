import assert from "node:assert/strict";
import { CART_LIMITS, setLine } from "./cart.ts";

const a = { productId: "1", skuId: "11", quantity: 1 };
const b = { productId: "2", skuId: "22", quantity: 2 };
const c = { productId: "3", skuId: "33", quantity: 3 };

Deno.test("setLine() changes a line where it stands, adds a new one last, removes at 0 and caps the units", () => {
  assert.deepEqual(setLine([a, b, c], { productId: "2", skuId: "22" }, 5), [a, { ...b, quantity: 5 }, c]);
  assert.deepEqual(setLine([a, b], { productId: "3", skuId: "33" }, 3), [a, b, c]);
  assert.deepEqual(setLine([a, b, c], { productId: "2", skuId: "22" }, 0), [a, c]);
  assert.deepEqual(setLine([a], { productId: "1", skuId: "11" }, 1000), [{ ...a, quantity: CART_LIMITS.quantity }]);
});
