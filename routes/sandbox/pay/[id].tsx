import type { Handlers } from "../../../lib/fs_router.ts";
import { checkCsrf, readForm, requireUser } from "../../../lib/http.ts";
import { renderPage } from "../../../lib/render.tsx";
import { randomToken } from "../../../lib/tokens.ts";
import { PostForm } from "../../../components/Form.tsx";
import { CheckoutSteps } from "../../../components/PriceBreakdown.tsx";
import { SandboxProvider } from "../../../services/payment_provider.ts";
import { receiveWebhook } from "../../../services/payments.ts";
import { paymentForPayer } from "../../../services/sandbox_checkout.ts";

/**
 * `/sandbox/pay/:id`: the sandbox provider's checkout page. Confirming (or failing) sends the provider's
 * signed webhook through the same verification as a real notification.
 */
export const handler: Handlers = {
  async GET(c) {
    if (!c.get("user")) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`);
    const t = c.get("t");
    const payment = await paymentForPayer(c.get("deps").db, c.req.param("id")!, requireUser(c));
    return renderPage(
      c,
      <>
        {payment.status === "pending" && <CheckoutSteps step={3} t={t} />}
        <section class="card form-card sandbox">
          <p class="badge badge-info">{t("sandbox.note")}</p>
          <h1>{t("sandbox.title")}</h1>
          <p class="muted">{payment.number}</p>
          <p class="sandbox-amount">
            {t("sandbox.amount")} <strong data-testid="sandbox-amount">¥{payment.amount}</strong>
          </p>
          {payment.status === "pending"
            ? (
              <PostForm action={`/sandbox/pay/${payment.id}`} csrf={c.get("csrf")}>
                <button class="btn btn-primary btn-block" type="submit" name="outcome" value="succeeded">
                  {t("sandbox.confirm")}
                </button>
                <button class="btn btn-ghost btn-block" type="submit" name="outcome" value="failed">
                  {t("sandbox.fail")}
                </button>
              </PostForm>
            )
            : <p>{t("sandbox.done", { outcome: payment.status })}</p>}
          <a href={`/orders/${payment.order_id}`}>{t("order.title", { number: payment.number })}</a>
        </section>
      </>,
      { title: t("sandbox.title"), narrow: true },
    );
  },
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form);
    const payment = await paymentForPayer(c.get("deps").db, c.req.param("id")!, requireUser(c));
    const deps = c.get("deps");
    const body = JSON.stringify({
      eventId: `evt_${randomToken(12)}`,
      paymentId: payment.id,
      amount: payment.amount,
      status: form.outcome === "failed" ? "failed" : "succeeded",
    });
    const signer = new SandboxProvider(deps.settings.paymentSandboxSecret);
    await receiveWebhook(deps.shop, body, await signer.sign(body));
    return c.redirect(`/orders/${payment.order_id}`, 303);
  },
};
