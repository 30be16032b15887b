import assert from "node:assert/strict";
import Big from "big.js";
import fc from "fast-check";
import { pointsShare, pointsToReturn } from "./points_refund.ts";

const cents = (n: number) => new Big(n).div(100);

Deno.test("pointsToReturn() gives back whole points in proportion, rounded down", () => {
  const goods = new Big("300.00");
  assert.equal(pointsToReturn({ pointsUsed: 100, goods, refundedBefore: new Big(0), refunded: new Big("100.00") }), 33);
  assert.equal(
    pointsToReturn({ pointsUsed: 100, goods, refundedBefore: new Big("100.00"), refunded: new Big("100.00") }),
    33,
  );
  assert.equal(
    pointsToReturn({ pointsUsed: 100, goods, refundedBefore: new Big("200.00"), refunded: new Big("100.00") }),
    34,
    "the last third carries the earlier remainders",
  );
  assert.equal(pointsToReturn({ pointsUsed: 0, goods, refundedBefore: new Big(0), refunded: goods }), 0);
  assert.equal(pointsShare(10, new Big(0), new Big(0)), 0, "no goods, nothing to share");
});

Deno.test("pointsToReturn(): refunds in any number of parts add up exactly to the points spent", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.array(fc.integer({ min: 1, max: 500_000 }), { minLength: 1, maxLength: 12 }),
      (pointsUsed, partCents) => {
        const goods = cents(partCents.reduce((a, b) => a + b, 0));
        let refundedBefore = new Big(0);
        let returned = 0;
        for (const part of partCents) {
          const points = pointsToReturn({ pointsUsed, goods, refundedBefore, refunded: cents(part) });
          assert.ok(Number.isInteger(points) && points >= 0, `whole, never negative: ${points}`);
          returned += points;
          refundedBefore = refundedBefore.plus(cents(part));
          assert.equal(returned, pointsShare(pointsUsed, goods, refundedBefore), "telescoping: the sum is the share");
          assert.ok(returned <= pointsUsed);
        }
        assert.equal(returned, pointsUsed, "all goods refunded: every point back");
      },
    ),
  );
});
