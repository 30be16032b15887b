import { Hono } from "hono";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { checkCsrf, readForm } from "../lib/http.ts";
import { localizeErrors, renderPage } from "../lib/render.tsx";
import { Island } from "../lib/island.tsx";
import { AppError } from "../lib/errors.ts";
import { latestEventId } from "../db/events_repo.ts";
import { listOrdersOfUser } from "../db/orders_repo.ts";
import { ORDER_STATUSES } from "../domain/orders/order_state.ts";
import type { MessageKey, Translator } from "../i18n/messages.ts";
import { cancelOrder, confirmReceipt, orderForViewer, type OrderView, orderView } from "../services/orders.ts";
import { startPayment } from "../services/payments.ts";
import { refundRequestSchema, refundsOfOrder, refundView, requestRefund } from "../services/refunds.ts";
import { CheckoutSteps, PriceBreakdown } from "../components/PriceBreakdown.tsx";
import { FormAlert, PostForm } from "../components/Form.tsx";
import OrderLive from "../islands/OrderLive.tsx";

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
  };
}

/** The order statuses in the visitor's language. */
function statusLabels(t: Translator): Record<string, string> {
  return Object.fromEntries(ORDER_STATUSES.map((s) => [s, t(`status.${s}` as MessageKey)]));
}

async function orderPage(c: Ctx, orderId: string, message?: string) {
  const t = c.get("t");
  const db = c.get("deps").db;
  const user = c.get("user")!;
  const lastEventId = await latestEventId(db);
  const row = await orderForViewer(db, orderId, user);
  const order: OrderView = await orderView(db, row, c.get("locale"));
  const mine = String(row.user_id) === String(user.id);
  const refunds = await Promise.all((await refundsOfOrder(db, orderId)).map((r) => refundView(db, r)));
  const csrf = c.get("csrf");
  return renderPage(
    c,
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
              <img src={`/images/products/${i.productId}.svg`} alt="" width="64" height="64" />
              <div class="cart-line-main">
                <a href={`/products/${i.productId}`}>{i.name}</a>
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
                ¥{r.amount} · {t(`refund.status.${r.status}` as MessageKey)} · {r.reason}
                {r.decisionNote && <span class="muted">— {r.decisionNote}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>,
    { title: t("order.title", { number: order.number }) },
  );
}

async function refundPage(c: Ctx, orderId: string, raw: Record<string, string> = {}, status = 200) {
  const t = c.get("t");
  const errors = localizeErrors(c, raw);
  const db = c.get("deps").db;
  const order = await orderView(db, await orderForViewer(db, orderId, c.get("user")!), c.get("locale"));
  return renderPage(
    c,
    <section class="stack order-column refund-column">
      <h1>{t("refund.title")}</h1>
      <FormAlert message={Object.values(errors)[0]} />
      <PostForm action={`/orders/${order.id}/refund`} csrf={c.get("csrf")} class="form card">
        {order.items.filter((i) => i.quantity > i.refundedQuantity).map((i) => (
          <div class="field" key={i.id}>
            <label for={`r-${i.id}`}>{i.name} (¥{i.lineTotal})</label>
            <input
              id={`r-${i.id}`}
              type="number"
              name={`qty_${i.id}`}
              min="0"
              max={String(i.quantity - i.refundedQuantity)}
              value="0"
            />
            <p class="field-hint">{t("refund.quantity")} ≤ {i.quantity - i.refundedQuantity}</p>
          </div>
        ))}
        <div class="field">
          <label for="r-kind">{t("refund.kind")}</label>
          <select id="r-kind" name="kind">
            <option value="refund">{t("refund.kind.refund")}</option>
            <option value="return">{t("refund.kind.return")}</option>
            <option value="exchange">{t("refund.kind.exchange")}</option>
          </select>
        </div>
        <div class={errors.reason ? "field has-error" : "field"}>
          <label for="r-reason">{t("refund.reason")}</label>
          <textarea id="r-reason" name="reason" maxLength={500} required />
          {errors.reason && <p class="field-error">{errors.reason}</p>}
        </div>
        <button class="btn btn-primary btn-block" type="submit">{t("refund.submit")}</button>
      </PostForm>
    </section>,
    { title: t("refund.title"), status },
  );
}

async function orderAction(c: Ctx, run: () => Promise<unknown>) {
  const form = await readForm(c);
  checkCsrf(c, form);
  const id = c.req.param("id")!;
  try {
    await run();
    return c.redirect(`/orders/${id}`, 303);
  } catch (err) {
    if (err instanceof AppError && err.status === 409) return await orderPage(c, id, err.message);
    throw err;
  }
}

/** The buyer's orders: list, detail with live status, pay, cancel, confirm receipt, after-sales. */
export const pagesOrders = new Hono<AppEnv>()
  .use("/orders/*", async (c, next) => {
    if (!c.get("user")) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`);
    await next();
  })
  .use("/orders", async (c, next) => {
    if (!c.get("user")) return c.redirect("/login?next=/orders");
    await next();
  })
  .get("/orders", async (c) => {
    const t = c.get("t");
    const { rows } = await listOrdersOfUser(c.get("deps").db, String(c.get("user")!.id), 50, 0);
    return renderPage(
      c,
      <section class={rows.length ? "stack order-column" : "stack"}>
        <h1>{t("orders.title")}</h1>
        {rows.length === 0
          ? (
            <p class="empty-state">
              {t("orders.empty")} <a href="/">{t("error.home")}</a>
            </p>
          )
          : (
            <ul class="order-list">
              {rows.map((o) => (
                <li key={o.id} class="card">
                  <a href={`/orders/${o.id}`} class="order-row">
                    <span>{t("orders.number")} {o.number}</span>
                    <span class={`status status-${o.status}`}>{t(`status.${o.status}` as MessageKey)}</span>
                    <strong>¥{o.total}</strong>
                  </a>
                </li>
              ))}
            </ul>
          )}
      </section>,
      { title: t("orders.title") },
    );
  })
  .get("/orders/:id", (c) => orderPage(c, c.req.param("id")))
  .post("/orders/:id/pay", async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    try {
      const payment = await startPayment(c.get("deps").shop, c.req.param("id"), c.get("user")!);
      return c.redirect(payment.checkoutUrl, 303);
    } catch (err) {
      if (err instanceof AppError && err.status === 409) return await orderPage(c, c.req.param("id"), err.message);
      throw err;
    }
  })
  .post(
    "/orders/:id/cancel",
    (c) => orderAction(c, () => cancelOrder(c.get("deps").shop, c.req.param("id"), c.get("user")!)),
  )
  .post(
    "/orders/:id/confirm",
    (c) => orderAction(c, () => confirmReceipt(c.get("deps").shop, c.req.param("id"), c.get("user")!)),
  )
  .get("/orders/:id/refund", (c) => refundPage(c, c.req.param("id")))
  .post("/orders/:id/refund", async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    const items = Object.entries(form)
      .filter(([k, v]) => k.startsWith("qty_") && Number(v) > 0)
      .map(([k, v]) => ({ orderItemId: k.slice(4), quantity: Number(v) }));
    const parsed = refundRequestSchema.safeParse({ items, reason: form.reason, kind: form.kind });
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return await refundPage(c, c.req.param("id"), { [String(first.path[0] ?? "items")]: first.message }, 400);
    }
    try {
      await requestRefund(c.get("deps").shop, c.req.param("id"), c.get("user")!, parsed.data);
      return c.redirect(`/orders/${c.req.param("id")}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        return await refundPage(c, c.req.param("id"), err.fields ?? { items: err.message }, err.status);
      }
      throw err;
    }
  });
