import type { Db } from "../db/db.ts";
import { MAX_TIERS, TIERS } from "../domain/referral.ts";
import { readWithCursor, type StoredEvent, toLiveEvent } from "../db/events_repo.ts";
import { earningTotals, teamFigures } from "./earnings.ts";
import { rankStats } from "./programme.ts";
import { currentPlan } from "./distribution.ts";
import { type Rank, RANKS } from "../domain/commission/plan.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { appConfig } from "../fresh.config.ts";
import { shopDayBefore } from "../domain/shop_time.ts";

/** The last 30 business days, oldest first. */
export function last30Days(now: Date): string[] {
  return Array.from({ length: 30 }, (_, i) => shopDayBefore(now, 29 - i));
}

/**
 * Everything the distributor dashboard shows, read in one repeatable-read snapshot together with
 * the newest event id, so the live island continues exactly where the snapshot ends.
 */
export async function dashboardSnapshot(db: Db, userId: string, now = new Date()) {
  return await readWithCursor(db, async (tx, lastEventId) => {
    const days = last30Days(now);
    const [earned] = await tx.query<{ today: string; month: string }>(
      `SELECT coalesce(sum(amount) FILTER (WHERE (created_at AT TIME ZONE $2)::date = $3::date), 0)::numeric(20,2)::text AS today,
              coalesce(sum(amount) FILTER (WHERE (created_at AT TIME ZONE $2)::date >= date_trunc('month', $3::date)), 0)::numeric(20,2)::text AS month
         FROM commission_lines WHERE beneficiary_id = $1 AND created_at >= now() - interval '32 days'`,
      [userId, appConfig.timeZone, days[29]],
    );
    const totals = await earningTotals(tx, userId);
    const tiers = await teamFigures(tx, userId, now);
    const daily = await tx.query<{ day: string; depth: number; sales: string }>(
      `SELECT day::text, depth, sales::text FROM team_daily WHERE ancestor_id = $1 AND depth BETWEEN 1 AND ${MAX_TIERS} AND day >= $2::date`,
      [userId, days[0]],
    );
    const commissionDaily = await tx.query<{ day: string; tier: number; amount: string }>(
      `SELECT (created_at AT TIME ZONE $2)::date::text AS day, tier, sum(amount)::numeric(20,2)::text AS amount
         FROM commission_lines WHERE beneficiary_id = $1 AND created_at >= now() - interval '31 days' GROUP BY 1, 2`,
      [userId, appConfig.timeZone],
    );
    const topProducts = await tx.query<{ product_id: string; name: string; units: number; sales: string }>(
      `SELECT i.product_id, i.name, sum(i.quantity)::int AS units, sum(i.line_total)::numeric(20,2)::text AS sales
         FROM referral_paths rp JOIN orders o ON o.user_id = rp.descendant_id AND o.paid_at >= now() - interval '30 days'
         JOIN order_items i ON i.order_id = o.id
        WHERE rp.ancestor_id = $1 GROUP BY i.product_id, i.name ORDER BY sum(i.line_total) DESC LIMIT 5`,
      [userId],
    );
    const feed = await tx.query<StoredEvent<"sale" | "commission">>(
      `SELECT p.pos::text AS id, e.type, e.rooms, e.data, e.at
         FROM events e JOIN event_positions p ON p.event_id = e.id
        WHERE e.rooms && ARRAY[$1] AND e.type IN ('sale', 'commission')
          AND NOT (e.type = 'commission' AND (e.data->>'amount')::numeric = 0)
        ORDER BY p.pos DESC LIMIT 20`,
      [`user:${userId}`],
    );
    const [user] = await tx.query<{ rank: Rank; name: string; referral_code: string }>(
      "SELECT rank, name, referral_code FROM users WHERE id = $1",
      [userId],
    );
    const stats = await rankStats(tx, userId, now);
    const { rankRules } = await currentPlan(tx);
    const next = rankRules.promotions.find((r) => RANKS.indexOf(r.rank) === RANKS.indexOf(user.rank) + 1);
    const series = (rows: { day: string; tier: number; value: string }[]) =>
      TIERS.map((tier) =>
        days.map((d) =>
          toMoneyString(
            rows.filter((r) => r.day === d && r.tier === tier).reduce((s, r) => s.plus(money(r.value)), money("0")),
          )
        )
      );
    return {
      lastEventId,
      days,
      rank: user.rank,
      nextRank: next
        ? {
          rank: next.rank,
          teamSalesNeeded: toMoneyString(
            money(next.teamSales).minus(money(stats.teamSales)).gt(0)
              ? money(next.teamSales).minus(money(stats.teamSales))
              : money("0"),
          ),
          activeCustomersNeeded: Math.max(0, next.activeDirectCustomers - stats.activeDirectCustomers),
        }
        : null,
      commission: { today: earned.today, month: earned.month, ...totals },
      tiers,
      newMembersToday: tiers.reduce((n, t) => n + t.newToday, 0),
      salesSeries: series(daily.map((r) => ({ day: r.day, tier: r.depth, value: r.sales }))),
      commissionSeries: series(commissionDaily.map((r) => ({ day: r.day, tier: r.tier, value: r.amount }))),
      topProducts: topProducts.map((p) => ({
        productId: String(p.product_id),
        name: p.name,
        units: p.units,
        sales: p.sales,
      })),
      feed: feed.map((e) => toLiveEvent({ ...e, id: String(e.id) })),
    };
  });
}

/** The dashboard snapshot's type (the island's props). */
export type DashboardSnapshot = Awaited<ReturnType<typeof dashboardSnapshot>>;
