import { productImgAttrs } from "./ProductImg.tsx";
import { OrderLines } from "./OrderLines.tsx";
import { linesText } from "../domain/catalogue/skus.ts";
import { money, toMoneyString } from "../domain/money.ts";
import type { Translator } from "../i18n/messages.ts";
import type { UserRow } from "../db/users_repo.ts";
import type { OrderView } from "../services/orders.ts";
import type { refundView } from "../services/refunds.ts";
import type { orderCommissions } from "../services/earnings.ts";
import type { buyerSummary } from "../services/members.ts";
import { can, type StaffRole } from "../domain/permissions.ts";
import { maskPhone } from "../domain/pii.ts";
import { orderLiveLabels } from "./order_labels.ts";
import { shortTime } from "../domain/shop_time.ts";
import { PostForm } from "./Form.tsx";
import { DecisionForms } from "./DecisionForms.tsx";
import { PriceBreakdown } from "./PriceBreakdown.tsx";
import { Island } from "../lib/island.tsx";
import OrderLive from "../islands/OrderLive.tsx";
import { TableScroll } from "./TableScroll.tsx";

/** Refund statuses drawn with the order status pills' colours. */
const REFUND_PILL: Record<string, string> = {
  requested: "refund_requested",
  approved: "refunded",
  rejected: "cancelled",
};

/**
 * One order for staff: live status and timeline (with who moved it), buyer and delivery (phone
 * masked unless the role reads PII), lines and prices, payment, shipping with the ship form,
 * after-sales requests with their review forms, and the commission it paid up the chain.
 */
export function AdminOrderDetail(
  { t, csrf, role, order, refunds, commissions, lastEventId, buyer, phone, back }: {
    t: Translator;
    user: UserRow | undefined;
    csrf: string;
    role: StaffRole;
    order: OrderView;
    refunds: Awaited<ReturnType<typeof refundView>>[];
    commissions: Awaited<ReturnType<typeof orderCommissions>> | null;
    lastEventId: number;
    buyer: Awaited<ReturnType<typeof buyerSummary>>;
    phone: string;
    /** This page's URL, for forms that return here. */
    back: string;
  },
) {
  return (
    <section class="stack">
      <a href="/admin/orders" class="back-link">← {t("ord.back")}</a>
      <header class="card-head">
        <h1>{t("ord.title", { number: order.number })}</h1>
        <span class={`status status-${order.status}`}>{t(`status.${order.status}`)}</span>
      </header>
      <p class="muted">{t("ord.placedAt")} {shortTime(order.createdAt)}</p>
      <div class="grid split">
        <div class="stack">
          <Island
            of={OrderLive}
            props={{
              orderId: order.id,
              status: order.status,
              timeline: order.timeline.map((s) => ({
                status: s.status,
                at: s.at,
                note: [t(`ord.actor.${s.actor}`), s.note].filter(Boolean).join(" · "),
              })),
              lastEventId,
              mine: false,
              csrf,
              labels: orderLiveLabels(t),
            }}
          />
          <div class="card">
            <h2>{t("ord.buyer")} · {t("ord.address")}</h2>
            <dl class="facts">
              <dt>{t("ord.buyer")}</dt>
              <dd>
                {buyer ? <a href={`/admin/distributors/${buyer.id}`}>{buyer.name}</a> : "—"}
              </dd>
              <dt>{t("checkout.name")}</dt>
              <dd>{order.address.name}</dd>
              <dt>{t("checkout.phone")}</dt>
              <dd data-testid="buyer-phone">{can(role, "pii.read") ? phone : maskPhone(phone)}</dd>
              <dt>{t("ord.address")}</dt>
              <dd>{[order.address.city, order.address.line1].filter(Boolean).join(" ")}</dd>
              <dt>{t("ord.payment")}</dt>
              <dd>
                {order.payment ? `${t(`ord.pay.${order.payment.status}`)} · ¥${order.payment.amount}` : "—"}
              </dd>
            </dl>
          </div>
          <div class="card">
            <h2>{t("order.shipping")}</h2>
            {order.carrier
              ? <p data-testid="shipment">{order.carrier} · {order.trackingNumber}</p>
              : order.status === "paid" && can(role, "orders.ship")
              ? (
                <PostForm action={`/admin/orders/${order.id}/ship`} csrf={csrf} class="inline-form">
                  <input type="hidden" name="back" value={back} />
                  <input name="carrier" aria-label={t("ops.carrier")} placeholder={t("ops.carrier")} required />
                  <input
                    name="trackingNumber"
                    aria-label={t("ops.tracking")}
                    placeholder={t("ops.tracking")}
                    required
                  />
                  <button class="btn btn-primary btn-sm" type="submit">{t("ops.ship")}</button>
                </PostForm>
              )
              : <p class="muted">—</p>}
          </div>
        </div>
        <div class="stack">
          <div class="card">
            <h2>{t("order.items")}</h2>
            <OrderLines
              lines={order.items.map((i) => ({
                key: i.id,
                productId: i.productId,
                img: productImgAttrs({ id: i.productId, size: 64 }),
                name: i.name,
                specs: i.specs,
                skuCode: i.skuCode,
                quantity: i.quantity,
                unitPrice: i.unitPrice,
                subtotal: toMoneyString(money(i.unitPrice).times(i.quantity)),
                lineTotal: i.lineTotal,
                note: i.refundedQuantity > 0 ? t("order.refundedUnits", { n: i.refundedQuantity }) : undefined,
              }))}
              afterDiscount={(amount) => t("order.lineAfterDiscount", { amount })}
              skuCode={(code) => t("order.skuCode", { code })}
              href={(id) => `/admin/products/${id}/edit`}
            />
            <PriceBreakdown b={order} t={t} />
          </div>
          <div class="card">
            <h2>{t("order.refunds")}</h2>
            {refunds.length === 0 ? <p class="muted">—</p> : (
              <ul class="plain-list" data-testid="refunds">
                {refunds.map((r) => (
                  <li key={r.id}>
                    <span class={`status status-${REFUND_PILL[r.status]}`}>
                      {t(`refund.status.${r.status}`)}
                    </span>{" "}
                    ¥{r.amount} · {t(`refund.kind.${r.kind}`)} · {r.reason}
                    <span class="block" data-testid="refund-lines">{linesText(r.items)}</span>
                    {r.decisionNote && <span class="muted">— {r.decisionNote}</span>}
                    {r.status === "requested" && can(role, "refunds.decide") && (
                      <DecisionForms base={`/admin/refunds/${r.id}`} csrf={csrf} t={t} back={back} note />
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
          {commissions && (
            <div class="card">
              <h2>{t("ord.commissions")}</h2>
              {commissions.length === 0
                ? <p class="muted">{t("ord.noCommission")}</p>
                : (
                  <TableScroll label={t("ord.commissions")}>
                    <table class="table" data-testid="order-commissions">
                      <thead>
                        <tr>
                          <th scope="col">{t("an.tier")}</th>
                          <th scope="col">{t("ord.beneficiary")}</th>
                          <th scope="col">{t("earn.rate")}</th>
                          <th scope="col">{t("earn.base")}</th>
                          <th scope="col">{t("earn.amount")}</th>
                          <th scope="col">{t("earn.status")}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {commissions.map((l) => (
                          <tr key={l.id}>
                            <td>{t(`an.tier${l.tier}`)}</td>
                            <td>
                              <a href={`/admin/distributors/${l.beneficiaryId}`}>{l.name}</a>
                            </td>
                            <td class="num">{(Number(l.rate) * 100).toFixed(2)}%</td>
                            <td class="num">¥{l.base}</td>
                            <td class="num">
                              ¥{l.amount}
                              {l.reversed !== "0.00" && (
                                <span class="muted block">{t("ord.reversed")} ¥{l.reversed}</span>
                              )}
                            </td>
                            <td>{t(`earn.status.${l.status}`)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                )}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
