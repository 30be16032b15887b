/**
 * Property tests of the pure distribution engine: commission computation, claw-back, ledger
 * postings and the compliance guard, over random plans, referral chains and orders.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import Big from "big.js";
import {
  clawback,
  type CommissionChain,
  type CommissionItem,
  type CommissionLine,
  computeCommissions,
  tierRate,
} from "./compute.ts";
import { checkCompliance, type CommissionPlan, complianceViolations, DEFAULT_PLAN, type Rank, RANKS } from "./plan.ts";
import { quoteWithdrawal } from "./tax.ts";
import {
  creditCommission,
  holdWithdrawal,
  isBalanced,
  payWithdrawal,
  type Posting,
  releaseCommission,
  releaseWithdrawal,
  reverseCommission,
} from "../ledger/postings.ts";

/** The shop facts the compliance guard needs: a 7-day return window. */
const SHOP = { returnWindowDays: 7 };

const NUM_RUNS = 300;
const NOW = new Date("2026-06-15T04:00:00Z");
const PRODUCTS = ["p1", "p2", "p3", "p4"];
const CATEGORIES = ["c1", "c2", "c3"];

// ---------------------------------------------------------------- arbitraries

/** A decimal string of `places` places from an integer count of the smallest unit. */
const decimal = (units: number, places: number) => new Big(units).div(10 ** places).toFixed(places);
/** A rate between min and max (inclusive), with 4 decimals, as the API accepts it. */
const rateArb = (min = 0, max = 0.15) =>
  fc.integer({ min: Math.round(min * 10_000), max: Math.round(max * 10_000) }).map((n) => decimal(n, 4));
/** Money with cents, between min and max yuan. */
const centsArb = (min: number, max: number) =>
  fc.integer({ min: Math.round(min * 100), max: Math.round(max * 100) }).map((n) => decimal(n, 2));
const tiersArb = (minLength = 1, maxLength = 3) =>
  fc.array(rateArb().map((rate) => ({ rate })), { minLength, maxLength });

/** A campaign that is running at NOW, already over, or still to come. */
const campaignArb = fc.record({
  name: fc.constantFrom("双十一", "618", "Spring sale"),
  when: fc.constantFrom("active", "past", "future"),
  multiplier: fc.integer({ min: 5_000, max: 20_000 }).map((n) => decimal(n, 4)),
}).map(({ name, when, multiplier }) => {
  const day = 86_400_000;
  const [from, to] = when === "active"
    ? [NOW.getTime() - 3 * day, NOW.getTime() + 3 * day]
    : when === "past"
    ? [NOW.getTime() - 30 * day, NOW.getTime() - 20 * day]
    : [NOW.getTime() + 20 * day, NOW.getTime() + 30 * day];
  return { name, startsAt: new Date(from).toISOString(), endsAt: new Date(to).toISOString(), multiplier };
});

const rankRatesArb: fc.Arbitrary<CommissionPlan["rankRates"]> = fc.record(
  { standard: tiersArb(), silver: tiersArb(), gold: tiersArb() },
  { requiredKeys: [] },
);

/** A random plan: 1–3 tiers at 0–15 %, a 5–50 % cap, and every optional feature at random. */
const planArb: fc.Arbitrary<CommissionPlan> = fc.record({
  version: fc.integer({ min: 1, max: 1_000 }),
  tiers: tiersArb(),
  base: fc.constantFrom<CommissionPlan["base"][]>("paid_amount", "gross_profit"),
  selfPurchase: fc.boolean(),
  capRate: rateArb(0.05, 0.5),
  categoryOverrides: fc.uniqueArray(
    fc.record({ categoryId: fc.constantFrom(...CATEGORIES), tiers: tiersArb() }),
    { maxLength: 2, selector: (o) => o.categoryId },
  ),
  productOverrides: fc.uniqueArray(
    fc.record({ productId: fc.constantFrom(...PRODUCTS), tiers: tiersArb() }),
    { maxLength: 2, selector: (o) => o.productId },
  ),
  rankRates: rankRatesArb,
  volumeBonus: fc.option(fc.record({ threshold: centsArb(0, 5_000), extraRate: rateArb(0, 0.05) }), { nil: null }),
  campaigns: fc.array(campaignArb, { maxLength: 3 }),
}).map((p) => ({ ...DEFAULT_PLAN, ...p }));

const beneficiaryArb = (id: string) =>
  fc.record({
    id: fc.constant(id),
    rank: fc.constantFrom<Rank[]>(...RANKS),
    eligible: fc.boolean(),
    monthSales: centsArb(0, 10_000),
  });

/** A buyer and 0–5 uplines, nearest first, all distinct. */
const chainArb: fc.Arbitrary<CommissionChain> = fc.integer({ min: 0, max: 5 }).chain((n) =>
  fc.record({
    buyer: beneficiaryArb("buyer"),
    uplines: fc.tuple(...Array.from({ length: n }, (_, i) => beneficiaryArb(`up${i + 1}`))),
  })
);

/** 1–4 order lines (a zero line total is allowed: a fully discounted line). */
const itemsArb: fc.Arbitrary<CommissionItem[]> = fc.array(
  fc.record({
    productId: fc.constantFrom(...PRODUCTS),
    categoryId: fc.constantFrom(...CATEGORIES),
    quantity: fc.integer({ min: 1, max: 5 }),
    lineTotal: fc.oneof(centsArb(0, 5_000), fc.constantFrom("0.00", "0.01", "1.00", "99999.99")),
    unitCost: centsArb(0, 800),
  }),
  { minLength: 1, maxLength: 4 },
).map((items) => items.map((item, i) => ({ orderItemId: `item${i + 1}`, ...item })));

// ------------------------------------------------------------------- helpers

const ZERO = new Big(0);
const total = (values: Big[]) => values.reduce((s, v) => s.plus(v), ZERO);
const hasCents = (v: Big) => v.round(2, Big.roundDown).eq(v);

/** The base of a line, computed here from the definition (paid amount, or profit never below 0). */
function expectedBase(item: CommissionItem, plan: CommissionPlan): Big {
  const paid = new Big(item.lineTotal);
  if (plan.base === "paid_amount") return paid;
  const profit = paid.minus(new Big(item.unitCost).times(item.quantity));
  return profit.gt(0) ? profit : ZERO;
}

/** The cap of a base: base × capRate, rounded down to the cent. */
const capOf = (base: Big, plan: CommissionPlan) => base.times(plan.capRate).round(2, Big.roundDown);

/** Who may be paid at tier 1, 2, 3 …: the buyer first when the plan rewards self-purchase. */
function recipients(plan: CommissionPlan, chain: CommissionChain) {
  return plan.selfPurchase ? [chain.buyer, ...chain.uplines] : chain.uplines;
}

const plain = (lines: CommissionLine[]) =>
  lines.map((l) => ({
    orderItemId: l.orderItemId,
    beneficiaryId: l.beneficiaryId,
    tier: l.tier,
    planVersion: l.planVersion,
    rate: l.rate.toString(),
    base: l.base.toString(),
    amount: l.amount.toString(),
  }));

const scenarioArb = fc.record({ plan: planArb, items: itemsArb, chain: chainArb });

// ----------------------------------------------------------- computeCommissions

Deno.test("(a) no order line pays more than the cap of its base, and a binding cap pays exactly the cap", () => {
  fc.assert(
    fc.property(scenarioArb, ({ plan, items, chain }) => {
      const lines = computeCommissions(plan, items, chain, NOW);
      for (const item of items) {
        const base = expectedBase(item, plan);
        const mine = lines.filter((l) => l.orderItemId === item.orderItemId);
        const paid = total(mine.map((l) => l.amount));
        const cap = capOf(base, plan);
        assert.ok(paid.lte(cap), `line ${item.orderItemId} pays ${paid} over the cap ${cap} of base ${base}`);
        for (const l of mine) assert.ok(l.base.eq(base), `base ${l.base} is the ${plan.base} ${base}`);
        // Uncapped, each eligible tier would be paid base × its rate, rounded to the cent.
        const uncapped = total(
          recipients(plan, chain).slice(0, plan.tiers.length).map((who, i) =>
            who.eligible ? base.times(tierRate(plan, item, who, i + 1, NOW)).round(2, Big.roundHalfUp) : ZERO
          ),
        );
        for (const l of mine) {
          const who = recipients(plan, chain)[l.tier - 1];
          assert.ok(l.rate.eq(tierRate(plan, item, who, l.tier, NOW)), "a line records the rate of its tier");
        }
        if (uncapped.gt(cap)) assert.ok(paid.eq(cap), `a binding cap pays exactly ${cap}, not ${paid}`);
        else {
          for (const l of mine) {
            assert.ok(l.amount.eq(l.base.times(l.rate).round(2, Big.roundHalfUp)), "an uncapped tier is base × rate");
          }
        }
      }
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("(b) at most 3 lines per order line, tiers within 1..3, one beneficiary per tier, in chain order", () => {
  fc.assert(
    fc.property(scenarioArb, ({ plan, items, chain }) => {
      const lines = computeCommissions(plan, items, chain, NOW);
      const byTier = recipients(plan, chain);
      const itemIds = new Set(items.map((i) => i.orderItemId));
      for (const l of lines) {
        assert.ok(itemIds.has(l.orderItemId), "lines belong to the order's lines");
        assert.ok(Number.isInteger(l.tier) && l.tier >= 1 && l.tier <= 3, `tier ${l.tier} is within 1..3`);
        assert.ok(l.tier <= plan.tiers.length, `tier ${l.tier} is one of the plan's ${plan.tiers.length} tiers`);
        const who = byTier[l.tier - 1];
        assert.equal(l.beneficiaryId, who?.id, `tier ${l.tier} goes to the chain's member at that position`);
        assert.ok(who.eligible, "only eligible members earn");
        assert.equal(l.planVersion, plan.version);
      }
      for (const item of items) {
        const mine = lines.filter((l) => l.orderItemId === item.orderItemId);
        assert.ok(mine.length <= 3, `${mine.length} lines on one order line`);
        assert.equal(new Set(mine.map((l) => l.tier)).size, mine.length, "each tier at most once");
        assert.equal(new Set(mine.map((l) => l.beneficiaryId)).size, mine.length, "each beneficiary at most once");
      }
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("(c) every commission amount is positive and whole cents", () => {
  fc.assert(
    fc.property(scenarioArb, ({ plan, items, chain }) => {
      for (const l of computeCommissions(plan, items, chain, NOW)) {
        assert.ok(l.amount.gt(0), `amount ${l.amount} > 0`);
        assert.ok(hasCents(l.amount), `amount ${l.amount} has at most 2 decimals`);
        assert.ok(l.rate.gte(0), `rate ${l.rate} is not negative`);
      }
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("(d) computeCommissions is deterministic and does not change its inputs", () => {
  fc.assert(
    fc.property(scenarioArb, ({ plan, items, chain }) => {
      const before = JSON.stringify({ plan, items, chain });
      const snapshot: { plan: CommissionPlan; items: CommissionItem[]; chain: CommissionChain } = JSON.parse(before);
      const first = computeCommissions(plan, items, chain, NOW);
      const second = computeCommissions(snapshot.plan, snapshot.items, snapshot.chain, new Date(NOW.getTime()));
      assert.deepEqual(plain(second), plain(first));
      assert.deepEqual(first, second);
      assert.equal(JSON.stringify({ plan, items, chain }), before, "inputs are left as they were");
    }),
    { numRuns: NUM_RUNS },
  );
});

// ------------------------------------------------------------------ clawback

/** A line total, a commission amount, and partial refunds that together refund at most the line. */
const refundsArb = fc.record({
  lineTotal: fc.integer({ min: 1, max: 10_000_000 }),
  amount: fc.integer({ min: 1, max: 3_000_000 }),
  parts: fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 6 }),
  full: fc.boolean(),
}).map(({ lineTotal, amount, parts, full }) => {
  const refunds: number[] = [];
  let left = lineTotal;
  for (const p of parts) {
    const r = Math.min(p, left);
    if (r > 0) refunds.push(r);
    left -= r;
  }
  if (full && left > 0) refunds.push(left);
  const cents = (n: number) => new Big(n).div(100);
  return { lineTotal: cents(lineTotal), amount: cents(amount), refunds: refunds.map(cents) };
});

function clawbacks(amount: Big, lineTotal: Big, refunds: Big[]): Big[] {
  let before = ZERO;
  return refunds.map((r) => {
    const back = clawback(amount, lineTotal, before, r);
    before = before.plus(r);
    return back;
  });
}

Deno.test("(e) partial refunds claw back ≥ 0 each, never more than the commission, and all of it on a full refund", () => {
  fc.assert(
    fc.property(refundsArb, ({ lineTotal, amount, refunds }) => {
      const backs = clawbacks(amount, lineTotal, refunds);
      let cumulative = ZERO;
      for (const back of backs) {
        assert.ok(back.gte(0), `a claw-back of ${back} is not negative`);
        assert.ok(hasCents(back), `a claw-back of ${back} is whole cents`);
        cumulative = cumulative.plus(back);
        assert.ok(cumulative.lte(amount), `clawed back ${cumulative} of a ${amount} commission`);
      }
      const refunded = total(refunds);
      assert.ok(refunded.lte(lineTotal));
      if (refunded.eq(lineTotal)) {
        assert.ok(cumulative.eq(amount), `a full refund claws back ${cumulative} ≠ ${amount}`);
      }
      // The same refunds in one go claw back the same total (telescoping).
      assert.ok(clawback(amount, lineTotal, ZERO, refunded).eq(cumulative), "split or whole, the same total");
    }),
    { numRuns: 1_000 },
  );
});

Deno.test("(e) refunds by quantity, as the shop computes them, claw back everything once every unit is back", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.integer({ min: 1, max: 3_000_000 }),
      fc.integer({ min: 1, max: 12 }).chain((q) =>
        fc.tuple(fc.constant(q), fc.array(fc.integer({ min: 1, max: q }), { minLength: 1, maxLength: q }))
      ),
      (totalCents, amountCents, [quantity, steps]) => {
        const lineTotal = new Big(totalCents).div(100);
        const amount = new Big(amountCents).div(100);
        const refunds: Big[] = [];
        let units = 0;
        let refunded = ZERO;
        for (const step of [...steps, quantity]) {
          const q = Math.min(step, quantity - units);
          if (q <= 0) continue;
          units += q;
          const cumulative = lineTotal.times(units).div(quantity).round(2, Big.roundHalfUp);
          refunds.push(cumulative.minus(refunded));
          refunded = cumulative;
        }
        assert.ok(refunded.eq(lineTotal));
        const backs = clawbacks(amount, lineTotal, refunds);
        assert.ok(backs.every((b) => b.gte(0)));
        assert.ok(total(backs).eq(amount), `every unit back claws back ${total(backs)} of ${amount}`);
      },
    ),
    { numRuns: 500 },
  );
});

// ------------------------------------------------------------------ postings

const amountArb = fc.integer({ min: 0, max: 100_000_000 }).map((n) => new Big(n).div(100));

function assertPosting(postings: Posting[], label: string) {
  assert.ok(isBalanced(postings), `${label} balances`);
  assert.ok(postings.every((p) => hasCents(p.amount)), `${label} posts whole cents`);
}

Deno.test("(f) every posting the ledger builds balances, for any amounts", () => {
  fc.assert(
    fc.property(
      amountArb,
      amountArb,
      amountArb,
      amountArb,
      fc.constantFrom<("pending" | "available")[]>("pending", "available"),
      (a, fee, tax, net, from) => {
        assertPosting(creditCommission("7", a), "creditCommission");
        assertPosting(releaseCommission("7", a), "releaseCommission");
        assertPosting(reverseCommission("7", a, from), "reverseCommission");
        assertPosting(holdWithdrawal("7", a), "holdWithdrawal");
        assertPosting(releaseWithdrawal("7", a), "releaseWithdrawal");
        assertPosting(payWithdrawal("7", { amount: fee.plus(tax).plus(net), fee, tax, net }), "payWithdrawal");
        // A payout whose parts do not add up to the amount is never built.
        assert.throws(() => payWithdrawal("7", { amount: fee.plus(tax).plus(net).plus("0.01"), fee, tax, net }));
        // Each distributor posting moves money only between the distributor's and the platform's accounts.
        for (const p of [...creditCommission("7", a), ...reverseCommission("7", a, from)]) {
          assert.ok(p.owner === "7" || p.owner === null);
        }
      },
    ),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("(f) a quoted withdrawal that leaves something to pay posts a balanced payout", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 10_000_000 }),
      fc.integer({ min: 0, max: 1_000 }),
      fc.integer({ min: 0, max: 10_000_000 }),
      (amountCents, feeCents, beforeCents) => {
        const amount = new Big(amountCents).div(100);
        const before = new Big(beforeCents).div(100);
        const quote = quoteWithdrawal(amount, new Big(feeCents).div(100), before, ZERO);
        if (quote.net.lte(0)) return;
        assertPosting(payWithdrawal("7", quote), "payWithdrawal(quoteWithdrawal())");
      },
    ),
    { numRuns: NUM_RUNS },
  );
});

// ------------------------------------------------------------- compliance guard

const CHECK_IDS = ["max_tiers", "no_recruiting_rewards", "rate_cap", "hold_covers_returns", "non_negative"];

function assertChecksWorded(plan: CommissionPlan) {
  const checks = checkCompliance(plan, SHOP);
  assert.deepEqual(checks.map((c) => c.id), CHECK_IDS, "always the same five checks");
  for (const c of checks) {
    assert.equal(typeof c.description, "string");
    assert.ok(c.description.length >= 20, `"${c.description}" explains the rule`);
    assert.match(c.description, /^[A-Z].*\.$/s, `"${c.description}" is a sentence`);
    assert.doesNotMatch(c.description, /undefined|NaN|null|\[object|\$\{|_/, `"${c.description}" is plain language`);
    assert.equal(typeof c.passed, "boolean");
    if (c.passed) assert.equal(c.reason, undefined, `${c.id} passed without a reason`);
    else {
      assert.ok(c.reason && c.reason.length > 0, `${c.id} failed with a reason`);
      assert.doesNotMatch(c.reason, /undefined|NaN|\[object/, `"${c.reason}" is plain language`);
    }
  }
  return checks;
}

const failed = (plan: CommissionPlan, id: string) =>
  checkCompliance(plan, SHOP).find((c) => c.id === id)?.passed === false;

/** A plan that complies: ≤ 3 tiers everywhere, no recruiting rewards, (tiers + bonus per tier) × campaigns ≤ cap. */
const compliantPlanArb: fc.Arbitrary<CommissionPlan> = fc.record({
  capBp: fc.integer({ min: 500, max: 5_000 }),
  multiplierPct: fc.integer({ min: 100, max: 200 }),
  bonusShare: fc.integer({ min: 0, max: 50 }),
  tierShares: fc.array(fc.array(fc.integer({ min: 0, max: 33 }), { minLength: 1, maxLength: 3 }), {
    minLength: 1,
    maxLength: 4,
  }),
  selfPurchase: fc.boolean(),
  base: fc.constantFrom<CommissionPlan["base"][]>("paid_amount", "gross_profit"),
}).map(({ capBp, multiplierPct, bonusShare, tierShares, selfPurchase, base }) => {
  const budget = Math.floor((capBp * 100) / multiplierPct); // in 0.0001
  // The bonus is added to each of up to three tiers.
  const bonus = Math.floor((budget * bonusShare) / 100 / 3);
  const tierSet = (shares: number[]) =>
    shares.map((s) => ({ rate: decimal(Math.floor(((budget - bonus * 3) * s) / 100), 4) }));
  const [tiers, ...rest] = tierShares.map(tierSet);
  return {
    ...DEFAULT_PLAN,
    tiers,
    base,
    selfPurchase,
    capRate: decimal(capBp, 4),
    categoryOverrides: rest.slice(0, 1).map((t) => ({ categoryId: "c1", tiers: t })),
    productOverrides: rest.slice(1, 2).map((t) => ({ productId: "p1", tiers: t })),
    rankRates: rest[2] ? { gold: rest[2] } : {},
    volumeBonus: bonus > 0 ? { threshold: "1000.00", extraRate: decimal(bonus, 4) } : null,
    campaigns: [{
      name: "campaign",
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "2026-12-31T00:00:00Z",
      multiplier: decimal(multiplierPct, 2),
    }],
  };
});

type Violation = "too_deep" | "sign_up_fee" | "headcount_bonus" | "over_cap";

/** Breaks a compliant plan in one of the ways the guard must refuse. */
const violatingPlanArb: fc.Arbitrary<{ plan: CommissionPlan; violation: Violation }> = fc.record({
  plan: compliantPlanArb,
  violation: fc.constantFrom<Violation[]>("too_deep", "sign_up_fee", "headcount_bonus", "over_cap"),
  where: fc.constantFrom("tiers", "category", "product", "rank"),
  deep: tiersArb(4, 7),
  fee: centsArb(0.01, 500),
  extra: fc.integer({ min: 1, max: 5_000 }),
}).map(({ plan, violation, where, deep, fee, extra }) => {
  if (violation === "sign_up_fee") return { violation, plan: { ...plan, signUpFee: fee } };
  if (violation === "headcount_bonus") return { violation, plan: { ...plan, headcountBonus: fee } };
  // A tier set that is too deep, or whose rates alone add up to more than the cap.
  const tiers = violation === "too_deep"
    ? deep
    : [{ rate: new Big(plan.capRate).plus(new Big(extra).div(10_000)).toFixed(4) }];
  const broken: CommissionPlan = where === "tiers"
    ? { ...plan, tiers }
    : where === "category"
    ? { ...plan, categoryOverrides: [...plan.categoryOverrides, { categoryId: "c9", tiers }] }
    : where === "product"
    ? { ...plan, productOverrides: [...plan.productOverrides, { productId: "p9", tiers }] }
    : { ...plan, rankRates: { ...plan.rankRates, silver: tiers } };
  return { violation, plan: broken };
});

Deno.test("(g) the compliance guard passes plans within the rules and lists its 5 checks in plain words", () => {
  fc.assert(
    fc.property(compliantPlanArb, (plan) => {
      const checks = assertChecksWorded(plan);
      assert.deepEqual(checks.filter((c) => !c.passed).map((c) => c.reason), [], "a plan within the rules passes");
      assert.deepEqual(complianceViolations(plan, SHOP), []);
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("(g) the guard refuses > 3 tiers, any sign-up fee or headcount bonus, and tier rates over the cap", () => {
  fc.assert(
    fc.property(violatingPlanArb, ({ plan, violation }) => {
      assertChecksWorded(plan);
      assert.ok(complianceViolations(plan, SHOP).length > 0, `a plan with ${violation} is refused`);
      const id = violation === "too_deep"
        ? "max_tiers"
        : violation === "over_cap"
        ? "rate_cap"
        : "no_recruiting_rewards";
      assert.ok(failed(plan, id), `${violation} fails the ${id} check`);
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("(g) checkCompliance returns its 5 worded checks for any plan at all", () => {
  fc.assert(
    fc.property(planArb, fc.boolean(), centsArb(0, 50), (plan, deep, fee) => {
      const p = deep ? { ...plan, tiers: [...plan.tiers, ...plan.tiers, { rate: "0.01" }] } : plan;
      assertChecksWorded({ ...p, signUpFee: fee });
      const over = p.tiers.reduce((s, t) => s.plus(t.rate), ZERO).gt(p.capRate);
      if (p.tiers.length > 3 || !new Big(fee).eq(0) || over) {
        assert.ok(complianceViolations({ ...p, signUpFee: fee }, SHOP).length);
      }
    }),
    { numRuns: NUM_RUNS },
  );
});
