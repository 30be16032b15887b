import type { Db } from "../db/db.ts";
import { appendEvent } from "../db/events_repo.ts";
import type { OrderRow } from "../db/orders_repo.ts";
import type { StockRow } from "../db/stock_repo.ts";
import { MANAGERS_ROOM, userRoom } from "../realtime/rooms.ts";
import type { OrderStatus } from "../domain/orders/order_state.ts";
import { renderStoredAll } from "../i18n/messages.ts";
import { catalogueChanged, stockShownChanged } from "./catalogue_events.ts";
import { stockShown } from "../domain/stock_shown.ts";

/** What a shipment's `order_status` event carries besides the status: the carrier, tracking number and time. */
export interface ShipmentFacts {
  carrier: string;
  trackingNumber: string;
  /** ISO instant. */
  shippedAt: string;
}

/**
 * Writes an `order_status` event to the buyer's room and the managers' room; `shipment` when the order
 * was just shipped, so the buyer's page shows the carrier and tracking number live.
 */
export async function orderStatusEvent(
  tx: Db,
  order: OrderRow,
  status: OrderStatus,
  note?: string,
  shipment?: ShipmentFacts,
) {
  await appendEvent(tx, "order_status", {
    orderId: String(order.id),
    number: order.number,
    status,
    total: order.total,
    // The note in each reader's language too (a stored catalogue message renders per locale).
    ...(note ? { note, notes: renderStoredAll(note) } : {}),
    ...shipment,
  }, [userRoom(String(order.user_id)), MANAGERS_ROOM]);
}

/** The shipment facts of an order move's column changes (`carrier`, `tracking_number`, `shipped_at`), if any. */
export function shipmentFacts(to: OrderStatus, extra: Record<string, unknown>): ShipmentFacts | undefined {
  const { carrier, tracking_number: trackingNumber, shipped_at: at } = extra;
  if (to !== "shipped" || typeof carrier !== "string" || typeof trackingNumber !== "string") return undefined;
  if (!(at instanceof Date)) return undefined;
  return { carrier, trackingNumber, shippedAt: at.toISOString() };
}

/**
 * Writes a managers' event when a stock change of a SKU crossed its low-stock threshold: `stock_low` when
 * sellable units fell from above it to at-or-below, `stock_ok` when they rose back above (a restock, a
 * released reservation, a return), so live alerts appear and clear on their own; the event names the
 * product and the SKU (`skuId`, `specs`). When the stock state the shop pages show changed (sold out,
 * "only N left", of the SKU or of the whole product), also `catalogue_changed` for their kept copies.
 */
export async function stockLevelEvent(tx: Db, change: { onHand: number; reserved: number }, after: StockRow) {
  const delta = change.onHand - change.reserved;
  const sellable = after.stock - after.reserved;
  const before = sellable - delta;
  const threshold = after.low_stock_threshold;
  const productId = String(after.product_id);
  if (stockShown(before, threshold) !== stockShown(sellable, threshold)) {
    await catalogueChanged(tx, [productId]);
  } else {
    await stockShownChanged(
      tx,
      productId,
      after.product_sellable - delta,
      after.product_sellable,
      after.product_threshold,
    );
  }
  const values = Object.values(after.specs ?? {});
  const data = {
    productId,
    skuId: String(after.id),
    name: values.length ? `${after.name} ${values.join("/")}` : after.name,
    specs: after.specs ?? {},
    stock: sellable,
    threshold,
  };
  if (before > threshold && sellable <= threshold) {
    await appendEvent(tx, "stock_low", data, [MANAGERS_ROOM]);
  } else if (before <= threshold && sellable > threshold) {
    await appendEvent(tx, "stock_ok", data, [MANAGERS_ROOM]);
  }
}

/** Stock changes of one SKU added together (one change per SKU, in first-seen order). */
export function mergeMoves<T extends { skuId: string; onHand: number; reserved: number }>(moves: T[]): T[] {
  const out = new Map<string, T>();
  for (const m of moves) {
    const seen = out.get(m.skuId);
    out.set(m.skuId, seen ? { ...seen, onHand: seen.onHand + m.onHand, reserved: seen.reserved + m.reserved } : m);
  }
  return [...out.values()];
}
