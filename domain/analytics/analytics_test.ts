import assert from "node:assert/strict";
import { restockForecast } from "./forecast.ts";
import { analyticsFigures, ratio } from "./figures.ts";

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

Deno.test("analyticsFigures(): worked example of every derived figure", () => {
  assert.deepEqual(
    analyticsFigures({
      gmv: "1000.00",
      orders: 3,
      visitors: 40,
      buyersToday: 3,
      buyers: 8,
      repeatBuyers: 3,
      lifetime: "2500.50",
      onSale: 30,
      slowCount: 7,
      commission30: "123.45",
      gmv30: "9876.54",
    }),
    {
      averageOrder: "333.33", // 1000 / 3, half-up to the cent
      conversion: "0.0750", // 3 buyers / 40 visitors
      repurchaseRate: "0.3750", // 3 / 8
      lifetimeValue: "312.56", // 2500.50 / 8 = 312.5625
      slowShare: "0.2333", // 7 / 30
      commissionShare: "0.0125", // 123.45 / 9876.54 = 0.012499…
    },
  );
});

Deno.test("analyticsFigures(): nothing to divide by gives zeros, not errors", () => {
  const zero = analyticsFigures({
    gmv: "0.00",
    orders: 0,
    visitors: 0,
    buyersToday: 0,
    buyers: 0,
    repeatBuyers: 0,
    lifetime: "0.00",
    onSale: 0,
    slowCount: 0,
    commission30: "0.00",
    gmv30: "0.00",
  });
  assert.deepEqual(zero, {
    averageOrder: "0.00",
    conversion: "0.0000",
    repurchaseRate: "0.0000",
    lifetimeValue: "0.00",
    slowShare: "0.0000",
    commissionShare: "0.0000",
  });
  assert.equal(ratio(1, 3), "0.3333");
  assert.equal(ratio(2, 3), "0.6667");
});
