import type { Db } from "../db/db.ts";
import { appendEvent } from "../db/events_repo.ts";
import type { OrderRow } from "../db/orders_repo.ts";
import type { StockRow } from "../db/stock_repo.ts";
import { MANAGERS_ROOM, userRoom } from "../realtime/rooms.ts";
import type { OrderStatus } from "../domain/orders/order_state.ts";

/** Writes an `order_status` event to the buyer's room and the managers' room. */
export async function orderStatusEvent(tx: Db, order: OrderRow, status: OrderStatus, note?: string) {
  await appendEvent(tx, {
    type: "order_status",
    rooms: [userRoom(String(order.user_id)), MANAGERS_ROOM],
    data: { orderId: String(order.id), number: order.number, status, total: order.total, ...(note ? { note } : {}) },
  });
}

/** Writes a `stock_low` event when a change took sellable stock from above to at-or-below the threshold. */
export async function stockLowEvent(tx: Db, before: number, after: StockRow) {
  const sellable = after.stock - after.reserved;
  if (before > after.low_stock_threshold && sellable <= after.low_stock_threshold) {
    await appendEvent(tx, {
      type: "stock_low",
      rooms: [MANAGERS_ROOM],
      data: { productId: String(after.id), name: after.name, stock: sellable, threshold: after.low_stock_threshold },
    });
  }
}
