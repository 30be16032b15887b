import assert from "node:assert/strict";
import { unusualWithdrawal } from "./unusual.ts";

const rule = { largeAmount: "5000.00", perDay: 3 };

Deno.test("unusualWithdrawal(): ¥5,000 and up is large; the third request within 24 h is frequent", () => {
  assert.deepEqual(unusualWithdrawal({ amount: "4999.99", earlierIn24h: 0 }, rule), []);
  assert.deepEqual(unusualWithdrawal({ amount: "5000.00", earlierIn24h: 0 }, rule), ["large"]);
  assert.deepEqual(unusualWithdrawal({ amount: "100.00", earlierIn24h: 1 }, rule), [], "the second is fine");
  assert.deepEqual(unusualWithdrawal({ amount: "100.00", earlierIn24h: 2 }, rule), ["frequent"]);
  assert.deepEqual(unusualWithdrawal({ amount: "8000.00", earlierIn24h: 5 }, rule), ["large", "frequent"]);
});

Deno.test("unusualWithdrawal(): amounts compare exactly, not as floating point", () => {
  assert.deepEqual(unusualWithdrawal({ amount: "0.30", earlierIn24h: 0 }, { largeAmount: "0.30", perDay: 9 }), [
    "large",
  ]);
  assert.deepEqual(unusualWithdrawal({ amount: "0.29", earlierIn24h: 0 }, { largeAmount: "0.30", perDay: 9 }), []);
});
