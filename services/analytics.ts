import type { Db } from "../db/db.ts";
import { latestEventId } from "../db/events_repo.ts";
import { money, toMoneyString } from "../domain/money.ts";
import { appConfig } from "../fresh.config.ts";

/** Visitors counted per business day (a hashed visitor cookie), for the conversion rate. */
export async function countVisit(db: Db, visitorId: string, now = new Date()): Promise<void> {
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: appConfig.timeZone }).format(now);
  await db.query("INSERT INTO daily_visitors (day, visitor) VALUES ($1, $2) ON CONFLICT DO NOTHING", [day, visitorId]);
}

/** Filters of the analytics tables: the last N days, the buyers' city, the distributors' rank. */
export interface AnalyticsFilter {
  days?: number;
  city?: string;
  rank?: string;
}

/** Cities that orders were shipped to, most orders first (for the region filter). */
export async function orderCities(db: Db): Promise<string[]> {
  const rows = await db.query<{ city: string }>(
    "SELECT address->>'city' AS city FROM orders WHERE paid_at IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 30",
  );
  return rows.map((r) => r.city).filter(Boolean);
}

/**
 * The manager's analytics snapshot (today vs the same time yesterday, the last 60 minutes, the
 * last 30 days) read in one repeatable-read transaction with the newest event id, so the live
 * island continues exactly after it.
 */
export async function analyticsSnapshot(db: Db, now = new Date(), filter: AnalyticsFilter = {}) {
  const days = filter.days ?? 30;
  return await db.transaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    const lastEventId = await latestEventId(tx);
    const tz = appConfig.timeZone;
    const [today] = await tx.query<
      {
        gmv: string;
        orders: number;
        gmv_yesterday: string;
        orders_yesterday: number;
        visitors: number;
        buyers_today: number;
      }
    >(
      `WITH bounds AS (SELECT date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2 AS start_today)
       SELECT coalesce(sum(o.total) FILTER (WHERE o.paid_at >= b.start_today), 0)::numeric(20,2)::text AS gmv,
              count(*) FILTER (WHERE o.paid_at >= b.start_today)::int AS orders,
              coalesce(sum(o.total) FILTER (WHERE o.paid_at >= b.start_today - interval '1 day' AND o.paid_at < $1::timestamptz - interval '1 day'), 0)
                ::numeric(20,2)::text AS gmv_yesterday,
              count(*) FILTER (WHERE o.paid_at >= b.start_today - interval '1 day' AND o.paid_at < $1::timestamptz - interval '1 day')::int AS orders_yesterday,
              (SELECT count(*) FROM daily_visitors v WHERE v.day = (b.start_today AT TIME ZONE $2)::date)::int AS visitors,
              count(DISTINCT o.user_id) FILTER (WHERE o.paid_at >= b.start_today)::int AS buyers_today
         FROM bounds b LEFT JOIN orders o ON o.paid_at >= b.start_today - interval '1 day'
        GROUP BY b.start_today`,
      [now, tz],
    );
    const perMinute = await tx.query<{ minute: string; orders: number }>(
      `SELECT to_char(date_trunc('minute', paid_at AT TIME ZONE $2), 'HH24:MI') AS minute, count(*)::int AS orders
         FROM orders WHERE paid_at >= $1::timestamptz - interval '60 minutes' GROUP BY 1 ORDER BY 1`,
      [now, tz],
    );
    // Products by sales over the period: pages show the first ten, the live island keeps them all
    // so a product climbing back into the top ten carries its whole total.
    const top = await tx.query<{ product_id: string; name: string; units: number; sales: string }>(
      `SELECT i.product_id, i.name, sum(i.quantity)::int AS units, sum(i.line_total)::numeric(20,2)::text AS sales
         FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.paid_at >= $1::timestamptz - make_interval(days => $2) AND ($3::text IS NULL OR o.address->>'city' = $3)
          AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM referral_paths rp JOIN users d ON d.id = rp.ancestor_id
                                            WHERE rp.descendant_id = o.user_id AND rp.depth = 1 AND d.rank = $4))
        GROUP BY i.product_id, i.name ORDER BY sum(i.line_total) DESC, i.product_id LIMIT 200`,
      [now, days, filter.city ?? null, filter.rank ?? null],
    );
    const [health] = await tx.query<
      {
        on_sale: number;
        slow: number;
        buyers: number;
        repeat_buyers: number;
        lifetime: string;
        gmv30: string;
        commission30: string;
        new_members: number;
        new_distributors: number;
      }
    >(
      `SELECT (SELECT count(*) FROM products WHERE on_sale)::int AS on_sale,
              (SELECT count(*) FROM products p WHERE p.on_sale AND NOT EXISTS (
                 SELECT 1 FROM order_items i JOIN orders o ON o.id = i.order_id
                  WHERE i.product_id = p.id AND o.paid_at >= $1::timestamptz - interval '30 days'))::int AS slow,
              (SELECT count(DISTINCT user_id) FROM orders WHERE paid_at IS NOT NULL)::int AS buyers,
              (SELECT count(*) FROM (SELECT user_id FROM orders WHERE paid_at IS NOT NULL GROUP BY user_id HAVING count(*) > 1) r)::int AS repeat_buyers,
              (SELECT coalesce(sum(total), 0) FROM orders WHERE paid_at IS NOT NULL)::numeric(20,2)::text AS lifetime,
              (SELECT coalesce(sum(total), 0) FROM orders WHERE paid_at >= $1::timestamptz - interval '30 days')::numeric(20,2)::text AS gmv30,
              (SELECT coalesce(sum(l.amount), 0) FROM commission_lines l WHERE l.created_at >= $1::timestamptz - interval '30 days')
                ::numeric(20,2)::text AS commission30,
              (SELECT count(*) FROM users WHERE created_at >= date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2)::int AS new_members,
              (SELECT count(*) FROM distributor_applications WHERE status = 'approved'
                 AND decided_at >= date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2)::int AS new_distributors`,
      [now, tz],
    );
    const byTier = await tx.query<{ tier: number; amount: string }>(
      `SELECT l.tier, sum(l.amount)::numeric(20,2)::text AS amount FROM commission_lines l JOIN users u ON u.id = l.beneficiary_id
        WHERE l.created_at >= $1::timestamptz - make_interval(days => $2) AND ($3::text IS NULL OR u.rank = $3)
        GROUP BY l.tier ORDER BY l.tier`,
      [now, days, filter.rank ?? null],
    );
    const topDistributors = await tx.query<{ id: string; name: string; sales: string; commission: string }>(
      `SELECT u.id, u.name, sum(l.base)::numeric(20,2)::text AS sales, sum(l.amount)::numeric(20,2)::text AS commission
         FROM commission_lines l JOIN users u ON u.id = l.beneficiary_id
        WHERE l.created_at >= $1::timestamptz - make_interval(days => $2) AND l.tier = 1 AND ($3::text IS NULL OR u.rank = $3)
        GROUP BY u.id, u.name ORDER BY sum(l.base) DESC LIMIT 10`,
      [now, days, filter.rank ?? null],
    );
    const ratio = (a: string | number, b: string | number) =>
      Number(b) > 0 ? money(String(a)).div(money(String(b))).toFixed(4) : "0.0000";
    return {
      lastEventId,
      gmv: today.gmv,
      orders: today.orders,
      gmvYesterday: today.gmv_yesterday,
      ordersYesterday: today.orders_yesterday,
      visitors: today.visitors,
      conversion: ratio(today.buyers_today, today.visitors),
      averageOrder: today.orders ? toMoneyString(money(today.gmv).div(today.orders)) : "0.00",
      perMinute: perMinute.map((m) => ({ minute: m.minute, orders: m.orders })),
      topProducts: top.map((p) => ({ productId: String(p.product_id), name: p.name, units: p.units, sales: p.sales })),
      slowShare: ratio(health.slow, health.on_sale),
      repurchaseRate: ratio(health.repeat_buyers, health.buyers),
      lifetimeValue: health.buyers ? toMoneyString(money(health.lifetime).div(health.buyers)) : "0.00",
      commissionShare: ratio(health.commission30, health.gmv30),
      commission30: health.commission30,
      gmv30: health.gmv30,
      commissionByTier: byTier.map((t) => ({ tier: t.tier, amount: t.amount })),
      topDistributors: topDistributors.map((d) => ({
        id: String(d.id),
        name: d.name,
        sales: d.sales,
        commission: d.commission,
      })),
      newMembers: health.new_members,
      newDistributors: health.new_distributors,
    };
  });
}

/** The analytics snapshot's type (the island's props). */
export type AnalyticsSnapshot = Awaited<ReturnType<typeof analyticsSnapshot>>;
