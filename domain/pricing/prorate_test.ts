import assert from "node:assert/strict";
import Big from "big.js";
import fc from "fast-check";
import { prorate } from "./prorate.ts";
import { sum } from "../money.ts";

Deno.test("prorate() splits 10.00 over three equal weights as 3.34 + 3.33 + 3.33", () => {
  assert.deepEqual(prorate(new Big("10.00"), [new Big(1), new Big(1), new Big(1)]).map((b) => b.toFixed(2)), [
    "3.34",
    "3.33",
    "3.33",
  ]);
});

Deno.test("prorate() parts always sum exactly to the total and stay within a cent of the exact share", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -1_000_000, max: 10_000_000 }),
      fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 20 }),
      (totalCents, ws) => {
        const total = new Big(totalCents).div(100);
        const weights = ws.map((w) => new Big(w));
        const parts = prorate(total, weights);
        assert.equal(sum(parts).toFixed(2), total.toFixed(2));
        const wsum = sum(weights);
        if (wsum.gt(0)) {
          parts.forEach((p, i) => assert.ok(p.minus(total.times(weights[i]).div(wsum)).abs().lt("0.01")));
        }
      },
    ),
  );
});
