import Big from "big.js";
import { money, roundCents, roundDown, sum } from "../money.ts";
import { prorate } from "../pricing/prorate.ts";
import type { CommissionPlan, Rank } from "./plan.ts";
import { MAX_TIERS } from "../referral.ts";

/** An order line as commission needs it (amounts as decimal strings). */
export interface CommissionItem {
  orderItemId: string;
  productId: string;
  categoryId: string;
  quantity: number;
  /** What the buyer actually paid for the line. */
  lineTotal: string;
  /** Cost of one unit, for the gross-profit base. */
  unitCost: string;
}

/** A member who may earn: their rank, whether they may earn at all, and their own month sales. */
export interface Beneficiary {
  id: string;
  rank: Rank;
  eligible: boolean;
  monthSales: string;
}

/** Who is around the order: the buyer and their uplines, nearest first. */
export interface CommissionChain {
  buyer: Beneficiary;
  uplines: Beneficiary[];
}

/** One commission line, with everything it was computed from. */
export interface CommissionLine {
  orderItemId: string;
  beneficiaryId: string;
  tier: number;
  planVersion: number;
  rate: Big;
  base: Big;
  amount: Big;
}

function activeMultiplier(plan: CommissionPlan, now: Date): Big {
  let m = new Big(1);
  for (const c of plan.campaigns) {
    if (new Date(c.startsAt) <= now && now < new Date(c.endsAt)) m = m.times(money(c.multiplier));
  }
  return m;
}

/** The base of a line: the paid amount, or the gross profit (never below zero). */
export function commissionBase(item: CommissionItem, base: CommissionPlan["base"]): Big {
  const paid = money(item.lineTotal);
  if (base === "paid_amount") return paid;
  const profit = paid.minus(money(item.unitCost).times(item.quantity));
  return profit.gt(0) ? profit : new Big(0);
}

/** The rate a beneficiary earns at a tier for an item under the plan (before the cap). */
export function tierRate(plan: CommissionPlan, item: CommissionItem, who: Beneficiary, tier: number, now: Date): Big {
  const tiers = plan.productOverrides.find((o) => o.productId === item.productId)?.tiers ??
    plan.categoryOverrides.find((o) => o.categoryId === item.categoryId)?.tiers ??
    plan.rankRates[who.rank] ??
    plan.tiers;
  const base = tiers[tier - 1] ? money(tiers[tier - 1].rate) : new Big(0);
  if (base.eq(0)) return base;
  const bonus = plan.volumeBonus && money(who.monthSales).gte(money(plan.volumeBonus.threshold))
    ? money(plan.volumeBonus.extraRate)
    : new Big(0);
  return base.plus(bonus).times(activeMultiplier(plan, now));
}

/**
 * Computes the commission lines of an order under a plan. Tier 1 is the buyer's direct upline
 * (or the buyer, when the plan rewards self-purchase); never more than three tiers. Members who
 * may not earn are skipped without moving others up. Per order line, all tiers together never
 * exceed the plan's cap of the base: an excess is cut by scaling the tiers' shares exactly.
 */
export function computeCommissions(
  plan: CommissionPlan,
  items: CommissionItem[],
  chain: CommissionChain,
  now: Date,
): CommissionLine[] {
  const recipients = (plan.selfPurchase ? [chain.buyer, ...chain.uplines] : chain.uplines)
    .slice(0, Math.min(plan.tiers.length, MAX_TIERS));
  const out: CommissionLine[] = [];
  for (const item of items) {
    const base = commissionBase(item, plan.base);
    if (base.eq(0)) continue;
    const drafts = recipients
      .map((who, i) => ({ who, tier: i + 1 }))
      .filter(({ who }) => who.eligible)
      .map(({ who, tier }) => {
        const rate = tierRate(plan, item, who, tier, now);
        return { who, tier, rate, amount: roundCents(base.times(rate)) };
      })
      .filter((d) => d.amount.gt(0));
    const cap = roundDown(base.times(money(plan.capRate)), 2);
    const total = sum(drafts.map((d) => d.amount));
    const amounts = total.gt(cap) ? prorate(cap, drafts.map((d) => d.amount)) : drafts.map((d) => d.amount);
    drafts.forEach((d, i) => {
      if (amounts[i].gt(0)) {
        out.push({
          orderItemId: item.orderItemId,
          beneficiaryId: d.who.id,
          tier: d.tier,
          planVersion: plan.version,
          rate: d.rate,
          base,
          amount: amounts[i],
        });
      }
    });
  }
  return out;
}

/**
 * How much of a commission line a refund claws back: the line's amount in proportion to the
 * money refunded from its order line. Cumulative and telescoping, so several partial refunds
 * reverse exactly the whole amount once the line is fully refunded.
 */
export function clawback(
  lineAmount: Big,
  orderLineTotal: Big,
  refundedBefore: Big,
  refundedNow: Big,
): Big {
  if (orderLineTotal.eq(0)) return new Big(0);
  const share = (refunded: Big) =>
    refunded.gte(orderLineTotal) ? lineAmount : roundCents(lineAmount.times(refunded).div(orderLineTotal));
  return share(refundedBefore.plus(refundedNow)).minus(share(refundedBefore));
}

/** Nobody: the buyer of a hypothetical order who earns nothing (so the beneficiary stands at tier 1 alone). */
const NOBODY: Beneficiary = { id: "", rank: "standard", eligible: false, monthSales: "0" };

/**
 * What a member would earn at tier 1 on one line under a plan (the product page's "分享赚 ¥x"): the
 * lines `computeCommissions` gives when the member stands at tier 1 of the order, i.e. as the direct
 * upline of a buyer who earns nothing, or as the buyer when the plan rewards self-purchase. Their rank
 * rates, volume bonus, overrides, campaigns and the cap all apply; an ineligible member earns 0.
 */
export function tierOneEarning(plan: CommissionPlan, item: CommissionItem, who: Beneficiary, now: Date): Big {
  const chain: CommissionChain = plan.selfPurchase ? { buyer: who, uplines: [] } : { buyer: NOBODY, uplines: [who] };
  return sum(
    computeCommissions(plan, [item], chain, now)
      .filter((l) => l.tier === 1 && l.beneficiaryId === who.id)
      .map((l) => l.amount),
  );
}
