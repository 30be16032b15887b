import assert from "node:assert/strict";
import {
  distributorPeriods,
  distributorTags,
  dropPercent,
  type MonthFigures,
  netSales,
  refundRate,
  salesDrop,
  salesDropAlert,
} from "./tags.ts";

const month = (sales: string, refunds = "0"): MonthFigures => ({ sales, refunds });
const tagsOf = (months: MonthFigures[]) => distributorTags(months).map((t) => t.tag);

Deno.test("refundRate() divides refunds by gross sales, not by sales already net of refunds", () => {
  // ¥1,000 sold, ¥140 of it refunded: 14 % of the sales came back (140 / 860 would say 16.3 %).
  assert.equal(refundRate(month("1000.00", "140.00")), "0.1400");
  assert.equal(netSales(month("1000.00", "140.00")), "860.00");
  assert.equal(refundRate(month("0", "0")), "0.0000");
  // So a 14 % month is no 预警, though 140 / 860 is over 15 %.
  assert.deepEqual(tagsOf([month("1000"), month("1000"), month("1000.00", "140.00")]), []);
});

Deno.test("distributorTags(): worked example of 优质 — every month ≥ ¥5,000 net and refunds under 5 %", () => {
  // Net 5,900 / 6,400 / 6,800; refund rates 1.67 % / 1.54 % / 2.86 %; growth 8.5 % (not 潜力).
  const months = [month("6000", "100"), month("6500", "100"), month("7000", "200")];
  assert.deepEqual(distributorTags(months), [{ tag: "优质", rule: "quality" }]);
  // One month at exactly 5 % refunds is not "under 5 %".
  assert.deepEqual(tagsOf([month("10000", "500"), month("10000", "100"), month("10000", "100")]), []);
  // ¥5,100 gross with ¥200 (3.9 %) refunded is ¥4,900 of real sales: short of ¥5,000.
  assert.deepEqual(tagsOf([month("5100", "200"), month("6000"), month("6000")]), []);
});

Deno.test("distributorTags(): worked example of 潜力 — net sales up ≥ 10 % two months running", () => {
  assert.deepEqual(distributorTags([month("1000"), month("1200"), month("1400")]), [
    { tag: "潜力", rule: "potential" },
  ]);
  // 1,000 → 1,100 → 1,210 is exactly 10 % twice.
  assert.deepEqual(tagsOf([month("1000"), month("1100"), month("1210")]), ["潜力"]);
  // Refunds count: 1,210 gross with ¥10 refunded is 1,200 net, under 1,210.
  assert.deepEqual(tagsOf([month("1000"), month("1100"), month("1210", "10")]), []);
  assert.deepEqual(tagsOf([month("0"), month("1200"), month("1400")]), []);
});

Deno.test("distributorTags(): worked example of 预警 — last month down ≥ 20 % or its refunds over 15 %", () => {
  assert.deepEqual(distributorTags([month("1000"), month("1000"), month("800")]), [
    { tag: "预警", rule: "warning" },
  ]);
  assert.deepEqual(tagsOf([month("1000"), month("1000"), month("810")]), []);
  // 15 % exactly is not over 15 %; 15.01 % is (and 1,000 - 150.10 = 849.90 is only down 15 %).
  assert.deepEqual(tagsOf([month("1000"), month("1000"), month("1000.00", "150.00")]), []);
  assert.deepEqual(tagsOf([month("1000"), month("1000"), month("1000.00", "150.10")]), ["预警"]);
  // Only the last month's refund rate counts for 预警.
  assert.deepEqual(tagsOf([month("1000", "500"), month("1000"), month("1000")]), []);
  // Fewer than three months: no tags.
  assert.deepEqual(tagsOf([month("9000"), month("9000")]), []);
});

Deno.test("salesDropAlert() fires at a 20 % drop, not at 19 %", () => {
  assert.equal(salesDropAlert("1000.00", "800.00"), true);
  assert.equal(salesDropAlert("1000.00", "810.00"), false);
  assert.equal(salesDropAlert("0", "0"), false);
});

Deno.test("distributorPeriods(): three complete months for tags; this month's complete days against the same days of last month", () => {
  assert.deepEqual(distributorPeriods("2026-05-15"), {
    months: ["2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"],
    drop: {
      days: 14,
      current: { from: "2026-05-01", to: "2026-05-15" },
      previous: { from: "2026-04-01", to: "2026-04-15" },
    },
  });
  // Across a year end.
  assert.deepEqual(distributorPeriods("2026-01-03").months, ["2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01"]);
  // On the 1st no day of the month is complete: both ranges are empty.
  assert.deepEqual(distributorPeriods("2026-06-01").drop, {
    days: 0,
    current: { from: "2026-06-01", to: "2026-06-01" },
    previous: { from: "2026-05-01", to: "2026-05-01" },
  });
  // 30 complete days of March against all 28 days of February.
  assert.deepEqual(distributorPeriods("2026-03-31").drop.previous, { from: "2026-02-01", to: "2026-03-01" });
  assert.throws(() => distributorPeriods("2026-5-1"), /Cannot parse day/);
});

Deno.test("salesDrop(): like for like, from 7 complete days, down 20 % or more", () => {
  // 14 days of May ¥750 against April's first 14 days ¥1,000: down 25 %.
  assert.deepEqual(salesDrop({ days: 14, previous: "1000.00", current: "750.00" }), {
    days: 14,
    previous: "1000.00",
    current: "750.00",
    change: "-0.2500",
  });
  assert.equal(salesDrop({ days: 14, previous: "1000.00", current: "810.00" }), null);
  // Too early in the month to compare: 6 complete days.
  assert.equal(salesDrop({ days: 6, previous: "1000.00", current: "0.00" }), null);
  assert.equal(salesDrop({ days: 7, previous: "1000.00", current: "0.00" })?.change, "-1.0000");
  assert.equal(dropPercent(salesDrop({ days: 9, previous: "300.00", current: "200.00" })!), "33.3");
  assert.equal(salesDrop({ days: 20, previous: "0.00", current: "0.00" }), null);
});
