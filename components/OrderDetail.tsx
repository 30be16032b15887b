import { ProductImg } from "./ProductImg.tsx";
import type { Translator } from "../i18n/messages.ts";
import { specsLabel } from "../domain/catalogue/skus.ts";
import { Island } from "../lib/island.tsx";
import type { OrderView } from "../services/orders.ts";
import type { refundView } from "../services/refunds.ts";
import { CheckoutSteps, PriceBreakdown } from "./PriceBreakdown.tsx";
import { FormAlert } from "./Form.tsx";
import { orderLiveLabels } from "./order_labels.ts";
import OrderLive from "../islands/OrderLive.tsx";

/** A member's order: live status and timeline, lines and prices, shipping, after-sales requests. */
export function OrderDetail(
  { t, csrf, order, refunds, mine, lastEventId, message }: {
    t: Translator;
    csrf: string;
    order: OrderView;
    refunds: Awaited<ReturnType<typeof refundView>>[];
    /** Whether the viewer is the buyer. */
    mine: boolean;
    lastEventId: number;
    message?: string;
  },
) {
  return (
    <section class="stack order-column">
      {mine && order.status === "pending_payment" && <CheckoutSteps step={3} t={t} />}
      <h1>{t("order.title", { number: order.number })}</h1>
      <FormAlert message={message} />
      <Island
        of={OrderLive}
        props={{
          orderId: order.id,
          status: order.status,
          timeline: order.timeline.map((s) => ({ status: s.status, at: s.at, note: s.note })),
          lastEventId,
          mine,
          csrf,
          labels: orderLiveLabels(t),
        }}
      />
      {order.status === "pending_payment" && (
        <p class="muted">{t("order.payHint", { time: order.expiresAt.slice(11, 16) + " UTC" })}</p>
      )}
      <div class="card">
        <h2>{t("order.items")}</h2>
        <ul class="cart-lines">
          {order.items.map((i) => (
            <li key={i.id} class="cart-line">
              <ProductImg id={i.productId} size={64} />
              <div class="cart-line-main">
                <a href={`/products/${i.productId}`}>{i.name}</a>
                {Object.keys(i.specs ?? {}).length > 0 && (
                  <span class="sku-specs" data-testid="line-specs">{specsLabel(i.specs)}</span>
                )}
                <span class="muted">¥{i.unitPrice} × {i.quantity}</span>
              </div>
              <strong>¥{i.lineTotal}</strong>
            </li>
          ))}
        </ul>
        <PriceBreakdown b={order} t={t} />
      </div>
      {order.carrier && (
        <div class="card">
          <h2>{t("order.shipping")}</h2>
          <p>{order.carrier} · {order.trackingNumber}</p>
        </div>
      )}
      {refunds.length > 0 && (
        <div class="card">
          <h2>{t("order.refunds")}</h2>
          <ul class="plain-list">
            {refunds.map((r) => (
              <li key={r.id}>
                ¥{r.amount} · {t(`refund.status.${r.status}`)} · {r.reason}
                {r.decisionNote && <span class="muted">— {r.decisionNote}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
