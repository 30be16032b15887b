import type { Translator } from "../i18n/messages.ts";

/** The money lines of a cart, checkout or order, as decimal strings. */
export interface Breakdown {
  subtotal: string;
  discount: string;
  pointsDiscount: string;
  shipping: string;
  total: string;
}

/** The keys the breakdown shows. */
export const PRICE_KEYS = [
  "price.subtotal",
  "price.discount",
  "price.points",
  "price.shipping",
  "price.free",
  "price.total",
] as const;

/** The price breakdown: items, coupon, points, shipping and the total (`t` may be a plain lookup, in an island). */
export function PriceBreakdown({ b, t }: { b: Breakdown; t: (key: (typeof PRICE_KEYS)[number]) => string }) {
  return (
    <dl class="breakdown" data-testid="breakdown">
      <dt>{t("price.subtotal")}</dt>
      <dd>¥{b.subtotal}</dd>
      {b.discount !== "0.00" && (
        <>
          <dt>{t("price.discount")}</dt>
          <dd class="minus">−¥{b.discount}</dd>
        </>
      )}
      {b.pointsDiscount !== "0.00" && (
        <>
          <dt>{t("price.points")}</dt>
          <dd class="minus">−¥{b.pointsDiscount}</dd>
        </>
      )}
      <dt>{t("price.shipping")}</dt>
      <dd>{b.shipping === "0.00" ? t("price.free") : `¥${b.shipping}`}</dd>
      <dt class="total">{t("price.total")}</dt>
      <dd class="total" data-testid="total">¥{b.total}</dd>
    </dl>
  );
}

/** The checkout progress: cart (1) → confirm (2) → pay (3: the unpaid order and the payment page). */
export function CheckoutSteps({ step, t }: { step: 1 | 2 | 3; t: Translator }) {
  const steps = [t("checkout.step.cart"), t("checkout.step.confirm"), t("checkout.step.pay")];
  return (
    <ol class="steps" aria-label={t("checkout.progress")}>
      {steps.map((label, i) => (
        <li
          key={label}
          class={i + 1 === step ? "active" : i + 1 < step ? "done" : ""}
          aria-current={i + 1 === step ? "step" : undefined}
        >
          <span class="step-no">{i + 1}</span>
          {label}
        </li>
      ))}
    </ol>
  );
}
