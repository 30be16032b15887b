import { money, toMoneyString } from "../money.ts";
/** Distributor ranks, lowest first (普通 / 银牌 / 金牌). */
export const RANKS = ["standard", "silver", "gold"] as const;
/** A distributor rank. */
export type Rank = (typeof RANKS)[number];

/** What a distributor did over the review window (30 days). */
export interface RankStats {
  personalSales: string;
  teamSales: string;
  activeDirectCustomers: number;
  /** Days since the distributor's team last made a sale (null: never). */
  daysSinceLastSale: number | null;
  /** Days since the distributor's rank last changed (null: never); a change restarts the inactivity clock. */
  daysSinceRankChange?: number | null;
}

/** The rule to reach a rank: every threshold must be met. */
export interface RankRule {
  rank: Exclude<Rank, "standard">;
  personalSales: string;
  teamSales: string;
  activeDirectCustomers: number;
}

/** Rank rules: promotion thresholds and the inactivity that demotes. */
export interface RankRules {
  promotions: RankRule[];
  demoteAfterInactiveDays: number;
}

/** Default rules: 银牌 at ¥2,000 personal or team sales with 3 active customers; 金牌 at ¥20,000 team sales with 10. */
export const DEFAULT_RANK_RULES: RankRules = {
  promotions: [
    { rank: "silver", personalSales: "0", teamSales: "2000.00", activeDirectCustomers: 3 },
    { rank: "gold", personalSales: "0", teamSales: "20000.00", activeDirectCustomers: 10 },
  ],
  demoteAfterInactiveDays: 90,
};

/** A rank decision with the reason to record and notify. */
export interface RankDecision {
  rank: Rank;
  changed: boolean;
  reason: string;
}

function meets(stats: RankStats, rule: RankRule): boolean {
  return money(stats.personalSales).gte(money(rule.personalSales)) &&
    money(stats.teamSales).gte(money(rule.teamSales)) &&
    stats.activeDirectCustomers >= rule.activeDirectCustomers;
}

/**
 * Days the distributor has been inactive at their current rank: since the later of the team's
 * last sale and the last rank change (null: no sale and no change on record, so no clock runs).
 */
export function inactiveDays(stats: RankStats): number | null {
  const known = [stats.daysSinceLastSale, stats.daysSinceRankChange ?? null].filter((d): d is number => d !== null);
  return known.length ? Math.min(...known) : null;
}

/**
 * The rank a distributor should hold: promoted to the highest rank whose rule they meet (never
 * demoted by a quiet month), and demoted one step once the plan's inactive period has passed
 * since both the last team sale and the last rank change, so a demotion happens at most once per
 * full inactive period however often this runs on the same figures.
 */
export function evaluateRank(current: Rank, stats: RankStats, rules: RankRules = DEFAULT_RANK_RULES): RankDecision {
  const idx = RANKS.indexOf(current);
  const inactive = inactiveDays(stats);
  if (inactive !== null && inactive >= rules.demoteAfterInactiveDays && idx > 0) {
    return {
      rank: RANKS[idx - 1],
      changed: true,
      reason: `no team sales for ${stats.daysSinceLastSale ?? inactive} days`,
    };
  }
  let best = current;
  let reason = "";
  for (const rule of rules.promotions) {
    if (RANKS.indexOf(rule.rank) > RANKS.indexOf(best) && meets(stats, rule)) {
      best = rule.rank;
      reason = `team sales ¥${
        toMoneyString(money(stats.teamSales))
      } and ${stats.activeDirectCustomers} active customers in 30 days`;
    }
  }
  return { rank: best, changed: best !== current, reason };
}
