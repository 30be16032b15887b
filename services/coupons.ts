/**
 * Claimable coupons (领券): the shop's list of coupons a member may collect, claiming one (at most
 * once per member, never more than the coupon's `totalLimit` in all), and a member's own coupons.
 * Checkout marks a claim used and cancelling or expiry of that order gives it back (`services/orders.ts`).
 */
import { z } from "zod";
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { appConfig } from "../fresh.config.ts";
import { type AppError, fail } from "../lib/errors.ts";
import { msg, says } from "../i18n/messages.ts";
import { catalogueChanged } from "./catalogue_events.ts";
import { newMemberSql } from "../db/shop_repo.ts";

/** A coupon code as it appears in a URL (`/api/coupons/:code/claim`). */
export const couponCodeSchema = z.string().trim().min(1, says("coupons.err.codeNeeded")).max(40)
  .regex(/^[A-Za-z0-9_-]+$/, "Letters, digits, - and _ only");

/** The query of `GET /api/coupons`. */
export const claimableQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize, "pageSize is at most 100")
    .default(appConfig.pagination.defaultPageSize),
});

/** Which of a member's coupons: still usable, used, or expired unused. */
export const MY_COUPON_TABS = ["usable", "used", "expired"] as const;
/** One of `MY_COUPON_TABS`. */
export type MyCouponTab = typeof MY_COUPON_TABS[number];
/**
 * A claimed coupon's state: a tab, `new_only` (新人专享, held by a member who has paid for an order since)
 * or `not_started`; both of these are listed under the `expired` tab (已失效: not used, not usable now).
 */
export type MyCouponStatus = MyCouponTab | "new_only" | "not_started";

/** The query of `GET /api/me/coupons`: `usable=true` (or `status=usable|used|expired`) filters. */
export const myCouponsQuerySchema = z.object({
  usable: z.enum(["true", "false"], 'usable is "true" or "false"').optional(),
  status: z.enum(MY_COUPON_TABS, "status is usable, used or expired").optional(),
  page: z.coerce.number().int().min(1).max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize, "pageSize is at most 100")
    .default(appConfig.pagination.defaultPageSize),
});

interface CouponListRow {
  id: string;
  code: string;
  kind: "amount_off" | "percent_off";
  value: string;
  min_subtotal: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  new_members_only: boolean;
  total_limit: number | null;
  claimed_count: number;
}

/** A coupon's value as the API writes it: money with 2 places (`"20.00"`), a share with 2–4 (`"0.15"`). */
export function couponValue(value: string): string {
  const [whole, frac = ""] = String(value).split(".");
  const digits = frac.replace(/0+$/, "");
  return `${whole}.${digits.padEnd(2, "0")}`;
}

function iso(d: Date | null): string | null {
  return d ? new Date(d).toISOString() : null;
}

function couponFields(row: CouponListRow) {
  return {
    code: row.code,
    kind: row.kind,
    value: couponValue(row.value),
    minSubtotal: row.min_subtotal === null ? null : couponValue(row.min_subtotal),
    startsAt: iso(row.starts_at),
    endsAt: iso(row.ends_at),
    newMembersOnly: row.new_members_only,
  };
}

const LIVE = `c.claimable AND (c.starts_at IS NULL OR c.starts_at <= $1) AND (c.ends_at IS NULL OR c.ends_at > $1)
  AND (c.total_limit IS NULL OR c.claimed_count < c.total_limit)`;

/**
 * What of a member's shop home is theirs alone: whether they are new (新人专享 offered) and which coupons
 * they hold (已领取). Their home is kept per member level and this state, so members alike share one copy.
 */
export async function memberCouponState(db: Db, userId: string): Promise<string> {
  const [row] = await db.query<{ new: boolean; held: string | null }>(
    `SELECT ${newMemberSql("$1::bigint")} AS new,
            (SELECT string_agg(k.coupon_id::text, ',' ORDER BY k.coupon_id) FROM coupon_claims k WHERE k.user_id = $1)
              AS held`,
    [userId],
  );
  return `${row.new ? "new" : "old"}:${row.held ?? ""}`;
}

/**
 * Coupons a member may claim now (started, not ended, not all given out), soonest ending first, with
 * how many are left (null: no limit) and, for a signed-in caller, whether they hold one already.
 */
export async function claimableCoupons(
  db: Db,
  viewer: UserRow | undefined,
  now: Date,
  page = { page: 1, pageSize: appConfig.pagination.defaultPageSize },
) {
  // A signed-in member who is not new is not offered 新人专享 coupons (pricing would refuse them).
  const offered = viewer ? `${LIVE} AND (NOT c.new_members_only OR ${newMemberSql("$2::bigint")})` : LIVE;
  const viewerId = viewer ? String(viewer.id) : "0";
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM coupons c WHERE ${offered} AND $2::bigint IS NOT NULL`,
    [now, viewerId],
  );
  const rows = await db.query<CouponListRow & { claimed: boolean }>(
    `SELECT c.id, c.code, c.kind, c.value, c.min_subtotal, c.starts_at, c.ends_at, c.new_members_only, c.total_limit,
            c.claimed_count,
            EXISTS (SELECT 1 FROM coupon_claims k WHERE k.coupon_id = c.id AND k.user_id = $2) AS claimed
       FROM coupons c WHERE ${offered}
      ORDER BY c.ends_at NULLS LAST, c.id LIMIT $3 OFFSET $4`,
    [now, viewerId, page.pageSize, (page.page - 1) * page.pageSize],
  );
  return {
    items: rows.map((r) => ({
      ...couponFields(r),
      remaining: r.total_limit === null ? null : Math.max(r.total_limit - r.claimed_count, 0),
      claimed: r.claimed,
    })),
    total,
  };
}

/** A claimable coupon as the shop's 领券 strip and `GET /api/coupons` show it. */
export type ClaimableCoupon = Awaited<ReturnType<typeof claimableCoupons>>["items"][number];

/** Why a claim was refused (pages show a message per reason). */
export type ClaimRefusal =
  | "not_found"
  | "not_claimable"
  | "not_started"
  | "ended"
  | "claimed"
  | "sold_out"
  | "new_only";

function refused(err: AppError, reason: ClaimRefusal): AppError & { reason: ClaimRefusal } {
  return Object.assign(err, { reason });
}

/** The reason of a refused claim, when `err` is one. */
export function claimRefusal(err: unknown): ClaimRefusal | undefined {
  return (err as { reason?: ClaimRefusal } | null)?.reason;
}

/**
 * A member claims a coupon: 404 for an unknown code, 409 `conflict` when it cannot be claimed (not a
 * claimable coupon, not started, ended, all given out) or when the member holds it already. The claim
 * row is written first (its unique key settles two claims of one member), then the coupon's count is
 * raised only while below `total_limit` (the row lock serialises concurrent claimers), so the cap holds.
 */
export async function claimCoupon(db: Db, member: UserRow, code: string, now: Date) {
  return await db.transaction(async (tx) => {
    const [coupon] = await tx.query<CouponListRow & { claimable: boolean; new_member: boolean }>(
      `SELECT c.id, c.code, c.kind, c.value, c.min_subtotal, c.starts_at, c.ends_at, c.new_members_only, c.total_limit,
              c.claimed_count, c.claimable, ${newMemberSql("$2::bigint")} AS new_member
         FROM coupons c WHERE upper(c.code) = upper($1)`,
      [code, member.id],
    );
    if (!coupon) throw refused(fail.notFound("coupon"), "not_found");
    if (!coupon.claimable) {
      throw refused(
        fail.conflict("coupons.err.notClaimable", {}, { code: msg("coupons.err.notClaimableField") }),
        "not_claimable",
      );
    }
    if (coupon.starts_at && new Date(coupon.starts_at) > now) {
      throw refused(
        fail.conflict("coupons.err.notStarted", {}, { code: msg("coupons.err.notStartedField") }),
        "not_started",
      );
    }
    if (coupon.ends_at && new Date(coupon.ends_at) <= now) {
      throw refused(fail.conflict("coupons.err.ended", {}, { code: msg("coupons.err.endedField") }), "ended");
    }
    if (coupon.new_members_only && !coupon.new_member) {
      throw refused(fail.conflict("coupons.err.newOnly", {}, { code: msg("coupons.err.newOnlyField") }), "new_only");
    }
    const [claim] = await tx.query<{ id: string; claimed_at: Date }>(
      `INSERT INTO coupon_claims (coupon_id, user_id, claimed_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, coupon_id) DO NOTHING RETURNING id, claimed_at`,
      [coupon.id, member.id, now],
    );
    if (!claim) {
      throw refused(fail.conflict("coupons.err.claimed", {}, { code: msg("coupons.err.claimedField") }), "claimed");
    }
    const [counted] = await tx.query<{ claimed_count: number; total_limit: number | null }>(
      `UPDATE coupons SET claimed_count = claimed_count + 1
        WHERE id = $1 AND (total_limit IS NULL OR claimed_count < total_limit)
        RETURNING claimed_count, total_limit`,
      [coupon.id],
    );
    if (!counted) {
      throw refused(fail.conflict("coupons.err.soldOut", {}, { code: msg("coupons.err.soldOutField") }), "sold_out");
    }
    // The last one given out leaves the shop's 领券 strip: kept list pages are dropped.
    if (counted.total_limit !== null && counted.claimed_count >= counted.total_limit) await catalogueChanged(tx, []);
    return {
      ...couponFields(coupon),
      claimedAt: new Date(claim.claimed_at).toISOString(),
      usedAt: null,
      status: "usable" as MyCouponStatus,
    };
  });
}

/**
 * A member's claimed coupons, newest claim first: all, or one tab (`usable`: not used, started and not
 * ended; `used`: used by an order not cancelled; `expired`: ended unused).
 */
export async function myCoupons(
  db: Db,
  memberId: string,
  now: Date,
  query: { tab?: MyCouponTab | "unusable"; page: number; pageSize: number },
) {
  // Usable: what pricing would take from this member now (not used, started, not ended, and a 新人专享
  // coupon only while the member is new).
  const usable = "k.used_at IS NULL AND (c.starts_at IS NULL OR c.starts_at <= $2) AND " +
    `(c.ends_at IS NULL OR c.ends_at > $2) AND (NOT c.new_members_only OR ${newMemberSql("$1::bigint")})`;
  const where = {
    usable,
    used: "k.used_at IS NOT NULL AND $2::timestamptz IS NOT NULL", // ($2 is typed in every variant)
    // Not used and not usable now: ended, not started yet, or 新人专享 held by a member no longer new.
    expired: `k.used_at IS NULL AND NOT (${usable})`,
    unusable: `NOT (${usable})`,
  };
  const filter = query.tab ? `AND ${where[query.tab]}` : "AND $2::timestamptz IS NOT NULL";
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM coupon_claims k JOIN coupons c ON c.id = k.coupon_id
      WHERE k.user_id = $1 ${filter}`,
    [memberId, now],
  );
  const rows = await db.query<
    CouponListRow & { claimed_at: Date; used_at: Date | null; order_id: string | null; new_member: boolean }
  >(
    `SELECT c.id, c.code, c.kind, c.value, c.min_subtotal, c.starts_at, c.ends_at, c.new_members_only, c.total_limit,
            c.claimed_count, k.claimed_at, k.used_at, k.order_id, ${newMemberSql("$1::bigint")} AS new_member
       FROM coupon_claims k JOIN coupons c ON c.id = k.coupon_id
      WHERE k.user_id = $1 ${filter}
      ORDER BY k.id DESC LIMIT $3 OFFSET $4`,
    [memberId, now, query.pageSize, (query.page - 1) * query.pageSize],
  );
  return {
    items: rows.map((r) => {
      const status: MyCouponStatus = r.used_at
        ? "used"
        : r.ends_at && new Date(r.ends_at) <= now
        ? "expired"
        : r.new_members_only && !r.new_member
        ? "new_only"
        : r.starts_at && new Date(r.starts_at) > now
        ? "not_started"
        : "usable";
      return {
        ...couponFields(r),
        claimedAt: new Date(r.claimed_at).toISOString(),
        usedAt: iso(r.used_at),
        orderId: r.order_id === null ? null : String(r.order_id),
        status,
      };
    }),
    total,
  };
}

/** One of a member's coupons as `GET /api/me/coupons` lists it. */
export type MyCoupon = Awaited<ReturnType<typeof myCoupons>>["items"][number];

/**
 * The filter a `GET /api/me/coupons` query asks for: `status`, else `usable=true` (the `usable` tab) or
 * `usable=false` (used, expired or not started yet), else every claim.
 */
export function myCouponsTab(query: z.infer<typeof myCouponsQuerySchema>): MyCouponTab | "unusable" | undefined {
  if (query.status) return query.status;
  if (query.usable) return query.usable === "true" ? "usable" : "unusable";
  return undefined;
}
