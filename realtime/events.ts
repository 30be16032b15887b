/**
 * The typed live-event map: every outbox event type and the one payload shape it carries. Services
 * append events through `appendEvent(tx, type, data, rooms)` (db/events_repo.ts), which is generic over
 * this map; the islands' models in client/ import these types (type-only) and get a discriminated
 * `LiveEvent` union, so neither side casts.
 *
 * Money is a decimal string, ids are strings, days are `YYYY-MM-DD` in shop time. The map is plain
 * types plus one run-time table (`EVENT_KEYS`, the keys each payload must carry), so the browser bundle
 * pulls in nothing from here but types.
 */
import type { SalesDrop } from "../domain/analytics/tags.ts";
import type { Rank } from "../domain/commission/ranks.ts";
import type { OrderStatus } from "../domain/orders/order_state.ts";
import type { UnusualReason } from "../domain/payout/unusual.ts";

/** A member registered (managers; and the upline's room when there is one). */
export type MemberJoinedEvent = { memberId: string; name: string; uplineId: string | null };

/** A shopper asked for a refund (managers). */
export type RefundRequestedEvent = { refundId: string; orderId: string; number: string; amount: string };

/**
 * A manager approved a refund (buyer and managers); `kind` is there only for an exchange (amount 0), `note`
 * when the manager wrote one for the buyer.
 */
export type RefundApprovedEvent = {
  refundId: string;
  orderId: string;
  amount: string;
  kind?: "exchange";
  note?: string;
};

/** A manager rejected a refund request, with the reason the buyer reads (buyer and managers). */
export type RefundRejectedEvent = { refundId: string; orderId: string; note: string };

/**
 * An order moved (buyer and managers), with the step's note also rendered in every locale; a shipment
 * (status `shipped` from a manager's ship) also carries the carrier, the tracking number and when it shipped.
 */
export type OrderStatusEvent = {
  orderId: string;
  number: string;
  status: OrderStatus;
  total: string;
  note?: string;
  notes?: Record<string, string>;
  carrier?: string;
  trackingNumber?: string;
  shippedAt?: string;
};

/** Sellable stock crossed the low-stock threshold (managers): `stock_low` falling, `stock_ok` rising. */
export type StockLevelEvent = {
  productId: string;
  /** The SKU whose sellable stock crossed its threshold, and its specs (absent in events from before SKUs). */
  skuId?: string;
  specs?: Record<string, string>;
  name: string;
  stock: number;
  threshold: number;
};

/** What the shop pages show changed (internal room): these products, or the whole catalogue without ids. */
export type CatalogueChangedEvent = { productIds?: string[] };

/** A manager changed the shop home's arrangement (internal room): its banners or its featured blocks. */
export type HomeChangedEvent = { part: "banners" | "blocks" };

/** A withdrawal was requested, paid or rejected (the member and managers); `net` is absent on a rejection. */
export type WithdrawalEvent = {
  withdrawalId: string;
  userId: string;
  amount: string;
  net?: string;
  status: "requested" | "paid" | "rejected";
};

/** A requested withdrawal looks unusual (managers). */
export type WithdrawalUnusualEvent = {
  withdrawalId: string;
  userId: string;
  name: string;
  amount: string;
  reasons: UnusualReason[];
};

/** A commission line was credited as pending (the beneficiary). */
export type CommissionPendingEvent = {
  lineId: string;
  orderId: string;
  tier: number;
  /** The rate with 4 places. */
  rate: string;
  base: string;
  amount: string;
  status: "pending";
  planVersion: number;
};

/** A commission line's remaining pending amount became available (the beneficiary). */
export type CommissionAvailableEvent = { lineId: string; orderId: string; amount: string; status: "available" };

/** Part of a commission line was clawed back by a refund (the beneficiary); `amount` is negative. */
export type CommissionClawedBackEvent = {
  lineId: string;
  orderId: string;
  tier: number;
  amount: string;
  status: "clawed_back";
  from: "available" | "pending";
};

/** A commission line moved: one event type, the shape told apart by `status`. */
export type CommissionEvent = CommissionPendingEvent | CommissionAvailableEvent | CommissionClawedBackEvent;

/**
 * A sale in a distributor's downline (that upline's room only): the tier it came from, the buyer's name as
 * that tier may see it, the order total and the upline's own commission on it.
 */
export type SaleEvent = {
  orderId: string;
  tier: number;
  amount: string;
  buyer: string;
  commission: string;
  day: string;
};

/** An order line as the managers' live analytics counts it. */
export type ShopSaleItem = { productId: string; name: string; quantity: number; lineTotal: string };

/** The tier-1 distributor of a sale and their base and commission on it. */
export type ShopSaleTier1 = { id: string; name: string; base: string; amount: string };

/**
 * A paid order, shop-wide (managers): the figures the analytics home moves live. (Until the event map it
 * was a second shape of `sale`; one type, one shape.)
 */
export type ShopSaleEvent = {
  orderId: string;
  amount: string;
  /** The buyer's paid orders so far, this one included. */
  buyerPaidOrders: number;
  buyerPaidToday: number;
  newVisitor: boolean;
  tier1: ShopSaleTier1 | null;
  commission: string;
  /** Commission per tier, tier 1 first. */
  commissionByTier: string[];
  items: ShopSaleItem[];
  day: string;
};

/** A tier-1 distributor's share of a claw-back (positive amounts). */
export type ReversedTier1 = { id: string; amount: string; base: string };

/** A refund clawed commission back (managers): the total, per tier (tier 1 first) and per tier-1 distributor. */
export type CommissionReversedEvent = {
  orderId: string;
  refundId: string;
  total: string;
  byTier: string[];
  tier1: ReversedTier1[];
};

/** New visitors counted for a day (managers). */
export type VisitorEvent = { day: string; count: number };

/** A counted click on a member's referral link (the link's owner); `productId` for a product link. */
export type LinkClickEvent = { productId: string | null };

/** A distributor's sales dropped month on month (managers). */
export type SalesDropEvent = SalesDrop & { userId: string; name: string; month: string };

/** A member's rank changed (the member). */
export type RankEvent = { from: Rank; to: Rank; reason: string };

/** An application was approved: the member is a distributor now (managers). */
export type DistributorJoinedEvent = { userId: string };

/** Every live event type and its payload. */
export interface EventMap {
  member_joined: MemberJoinedEvent;
  refund_requested: RefundRequestedEvent;
  refund_approved: RefundApprovedEvent;
  refund_rejected: RefundRejectedEvent;
  order_status: OrderStatusEvent;
  stock_low: StockLevelEvent;
  stock_ok: StockLevelEvent;
  catalogue_changed: CatalogueChangedEvent;
  home_changed: HomeChangedEvent;
  withdrawal: WithdrawalEvent;
  withdrawal_unusual: WithdrawalUnusualEvent;
  commission: CommissionEvent;
  sale: SaleEvent;
  shop_sale: ShopSaleEvent;
  commission_reversed: CommissionReversedEvent;
  visitor: VisitorEvent;
  link_click: LinkClickEvent;
  sales_drop: SalesDropEvent;
  rank: RankEvent;
  distributor_joined: DistributorJoinedEvent;
}

/** A live event type. */
export type EventType = keyof EventMap;

/** The payload of one event type. */
export type EventPayload<T extends EventType> = EventMap[T];

/** An event's type and payload, typed together: a union discriminated by `type`. */
export type EventOf<T extends EventType = EventType> = {
  [K in T]: { type: K; data: EventMap[K] };
}[T];

/** An event to append: its type, payload and rooms, typed together. */
export type NewEvent<T extends EventType = EventType> = {
  [K in T]: { type: K; data: EventMap[K]; rooms: readonly string[] };
}[T];

/** An event as clients receive it, `{ id, type, at, data }`: a union discriminated by `type`. */
export type LiveEventOf<T extends EventType = EventType> = {
  [K in T]: { id: number; type: K; at: string; data: EventMap[K] };
}[T];

/** The keys a payload always carries (required in every shape of its type). */
export type RequiredKeys<P> = {
  [K in keyof P]-?: P extends unknown ? (Partial<Pick<P, K>> extends Pick<P, K> ? never : K) : never;
}[keyof P];

/**
 * The keys each event's payload must carry, checked at run time by `checkEventPayload` (the types check
 * them at compile time; this catches casts and spreads). `events_test.ts` proves the lists complete.
 */
export const EVENT_KEYS = {
  member_joined: ["memberId", "name", "uplineId"],
  refund_requested: ["refundId", "orderId", "number", "amount"],
  refund_approved: ["refundId", "orderId", "amount"],
  refund_rejected: ["refundId", "orderId", "note"],
  order_status: ["orderId", "number", "status", "total"],
  stock_low: ["productId", "name", "stock", "threshold"],
  stock_ok: ["productId", "name", "stock", "threshold"],
  catalogue_changed: [],
  home_changed: ["part"],
  withdrawal: ["withdrawalId", "userId", "amount", "status"],
  withdrawal_unusual: ["withdrawalId", "userId", "name", "amount", "reasons"],
  commission: ["lineId", "orderId", "amount", "status"],
  sale: ["orderId", "tier", "amount", "buyer", "commission", "day"],
  shop_sale: [
    "orderId",
    "amount",
    "buyerPaidOrders",
    "buyerPaidToday",
    "newVisitor",
    "tier1",
    "commission",
    "commissionByTier",
    "items",
    "day",
  ],
  commission_reversed: ["orderId", "refundId", "total", "byTier", "tier1"],
  visitor: ["day", "count"],
  link_click: ["productId"],
  sales_drop: ["userId", "name", "month", "days", "previous", "current", "change"],
  rank: ["from", "to", "reason"],
  distributor_joined: ["userId"],
} as const satisfies { [T in EventType]: readonly RequiredKeys<EventMap[T]>[] };

/** The event types, in the map's order. */
export const EVENT_TYPES = Object.keys(EVENT_KEYS) as EventType[];

/** Whether a string names a live event type. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_KEYS, type);
}

/**
 * Throws when `type` is not in the map or `data` lacks a key its type requires (a key set to `null` is
 * present). Cheap: a few `in` checks, run on every append.
 */
export function checkEventPayload(type: string, data: unknown): void {
  if (!isEventType(type)) throw new Error(`Cannot append event: unknown type "${type}"`);
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new Error(`Cannot append event: the ${type} payload is not an object`);
  }
  const missing = EVENT_KEYS[type].filter((k) => !(k in data));
  if (missing.length) throw new Error(`Cannot append event: the ${type} payload lacks ${missing.join(", ")}`);
}
