/** The order lifecycle as an explicit state machine. */

/** Every order status of the API contract. */
export const ORDER_STATUSES = [
  "pending_payment",
  "paid",
  "shipped",
  "delivered",
  "completed",
  "cancelled",
  "refund_requested",
  "partially_refunded",
  "refunded",
] as const;

/** An order status. */
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Who moves an order. */
export type OrderActor = "buyer" | "manager" | "system" | "provider";

/** The events that move an order. */
export type OrderEvent =
  | "pay"
  | "cancel"
  | "expire"
  | "ship"
  | "deliver"
  | "complete"
  | "request_refund"
  | "reject_refund"
  | "approve_exchange"
  | "refund_partially"
  | "refund_fully";

const FULFILMENT: OrderStatus[] = ["paid", "shipped", "delivered", "partially_refunded"];

/** For each event: the statuses it may start from. */
const FROM: Record<OrderEvent, readonly OrderStatus[]> = {
  pay: ["pending_payment"],
  cancel: ["pending_payment"],
  expire: ["pending_payment"],
  ship: ["paid", "partially_refunded"],
  deliver: ["shipped", "partially_refunded"],
  complete: ["delivered", "partially_refunded"],
  request_refund: FULFILMENT,
  reject_refund: ["refund_requested"],
  approve_exchange: ["refund_requested"],
  refund_partially: ["refund_requested"],
  refund_fully: ["refund_requested"],
};

/** A transition that the state machine does not allow. */
export class InvalidTransition extends Error {
  constructor(readonly from: OrderStatus, readonly event: OrderEvent) {
    super(`Cannot ${event.replaceAll("_", " ")} an order that is ${from.replaceAll("_", " ")}`);
    this.name = "InvalidTransition";
  }
}

/**
 * The status after `event` from `from`. `back` is the status to return to when a refund request
 * is rejected or an exchange approved, and for partial refunds, the fulfilment status the order had before the request.
 */
export function nextStatus(from: OrderStatus, event: OrderEvent, back?: OrderStatus): OrderStatus {
  if (!FROM[event].includes(from)) throw new InvalidTransition(from, event);
  switch (event) {
    case "pay":
      return "paid";
    case "cancel":
    case "expire":
      return "cancelled";
    case "ship":
      return "shipped";
    case "deliver":
      return "delivered";
    case "complete":
      return "completed";
    case "request_refund":
      return "refund_requested";
    case "reject_refund":
    case "approve_exchange":
      // An exchange moves no money: the order carries on where it was while the goods are swapped.
      return back ?? "paid";
    case "refund_partially":
      return "partially_refunded";
    case "refund_fully":
      return "refunded";
  }
}

/** Where the goods of an order are: a partially refunded order keeps its place in shipping. */
export interface Fulfilment {
  shipped: boolean;
  delivered: boolean;
}

/**
 * Whether `event` fits where the goods are (the status alone cannot tell for a partially refunded
 * order): ship only what has not left, confirm receipt only of what left and has not arrived, complete
 * only what arrived. Other events do not depend on it.
 */
export function fitsFulfilment(event: OrderEvent, goods: Fulfilment): boolean {
  if (event === "ship") return !goods.shipped;
  if (event === "deliver") return goods.shipped && !goods.delivered;
  if (event === "complete") return goods.delivered;
  return true;
}

/** Whether the buyer can confirm receipt now: shipped, or partially refunded after shipping and not yet received. */
export function awaitsReceipt(status: OrderStatus, goods: Fulfilment): boolean {
  return canApply(status, "deliver") && fitsFulfilment("deliver", goods);
}

/** Whether an event is allowed from a status. */
export function canApply(from: OrderStatus, event: OrderEvent): boolean {
  return FROM[event].includes(from);
}

/** Statuses in which no further change can happen. */
export function isFinal(status: OrderStatus): boolean {
  return status === "completed" || status === "cancelled" || status === "refunded";
}
