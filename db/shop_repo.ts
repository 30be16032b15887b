import type { Db } from "./db.ts";

/** Active-or-not promotions of some products, with units the member bought at each. */
export async function promotionsFor(db: Db, productIds: string[], userId: string, now: Date) {
  return await db.query<
    {
      id: string;
      product_id: string;
      price: string;
      starts_at: Date;
      ends_at: Date;
      per_person_limit: number | null;
      bought: number;
    }
  >(
    `SELECT p.id, p.product_id, p.price, p.starts_at, p.ends_at, p.per_person_limit,
            coalesce((SELECT sum(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                       WHERE i.promotion_id = p.id AND o.user_id = $2 AND o.status <> 'cancelled'), 0)::int AS bought
       FROM promotions p
      WHERE p.product_id = ANY(string_to_array($1, ',')::bigint[]) AND p.starts_at <= $3 AND p.ends_at > $3
      ORDER BY p.price`,
    [productIds.join(","), userId, now],
  );
}

/** A coupon row. */
export interface CouponRow {
  id: string;
  code: string;
  kind: "amount_off" | "percent_off";
  value: string;
  min_subtotal: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  new_members_only: boolean;
  product_ids: string[];
  category_ids: string[];
  per_member_limit: number | null;
  /** Collected by members before use (领券): only a member holding an unused claim may use it. */
  claimable: boolean;
}

/**
 * A coupon by code (case-insensitive), how often the member has used it and, for a claimable coupon,
 * the member's claim (`claim`: none, unused or used).
 */
export async function couponForMember(db: Db, code: string, userId: string) {
  const rows = await db.query<CouponRow & { used: number; claim: "none" | "unused" | "used" }>(
    `SELECT c.id, c.code, c.kind, c.value, c.min_subtotal, c.starts_at, c.ends_at, c.new_members_only,
            c.product_ids::text[] AS product_ids, c.category_ids::text[] AS category_ids, c.per_member_limit, c.claimable,
            coalesce((SELECT CASE WHEN k.used_at IS NULL THEN 'unused' ELSE 'used' END FROM coupon_claims k
                       WHERE k.coupon_id = c.id AND k.user_id = $2), 'none') AS claim,
            (SELECT count(*) FROM coupon_redemptions r WHERE r.coupon_id = c.id AND r.user_id = $2 AND NOT r.released)::int AS used
       FROM coupons c WHERE upper(c.code) = upper($1)`,
    [code, userId],
  );
  return rows[0];
}

/**
 * The rule of a new member (新人) as SQL: the member whose id is the parameter `param` (`"$2"`) has never
 * paid for an order. Pricing (`isNewMember`), the 领券 strip, claims and `usable` coupon lists share it.
 */
export function newMemberSql(param: string): string {
  return `NOT EXISTS (SELECT 1 FROM orders nm WHERE nm.user_id = ${param} AND nm.paid_at IS NOT NULL)`;
}

/** Whether a member has never paid for an order (`newMemberSql`). */
export async function isNewMember(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.query<{ new: boolean }>(`SELECT ${newMemberSql("$1::bigint")} AS new`, [userId]);
  return row.new;
}

/** Why a member's points changed. */
export type PointsReason = "earn" | "spend" | "spend_return" | "reverse" | "expire";

/** Changes a member's points balance with a ledger line. Refuses to go below zero (CHECK). */
export async function addPoints(
  db: Db,
  userId: string,
  delta: number,
  reason: PointsReason,
  orderId: string | null,
  expiresAt: Date | null = null,
): Promise<void> {
  if (delta === 0) return;
  await db.query("UPDATE users SET points_balance = points_balance + $2 WHERE id = $1", [userId, delta]);
  await db.query(
    "INSERT INTO points_ledger (user_id, delta, reason, order_id, expires_at) VALUES ($1, $2, $3, $4, $5)",
    [userId, delta, reason, orderId, expiresAt],
  );
}

/** A member's points history, newest first. */
export async function pointsHistory(db: Db, userId: string, limit = 50) {
  return await db.query<
    { id: string; delta: number; reason: PointsReason; order_id: string | null; expires_at: Date | null; at: Date }
  >(
    "SELECT id, delta, reason, order_id, expires_at, at FROM points_ledger WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    [userId, limit],
  );
}
