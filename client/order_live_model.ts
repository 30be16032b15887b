import type { LiveEvent } from "./live.ts";

/** An after-sales request as the order page lists it. */
export interface RefundItem {
  id: string;
  kind: string;
  status: string;
  amount: string;
  reason: string;
  decisionNote: string | null;
}

/** An order's shipment: carrier, tracking number and when it shipped (ISO; null when unknown). */
export interface Shipment {
  carrier: string;
  trackingNumber: string;
  shippedAt: string | null;
}

/**
 * What the order page keeps live: the order's status, its timeline, its after-sales requests and its
 * shipment (null until shipped).
 */
export interface OrderLiveState {
  status: string;
  timeline: { status: string; at: string; note: string | null }[];
  refunds: RefundItem[];
  shipment: Shipment | null;
}

/**
 * Applies one live event to the order page (events of other orders change nothing): an `order_status`
 * moves the status and adds the step (its note in the page's language) and, when it carries a carrier and
 * tracking number (a shipment), sets the shipment; a refund's approval or rejection updates that request.
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
      ...(carrier && trackingNumber ? { shipment: { carrier, trackingNumber, shippedAt: shippedAt ?? e.at } } : {}),
    };
  }
  if ((e.type === "refund_approved" || e.type === "refund_rejected") && e.data.orderId === orderId) {
    const status = e.type === "refund_approved" ? "approved" : "rejected";
    const note = e.data.note ?? null;
    if (!state.refunds.some((r) => r.id === e.data.refundId)) return state;
    return {
      ...state,
      refunds: state.refunds.map((r) =>
        r.id === e.data.refundId ? { ...r, status, decisionNote: note ?? r.decisionNote } : r
      ),
    };
  }
  return state;
}
