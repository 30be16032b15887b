import type { Translator } from "../i18n/messages.ts";
import { Island } from "../lib/island.tsx";
import type { OrderPageData } from "../services/order_page.ts";
import { linesText } from "../domain/catalogue/skus.ts";
import { iconBody } from "./icons.ts";
import { productImgAttrs } from "./ProductImg.tsx";
import { orderDetailLabels, orderLiveLabels } from "./order_labels.ts";
import OrderLive from "../islands/OrderLive.tsx";

/**
 * A member's order, all in the live island: status, pay deadline with a countdown, timeline, the carrier
 * and tracking number once shipped, after-sales (each with its lines), the delivery address, the lines and
 * prices (with their refunded units) and the order's number, times and payment, all in shop time.
 */
export function OrderDetail(
  { t, csrf, order, refunds, mine, shippedAt, lastEventId, message, now }: OrderPageData & {
    t: Translator;
    csrf: string;
    lastEventId: number;
    message?: string;
    /** The server's clock (ISO), for the countdown. */
    now: string;
  },
) {
  const a = order.address ?? {};
  return (
    <section class="stack order-column order-page">
      <Island
        of={OrderLive}
        props={{
          orderId: order.id,
          title: t("order.title", { number: order.number }),
          status: order.status,
          timeline: order.timeline.map((s) => ({ status: s.status, at: s.at, note: s.note })),
          refunds: refunds.map((r) => ({
            id: r.id,
            kind: r.kind,
            status: r.status,
            amount: r.amount,
            reason: r.reason,
            decisionNote: r.decisionNote,
            items: r.items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })),
            lines: linesText(r.items),
          })),
          shipping: {
            shipment: order.carrier
              ? { carrier: order.carrier, trackingNumber: order.trackingNumber ?? "", shippedAt }
              : null,
            icon: iconBody("truck"),
          },
          details: {
            address: a.name || a.line1
              ? {
                name: a.name ?? "",
                phone: a.phone ?? "",
                line1: a.line1 ?? "",
                city: a.city ?? "",
                postcode: a.postcode ?? "",
              }
              : null,
            lines: order.items.map((i) => ({
              key: i.id,
              productId: i.productId,
              img: productImgAttrs({ id: i.productId, size: 64 }),
              name: i.name,
              specs: i.specs,
              quantity: i.quantity,
              unitPrice: i.unitPrice,
              subtotal: i.subtotal,
              lineTotal: i.lineTotal,
              refundedQuantity: i.refundedQuantity,
            })),
            breakdown: {
              subtotal: order.subtotal,
              discount: order.discount,
              pointsDiscount: order.pointsDiscount,
              shipping: order.shipping,
              total: order.total,
            },
            number: order.number,
            createdAt: order.createdAt,
            payment: order.payment?.status ?? null,
            icon: iconBody("mapPin"),
            labels: orderDetailLabels(t),
          },
          expiresAt: order.expiresAt,
          now,
          lastEventId,
          mine,
          csrf,
          message,
          labels: orderLiveLabels(t),
        }}
      />
    </section>
  );
}
