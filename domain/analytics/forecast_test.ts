import assert from "node:assert/strict";
import fc from "fast-check";
import Big from "big.js";
import { productRestock, REORDER_COVER_DAYS, SALES_WINDOW_DAYS, skuRestock, type SkuStockInput } from "./forecast.ts";

Deno.test("skuRestock(): 28 sold in 14 days with 30 left lasts 15 days; due under 20 days' lead; reorder 48", () => {
  // 2 a day over 20 + 14 days is 68, plus the threshold 10, less the 30 sellable.
  assert.deepEqual(skuRestock({ sellable: 30, unitsSold14d: 28, leadTimeDays: 20, lowStockThreshold: 10 }), {
    dailyRate: "2.00",
    daysLeft: 15,
    restockNow: true,
    low: false,
    suggestedReorder: 48,
  });
  assert.deepEqual(skuRestock({ sellable: 30, unitsSold14d: 28, leadTimeDays: 10, lowStockThreshold: 10 }), {
    dailyRate: "2.00",
    daysLeft: 15,
    restockNow: false,
    low: false,
    suggestedReorder: 0,
  });
});

Deno.test("skuRestock(): a reorder's demand is rounded up to whole units", () => {
  // 3 in 14 days over 7 + 14 days is 4.5 units: 5, plus the threshold 5, less the 1 sellable.
  const f = skuRestock({ sellable: 1, unitsSold14d: 3, leadTimeDays: 7, lowStockThreshold: 5 });
  assert.deepEqual(f, { dailyRate: "0.21", daysLeft: 4, restockNow: true, low: true, suggestedReorder: 9 });
});

Deno.test("skuRestock(): a SKU that does not sell has no days of cover; when low it is brought back to its threshold", () => {
  assert.deepEqual(skuRestock({ sellable: 50, unitsSold14d: 0, leadTimeDays: 7, lowStockThreshold: 10 }), {
    dailyRate: "0.00",
    daysLeft: null,
    restockNow: false,
    low: false,
    suggestedReorder: 0,
  });
  assert.deepEqual(skuRestock({ sellable: 2, unitsSold14d: 0, leadTimeDays: 7, lowStockThreshold: 10 }), {
    dailyRate: "0.00",
    daysLeft: null,
    restockNow: false,
    low: true,
    suggestedReorder: 8,
  });
  // Oversold (more reserved than on hand cannot happen, but a negative count must not inflate the cover).
  assert.equal(skuRestock({ sellable: -3, unitsSold14d: 14, leadTimeDays: 7, lowStockThreshold: 0 }).daysLeft, 0);
});

Deno.test("productRestock(): a product whose total looks plentiful is due when one SKU runs out", () => {
  const skus: SkuStockInput[] = [
    { sellable: 200, unitsSold14d: 14, leadTimeDays: 7, lowStockThreshold: 5 },
    { sellable: 3, unitsSold14d: 28, leadTimeDays: 7, lowStockThreshold: 5 },
    { sellable: 40, unitsSold14d: 0, leadTimeDays: 7, lowStockThreshold: 5 },
  ];
  const p = productRestock(skus);
  assert.equal(p.dailyRate, "3.00");
  assert.equal(p.daysLeft, 1);
  assert.equal(p.restockNow, true);
  assert.equal(p.low, true);
  assert.equal(p.skusToRestock, 1);
  assert.equal(p.skusLow, 1);
  // Only the second SKU: 2 a day over 21 days is 42, plus 5, less 3.
  assert.equal(p.suggestedReorder, 44);
  assert.deepEqual(p.skus.map((s) => s.suggestedReorder), [0, 44, 0]);
  // The product taken as one stock would not be due: 243 units at 3 a day last 81 days.
  const whole = skuRestock({ sellable: 243, unitsSold14d: 42, leadTimeDays: 7, lowStockThreshold: 5 });
  assert.equal(whole.restockNow, false);
  assert.deepEqual(productRestock([]), {
    dailyRate: "0.00",
    daysLeft: null,
    restockNow: false,
    low: false,
    suggestedReorder: 0,
    skusToRestock: 0,
    skusLow: 0,
    skus: [],
  });
});

const sku = fc.record({
  sellable: fc.integer({ min: 0, max: 100_000 }),
  unitsSold14d: fc.integer({ min: 0, max: 100_000 }),
  leadTimeDays: fc.integer({ min: 0, max: 365 }),
  lowStockThreshold: fc.integer({ min: 0, max: 1_000_000 }),
});

Deno.test("skuRestock(): the suggested reorder is the fewest whole units that cover lead time, cover days and threshold", () => {
  fc.assert(
    fc.property(sku, (s) => {
      const f = skuRestock(s);
      assert.ok(Number.isInteger(f.suggestedReorder) && f.suggestedReorder >= 0);
      assert.equal(f.low, s.sellable <= s.lowStockThreshold);
      if (!f.low && !f.restockNow) {
        assert.equal(f.suggestedReorder, 0);
        return;
      }
      const need = new Big(s.unitsSold14d).times(s.leadTimeDays + REORDER_COVER_DAYS).div(SALES_WINDOW_DAYS)
        .plus(s.lowStockThreshold);
      assert.ok(need.lte(s.sellable + f.suggestedReorder), "the reorder covers the need");
      if (f.suggestedReorder > 0) assert.ok(need.gt(s.sellable + f.suggestedReorder - 1), "and no unit more");
    }),
  );
});

Deno.test("skuRestock(): due exactly when the days of cover are under the lead time; cover grows with stock", () => {
  fc.assert(
    fc.property(sku, fc.integer({ min: 0, max: 1000 }), (s, more) => {
      const f = skuRestock(s);
      if (s.unitsSold14d === 0) {
        assert.equal(f.daysLeft, null);
        assert.equal(f.restockNow, false);
        return;
      }
      // daysLeft is the whole days the sellable units last at the rate.
      const exact = new Big(s.sellable).times(SALES_WINDOW_DAYS).div(s.unitsSold14d);
      assert.ok(new Big(f.daysLeft!).lte(exact) && exact.lt(f.daysLeft! + 1));
      assert.equal(f.restockNow, f.daysLeft! < s.leadTimeDays);
      const g = skuRestock({ ...s, sellable: s.sellable + more });
      assert.ok(g.daysLeft! >= f.daysLeft!);
      assert.ok(g.suggestedReorder <= f.suggestedReorder);
    }),
  );
});

Deno.test("productRestock(): sums its SKUs' reorders, is due when any SKU is, lasts as long as the first to run out", () => {
  fc.assert(
    fc.property(fc.array(sku, { maxLength: 12 }), (skus) => {
      const p = productRestock(skus);
      const each = skus.map(skuRestock);
      assert.deepEqual(p.skus, each);
      assert.equal(p.suggestedReorder, each.reduce((n, s) => n + s.suggestedReorder, 0));
      assert.equal(p.restockNow, each.some((s) => s.restockNow));
      assert.equal(p.skusToRestock, each.filter((s) => s.restockNow).length);
      const days = each.flatMap((s) => s.daysLeft === null ? [] : [s.daysLeft]);
      assert.equal(p.daysLeft, days.length ? Math.min(...days) : null);
      const sold = skus.reduce((n, s) => n + s.unitsSold14d, 0);
      assert.ok(new Big(p.dailyRate).minus(new Big(sold).div(SALES_WINDOW_DAYS)).abs().lte("0.005"));
    }),
  );
});
