import type { Db } from "./db.ts";
import { SHOP_TIME_ZONE } from "../domain/shop_time.ts";
import { likeContains, likeEndsWith, likeStartsWith } from "../lib/text.ts";
import type { OrderActor, OrderStatus } from "../domain/orders/order_state.ts";
import type { CryptoBox } from "../lib/crypto_box.ts";
import { orderByClause, type SortColumn } from "./list_order.ts";

/** Where a payment stands. */
export type PaymentStatus = "pending" | "succeeded" | "failed" | "refunded";

/** An order row. */
export interface OrderRow {
  id: string;
  number: string;
  user_id: string;
  status: OrderStatus;
  subtotal: string;
  discount: string;
  points_used: number;
  points_discount: string;
  shipping: string;
  total: string;
  coupon_id: string | null;
  /**
   * As stored: only `{ city, phoneLast4 }` in clear (the delivery address is in `address_enc`); orders from
   * before 0018 that were not sealed yet hold the whole address here. `openOrderAddress` gives the address.
   */
  address: Record<string, string>;
  /** The delivery address sealed as JSON (`CryptoBox`); null once erased, or before it was sealed. */
  address_enc: string | null;
  referrer_id: string | null;
  idempotency_key: string;
  /** SHA-256 of the request that created the order (null for orders from before it was kept). */
  idempotency_fingerprint: string | null;
  expires_at: Date;
  carrier: string | null;
  tracking_number: string | null;
  paid_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  completed_at: Date | null;
  created_at: Date;
}

/** An order line row. */
export interface OrderItemRow {
  id: string;
  order_id: string;
  product_id: string;
  /** The SKU sold, and its specs as they were when ordered. */
  sku_id: string;
  specs: Record<string, string>;
  name: string;
  quantity: number;
  list_price: string;
  unit_price: string;
  subtotal: string;
  discount: string;
  points_discount: string;
  line_total: string;
  cost_price: string;
  promotion_id: string | null;
  /** Units and money already returned by approved refunds. */
  refunded_quantity: number;
  refunded_amount: string;
}

const ORDER_COLUMNS = `id, number, user_id, status, subtotal, discount, points_used, points_discount, shipping, total,
  coupon_id, address, address_enc, referrer_id, idempotency_key, idempotency_fingerprint, expires_at, carrier, tracking_number, paid_at, shipped_at,
  delivered_at, completed_at, created_at`;

/** A delivery address as the buyer gave it. */
export interface DeliveryAddress {
  name: string;
  phone: string;
  line1: string;
  city: string;
  postcode?: string | null;
}

/** What an order stores of its delivery address. */
export interface SealedOrderAddress {
  /** JSON of what stays in clear: the city (analytics, regions) and the phone's last 4 digits (staff search). */
  clear: string;
  sealed: string;
  phoneHash: string;
  nameHash: string;
}

/** Seals a delivery address for an order: city and the phone's last 4 digits stay in clear, the rest is encrypted. */
export function sealOrderAddress(box: CryptoBox, address: DeliveryAddress): SealedOrderAddress {
  const digits = address.phone.replace(/\D/g, "");
  return {
    clear: JSON.stringify({ city: address.city, phoneLast4: digits.slice(-4) }),
    sealed: box.sealJson(address),
    phoneHash: box.lookupHash("phone", address.phone),
    nameHash: box.lookupHash("name", address.name),
  };
}

/**
 * An order's delivery address in full: opened from `address_enc`, or the clear address of an order from
 * before it was sealed, or (erased member) only the city.
 */
export function openOrderAddress(
  box: CryptoBox,
  row: { address: Record<string, string>; address_enc: string | null },
): Record<string, string> {
  if (!row.address_enc) {
    const { phoneLast4: _, ...rest } = row.address ?? {};
    return rest;
  }
  const opened = box.openJson<Record<string, string | null>>(row.address_enc);
  const address: Record<string, string> = {};
  for (const [k, v] of Object.entries(opened)) if (typeof v === "string") address[k] = v;
  return address;
}

/** Replaces an order's delivery address (sealed, with its clear part and look-up hashes). */
export async function setOrderAddress(db: Db, box: CryptoBox, orderId: string, address: DeliveryAddress) {
  const sealed = sealOrderAddress(box, address);
  await db.query(
    "UPDATE orders SET address = $2::text::jsonb, address_enc = $3, phone_hash = $4, name_hash = $5 WHERE id = $1",
    [orderId, sealed.clear, sealed.sealed, sealed.phoneHash, sealed.nameHash],
  );
}

/** Rows with their delivery address opened in `address`. */
export function withOpenAddresses<T extends { address: Record<string, string>; address_enc: string | null }>(
  box: CryptoBox,
  rows: T[],
): T[] {
  return rows.map((r) => ({ ...r, address: openOrderAddress(box, r) }));
}

/** One order; `forUpdate` locks it for the rest of the transaction. */
export async function findOrder(db: Db, id: string, forUpdate = false): Promise<OrderRow | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  const rows = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = $1 ${forUpdate ? "FOR UPDATE" : ""}`,
    [id],
  );
  return rows[0];
}

/** The order a member created with an idempotency key. */
export async function findOrderByKey(db: Db, userId: string, key: string): Promise<OrderRow | undefined> {
  const rows = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE user_id = $1 AND idempotency_key = $2`,
    [userId, key],
  );
  return rows[0];
}

/** An order's lines with what approved refunds (not exchanges: they return no money) already returned. */
export async function orderItems(db: Db, orderId: string): Promise<OrderItemRow[]> {
  return await db.query<OrderItemRow>(
    `SELECT i.id, i.order_id, i.product_id, i.sku_id, i.specs, i.name, i.quantity, i.list_price, i.unit_price, i.subtotal, i.discount,
            i.points_discount, i.line_total, i.cost_price, i.promotion_id,
            coalesce(sum(ri.quantity) FILTER (WHERE r.status = 'approved' AND r.kind <> 'exchange'), 0)::int
              AS refunded_quantity,
            coalesce(sum(ri.amount) FILTER (WHERE r.status = 'approved' AND r.kind <> 'exchange'), 0)::numeric(20,2)::text
              AS refunded_amount
       FROM order_items i
       LEFT JOIN refund_items ri ON ri.order_item_id = i.id
       LEFT JOIN refunds r ON r.id = ri.refund_id
      WHERE i.order_id = $1
      GROUP BY i.id ORDER BY i.id`,
    [orderId],
  );
}

/** An order's status history, oldest first. */
export async function orderTimeline(db: Db, orderId: string) {
  return await db.query<{ status: OrderStatus; at: Date; actor: OrderActor; note: string | null }>(
    "SELECT to_status AS status, at, actor, note FROM order_transitions WHERE order_id = $1 ORDER BY id",
    [orderId],
  );
}

/**
 * An order's lines, timeline and latest payment in one round trip (what the order view shows),
 * with the same shapes as `orderItems` and `orderTimeline`.
 */
export async function orderDetails(db: Db, orderId: string): Promise<{
  /** With the SKU's code (null if the SKU is gone) and the product's axes, to show the specs in their order. */
  items: (OrderItemRow & { sku_code: string | null; sku_axes: { name: string }[] | null })[];
  timeline: { status: OrderStatus; at: string; actor: OrderActor; note: string | null }[];
  payment: { id: string; status: PaymentStatus; amount: string } | null;
}> {
  const [row] = await db.query<{
    items: (OrderItemRow & { sku_code: string | null; sku_axes: { name: string }[] | null })[] | null;
    timeline: { status: OrderStatus; at: string; actor: OrderActor; note: string | null }[] | null;
    payment: { id: string; status: PaymentStatus; amount: string } | null;
  }>(
    `SELECT
       (SELECT jsonb_agg(jsonb_build_object(
                 'id', i.id::text, 'order_id', i.order_id::text, 'product_id', i.product_id::text, 'sku_id', i.sku_id::text, 'specs', i.specs, 'name', i.name,
                 'quantity', i.quantity, 'list_price', i.list_price::text, 'unit_price', i.unit_price::text,
                 'subtotal', i.subtotal::text, 'discount', i.discount::text, 'points_discount', i.points_discount::text,
                 'line_total', i.line_total::text, 'cost_price', i.cost_price::text, 'promotion_id', i.promotion_id::text,
                 'refunded_quantity', coalesce(r.quantity, 0), 'refunded_amount', coalesce(r.amount, 0)::numeric(20,2)::text,
                 'sku_code', s.code, 'sku_axes', p.sku_axes)
               ORDER BY i.id)
          FROM order_items i
          LEFT JOIN product_skus s ON s.id = i.sku_id
          LEFT JOIN products p ON p.id = i.product_id
          LEFT JOIN LATERAL (
            SELECT sum(ri.quantity)::int AS quantity, sum(ri.amount) AS amount FROM refund_items ri
              JOIN refunds rf ON rf.id = ri.refund_id
             WHERE ri.order_item_id = i.id AND rf.status = 'approved' AND rf.kind <> 'exchange') r ON true
         WHERE i.order_id = $1) AS items,
       (SELECT jsonb_agg(jsonb_build_object('status', t.to_status, 'at', t.at, 'actor', t.actor, 'note', t.note)
                         ORDER BY t.id)
          FROM order_transitions t WHERE t.order_id = $1) AS timeline,
       (SELECT jsonb_build_object('id', p.id, 'status', p.status, 'amount', p.amount::text)
          FROM payments p WHERE p.order_id = $1 ORDER BY p.created_at DESC LIMIT 1) AS payment`,
    [orderId],
  );
  return { items: row.items ?? [], timeline: row.timeline ?? [], payment: row.payment };
}

/** Records a status change (append-only) and sets the order's status. */
export async function transitionOrder(
  db: Db,
  order: { id: string; status: OrderStatus | null },
  to: OrderStatus,
  by: { actor: OrderActor; actorId?: string | null; note?: string | null },
  extra: Record<string, unknown> = {},
): Promise<void> {
  const sets = ["status = $2"];
  const params: unknown[] = [order.id, to];
  for (const [column, value] of Object.entries(extra)) {
    if (!/^[a-z_]+$/.test(column)) throw new Error(`Cannot set column ${column}`);
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  const n = params.length;
  params.push(order.status, by.actor, by.actorId ?? null, by.note ?? null);
  // One round trip: the status change and its timeline entry.
  await db.query(
    `WITH moved AS (UPDATE orders SET ${sets.join(", ")} WHERE id = $1 RETURNING id)
     INSERT INTO order_transitions (order_id, from_status, to_status, actor, actor_id, note)
     SELECT $1, $${n + 1}, $2, $${n + 2}, $${n + 3}, $${n + 4} FROM (SELECT 1) AS one
      WHERE $${n + 1}::text IS NULL OR EXISTS (SELECT 1 FROM moved)`,
    params,
  );
}

/** A member's orders, newest first. */
export async function listOrdersOfUser(
  db: Db,
  userId: string,
  limit: number,
  offset: number,
  statuses: readonly string[] = [],
) {
  const where = statuses.length
    ? "user_id = $1 AND status = ANY(string_to_array($2, ','))"
    : "user_id = $1 AND $2 = ''";
  const [{ total }] = await db.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM orders WHERE ${where}`,
    [userId, statuses.join(",")],
  );
  const rows = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders WHERE ${where} ORDER BY id DESC LIMIT $3 OFFSET $4`,
    [userId, statuses.join(","), limit, offset],
  );
  return { total, rows };
}

/** The columns the managers' order list sorts by: placed (the id's order), total, paid (unpaid last). */
export const ORDER_LIST_SORTS = ["created", "total", "paid"] as const;
/** A sort key of the managers' order list. */
export type OrderListSort = (typeof ORDER_LIST_SORTS)[number];
const ORDER_SORT_COLUMNS: Record<OrderListSort, SortColumn> = {
  created: "id",
  total: "total",
  paid: { sql: "paid_at", nullable: true },
};

/** What the managers' order list filters by. */
export interface OrderFilter {
  status?: string;
  /**
   * An order number (its start), the recipient's name (whole) or phone (whole, or its last digits up to 4).
   * Names and phones are sealed at rest, so they match through their keyed hashes (`box`).
   */
  q?: string;
  /** Placed on or after this day / on or before this day (YYYY-MM-DD, in `timeZone`). */
  from?: string;
  to?: string;
  timeZone?: string;
  /** The column to sort by and its direction (newest first when not given). */
  sort?: OrderListSort;
  dir?: "asc" | "desc";
  limit: number;
  offset: number;
}

/**
 * Orders for managers, newest first or by an allow-listed column, filtered by status, search text and the
 * day they were placed.
 */
export async function listOrders(db: Db, filter: OrderFilter, box?: CryptoBox) {
  const params: unknown[] = [];
  const where: string[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (filter.status) where.push(`status = ${param(filter.status)}`);
  if (filter.q) {
    const prefix = param(likeStartsWith(filter.q));
    const anywhere = param(likeContains(filter.q));
    const suffix = param(likeEndsWith(filter.q));
    const sealed = box
      ? ` OR name_hash = ANY(${param(box.lookupHashes("name", filter.q))}::text[])` +
        (/^\+?[\d\s-]{6,}$/.test(filter.q)
          ? ` OR phone_hash = ANY(${param(box.lookupHashes("phone", filter.q))}::text[])`
          : "")
      : "";
    // address->>'name' / 'phone': orders from before 0018 not sealed yet.
    where.push(
      `(number ILIKE ${prefix} OR address->>'phoneLast4' LIKE ${suffix} OR address->>'name' ILIKE ${anywhere}
        OR address->>'phone' LIKE ${suffix}${sealed})`,
    );
  }
  const tz = filter.from || filter.to ? param(filter.timeZone ?? SHOP_TIME_ZONE) : "";
  if (filter.from) where.push(`created_at >= (${param(filter.from)}::date::timestamp AT TIME ZONE ${tz})`);
  if (filter.to) where.push(`created_at < ((${param(filter.to)}::date + 1)::timestamp AT TIME ZONE ${tz})`);
  const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const [{ total }] = await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM orders ${clause}`, params);
  const rows = await db.query<OrderRow>(
    `SELECT ${ORDER_COLUMNS} FROM orders ${clause}
      ${orderByClause(ORDER_SORT_COLUMNS, filter.sort ?? "created", filter.dir ?? "desc", "id")}
      LIMIT ${param(filter.limit)} OFFSET ${param(filter.offset)}`,
    params,
  );
  return { total, rows };
}

/** Ids of orders whose `column` timestamp is older than `interval`, in `status`, locked and skipping locked ones. */
export async function dueOrders(
  db: Db,
  status: OrderStatus,
  condition: string,
  params: unknown[],
  limit = 50,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM orders WHERE status = $1 AND ${condition} ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`,
    [status, ...params],
  );
  return rows.map((r) => String(r.id));
}
