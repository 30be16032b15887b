import assert from "node:assert/strict";
import { restockForecast } from "./forecast.ts";
import { distributorTags, salesDropAlert } from "./tags.ts";

Deno.test("restockForecast(): 28 sold in 14 days with 30 left lasts 15 days, flagged under a 20-day lead time", () => {
  assert.deepEqual(restockForecast({ stock: 30, unitsSold14d: 28, leadTimeDays: 20 }), {
    dailyRate: "2.00",
    daysLeft: 15,
    restockNow: true,
  });
  assert.deepEqual(restockForecast({ stock: 30, unitsSold14d: 28, leadTimeDays: 10 }).restockNow, false);
  assert.deepEqual(restockForecast({ stock: 5, unitsSold14d: 0, leadTimeDays: 7 }), {
    dailyRate: "0.00",
    daysLeft: null,
    restockNow: false,
  });
  assert.equal(restockForecast({ stock: 10, unitsSold14d: 3, leadTimeDays: 7 }).daysLeft, 46); // 10 / 0.214…
});

Deno.test("distributorTags(): 优质, 潜力 and 预警 by their rules", () => {
  assert.deepEqual(
    distributorTags([{ sales: "6000", refunds: "100" }, { sales: "6500", refunds: "100" }, {
      sales: "7000",
      refunds: "200",
    }]).map((t) => t.tag),
    ["优质"],
  );
  assert.deepEqual(
    distributorTags([{ sales: "1000", refunds: "0" }, { sales: "1200", refunds: "0" }, { sales: "1400", refunds: "0" }])
      .map((t) => t.tag),
    ["潜力"],
  );
  assert.deepEqual(
    distributorTags([{ sales: "1000", refunds: "0" }, { sales: "1000", refunds: "0" }, { sales: "800", refunds: "0" }])
      .map((t) => t.tag),
    ["预警"],
  );
  assert.deepEqual(
    distributorTags([{ sales: "1000", refunds: "0" }, { sales: "1000", refunds: "0" }, {
      sales: "1000",
      refunds: "200",
    }]).map((t) => t.tag),
    ["预警"],
  );
  assert.ok(
    distributorTags([{ sales: "1000", refunds: "0" }, { sales: "1000", refunds: "0" }, { sales: "1000", refunds: "0" }])
      .length === 0,
  );
});

Deno.test("salesDropAlert() fires at a 20 % drop, not at 19 %", () => {
  assert.equal(salesDropAlert("1000.00", "800.00"), true);
  assert.equal(salesDropAlert("1000.00", "810.00"), false);
  assert.equal(salesDropAlert("0", "0"), false);
});
