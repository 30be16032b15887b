/** Order lists for the console and for a member's own pages. */
import { z } from "zod";
import type { Db } from "../db/db.ts";
import {
  findOrder,
  listOrders,
  listOrdersOfUser,
  ORDER_LIST_SORTS,
  type OrderFilter,
  withOpenAddresses,
} from "../db/orders_repo.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { ORDER_STATUSES, type OrderStatus } from "../domain/orders/order_state.ts";
import { appConfig, type Locale } from "../fresh.config.ts";
import { fail } from "../lib/errors.ts";
import { says } from "../i18n/messages.ts";
import { orderByClause, type SortColumn } from "../db/list_order.ts";
import { likeStartsWith } from "../lib/text.ts";
import { orderView } from "./orders.ts";
import { REFUND_LINES_SQL, type RefundLine, refundLines } from "./refunds.ts";
import { inAxisOrder } from "../domain/catalogue/skus.ts";

/** The columns the managers' order list sorts by. */
export { ORDER_LIST_SORTS };

/** Orders for staff, newest first, filtered by status, search text and day; delivery addresses opened. */
export async function ordersForStaff(db: Db, box: CryptoBox, filter: OrderFilter) {
  const { total, rows } = await listOrders(db, filter, box);
  return { total, rows: withOpenAddresses(box, rows) };
}

/** An order as a member's order list shows it: when, its status and total, and its lines' pictures and names. */
export interface OrderCard {
  id: string;
  number: string;
  status: OrderStatus;
  total: string;
  createdAt: string;
  expiresAt: string;
  /** Units in all. */
  units: number;
  items: { productId: string; name: string; specs: Record<string, string>; quantity: number }[];
}

/** A page of the member's orders in one tab, newest first, each with its lines (for thumbnails). */
export async function myOrderCards(
  db: Db,
  userId: string,
  tab: OrderTab,
  page: number,
  pageSize: number,
): Promise<{ total: number; cards: OrderCard[] }> {
  const { total, rows } = await listOrdersOfUser(db, userId, pageSize, (page - 1) * pageSize, ORDER_TABS[tab]);
  const items = await linesOfOrders(db, rows.map((r) => String(r.id)));
  const cards = rows.map((o) => {
    const lines = items.get(String(o.id)) ?? [];
    return {
      id: String(o.id),
      number: o.number,
      status: o.status,
      total: o.total,
      createdAt: new Date(o.created_at).toISOString(),
      expiresAt: new Date(o.expires_at).toISOString(),
      units: lines.reduce((n, l) => n + l.quantity, 0),
      items: lines,
    };
  });
  return { total, cards };
}

/** The lines of some orders (product, name, specs in the product's axis order, units), by order id. */
export async function linesOfOrders(db: Db, orderIds: string[]): Promise<Map<string, OrderCard["items"]>> {
  const rows = orderIds.length
    ? await db.query<
      {
        order_id: string;
        product_id: string;
        name: string;
        specs: Record<string, string>;
        sku_axes: { name: string }[] | null;
        quantity: number;
      }
    >(
      `SELECT i.order_id, i.product_id, i.name, i.specs, p.sku_axes, i.quantity
         FROM order_items i LEFT JOIN products p ON p.id = i.product_id
        WHERE i.order_id = ANY(string_to_array($1, ',')::bigint[]) ORDER BY i.order_id, i.id`,
      [orderIds.join(",")],
    )
    : [];
  const out = new Map<string, OrderCard["items"]>();
  for (const i of rows) {
    const list = out.get(String(i.order_id)) ?? [];
    list.push({
      productId: String(i.product_id),
      name: i.name,
      specs: inAxisOrder(i.specs, i.sku_axes),
      quantity: i.quantity,
    });
    out.set(String(i.order_id), list);
  }
  return out;
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
        message: says("orders.err.unknownStatus", { unknown: unknown.join(", "), known: ORDER_STATUSES.join(", ") }),
      });
      return z.NEVER;
    }
    return [...new Set(list)] as OrderStatus[];
  }),
  page: z.coerce.number().int().min(1).max(100000).default(1),
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

/** After-sales requests waiting for review, oldest first, with the lines each concerns. */
export async function refundsToReview(db: Db, limit = 50) {
  const rows = await db.query<
    {
      id: string;
      order_id: string;
      amount: string;
      shipping_refund: string;
      reason: string;
      kind: "refund_only" | "return_refund" | "exchange";
      items: Parameters<typeof refundLines>[0];
    }
  >(
    `SELECT r.id, r.order_id, r.amount, r.shipping_refund, r.reason, r.kind, ${REFUND_LINES_SQL} AS items
       FROM refunds r WHERE r.status = 'requested' ORDER BY r.id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ ...r, items: refundLines(r.items) }));
}

/** One order for the console, its delivery address opened (404 when there is none). */
export async function orderForStaff(db: Db, box: CryptoBox, id: string) {
  const row = await findOrder(db, id);
  if (!row) throw fail.notFound("order");
  return withOpenAddresses(box, [row])[0];
}

/** Where an after-sales request stands, and its kinds. */
export const REFUND_STATUSES = ["requested", "approved", "rejected"] as const;
export const REFUND_KINDS = ["refund_only", "return_refund", "exchange"] as const;
/** The columns the after-sales list sorts by: when requested (the id's order), amount. */
export const REFUND_SORTS = ["created", "amount"] as const;
/** A sort key of the after-sales list. */
export type RefundSort = (typeof REFUND_SORTS)[number];
const REFUND_SORT_COLUMNS: Record<RefundSort, SortColumn> = {
  created: "r.id",
  amount: "(r.amount + r.shipping_refund)",
};

/** What the after-sales list shows: a status, a kind, an order number (its start), a sort and a page. */
export interface RefundQuery {
  status?: (typeof REFUND_STATUSES)[number];
  kind?: (typeof REFUND_KINDS)[number];
  q?: string;
  sort: RefundSort;
  dir: "asc" | "desc";
  limit: number;
  offset: number;
}

/** An after-sales request as the console lists it. */
export interface RefundListRow {
  id: string;
  order_id: string;
  number: string;
  buyer: string;
  kind: (typeof REFUND_KINDS)[number];
  status: (typeof REFUND_STATUSES)[number];
  reason: string;
  amount: string;
  shipping_refund: string;
  decision_note: string | null;
  created_at: Date;
  decided_at: Date | null;
  /** The lines it concerns, with specs. */
  items: RefundLine[];
}

/** A page of after-sales requests with their order and buyer, filtered, sorted and paged in SQL, and how many match. */
export async function refundList(db: Db, query: RefundQuery): Promise<{ total: number; rows: RefundListRow[] }> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (query.status) where.push(`r.status = ${param(query.status)}`);
  if (query.kind) where.push(`r.kind = ${param(query.kind)}`);
  if (query.q) where.push(`(o.number ILIKE ${param(likeStartsWith(query.q))} OR r.id::text = ${param(query.q)})`);
  const rows = await db.query<
    Omit<RefundListRow, "items"> & { items: Parameters<typeof refundLines>[0]; total: number }
  >(
    `SELECT r.id::text, r.order_id::text, o.number, u.name AS buyer, r.kind, r.status, r.reason, r.amount,
            r.shipping_refund, r.decision_note, r.created_at, r.decided_at, ${REFUND_LINES_SQL} AS items,
            count(*) OVER ()::int AS total
       FROM refunds r JOIN orders o ON o.id = r.order_id JOIN users u ON u.id = r.user_id
      ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
      ${orderByClause(REFUND_SORT_COLUMNS, query.sort, query.dir, "r.id")}
      LIMIT ${param(query.limit)} OFFSET ${param(query.offset)}`,
    params,
  );
  if (rows.length === 0 && query.offset > 0) {
    // Past the last page: how many there are, for the pager's way back.
    return { total: (await refundList(db, { ...query, limit: 1, offset: 0 })).total, rows: [] };
  }
  return {
    total: rows[0]?.total ?? 0,
    rows: rows.map(({ total: _, ...r }) => ({ ...r, items: refundLines(r.items) })),
  };
}
