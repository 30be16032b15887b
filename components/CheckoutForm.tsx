import type { Translator } from "../i18n/messages.ts";
import type { Locale } from "../fresh.config.ts";
import type { CheckoutView } from "../services/checkout.ts";
import { CheckoutSteps, PriceBreakdown } from "./PriceBreakdown.tsx";
import { Field, FormAlert, PostForm } from "./Form.tsx";
import { AddressPicker } from "./AddressPicker.tsx";
import { CouponPicker } from "./CouponPicker.tsx";
import { OrderLines } from "./OrderLines.tsx";
import { productImgAttrs } from "./ProductImg.tsx";

/** What the checkout form holds (all strings, as typed). */
export interface CheckoutValues {
  /** The address book entry chosen, or "new" for the typed fields below. */
  addressId: string;
  name: string;
  phone: string;
  line1: string;
  city: string;
  postcode: string;
  /** Whether a new address is kept in the address book. */
  keepAddress: boolean;
  couponCode: string;
  pointsToUse: string;
  key: string;
  /** The total the page showed when the form was sent (the order is placed only at that price). */
  shownTotal?: string;
}

/**
 * Checkout step 2 (确认订单): the address from the address book (or a new one inline), the lines as the
 * order will price them, the coupon picker and points, the price breakdown (exactly the order's) and the
 * place-order button (in a bar at the bottom of a phone's screen).
 */
export function CheckoutForm(
  { t, locale, csrf, values, allErrors, message, view, carry = {} }: {
    t: Translator;
    locale: Locale;
    csrf: string;
    values: CheckoutValues;
    /** Field errors, already in the visitor's language. */
    allErrors: Record<string, string>;
    message?: string;
    view: CheckoutView;
    /** Hidden fields that say which lines this checkout takes (`services/checkout_selection.ts`). */
    carry?: Record<string, string>;
  },
) {
  const { breakdown } = view;
  const units = view.lines.reduce((n, l) => n + l.quantity, 0);
  const place = (cls: string, testId: string) => (
    <button class={`btn btn-primary ${cls}`} type="submit" name="action" value="place" data-testid={testId}>
      {t("checkout.place")}
    </button>
  );
  return (
    <section class="stack confirm-order">
      <CheckoutSteps step={2} t={t} />
      <h1>{t("checkout.title")}</h1>
      <FormAlert message={message ?? (Object.keys(allErrors).length ? t("auth.error") : undefined)} />
      {allErrors.items && <div class="alert alert-error" role="alert">{allErrors.items}</div>}
      <PostForm action="/checkout" csrf={csrf} class="form confirm-form">
        {/* Enter in a text field recalculates (the first submit button is the form's default). */}
        <button type="submit" name="action" value="apply" hidden tabIndex={-1}>{t("checkout.apply")}</button>
        <input type="hidden" name="key" value={values.key} />
        <input type="hidden" name="shownTotal" value={breakdown?.total ?? ""} />
        {Object.entries(carry).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
        <AddressPicker
          t={t}
          addresses={view.addresses}
          chosen={values.addressId}
          values={values}
          keep={values.keepAddress}
          errors={allErrors}
        />
        <section class="card confirm-lines" aria-labelledby="confirm-lines-title" data-testid="checkout-lines">
          <h2 id="confirm-lines-title">{t("checkout.items", { n: units })}</h2>
          <OrderLines
            lines={view.lines.map((l) => ({ ...l, img: productImgAttrs({ id: l.productId, size: 64 }) }))}
            unavailable={t("checkout.unavailable")}
            afterDiscount={(amount) => t("order.lineAfterDiscount", { amount })}
          />
        </section>
        <fieldset class="card confirm-discounts">
          <legend>{t("checkout.discounts")}</legend>
          <CouponPicker t={t} locale={locale} choices={view.coupons} applied={view.appliedCoupon} />
          <div class="inline-fields">
            <Field
              label={t("checkout.coupon")}
              name="couponCode"
              value={values.couponCode}
              error={allErrors.couponCode}
              hint={t("checkout.couponHint")}
              maxLength={40}
            />
            <button class="btn btn-ghost" type="submit" name="action" value="apply" data-testid="apply-code">
              {t("checkout.useCode")}
            </button>
          </div>
          <div class="inline-fields">
            <Field
              label={t("checkout.points", { balance: view.pointsBalance })}
              name="pointsToUse"
              type="number"
              value={values.pointsToUse}
              error={allErrors.pointsToUse}
            />
            <button class="btn btn-ghost" type="submit" name="action" value="apply" data-testid="apply-points">
              {t("checkout.apply")}
            </button>
          </div>
        </fieldset>
        <div class="card confirm-summary">
          <h2 class="sr-only">{t("checkout.summary")}</h2>
          {breakdown && <PriceBreakdown b={breakdown} t={t} />}
          {place("btn-block confirm-place", "place-order")}
        </div>
        <div class="confirm-bar">
          <span class="confirm-bar-total">
            {t("checkout.payable")} <strong>¥{breakdown?.total ?? "0.00"}</strong>
          </span>
          {place("confirm-bar-place", "place-order-bar")}
        </div>
      </PostForm>
    </section>
  );
}
