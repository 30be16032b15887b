import Big from "big.js";
import { decimalText, money, sum } from "../money.ts";
import { MAX_TIERS } from "../referral.ts";
import { DEFAULT_RANK_RULES, type Rank, type RankRules } from "./ranks.ts";

export { type Rank, RANKS } from "./ranks.ts";

/** A versioned commission plan: plain data, rates as decimal strings ("0.10" = 10 %). */
export interface CommissionPlan {
  version: number;
  /** Rates for tier 1..n; tier 1 is the buyer's direct upline, or the buyer when selfPurchase. */
  tiers: { rate: string }[];
  base: "paid_amount" | "gross_profit";
  eligibility: "everyone" | "application" | "spend_threshold";
  /** Spend a member needs before earning, when eligibility is spend_threshold. */
  spendThreshold: string;
  /** Whether a distributor's own purchases earn tier 1 (then uplines earn tiers 2 and 3). */
  selfPurchase: boolean;
  /** Days after receipt before commission becomes available (the return window). */
  holdDays: number;
  /** Most that all tiers together may pay, as a share of the base. */
  capRate: string;
  /** Tier rates that replace `tiers` for products of a category or for one product. */
  categoryOverrides: { categoryId: string; tiers: { rate: string }[] }[];
  productOverrides: { productId: string; tiers: { rate: string }[] }[];
  /** Tier rates for beneficiaries of a rank (replace the plan's tier rates for them). */
  rankRates: Partial<Record<Rank, { rate: string }[]>>;
  /** An extra rate for a distributor whose own month sales reach the threshold. */
  volumeBonus: { threshold: string; extraRate: string } | null;
  /** Time-boxed multipliers of every rate. */
  campaigns: { name: string; startsAt: string; endsAt: string; multiplier: string }[];
  /** Recruiting rewards. The compliance guard refuses any that is non-zero. */
  signUpFee: string;
  headcountBonus: string;
  /** Withdrawals: minimum amount and fee. */
  minWithdrawal: string;
  withdrawalFee: string;
  /** Settlement period length. */
  settlementPeriod: "weekly" | "semi_monthly" | "monthly";
  /** What happens when a refund claws back commission that was already paid out. */
  negativeBalance: "offset_future_earnings";
  /** Rank promotion thresholds and the inactivity that demotes. */
  rankRules: RankRules;
}

/** The default plan: 10 % / 5 % / 2 % of the paid amount. */
export const DEFAULT_PLAN: CommissionPlan = {
  version: 1,
  tiers: [{ rate: "0.10" }, { rate: "0.05" }, { rate: "0.02" }],
  base: "paid_amount",
  eligibility: "everyone",
  spendThreshold: "0.00",
  selfPurchase: false,
  holdDays: 7,
  capRate: "0.30",
  categoryOverrides: [],
  productOverrides: [],
  rankRates: {},
  volumeBonus: null,
  campaigns: [],
  signUpFee: "0.00",
  headcountBonus: "0.00",
  minWithdrawal: "10.00",
  withdrawalFee: "1.00",
  settlementPeriod: "monthly",
  negativeBalance: "offset_future_earnings",
  rankRules: DEFAULT_RANK_RULES,
};

/** The stable ids of the compliance checks, in the order they are listed. */
export const COMPLIANCE_CHECK_IDS = [
  "max_tiers",
  "no_recruiting_rewards",
  "rate_cap",
  "hold_covers_returns",
  "non_negative",
] as const;
/** A compliance check's id. */
export type ComplianceCheckId = (typeof COMPLIANCE_CHECK_IDS)[number];

/** Which set of tier rates a reason is about: the plan's own, or an override (with its category, product or rank). */
export interface TierSetRef {
  kind: "plan" | "category" | "product" | "rank";
  ref?: string;
}

/**
 * One compliance check with its outcome. `id` and `params` let a page word it in any language;
 * `description` and `reason` are the English wording the API returns.
 */
export interface ComplianceCheck {
  id: ComplianceCheckId;
  /** Values the wording uses, e.g. `max` tiers, the `capPercent`, `tiers` paid by the failing `set`. */
  params: Record<string, string | number>;
  /** The tier set a failed check is about, when it is about one. */
  set?: TierSetRef;
  description: string;
  passed: boolean;
  reason?: string;
}

function tierSum(tiers: { rate: string }[]): Big {
  return sum(tiers.map((t) => money(t.rate)));
}

/** The English name of a tier set, as reasons use it. */
function setName(set: TierSetRef): string {
  switch (set.kind) {
    case "plan":
      return "the plan's tiers";
    case "category":
      return `the override for category ${set.ref}`;
    case "product":
      return `the override for product ${set.ref}`;
    case "rank":
      return `the ${set.ref} rank rates`;
  }
}

/** What the guard needs to know of the shop: how long buyers may still return goods. */
export interface ComplianceContext {
  returnWindowDays: number;
}

/**
 * The compliance guard: at most three paid tiers (a self-purchase reward counts as one), no
 * reward for recruiting as such, no tier set whose rates together exceed the cap of the base, and
 * no commission available for payout while its order can still be returned (hold ≥ return window).
 * Returns every check, passed or not, so the plan page can list them in plain words.
 */
export function checkCompliance(plan: CommissionPlan, shop: ComplianceContext): ComplianceCheck[] {
  const allTierSets: { set: TierSetRef; tiers: { rate: string }[] }[] = [
    { set: { kind: "plan" }, tiers: plan.tiers },
    ...plan.categoryOverrides.map((o) => ({ set: { kind: "category" as const, ref: o.categoryId }, tiers: o.tiers })),
    ...plan.productOverrides.map((o) => ({ set: { kind: "product" as const, ref: o.productId }, tiers: o.tiers })),
    ...Object.entries(plan.rankRates).map(([rank, tiers]) => ({
      set: { kind: "rank" as const, ref: rank },
      tiers: tiers ?? [],
    })),
  ];
  const cap = money(plan.capRate);
  const capPercent = decimalText(cap.times(100), 0);
  const bonus = plan.volumeBonus ? money(plan.volumeBonus.extraRate) : new Big(0);
  const maxMultiplier = plan.campaigns.reduce(
    (m, c) => (money(c.multiplier).gt(m) ? money(c.multiplier) : m),
    new Big(1),
  );
  const tooDeep = allTierSets.find((s) => s.tiers.length > MAX_TIERS);
  // The volume bonus is added to every paid tier's rate.
  const overCap = allTierSets.find((s) =>
    tierSum(s.tiers).plus(bonus.times(s.tiers.length)).times(maxMultiplier).gt(cap)
  );
  const recruiting = !money(plan.signUpFee).eq(0) || !money(plan.headcountBonus).eq(0);
  const negative = allTierSets.find((s) => s.tiers.some((t) => money(t.rate).lt(0)));
  return [
    {
      id: "max_tiers",
      params: { max: MAX_TIERS, ...(tooDeep ? { tiers: tooDeep.tiers.length } : {}) },
      set: tooDeep?.set,
      description:
        `Commission is paid on at most ${MAX_TIERS} tiers, and a reward for a distributor's own purchase counts as one of them.`,
      passed: !tooDeep,
      reason: tooDeep
        ? `${setName(tooDeep.set)} pay ${tooDeep.tiers.length} tiers; at most ${MAX_TIERS} are allowed`
        : undefined,
    },
    {
      id: "no_recruiting_rewards",
      params: { signUpFee: plan.signUpFee, headcountBonus: plan.headcountBonus },
      description:
        "Nobody is paid for recruiting as such: no sign-up fees and no headcount bonuses; money comes only from real sales.",
      passed: !recruiting,
      reason: recruiting ? "sign-up fees and headcount bonuses must be zero" : undefined,
    },
    {
      id: "rate_cap",
      params: { cap: plan.capRate, capPercent },
      set: overCap?.set,
      description:
        `All tiers together, with bonuses and campaign multipliers, pay at most ${capPercent} % of the base.`,
      passed: !overCap,
      reason: overCap ? `${setName(overCap.set)} can pay more than the cap of ${plan.capRate}` : undefined,
    },
    {
      id: "hold_covers_returns",
      params: { holdDays: plan.holdDays, returnWindowDays: shop.returnWindowDays },
      description:
        `Commission becomes available only after the ${shop.returnWindowDays}-day return window, so money that can still be clawed back is never paid out.`,
      passed: plan.holdDays >= shop.returnWindowDays,
      reason: plan.holdDays >= shop.returnWindowDays
        ? undefined
        : `the hold of ${plan.holdDays} days is shorter than the ${shop.returnWindowDays}-day return window`,
    },
    {
      id: "non_negative",
      params: {},
      set: negative?.set,
      description: "Every rate is zero or more.",
      passed: !negative,
      reason: negative ? `${setName(negative.set)} have a negative rate` : undefined,
    },
  ];
}

/** The reasons a plan is refused (empty when it complies). */
export function complianceViolations(plan: CommissionPlan, shop: ComplianceContext): string[] {
  return checkCompliance(plan, shop).filter((c) => !c.passed).map((c) => c.reason!);
}
