import type { Db } from "./db.ts";

/** A product row as locked for a stock change. */
export interface StockRow {
  id: string;
  name: string;
  category_id: string;
  price: string;
  cost_price: string;
  stock: number;
  reserved: number;
  low_stock_threshold: number;
  on_sale: boolean;
}

/**
 * Reserves `quantity` units atomically: succeeds only while enough stock is unreserved.
 * Returns the product after the reservation, or undefined when there is not enough. The caller
 * records the movement once the order exists.
 */
export async function reserveStock(db: Db, productId: string, quantity: number, price?: string) {
  const rows = await db.query<StockRow>(
    `UPDATE products SET reserved = reserved + $2, updated_at = now()
      WHERE id = $1 AND on_sale AND (on_shelf_at IS NULL OR on_shelf_at <= now())
        AND (off_shelf_at IS NULL OR off_shelf_at > now()) AND stock - reserved >= $2
        AND ($3::numeric IS NULL OR price = $3::numeric)
      RETURNING id, name, category_id, price, cost_price, stock, reserved, low_stock_threshold, on_sale`,
    [productId, quantity, price ?? null],
  );
  return rows[0];
}

/** Products on sale and on the shelf now, by id, read without a lock (an order prices them, then reserves). */
export async function sellableProducts(db: Db, productIds: string[]): Promise<Map<string, StockRow>> {
  const rows = await db.query<StockRow>(
    `SELECT id, name, category_id, price, cost_price, stock, reserved, low_stock_threshold, on_sale FROM products
      WHERE id = ANY(string_to_array($1, ',')::bigint[]) AND on_sale AND (on_shelf_at IS NULL OR on_shelf_at <= now())
        AND (off_shelf_at IS NULL OR off_shelf_at > now())`,
    [productIds.join(",")],
  );
  return new Map(rows.map((r) => [String(r.id), r]));
}

/** Applies a stock change to on-hand and reserved units and records it. Returns the product after. */
export async function moveStock(
  db: Db,
  productId: string,
  change: { onHand: number; reserved: number },
  reason: "release" | "sell" | "refund_return" | "adjust",
  orderId: string | null,
  actorId: string | null,
): Promise<StockRow> {
  const [row] = await db.query<StockRow>(
    `UPDATE products SET stock = stock + $2, reserved = reserved + $3, updated_at = now() WHERE id = $1
      RETURNING id, name, category_id, price, cost_price, stock, reserved, low_stock_threshold, on_sale`,
    [productId, change.onHand, change.reserved],
  );
  await recordMovement(db, productId, change.onHand, change.reserved, reason, orderId, actorId);
  return row;
}

/**
 * Applies stock changes to several products in one statement, rows locked in product-id order
 * (the lock order), each change recorded as a movement. Returns the products after, by id.
 */
export async function moveStockMany(
  db: Db,
  moves: { productId: string; onHand: number; reserved: number; sold?: number }[],
  reason: "release" | "sell" | "refund_return" | "adjust",
  orderId: string | null,
  actorId: string | null,
): Promise<Map<string, StockRow>> {
  if (moves.length === 0) return new Map();
  const rows = await db.query<StockRow>(
    `WITH m AS (
       SELECT product_id, sum(on_hand)::int AS on_hand, sum(reserved)::int AS reserved, sum(sold)::int AS sold
         FROM jsonb_to_recordset($1::text::jsonb) AS x(product_id bigint, on_hand int, reserved int, sold int)
        GROUP BY product_id
     ),
     locked AS (SELECT p.id FROM products p WHERE p.id IN (SELECT product_id FROM m) ORDER BY p.id FOR UPDATE),
     moved AS (
       UPDATE products p SET stock = p.stock + m.on_hand, reserved = p.reserved + m.reserved,
              sales_count = p.sales_count + m.sold, updated_at = now()
         FROM m, locked l WHERE p.id = m.product_id AND l.id = p.id
       RETURNING p.id, p.name, p.category_id, p.price, p.cost_price, p.stock, p.reserved, p.low_stock_threshold, p.on_sale
     ),
     recorded AS (
       INSERT INTO stock_movements (product_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
       SELECT product_id, on_hand, reserved, $2, $3, $4 FROM m ORDER BY product_id
     )
     SELECT * FROM moved ORDER BY id`,
    [
      JSON.stringify(moves.map((m) => ({
        product_id: m.productId,
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

async function recordMovement(
  db: Db,
  productId: string,
  onHand: number,
  reserved: number,
  reason: string,
  orderId: string | null,
  actorId: string | null,
) {
  await db.query(
    `INSERT INTO stock_movements (product_id, on_hand_delta, reserved_delta, reason, order_id, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [productId, onHand, reserved, reason, orderId, actorId],
  );
}
