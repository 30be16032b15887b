/** Order lists for the console and for a member's own pages. */
import { z } from "zod";
import type { Db } from "../db/db.ts";
import { findOrder, listOrders, listOrdersOfUser, type OrderFilter, withOpenAddresses } from "../db/orders_repo.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { ORDER_STATUSES, type OrderStatus } from "../domain/orders/order_state.ts";
import { appConfig, type Locale } from "../fresh.config.ts";
import { fail } from "../lib/errors.ts";
import { orderView } from "./orders.ts";

/** Orders for staff, newest first, filtered by status, search text and day; delivery addresses opened. */
export async function ordersForStaff(db: Db, box: CryptoBox, filter: OrderFilter) {
  const { total, rows } = await listOrders(db, filter, box);
  return { total, rows: withOpenAddresses(box, rows) };
}

/** A member's own orders, newest first, of some statuses (none: all). */
export function ordersOfMember(
  db: Db,
  userId: string,
  limit: number,
  offset: number,
  statuses: readonly OrderStatus[] = [],
) {
  return listOrdersOfUser(db, userId, limit, offset, statuses);
}

/** The tabs of a member's order list (全部/待付款/待发货/待收货/已完成/售后) and the statuses of each. */
export const ORDER_TABS = {
  all: [],
  pending_payment: ["pending_payment"],
  to_ship: ["paid"],
  to_receive: ["shipped"],
  done: ["delivered", "completed"],
  after_sales: ["refund_requested", "partially_refunded", "refunded"],
} as const satisfies Record<string, readonly OrderStatus[]>;

/** A tab of the member's order list. */
export type OrderTab = keyof typeof ORDER_TABS;

/** The query of `GET /api/orders`: `status` is one status or a comma list of them. */
export const myOrdersQuerySchema = z.object({
  status: z.string().trim().max(300).optional().transform((v, ctx) => {
    const list = (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = list.filter((s) => !(ORDER_STATUSES as readonly string[]).includes(s));
    if (unknown.length) {
      ctx.addIssue({
        code: "custom",
        message: `Unknown status ${unknown.join(", ")}; use any of ${ORDER_STATUSES.join(", ")}`,
      });
      return z.NEVER;
    }
    return [...new Set(list)] as OrderStatus[];
  }),
  page: z.coerce.number().int().min(1, "page starts at 1").max(100000).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize, "pageSize is at most 100")
    .default(appConfig.pagination.defaultPageSize),
});

/**
 * `GET /api/orders`: the caller's orders (full `order` views), newest first, `{ items, total }`; with `box`
 * their delivery addresses are opened (the caller's own).
 */
export async function myOrdersForApi(
  db: Db,
  userId: string,
  query: z.infer<typeof myOrdersQuerySchema>,
  locale: Locale,
  box?: CryptoBox,
) {
  const { total, rows } = await listOrdersOfUser(
    db,
    userId,
    query.pageSize,
    (query.page - 1) * query.pageSize,
    query.status ?? [],
  );
  const items = [];
  for (const row of box ? withOpenAddresses(box, rows) : rows) items.push(await orderView(db, row, locale));
  return { items, total, page: query.page, pageSize: query.pageSize };
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
