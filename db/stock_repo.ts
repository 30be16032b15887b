import type { Db } from "./db.ts";

/**
 * A SKU as an order or a stock change sees it, with its product's name, category and shelf state.
 * `id` is the SKU's id; `product_sellable` is the product's sellable units (all its live SKUs).
 */
export interface StockRow {
  id: string;
  product_id: string;
  name: string;
  specs: Record<string, string>;
  category_id: string;
  price: string;
  cost_price: string;
  stock: number;
  reserved: number;
  low_stock_threshold: number;
  on_sale: boolean;
  /** The product's sellable units over all its live SKUs (this SKU as it is in the row). */
  product_sellable: number;
  /** The product's low-stock threshold. */
  product_threshold: number;
  /** How many live SKUs the product has. */
  sku_count: number;
}

/** Columns of `StockRow` from `s` (product_skus) joined with `p` (products). */
const STOCK_COLUMNS = `s.id, s.product_id, p.name, s.specs, p.category_id, s.price, s.cost_price, s.stock, s.reserved,
  s.low_stock_threshold, p.on_sale, p.low_stock_threshold AS product_threshold`;

const ON_SHELF =
  "p.on_sale AND (p.on_shelf_at IS NULL OR p.on_shelf_at <= now()) AND (p.off_shelf_at IS NULL OR p.off_shelf_at > now())";

/**
 * Every live SKU of the given products that are on sale and on the shelf now, read without a lock (an
 * order resolves its lines, prices them, then reserves), grouped by product id in SKU order.
 */
export async function sellableSkusOf(db: Db, productIds: string[]): Promise<Map<string, StockRow[]>> {
  const rows = await db.query<StockRow>(
    `SELECT ${STOCK_COLUMNS},
            (SELECT coalesce(sum(o.stock - o.reserved), 0)::int FROM product_skus o
              WHERE o.product_id = s.product_id AND o.archived_at IS NULL) AS product_sellable,
            (SELECT count(*)::int FROM product_skus o WHERE o.product_id = s.product_id AND o.archived_at IS NULL)
              AS sku_count
       FROM product_skus s JOIN products p ON p.id = s.product_id
      WHERE s.product_id = ANY(string_to_array($1, ',')::bigint[]) AND s.archived_at IS NULL AND ${ON_SHELF}
      ORDER BY s.product_id, s.sort, s.id`,
    [productIds.join(",")],
  );
  const out = new Map<string, StockRow[]>();
  for (const r of rows) {
    const key = String(r.product_id);
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}

/**
 * Locks several SKU rows in id order by a statement of their own, before the statement that updates
 * them: a lock taken in a CTE of the updating statement itself deadlocks under READ COMMITTED when the
 * row is updated in between (the UPDATE then queues on the version its snapshot saw while the next
 * waiter holds that version's tuple lock and waits for us). One SKU needs no separate lock: the UPDATE
 * takes it, re-checking its conditions on the newest version.
 */
async function lockSkus(db: Db, skuIds: string[]): Promise<void> {
  const distinct = [...new Set(skuIds)];
  if (distinct.length < 2) return;
  await db.query(
    "SELECT 1 FROM product_skus WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE",
    [distinct],
  );
}

/** One SKU reservation of an order: units at the price the order was priced at. */
export interface Reservation {
  skuId: string;
  quantity: number;
  price: string;
}

/**
 * Reserves units of several SKUs by one statement after `lockSkus` (SKU rows in id order, then their products,
 * by the sum trigger: LOCK_ORDER.md). A SKU is reserved only while it is live, its product is on the
 * shelf, enough units are unreserved and its price is still the one priced. Returns the SKUs that were
 * reserved, after the reservation, by SKU id; a missing one failed (the caller rolls back).
 */
export async function reserveSkus(db: Db, reservations: Reservation[]): Promise<Map<string, StockRow>> {
  if (reservations.length === 0) return new Map();
  await lockSkus(db, reservations.map((r) => r.skuId));
  const rows = await db.query<StockRow>(
    `WITH m AS (
       SELECT sku_id, sum(quantity)::int AS quantity, min(price) AS price
         FROM jsonb_to_recordset($1::text::jsonb) AS x(sku_id bigint, quantity int, price numeric) GROUP BY sku_id
     ),
     moved AS (
       UPDATE product_skus s SET reserved = s.reserved + m.quantity, updated_at = now()
         FROM m, products p
        WHERE s.id = m.sku_id AND p.id = s.product_id AND s.archived_at IS NULL AND ${ON_SHELF}
          AND s.stock - s.reserved >= m.quantity AND s.price = m.price
       RETURNING s.id, s.product_id, s.stock, s.reserved, m.quantity
     )
     SELECT ${STOCK_COLUMNS.replace("s.stock, s.reserved", "mv.stock, mv.reserved")},
            (SELECT coalesce(sum(o.stock - o.reserved), 0)::int FROM product_skus o
              WHERE o.product_id = s.product_id AND o.archived_at IS NULL AND o.id <> s.id)
              + mv.stock - mv.reserved AS product_sellable,
            0 AS sku_count
       FROM moved mv JOIN product_skus s ON s.id = mv.id JOIN products p ON p.id = s.product_id ORDER BY s.id`,
    [JSON.stringify(reservations.map((r) => ({ sku_id: r.skuId, quantity: r.quantity, price: r.price })))],
  );
  return new Map(rows.map((r) => [String(r.id), r]));
}

/** One SKU's stock change: on-hand and reserved units, and units sold. */
export interface SkuMove {
  skuId: string;
  onHand: number;
  reserved: number;
  sold?: number;
}

/**
 * Applies stock changes to several SKUs by one statement after `lockSkus` (SKU rows in id order, then their
 * products, by the sum trigger), each change recorded as a movement with the SKU and its product.
 * Returns the SKUs after, by SKU id.
 */
export async function moveStockMany(
  db: Db,
  moves: SkuMove[],
  reason: "release" | "sell" | "refund_return" | "adjust",
  orderId: string | null,
  actorId: string | null,
): Promise<Map<string, StockRow>> {
  if (moves.length === 0) return new Map();
  await lockSkus(db, moves.map((m) => m.skuId));
  const rows = await db.query<StockRow>(
    `WITH m AS (
       SELECT sku_id, sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved, sum(sold)::int AS sold
         FROM jsonb_to_recordset($1::text::jsonb) AS x(sku_id bigint, on_hand int, reserved int, sold int)
        GROUP BY sku_id
     ),
     moved AS (
       UPDATE product_skus s SET stock = s.stock + m.on_hand, reserved = s.reserved + m.reserved,
              sales_count = s.sales_count + m.sold, updated_at = now()
         FROM m WHERE s.id = m.sku_id
       RETURNING s.id, s.product_id, s.stock, s.reserved
     ),
     recorded AS (
       INSERT INTO stock_movements (product_id, sku_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
       SELECT mv.product_id, mv.id, m.on_hand, m.reserved, $2, $3, $4 FROM m JOIN moved mv ON mv.id = m.sku_id
        ORDER BY mv.id
     )
     SELECT ${STOCK_COLUMNS.replace("s.stock, s.reserved", "mv.stock, mv.reserved")},
            (SELECT coalesce(sum(o.stock - o.reserved), 0)::int FROM product_skus o
              WHERE o.product_id = s.product_id AND o.archived_at IS NULL AND o.id <> s.id)
              + mv.stock - mv.reserved AS product_sellable,
            0 AS sku_count
       FROM moved mv JOIN product_skus s ON s.id = mv.id JOIN products p ON p.id = s.product_id ORDER BY s.id`,
    [
      JSON.stringify(moves.map((m) => ({
        sku_id: m.skuId,
        on_hand: m.onHand,
        reserved: m.reserved,
        sold: m.sold ?? 0,
      }))),
      reason,
      orderId,
      actorId,
    ],
  );
  return new Map(rows.map((r) => [String(r.id), r]));
}

/** One SKU's stock as a diagnosis reads it (why a reservation failed). */
export async function skuNow(
  db: Db,
  skuId: string,
): Promise<{ name: string; price: string; sellable: number; on_sale: boolean; live: boolean } | undefined> {
  const [row] = await db.query<{ name: string; price: string; sellable: number; on_sale: boolean; live: boolean }>(
    `SELECT p.name, s.price, s.stock - s.reserved AS sellable, (${ON_SHELF}) AS on_sale, s.archived_at IS NULL AS live
       FROM product_skus s JOIN products p ON p.id = s.product_id WHERE s.id = $1`,
    [skuId],
  );
  return row;
}
