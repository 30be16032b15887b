import type { Translator } from "../i18n/messages.ts";
import { Island } from "../lib/island.tsx";
import type { OrderPageData } from "../services/order_page.ts";
import { shopDateTime } from "../domain/shop_time.ts";
import { iconBody } from "./icons.ts";
import { PriceBreakdown } from "./PriceBreakdown.tsx";
import { AddressText } from "./AddressPicker.tsx";
import { OrderLines } from "./OrderLines.tsx";
import { Icon } from "./Icon.tsx";
import { orderLiveLabels } from "./order_labels.ts";
import OrderLive from "../islands/OrderLive.tsx";

/**
 * A member's order: live status, pay deadline with a countdown, timeline, the carrier and tracking number
 * once shipped and after-sales (the island), the delivery address, the lines and prices, and the order's
 * number and times, all in shop time.
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
          })),
          shipping: {
            shipment: order.carrier
              ? { carrier: order.carrier, trackingNumber: order.trackingNumber ?? "", shippedAt }
              : null,
            icon: iconBody("truck"),
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
      <section class="card order-address" aria-labelledby="order-address-title" data-testid="order-address">
        <span class="order-card-icon">
          <Icon name="mapPin" size={20} />
        </span>
        <div>
          <h2 id="order-address-title">{t("checkout.address")}</h2>
          {a.name || a.line1
            ? (
              <AddressText
                a={{
                  name: a.name ?? "",
                  phone: a.phone ?? "",
                  line1: a.line1 ?? "",
                  city: a.city ?? "",
                  postcode: a.postcode ?? "",
                }}
                t={t}
              />
            )
            : <p class="muted">{t("order.addressGone")}</p>}
        </div>
      </section>
      <section class="card order-items" aria-labelledby="order-items-title">
        <h2 id="order-items-title">{t("order.items")}</h2>
        <OrderLines
          lines={order.items.map((i) => ({
            key: i.id,
            productId: i.productId,
            name: i.name,
            specs: i.specs ?? {},
            quantity: i.quantity,
            unitPrice: i.unitPrice,
            subtotal: i.subtotal,
            lineTotal: i.lineTotal,
            note: i.refundedQuantity > 0 ? t("order.refundedUnits", { n: i.refundedQuantity }) : undefined,
          }))}
          afterDiscount={(amount) => t("order.lineAfterDiscount", { amount })}
        />
        <PriceBreakdown b={order} t={t} />
      </section>
      <dl class="card facts order-facts">
        <dt>{t("orders.number")}</dt>
        <dd>
          <span class="order-number">{order.number}</span>
        </dd>
        <dt>{t("ord.placedAt")}</dt>
        <dd data-testid="placed-at">{shopDateTime(order.createdAt)}</dd>
        {order.payment && (
          <>
            <dt>{t("ord.payment")}</dt>
            <dd>{t(`ord.pay.${order.payment.status}`)}</dd>
          </>
        )}
      </dl>
    </section>
  );
}
