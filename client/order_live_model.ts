import type { LiveEvent } from "./live.ts";

/** An after-sales request as the order page lists it. */
export interface RefundItem {
  id: string;
  kind: string;
  status: string;
  amount: string;
  reason: string;
  decisionNote: string | null;
  /** The lines it concerns and how many units of each (order item ids). */
  items: { orderItemId: string; quantity: number }[];
  /** Those lines as text, with their specs ("便携羽绒服（颜色：黑色；尺码：L）×1"). */
  lines: string;
}

/** An order's shipment: carrier, tracking number and when it shipped (ISO; null when unknown). */
export interface Shipment {
  carrier: string;
  trackingNumber: string;
  shippedAt: string | null;
}

/**
 * What the order page keeps live: the order's status, its timeline, its after-sales requests, its
 * shipment (null until shipped), its payment's status (null when none was started) and the units refunded
 * of each line (by order item id).
 */
export interface OrderLiveState {
  status: string;
  timeline: { status: string; at: string; note: string | null }[];
  refunds: RefundItem[];
  shipment: Shipment | null;
  payment: string | null;
  refunded: Record<string, number>;
}

/**
 * Applies one live event to the order page (events of other orders change nothing): an `order_status`
 * moves the status and adds the step (its note in the page's language), marks the payment succeeded when
 * the order is paid and, when it carries a carrier and tracking number (a shipment), sets the shipment; a
 * refund's approval or rejection updates that request, and an approved refund (not an exchange) adds its
 * units to the lines' refunded units.
 * Pure; returns the same object when nothing changed.
 */
export function applyOrderLiveEvent(
  state: OrderLiveState,
  orderId: string,
  e: LiveEvent,
  lang: string,
): OrderLiveState {
  if (e.type === "order_status" && e.data.orderId === orderId) {
    const { carrier, trackingNumber, shippedAt } = e.data;
    const note = e.data.notes?.[lang] ?? (typeof e.data.note === "string" ? e.data.note : null);
    return {
      ...state,
      status: e.data.status,
      timeline: [...state.timeline, { status: e.data.status, at: e.at, note }],
      ...(e.data.status === "paid" ? { payment: "succeeded" } : {}),
      ...(carrier && trackingNumber ? { shipment: { carrier, trackingNumber, shippedAt: shippedAt ?? e.at } } : {}),
    };
  }
  if ((e.type === "refund_approved" || e.type === "refund_rejected") && e.data.orderId === orderId) {
    const status = e.type === "refund_approved" ? "approved" : "rejected";
    const note = e.data.note ?? null;
    const refund = state.refunds.find((r) => r.id === e.data.refundId);
    if (!refund) return state;
    const refunded = { ...state.refunded };
    if (status === "approved" && refund.status !== "approved" && refund.kind !== "exchange") {
      for (const i of refund.items) refunded[i.orderItemId] = (refunded[i.orderItemId] ?? 0) + i.quantity;
    }
    return {
      ...state,
      refunded,
      refunds: state.refunds.map((r) =>
        r.id === e.data.refundId ? { ...r, status, decisionNote: note ?? r.decisionNote } : r
      ),
    };
  }
  return state;
}
