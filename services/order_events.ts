import type { Db } from "../db/db.ts";
import { appendEvent } from "../db/events_repo.ts";
import type { OrderRow } from "../db/orders_repo.ts";
import type { StockRow } from "../db/stock_repo.ts";
import { MANAGERS_ROOM, userRoom } from "../realtime/rooms.ts";
import type { OrderStatus } from "../domain/orders/order_state.ts";
import { renderStoredAll } from "../i18n/messages.ts";
import { stockShownChanged } from "./catalogue_events.ts";

/** Writes an `order_status` event to the buyer's room and the managers' room. */
export async function orderStatusEvent(tx: Db, order: OrderRow, status: OrderStatus, note?: string) {
  await appendEvent(tx, "order_status", {
    orderId: String(order.id),
    number: order.number,
    status,
    total: order.total,
    // The note in each reader's language too (a stored catalogue message renders per locale).
    ...(note ? { note, notes: renderStoredAll(note) } : {}),
  }, [userRoom(String(order.user_id)), MANAGERS_ROOM]);
}

/**
 * Writes a managers' event when a stock change crossed the low-stock threshold: `stock_low` when
 * sellable stock fell from above it to at-or-below, `stock_ok` when it rose back above (a restock,
 * a released reservation, a return), so live alerts appear and clear on their own. When the stock state
 * the shop pages show changed (sold out, "only N left"), also `catalogue_changed` for their kept copies.
 */
export async function stockLevelEvent(tx: Db, before: number, after: StockRow) {
  const sellable = after.stock - after.reserved;
  const threshold = after.low_stock_threshold;
  await stockShownChanged(tx, String(after.id), before, sellable, threshold);
  const data = { productId: String(after.id), name: after.name, stock: sellable, threshold };
  if (before > threshold && sellable <= threshold) {
    await appendEvent(tx, "stock_low", data, [MANAGERS_ROOM]);
  } else if (before <= threshold && sellable > threshold) {
    await appendEvent(tx, "stock_ok", data, [MANAGERS_ROOM]);
  }
}

/** Sellable units before a movement of `change`, from the product as it is after it. */
export function sellableBefore(after: StockRow, change: { onHand: number; reserved: number }): number {
  return after.stock - after.reserved - (change.onHand - change.reserved);
}
