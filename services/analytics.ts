import type { Db } from "../db/db.ts";
import type { Tier } from "../domain/referral.ts";
import { readWithCursor } from "../db/events_repo.ts";
import { analyticsFigures } from "../domain/analytics/figures.ts";
import { appConfig } from "../fresh.config.ts";

/** The visitor key of a signed-in member: the same on every device, and what their payments count under. */
export function memberVisitor(userId: string): string {
  return `u:${userId}`;
}

/**
 * Counts a paying buyer among the day's visitors (an app or API buyer never loads a shop page),
 * so conversion stays buyers out of visitors. True when this is their first count of the day.
 */
export async function countBuyerVisit(tx: Db, userId: string, day: string): Promise<boolean> {
  const inserted = await tx.query(
    "INSERT INTO daily_visitors (day, visitor) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
    [day, memberVisitor(userId)],
  );
  return inserted.length > 0;
}

/** A commission line's amount less what refunds clawed back of it (SQL over `l`): the commission cost kept. */
const NET_COMMISSION =
  "(l.amount - coalesce((SELECT sum(r.amount) FROM commission_reversals r WHERE r.commission_line_id = l.id), 0))";
/** A line's base net of refunds: each claw-back takes the same share of the base (`reversedBase`). */
const NET_BASE =
  "(l.base - coalesce((SELECT sum(round(l.base * r.amount / l.amount, 2)) FROM commission_reversals r WHERE r.commission_line_id = l.id), 0))";

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
  return await readWithCursor(db, async (tx, lastEventId) => {
    const tz = appConfig.timeZone;
    const [today] = await tx.query<
      {
        gmv: string;
        orders: number;
        gmv_yesterday: string;
        orders_yesterday: number;
        visitors: number;
        buyers_today: number;
        visitors_yesterday: number;
        buyers_yesterday: number;
      }
    >(
      `WITH bounds AS (SELECT date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2 AS start_today)
       SELECT coalesce(sum(o.total) FILTER (WHERE o.paid_at >= b.start_today), 0)::numeric(20,2)::text AS gmv,
              count(*) FILTER (WHERE o.paid_at >= b.start_today)::int AS orders,
              coalesce(sum(o.total) FILTER (WHERE o.paid_at >= b.start_today - interval '1 day' AND o.paid_at < $1::timestamptz - interval '1 day'), 0)
                ::numeric(20,2)::text AS gmv_yesterday,
              count(*) FILTER (WHERE o.paid_at >= b.start_today - interval '1 day' AND o.paid_at < $1::timestamptz - interval '1 day')::int AS orders_yesterday,
              (SELECT count(*) FROM daily_visitors v WHERE v.day = (b.start_today AT TIME ZONE $2)::date)::int AS visitors,
              count(DISTINCT o.user_id) FILTER (WHERE o.paid_at >= b.start_today)::int AS buyers_today,
              (SELECT count(*) FROM daily_visitors v WHERE v.day = (b.start_today AT TIME ZONE $2)::date - 1
                  AND v.first_seen_at < $1::timestamptz - interval '1 day')::int AS visitors_yesterday,
              count(DISTINCT o.user_id) FILTER (WHERE o.paid_at >= b.start_today - interval '1 day'
                  AND o.paid_at < $1::timestamptz - interval '1 day')::int AS buyers_yesterday
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
      `SELECT i.product_id, p.name, sum(i.quantity)::int AS units, sum(i.line_total)::numeric(20,2)::text AS sales
         FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
        WHERE o.paid_at >= $1::timestamptz - make_interval(days => $2) AND ($3::text IS NULL OR o.address->>'city' = $3)
          AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM referral_paths rp JOIN users d ON d.id = rp.ancestor_id
                                            WHERE rp.descendant_id = o.user_id AND rp.depth = 1 AND d.rank = $4))
        GROUP BY i.product_id, p.name ORDER BY sum(i.line_total) DESC, i.product_id LIMIT 200`,
      [now, days, filter.city ?? null, filter.rank ?? null],
    );
    const [health] = await tx.query<
      {
        on_sale: number;
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
              (SELECT count(DISTINCT user_id) FROM orders WHERE paid_at IS NOT NULL)::int AS buyers,
              (SELECT count(*) FROM (SELECT user_id FROM orders WHERE paid_at IS NOT NULL GROUP BY user_id HAVING count(*) > 1) r)::int AS repeat_buyers,
              (SELECT coalesce(sum(total), 0) FROM orders WHERE paid_at IS NOT NULL)::numeric(20,2)::text AS lifetime,
              (SELECT coalesce(sum(total), 0) FROM orders WHERE paid_at >= $1::timestamptz - interval '30 days')::numeric(20,2)::text AS gmv30,
              (SELECT coalesce(sum(${NET_COMMISSION}), 0) FROM commission_lines l WHERE l.created_at >= $1::timestamptz - interval '30 days')
                ::numeric(20,2)::text AS commission30,
              (SELECT count(*) FROM users WHERE created_at >= date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2)::int AS new_members,
              (SELECT count(*) FROM distributor_applications WHERE status = 'approved'
                 AND decided_at >= date_trunc('day', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2)::int AS new_distributors`,
      [now, tz],
    );
    const byTier = await tx.query<{ tier: Tier; amount: string }>(
      `SELECT l.tier, sum(${NET_COMMISSION})::numeric(20,2)::text AS amount
         FROM commission_lines l JOIN users u ON u.id = l.beneficiary_id JOIN orders o ON o.id = l.order_id
        WHERE l.created_at >= $1::timestamptz - make_interval(days => $2) AND ($3::text IS NULL OR u.rank = $3)
          AND ($4::text IS NULL OR o.address->>'city' = $4)
        GROUP BY l.tier ORDER BY l.tier`,
      [now, days, filter.rank ?? null, filter.city ?? null],
    );
    // Like the products, the live island keeps far more distributors than the ten it shows. Sales and
    // commission are both net of refunds.
    const topDistributors = await tx.query<{ id: string; name: string; sales: string; commission: string }>(
      `SELECT u.id, u.name, sum(${NET_BASE})::numeric(20,2)::text AS sales, sum(${NET_COMMISSION})::numeric(20,2)::text AS commission
         FROM commission_lines l JOIN users u ON u.id = l.beneficiary_id JOIN orders o ON o.id = l.order_id
        WHERE l.created_at >= $1::timestamptz - make_interval(days => $2) AND l.tier = 1 AND ($3::text IS NULL OR u.rank = $3)
          AND ($4::text IS NULL OR o.address->>'city' = $4)
        GROUP BY u.id, u.name ORDER BY sum(${NET_BASE}) DESC, u.id LIMIT 200`,
      [now, days, filter.rank ?? null, filter.city ?? null],
    );
    const slowProducts = await tx.query<{ id: string }>(
      `SELECT p.id FROM products p WHERE p.on_sale AND NOT EXISTS (
         SELECT 1 FROM order_items i JOIN orders o ON o.id = i.order_id
          WHERE i.product_id = p.id AND o.paid_at >= $1::timestamptz - interval '30 days') ORDER BY p.id`,
      [now],
    );
    const figures = analyticsFigures({
      gmv: today.gmv,
      orders: today.orders,
      visitors: today.visitors,
      buyersToday: today.buyers_today,
      buyers: health.buyers,
      repeatBuyers: health.repeat_buyers,
      lifetime: health.lifetime,
      onSale: health.on_sale,
      slowCount: slowProducts.length,
      commission30: health.commission30,
      gmv30: health.gmv30,
    });
    // The same figures for yesterday up to this time of day.
    const yesterday = analyticsFigures({
      gmv: today.gmv_yesterday,
      orders: today.orders_yesterday,
      visitors: today.visitors_yesterday,
      buyersToday: today.buyers_yesterday,
      buyers: 0,
      repeatBuyers: 0,
      lifetime: "0",
      onSale: 0,
      slowCount: 0,
      commission30: "0",
      gmv30: "0",
    });
    return {
      ...figures,
      yesterday: {
        gmv: today.gmv_yesterday,
        orders: today.orders_yesterday,
        averageOrder: yesterday.averageOrder,
        conversion: yesterday.conversion,
        visitors: today.visitors_yesterday,
      },
      lastEventId,
      gmv: today.gmv,
      orders: today.orders,
      gmvYesterday: today.gmv_yesterday,
      ordersYesterday: today.orders_yesterday,
      visitors: today.visitors,
      perMinute: perMinute.map((m) => ({ minute: m.minute, orders: m.orders })),
      topProducts: top.map((p) => ({ productId: String(p.product_id), name: p.name, units: p.units, sales: p.sales })),
      onSale: health.on_sale,
      slowProductIds: slowProducts.map((p) => String(p.id)),
      buyers: health.buyers,
      repeatBuyers: health.repeat_buyers,
      lifetime: health.lifetime,
      buyersToday: today.buyers_today,
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
