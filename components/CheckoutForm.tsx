import type { Translator } from "../i18n/messages.ts";
import { specsLabel } from "../domain/catalogue/skus.ts";
import { CheckoutSteps, PriceBreakdown } from "./PriceBreakdown.tsx";
import { Field, FormAlert, PostForm } from "./Form.tsx";

/** What the checkout form holds (all strings, as typed). */
export interface CheckoutValues {
  name: string;
  phone: string;
  line1: string;
  city: string;
  postcode: string;
  couponCode: string;
  pointsToUse: string;
  key: string;
}

/** Checkout step 2: address, coupon and points, the price breakdown and the place-order button. */
export function CheckoutForm(
  { t, csrf, values, allErrors, message, pointsBalance, breakdown, lines, carry = {} }: {
    t: Translator;
    csrf: string;
    values: CheckoutValues;
    /** Field errors, already in the visitor's language. */
    allErrors: Record<string, string>;
    message?: string;
    pointsBalance: number;
    breakdown?: Parameters<typeof PriceBreakdown>[0]["b"];
    /** The cart's lines, with their SKU's specs. */
    lines?: { key: string; name: string; specs: Record<string, string>; quantity: number }[];
    /** Hidden fields that say which lines this checkout takes (`services/checkout_selection.ts`). */
    carry?: Record<string, string>;
  },
) {
  return (
    <section class="stack">
      <CheckoutSteps step={2} t={t} />
      <h1>{t("checkout.title")}</h1>
      <FormAlert message={message ?? (Object.keys(allErrors).length ? t("auth.error") : undefined)} />
      {allErrors.items && <div class="alert alert-error" role="alert">{allErrors.items}</div>}
      {lines && lines.length > 0 && (
        <ul class="cart-lines card" data-testid="checkout-lines">
          {lines.map((l) => (
            <li key={l.key} class="cart-line">
              <div class="cart-line-main">
                <span>{l.name}</span>
                {Object.keys(l.specs).length > 0 && <span class="sku-specs">{specsLabel(l.specs)}</span>}
              </div>
              <span class="muted">× {l.quantity}</span>
            </li>
          ))}
        </ul>
      )}
      <PostForm action="/checkout" csrf={csrf} class="form checkout">
        <input type="hidden" name="key" value={values.key} />
        {Object.entries(carry).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
        <fieldset class="card">
          <legend>{t("checkout.address")}</legend>
          <Field
            label={t("checkout.name")}
            name="name"
            value={values.name}
            error={allErrors["address.name"]}
            autocomplete="name"
            required
          />
          <Field
            label={t("checkout.phone")}
            name="phone"
            type="tel"
            value={values.phone}
            error={allErrors["address.phone"]}
            autocomplete="tel"
            required
          />
          <Field
            label={t("checkout.line1")}
            name="line1"
            value={values.line1}
            error={allErrors["address.line1"]}
            autocomplete="street-address"
            required
            class="field-wide"
          />
          <Field
            label={t("checkout.city")}
            name="city"
            value={values.city}
            error={allErrors["address.city"]}
            autocomplete="address-level2"
            required
          />
          <Field
            label={t("checkout.postcode")}
            name="postcode"
            value={values.postcode}
            error={allErrors["address.postcode"]}
            autocomplete="postal-code"
          />
        </fieldset>
        <fieldset class="card">
          <legend>{t("checkout.discounts")}</legend>
          <Field
            label={t("checkout.coupon")}
            name="couponCode"
            value={values.couponCode}
            error={allErrors.couponCode}
          />
          <Field
            label={t("checkout.points", { balance: pointsBalance })}
            name="pointsToUse"
            type="number"
            value={values.pointsToUse}
            error={allErrors.pointsToUse}
          />
          <button class="btn btn-ghost" type="submit" name="action" value="apply">{t("checkout.apply")}</button>
        </fieldset>
        <div class="card">
          {breakdown && <PriceBreakdown b={breakdown} t={t} />}
          <button class="btn btn-primary btn-block" type="submit" name="action" value="place">
            {t("checkout.place")}
          </button>
        </div>
      </PostForm>
    </section>
  );
}
