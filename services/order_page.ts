/** The order page of a buyer (or a manager): the order with its delivery address, shipping and after-sales. */
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import type { Locale } from "../fresh.config.ts";
import { orderForViewer, orderView } from "./orders.ts";
import { refundsOfOrder, refundView } from "./refunds.ts";
import { maskOrderFor } from "./members_admin.ts";
import { money, toMoneyString } from "../domain/money.ts";

/**
 * An order as its page shows it (404 for anyone but its buyer and managers): its view with the delivery
 * address opened (in full for the buyer; the phone masked for staff who may not read personal data), when
 * it shipped, its after-sales requests, and whether the viewer is the buyer.
 */
export async function orderPageData(db: Db, box: CryptoBox, orderId: string, viewer: UserRow, locale: Locale) {
  const row = await orderForViewer(db, orderId, viewer, box);
  const buyerId = String(row.user_id);
  const view = await orderView(db, row, locale);
  // Each line's amount before the order's coupon and points (unit price × quantity, exact).
  const items = view.items.map((i) => ({ ...i, subtotal: toMoneyString(money(i.unitPrice).times(i.quantity)) }));
  const order = maskOrderFor(viewer, { ...view, items }, buyerId);
  const refunds = await Promise.all((await refundsOfOrder(db, String(row.id))).map((r) => refundView(db, r)));
  return {
    order,
    refunds,
    mine: buyerId === String(viewer.id),
    shippedAt: row.shipped_at ? new Date(row.shipped_at).toISOString() : null,
  };
}

/** The order page's data. */
export type OrderPageData = Awaited<ReturnType<typeof orderPageData>>;
