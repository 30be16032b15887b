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

/** One compliance check with its outcome, worded for the plan page. */
export interface ComplianceCheck {
  id: string;
  description: string;
  passed: boolean;
  reason?: string;
}

function tierSum(tiers: { rate: string }[]): Big {
  return sum(tiers.map((t) => money(t.rate)));
}

/**
 * The compliance guard: at most three paid tiers (a self-purchase reward counts as one), no
 * reward for recruiting as such, and no tier set whose rates together exceed the cap of the base.
 * Returns every check, passed or not, so the plan page can list them in plain words.
 */
export function checkCompliance(plan: CommissionPlan): ComplianceCheck[] {
  const allTierSets = [
    { name: "the plan's tiers", tiers: plan.tiers },
    ...plan.categoryOverrides.map((o) => ({ name: `the override for category ${o.categoryId}`, tiers: o.tiers })),
    ...plan.productOverrides.map((o) => ({ name: `the override for product ${o.productId}`, tiers: o.tiers })),
    ...Object.entries(plan.rankRates).map(([rank, tiers]) => ({ name: `the ${rank} rank rates`, tiers: tiers ?? [] })),
  ];
  const cap = money(plan.capRate);
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
      description:
        `Commission is paid on at most ${MAX_TIERS} tiers, and a reward for a distributor's own purchase counts as one of them.`,
      passed: !tooDeep,
      reason: tooDeep
        ? `${tooDeep.name} pay ${tooDeep.tiers.length} tiers; at most ${MAX_TIERS} are allowed`
        : undefined,
    },
    {
      id: "no_recruiting_rewards",
      description:
        "Nobody is paid for recruiting as such: no sign-up fees and no headcount bonuses; money comes only from real sales.",
      passed: !recruiting,
      reason: recruiting ? "sign-up fees and headcount bonuses must be zero" : undefined,
    },
    {
      id: "rate_cap",
      description: `All tiers together, with bonuses and campaign multipliers, pay at most ${
        decimalText(cap.times(100), 0)
      } % of the base.`,
      passed: !overCap,
      reason: overCap ? `${overCap.name} can pay more than the cap of ${plan.capRate}` : undefined,
    },
    {
      id: "non_negative",
      description: "Every rate is zero or more.",
      passed: !negative,
      reason: negative ? `${negative.name} have a negative rate` : undefined,
    },
  ];
}

/** The reasons a plan is refused (empty when it complies). */
export function complianceViolations(plan: CommissionPlan): string[] {
  return checkCompliance(plan).filter((c) => !c.passed).map((c) => c.reason!);
}
