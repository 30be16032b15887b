import { ORDER_STATUSES } from "../domain/orders/order_state.ts";
import type { Translator } from "../i18n/messages.ts";
import { PRICE_KEYS } from "./PriceBreakdown.tsx";

/** The live order island's labels in the visitor's language. */
export function orderLiveLabels(t: Translator) {
  return {
    pay: t("order.pay"),
    cancel: t("order.cancel"),
    confirm: t("order.confirm"),
    refund: t("order.refund"),
    statuses: statusLabels(t),
    timeline: t("order.timeline"),
    status: { live: t("live.connected"), connecting: t("live.connecting"), offline: t("live.offline") },
    steps: [t("checkout.step.cart"), t("checkout.step.confirm"), t("checkout.step.pay")],
    progress: t("checkout.progress"),
    payBy: t.raw("order.payHint"),
    payLeft: t.raw("order.payLeft"),
    payOver: t("order.payOver"),
    refunds: t("order.refunds"),
    refundStatus: {
      requested: t("refund.status.requested"),
      approved: t("refund.status.approved"),
      rejected: t("refund.status.rejected"),
    },
    refundKind: {
      refund_only: t("refund.kind.refund_only"),
      return_refund: t("refund.kind.return_refund"),
      exchange: t("refund.kind.exchange"),
    },
    shipping: t("order.shipping"),
    shippedAt: t.raw("order.shippedAt"),
  };
}

/** The order statuses in the visitor's language. */
export function statusLabels(t: Translator): Record<string, string> {
  return Object.fromEntries(ORDER_STATUSES.map((s) => [s, t(`status.${s}`)]));
}

/** The labels of the order's address, lines, prices and facts on the buyer's live order page. */
export function orderDetailLabels(t: Translator) {
  return {
    address: t("checkout.address"),
    addressGone: t("order.addressGone"),
    items: t("order.items"),
    afterDiscount: t.raw("order.lineAfterDiscount"),
    refundedUnits: t.raw("order.refundedUnits"),
    price: Object.fromEntries(PRICE_KEYS.map((k) => [k, t(k)])) as Record<(typeof PRICE_KEYS)[number], string>,
    number: t("orders.number"),
    placedAt: t("ord.placedAt"),
    payment: t("ord.payment"),
    pay: {
      pending: t("ord.pay.pending"),
      succeeded: t("ord.pay.succeeded"),
      failed: t("ord.pay.failed"),
      refunded: t("ord.pay.refunded"),
    },
  };
}
