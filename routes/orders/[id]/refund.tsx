import type { Ctx } from "../../../lib/app_env.ts";
import type { Handlers } from "../../../lib/fs_router.ts";
import type { Translator } from "../../../i18n/messages.ts";
import { checkCsrf, readForm } from "../../../lib/http.ts";
import { localizeErrors, renderPage } from "../../../lib/render.tsx";
import { AppError, type FieldMessages } from "../../../lib/errors.ts";
import { issueMsg } from "../../../lib/validate.ts";
import { orderForViewer, type OrderView, orderView } from "../../../services/orders.ts";
import { refundRequestSchema, requestRefund } from "../../../services/refunds.ts";
import { FormAlert, PostForm } from "../../../components/Form.tsx";
import { specsText } from "../../../domain/catalogue/skus.ts";

async function refundPage(c: Ctx, orderId: string, raw: FieldMessages = {}, status = 200) {
  const t = c.get("t");
  const errors = localizeErrors(c, raw);
  const db = c.get("deps").db;
  const order = await orderView(db, await orderForViewer(db, orderId, c.get("user")!), c.get("locale"));
  return renderPage(c, <RefundForm t={t} csrf={c.get("csrf")} order={order} errors={errors} />, {
    title: t("refund.title"),
    status,
  });
}

/** `/orders/:id/refund`: the after-sales form (refund, return or exchange; per line and quantity). */
export const handler: Handlers = {
  GET: (c) => refundPage(c, c.req.param("id")!),
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form);
    const items = Object.entries(form)
      .filter(([k, v]) => k.startsWith("qty_") && Number(v) > 0)
      .map(([k, v]) => ({ orderItemId: k.slice(4), quantity: Number(v) }));
    const parsed = refundRequestSchema.safeParse({ items, reason: form.reason, kind: form.kind });
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return await refundPage(c, c.req.param("id")!, { [String(first.path[0] ?? "items")]: issueMsg(first) }, 400);
    }
    try {
      await requestRefund(c.get("deps").shop, c.req.param("id")!, c.get("user")!, parsed.data);
      return c.redirect(`/orders/${c.req.param("id")!}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        return await refundPage(c, c.req.param("id")!, err.fields ?? { items: err.msg }, err.status);
      }
      throw err;
    }
  },
};

/** The after-sales request form. */
export default function RefundForm(
  { t, csrf, order, errors }: { t: Translator; csrf: string; order: OrderView; errors: Record<string, string> },
) {
  return (
    <section class="stack order-column refund-column">
      <h1>{t("refund.title")}</h1>
      <FormAlert message={Object.values(errors)[0]} />
      <PostForm action={`/orders/${order.id}/refund`} csrf={csrf} class="form card">
        {order.items.filter((i) => i.quantity > i.refundedQuantity).map((i) => (
          <div class="field" key={i.id}>
            <label for={`r-${i.id}`}>
              {i.name}
              {Object.keys(i.specs).length > 0 && <span class="sku-specs">{specsText(i.specs)}</span>}
            </label>
            <p class="field-hint" data-testid="line-paid">
              {t("refund.linePaid", { amount: i.lineTotal, n: i.quantity })}
            </p>
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
            <option value="refund_only">{t("refund.kind.refund_only")}</option>
            <option value="return_refund">{t("refund.kind.return_refund")}</option>
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
    </section>
  );
}
