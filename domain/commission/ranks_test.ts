import assert from "node:assert/strict";
import { evaluateRank } from "./ranks.ts";

const stats = (teamSales: string, active: number, days: number | null = 1) => ({
  personalSales: "0",
  teamSales,
  activeDirectCustomers: active,
  daysSinceLastSale: days,
});

Deno.test("evaluateRank() promotes to the highest rank whose rule is met", () => {
  assert.deepEqual(evaluateRank("standard", stats("1999.99", 5)).rank, "standard");
  assert.equal(evaluateRank("standard", stats("2000.00", 3)).rank, "silver");
  assert.equal(evaluateRank("standard", stats("25000.00", 12)).rank, "gold");
  assert.match(evaluateRank("standard", stats("2500", 4)).reason, /¥2500.00 and 4 active customers/);
});

Deno.test("evaluateRank() never demotes for a quiet month, but one step after 90 inactive days", () => {
  assert.equal(evaluateRank("gold", stats("0", 0, 30)).changed, false);
  const d = evaluateRank("gold", stats("0", 0, 90));
  assert.deepEqual([d.rank, d.changed], ["silver", true]);
  assert.equal(evaluateRank("standard", stats("0", 0, 400)).changed, false);
});

Deno.test("evaluateRank() uses the plan's inactive period, counted from the later of the last sale and the last rank change", () => {
  const rules = { promotions: [], demoteAfterInactiveDays: 30 };
  assert.equal(evaluateRank("gold", stats("0", 0, 29), rules).changed, false);
  assert.equal(evaluateRank("gold", stats("0", 0, 30), rules).rank, "silver");
  // Demoted today on the same figures: the next step needs another full period.
  const demotedToday = { ...stats("0", 0, 40), daysSinceRankChange: 0 };
  assert.equal(evaluateRank("silver", demotedToday, rules).changed, false);
  assert.equal(evaluateRank("silver", { ...demotedToday, daysSinceRankChange: 29 }, rules).changed, false);
  assert.equal(evaluateRank("silver", { ...demotedToday, daysSinceRankChange: 30 }, rules).rank, "standard");
  // Never sold: the clock runs from the rank change.
  assert.equal(evaluateRank("gold", { ...stats("0", 0, null), daysSinceRankChange: 31 }, rules).rank, "silver");
  assert.equal(evaluateRank("gold", stats("0", 0, null), rules).changed, false);
});
