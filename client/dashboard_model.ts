import Big from "big.js";
import type { LiveEvent } from "./live.ts";

/** The numbers the distributor dashboard shows (money as decimal strings). */
export interface DashboardState {
  rank: string;
  commission: {
    today: string;
    month: string;
    pending: string;
    available: string;
    withdrawing: string;
    paid: string;
    clawedBack: string;
  };
  tiers: { tier: number; members: number; today: string; d7: string; d30: string; newToday: number }[];
  newMembersToday: number;
  days: string[];
  salesSeries: string[][];
  commissionSeries: string[][];
  feed: LiveEvent[];
}

/** The feed's labels: tier names ("一级") and the templates of each line. */
export interface FeedLabels {
  tier1: string;
  tier2: string;
  tier3: string;
  /** "{tier}成员 {buyer} 下单" */
  feedSale: string;
  /** An accrual: "{tier}佣金". */
  feedCommission: string;
  /** A release: "佣金到账，可提现". */
  feedReleased: string;
  /** A claw-back: "{tier}佣金退回". */
  feedClawback: string;
}

/** Whether a commission event moves no money (a release of a line clawed back in full): never listed. */
function movesNothing(e: LiveEvent): boolean {
  return e.type === "commission" && new Big(e.data.amount ?? 0).eq(0);
}

/**
 * A feed line's text for a sale or commission event, worded by what happened: a tier's sale, a tier's
 * commission credited (pending), commission released (available) or clawed back; "" for anything else and
 * for events that move no money (those are left out of the feed).
 */
export function feedText(e: LiveEvent, l: FeedLabels): string {
  const tierName = (tier: unknown) => [l.tier1, l.tier2, l.tier3][Number(tier) - 1] ?? "";
  if (e.type === "sale") {
    const d = e.data;
    return `${l.feedSale.replace("{tier}", tierName(d.tier)).replace("{buyer}", String(d.buyer ?? ""))} ¥${d.amount}`;
  }
  if (e.type !== "commission" || movesNothing(e)) return "";
  const d = e.data;
  if (d.status === "available") return `${l.feedReleased} +¥${d.amount}`;
  if (d.status === "clawed_back") return `${l.feedClawback.replace("{tier}", tierName(d.tier))} ¥${d.amount}`;
  return `${l.feedCommission.replace("{tier}", tierName(d.tier))} +¥${d.amount}`;
}

const add = (a: string, b: string | number | undefined) => new Big(a).plus(new Big(b ?? 0)).toFixed(2);
const FEED_SIZE = 30;

/**
 * Applies one live event to the dashboard, returning the new state and the names of the numbers
 * that changed (for a subtle highlight). Pure: the same events always give the same numbers.
 */
export function applyDashboardEvent(state: DashboardState, e: LiveEvent): { state: DashboardState; changed: string[] } {
  const s: DashboardState = structuredClone(state);
  const changed: string[] = [];
  const today = s.days[s.days.length - 1];
  const inFeed = () => {
    if (!movesNothing(e) && !s.feed.some((f) => f.id === e.id)) s.feed = [e, ...s.feed].slice(0, FEED_SIZE);
  };
  if (e.type === "sale" && typeof e.data.tier === "number") {
    const d = e.data;
    const t = s.tiers[d.tier - 1];
    if (t) {
      const dayIdx = s.days.indexOf(String(d.day ?? today));
      if (d.day === undefined || d.day === today) t.today = add(t.today, d.amount);
      t.d7 = add(t.d7, d.amount);
      t.d30 = add(t.d30, d.amount);
      if (dayIdx >= 0) s.salesSeries[d.tier - 1][dayIdx] = add(s.salesSeries[d.tier - 1][dayIdx], d.amount);
      changed.push(`tier${d.tier}`);
    }
    inFeed();
  } else if (e.type === "commission") {
    const d = e.data;
    const c = s.commission;
    if (d.status === "pending") {
      c.today = add(c.today, d.amount);
      c.month = add(c.month, d.amount);
      c.pending = add(c.pending, d.amount);
      if (typeof d.tier === "number") {
        const last = s.days.length - 1;
        s.commissionSeries[d.tier - 1][last] = add(s.commissionSeries[d.tier - 1][last], d.amount);
      }
      changed.push("today", "month", "pending");
      inFeed();
    } else if (d.status === "available") {
      c.pending = add(c.pending, new Big(d.amount ?? 0).neg().toFixed(2));
      c.available = add(c.available, d.amount);
      changed.push("pending", "available");
      inFeed();
    } else if (d.status === "clawed_back") {
      const from = d.from === "available" ? "available" : "pending";
      c[from] = add(c[from], d.amount);
      c.clawedBack = add(c.clawedBack, new Big(d.amount ?? 0).neg().toFixed(2));
      changed.push(from, "clawedBack");
      inFeed();
    }
  } else if (e.type === "withdrawal") {
    const d = e.data;
    const c = s.commission;
    const amount = String(d.amount ?? "0");
    const neg = new Big(amount).neg().toFixed(2);
    if (d.status === "requested") {
      c.available = add(c.available, neg);
      c.withdrawing = add(c.withdrawing, amount);
    } else if (d.status === "paid") {
      c.withdrawing = add(c.withdrawing, neg);
      c.paid = add(c.paid, amount);
    } else if (d.status === "rejected") {
      c.withdrawing = add(c.withdrawing, neg);
      c.available = add(c.available, amount);
    }
    changed.push("available", "paid");
  } else if (e.type === "member_joined") {
    s.newMembersToday += 1;
    if (s.tiers[0]) s.tiers[0].members += 1;
    changed.push("newMembers");
  } else if (e.type === "rank" && typeof e.data.to === "string") {
    s.rank = e.data.to;
    changed.push("rank");
  }
  return { state: s, changed };
}
