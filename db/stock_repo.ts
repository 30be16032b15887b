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
export async function reserveStock(db: Db, productId: string, quantity: number) {
  const rows = await db.query<StockRow>(
    `UPDATE products SET reserved = reserved + $2, updated_at = now()
      WHERE id = $1 AND on_sale AND (on_shelf_at IS NULL OR on_shelf_at <= now())
        AND (off_shelf_at IS NULL OR off_shelf_at > now()) AND stock - reserved >= $2
      RETURNING id, name, category_id, price, cost_price, stock, reserved, low_stock_threshold, on_sale`,
    [productId, quantity],
  );
  return rows[0];
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
