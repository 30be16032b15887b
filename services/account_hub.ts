/**
 * 我的 (the member's hub): their orders counted by the tabs a shopper acts on, coupons, points, addresses,
 * and whether the distribution centre or the distributor application is theirs.
 */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { isEligible } from "../domain/commission/eligibility.ts";
import { currentPlan } from "./distribution.ts";
import { memberBalance, memberById, pointsHistoryOf } from "./members.ts";
import { listAddresses } from "./address_book.ts";
import { myCoupons } from "./coupons.ts";
import { latestApplication } from "./programme.ts";

/** The order tabs the hub counts, and the statuses each counts (售后: requests still under review). */
export const HUB_ORDER_TABS = {
  pending_payment: ["pending_payment"],
  to_ship: ["paid"],
  to_receive: ["shipped"],
  after_sales: ["refund_requested"],
} as const;

/** A tab the hub counts. */
export type HubOrderTab = keyof typeof HUB_ORDER_TABS;

/** How many of the member's orders are in each hub tab. */
export async function orderCounts(db: Db, userId: string): Promise<Record<HubOrderTab, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM orders
      WHERE user_id = $1 AND status IN ('pending_payment', 'paid', 'shipped', 'refund_requested')
      GROUP BY status`,
    [userId],
  );
  const of = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
  return {
    pending_payment: of("pending_payment"),
    to_ship: of("paid"),
    to_receive: of("shipped"),
    after_sales: of("refund_requested"),
  };
}

/** Everything 我的 shows for a member. */
export async function accountHub(db: Db, box: CryptoBox, user: UserRow, now: Date) {
  const userId = String(user.id);
  const balance = await memberBalance(db, userId);
  const counts = await orderCounts(db, userId);
  const coupons = await myCoupons(db, userId, now, { tab: "usable", page: 1, pageSize: 1 });
  const addresses = await listAddresses(db, box, userId);
  const plan = await currentPlan(db);
  const distributor = user.role === "distributor" ||
    isEligible(plan, { role: user.role, total_spent: balance.total_spent });
  const application = distributor ? null : await latestApplication(db, userId);
  const upline = user.upline_id ? await memberById(db, String(user.upline_id)) : undefined;
  const history = await pointsHistoryOf(db, userId, 20);
  return {
    counts,
    points: balance.points_balance,
    spent: balance.total_spent,
    coupons: coupons.total,
    addresses: addresses.length,
    /** The default address (listed first), if any. */
    defaultAddress: addresses[0] ?? null,
    /** Whether the member earns under the plan (a distributor, or eligible without applying). */
    distributor,
    /** The member's latest distributor application, when they are not a distributor. */
    application,
    uplineName: upline?.name ?? null,
    history,
  };
}

/** What 我的 shows. */
export type AccountHub = Awaited<ReturnType<typeof accountHub>>;
