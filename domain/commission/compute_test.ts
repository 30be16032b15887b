import assert from "node:assert/strict";
import { money } from "../money.ts";
import { clawback, type CommissionChain, computeCommissions, tierOneEarning } from "./compute.ts";
import fc from "fast-check";
import { checkCompliance, complianceViolations, DEFAULT_PLAN } from "./plan.ts";

/** The shop facts the compliance guard needs: a 7-day return window. */
const SHOP = { returnWindowDays: 7 };

const now = new Date("2026-11-21T10:00:00Z");
const who = (id: string) => ({ id, rank: "standard" as const, eligible: true, monthSales: "0" });
const item = {
  orderItemId: "1",
  productId: "p",
  categoryId: "c",
  quantity: 1,
  lineTotal: "1000.00",
  unitCost: "600.00",
};
const chain: CommissionChain = { buyer: who("D"), uplines: [who("C"), who("B"), who("A"), who("root")] };

Deno.test("computeCommissions() pays C 100.00, B 50.00, A 20.00 on D's ¥1,000 under 10/5/2, and nothing further up", () => {
  const lines = computeCommissions(DEFAULT_PLAN, [item], chain, now);
  assert.deepEqual(lines.map((l) => [l.beneficiaryId, l.tier, l.amount.toFixed(2)]), [
    ["C", 1, "100.00"],
    ["B", 2, "50.00"],
    ["A", 3, "20.00"],
  ]);
  assert.ok(lines.every((l) => l.planVersion === 1 && l.base.eq(1000)));
});

Deno.test("clawback() of a 30 % refund reverses exactly 30.00 / 15.00 / 6.00", () => {
  const refunded = money("300.00");
  assert.deepEqual(
    ["100.00", "50.00", "20.00"].map((a) => clawback(money(a), money("1000.00"), money(0), refunded).toFixed(2)),
    ["30.00", "15.00", "6.00"],
  );
  // The rest, refunded later, reverses exactly what is left.
  assert.equal(clawback(money("100.00"), money("1000.00"), refunded, money("700.00")).toFixed(2), "70.00");
});

Deno.test("self-purchase makes the buyer tier 1 and still pays only three tiers", () => {
  const lines = computeCommissions({ ...DEFAULT_PLAN, selfPurchase: true }, [item], chain, now);
  assert.deepEqual(lines.map((l) => [l.beneficiaryId, l.tier]), [["D", 1], ["C", 2], ["B", 3]]);
});

Deno.test("an ineligible upline is skipped without moving others up", () => {
  const lines = computeCommissions(DEFAULT_PLAN, [item], {
    ...chain,
    uplines: [who("C"), { ...who("B"), eligible: false }, who("A")],
  }, now);
  assert.deepEqual(lines.map((l) => [l.beneficiaryId, l.tier]), [["C", 1], ["A", 3]]);
});

Deno.test("gross-profit base, overrides, rank rates, volume bonus and campaigns", () => {
  const plan = {
    ...DEFAULT_PLAN,
    base: "gross_profit" as const,
    categoryOverrides: [{ categoryId: "c", tiers: [{ rate: "0.20" }] }],
  };
  assert.deepEqual(computeCommissions(plan, [item], chain, now).map((l) => l.amount.toFixed(2)), ["80.00"]);
  const ranked = { ...DEFAULT_PLAN, rankRates: { gold: [{ rate: "0.12" }, { rate: "0.05" }, { rate: "0.02" }] } };
  const goldC = { ...chain, uplines: [{ ...who("C"), rank: "gold" as const }, who("B"), who("A")] };
  assert.equal(computeCommissions(ranked, [item], goldC, now)[0].amount.toFixed(2), "120.00");
  const bonus = { ...DEFAULT_PLAN, volumeBonus: { threshold: "5000.00", extraRate: "0.01" } };
  const busyC = { ...chain, uplines: [{ ...who("C"), monthSales: "6000.00" }, who("B"), who("A")] };
  assert.equal(computeCommissions(bonus, [item], busyC, now)[0].amount.toFixed(2), "110.00");
  const campaign = {
    ...DEFAULT_PLAN,
    campaigns: [{ name: "双11", startsAt: "2026-11-01T00:00:00Z", endsAt: "2026-11-30T00:00:00Z", multiplier: "1.5" }],
  };
  assert.equal(computeCommissions(campaign, [item], chain, now)[0].amount.toFixed(2), "150.00");
});

Deno.test("the cap scales the tiers down so that an order line never pays more than cap × base", () => {
  const plan = { ...DEFAULT_PLAN, capRate: "0.10", campaigns: [] };
  const lines = computeCommissions(plan, [item], chain, now);
  assert.equal(lines.reduce((s, l) => s.plus(l.amount), money(0)).toFixed(2), "100.00");
});

Deno.test("checkCompliance() refuses 4 tiers, headcount bonuses and rates over the cap, in plain words", () => {
  assert.deepEqual(complianceViolations(DEFAULT_PLAN, SHOP), []);
  const four = { ...DEFAULT_PLAN, tiers: [...DEFAULT_PLAN.tiers, { rate: "0.01" }] };
  assert.match(complianceViolations(four, SHOP)[0], /4 tiers; at most 3/);
  assert.match(complianceViolations({ ...DEFAULT_PLAN, headcountBonus: "5.00" }, SHOP)[0], /headcount/);
  assert.match(complianceViolations({ ...DEFAULT_PLAN, capRate: "0.15" }, SHOP)[0], /more than the cap/);
  assert.equal(checkCompliance(DEFAULT_PLAN, SHOP).length, 5);
  assert.match(
    complianceViolations({ ...DEFAULT_PLAN, holdDays: 0 }, SHOP)[0],
    /hold of 0 days is shorter than the 7-day return window/,
  );
  assert.ok(checkCompliance(DEFAULT_PLAN, SHOP).every((c) => c.passed && c.description.length > 20));
});

Deno.test("checkCompliance() names each check by a stable id with the params and tier set a page words it with", () => {
  assert.deepEqual(
    checkCompliance(DEFAULT_PLAN, SHOP).map((c) => [c.id, c.params, c.set]),
    [
      ["max_tiers", { max: 3 }, undefined],
      ["no_recruiting_rewards", { signUpFee: "0.00", headcountBonus: "0.00" }, undefined],
      ["rate_cap", { cap: "0.30", capPercent: "30" }, undefined],
      ["hold_covers_returns", { holdDays: 7, returnWindowDays: 7 }, undefined],
      ["non_negative", {}, undefined],
    ],
  );
  const four = checkCompliance({
    ...DEFAULT_PLAN,
    rankRates: { gold: [{ rate: "0.1" }, { rate: "0.05" }, { rate: "0.02" }, { rate: "0.01" }] },
  }, SHOP);
  assert.deepEqual(four[0].params, { max: 3, tiers: 4 });
  assert.deepEqual(four[0].set, { kind: "rank", ref: "gold" });
  assert.equal(four[0].reason, "the gold rank rates pay 4 tiers; at most 3 are allowed");
  const over = checkCompliance(
    { ...DEFAULT_PLAN, categoryOverrides: [{ categoryId: "7", tiers: [{ rate: "0.5" }] }] },
    SHOP,
  );
  assert.deepEqual(over[2].set, { kind: "category", ref: "7" });
  assert.equal(over[2].passed, false);
});

Deno.test("tierOneEarning() is the tier-1 line of the plan for one unit: 10 % of ¥129.00 is 12.90", () => {
  const unit = { ...item, lineTotal: "129.00", unitCost: "79.50" };
  const me = who("me");
  assert.equal(tierOneEarning(DEFAULT_PLAN, unit, me, now).toFixed(2), "12.90");
  // Half a cent rounds half-up, as every commission line does.
  assert.equal(tierOneEarning(DEFAULT_PLAN, { ...unit, lineTotal: "12.35" }, me, now).toFixed(2), "1.24");
  // On gross profit: 10 % of 129.00 − 79.50.
  assert.equal(tierOneEarning({ ...DEFAULT_PLAN, base: "gross_profit" }, unit, me, now).toFixed(2), "4.95");
  // Self-purchase: tier 1 is the member buying for themselves, at the same rate.
  assert.equal(tierOneEarning({ ...DEFAULT_PLAN, selfPurchase: true }, unit, me, now).toFixed(2), "12.90");
  // The member's rank rates and a product override apply; the cap cuts a rate above it.
  const gold = { ...me, rank: "gold" as const };
  assert.equal(
    tierOneEarning({ ...DEFAULT_PLAN, rankRates: { gold: [{ rate: "0.15" }] } }, unit, gold, now).toFixed(2),
    "19.35",
  );
  const override = { ...DEFAULT_PLAN, productOverrides: [{ productId: "p", tiers: [{ rate: "0.50" }] }] };
  assert.equal(tierOneEarning(override, unit, me, now).toFixed(2), "38.70", "capped at 30 % of the base");
  // A member who may not earn earns nothing.
  assert.equal(tierOneEarning(DEFAULT_PLAN, unit, { ...me, eligible: false }, now).toFixed(2), "0.00");
});

Deno.test("tierOneEarning() equals what the direct upline earns on a real order when the cap does not bind", () => {
  fc.assert(fc.property(
    fc.integer({ min: 1, max: 10_000_000 }),
    fc.integer({ min: 0, max: 1000 }),
    (cents, perMille) => {
      const plan = {
        ...DEFAULT_PLAN,
        tiers: [{ rate: (perMille / 10000).toFixed(4) }, { rate: "0.05" }, { rate: "0.02" }],
      };
      const line = { ...item, lineTotal: (cents / 100).toFixed(2) };
      const real = computeCommissions(plan, [line], chain, now).find((l) => l.tier === 1)?.amount.toFixed(2) ?? "0.00";
      return tierOneEarning(plan, line, who("C"), now).toFixed(2) === real;
    },
  ));
});
