/** Order lists for the console and for a member's own pages. */
import type { Db } from "../db/db.ts";
import { findOrder, listOrders, listOrdersOfUser, type OrderFilter, withOpenAddresses } from "../db/orders_repo.ts";
import { fail } from "../lib/errors.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";

/** Orders for staff, newest first, filtered by status, search text and day; delivery addresses opened. */
export async function ordersForStaff(db: Db, box: CryptoBox, filter: OrderFilter) {
  const { total, rows } = await listOrders(db, filter, box);
  return { total, rows: withOpenAddresses(box, rows) };
}

/** A member's own orders, newest first. */
export function ordersOfMember(db: Db, userId: string, limit: number, offset: number) {
  return listOrdersOfUser(db, userId, limit, offset);
}

/** After-sales requests waiting for review, oldest first. */
export function refundsToReview(db: Db, limit = 50) {
  return db.query<
    { id: string; order_id: string; amount: string; shipping_refund: string; reason: string; kind: string }
  >(
    "SELECT id, order_id, amount, shipping_refund, reason, kind FROM refunds WHERE status = 'requested' ORDER BY id LIMIT $1",
    [limit],
  );
}

/** One order for the console, its delivery address opened (404 when there is none). */
export async function orderForStaff(db: Db, box: CryptoBox, id: string) {
  const row = await findOrder(db, id);
  if (!row) throw fail.notFound("Order");
  return withOpenAddresses(box, [row])[0];
}
