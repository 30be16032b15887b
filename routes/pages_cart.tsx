import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Ctx } from "../lib/app_env.ts";
import { checkCsrf, readForm } from "../lib/http.ts";
import { localizeErrors, renderPage } from "../lib/render.tsx";
import { translateMessage } from "../i18n/messages.ts";
import { AppError } from "../lib/errors.ts";
import { issuesToFields } from "../lib/validate.ts";
import { randomToken } from "../lib/tokens.ts";
import { currentCart, setCartLine } from "../lib/cart_cookie.ts";
import { toMoneyString } from "../domain/money.ts";
import { type CartLine, pricedCart, removeFromCart } from "../services/cart.ts";
import { addressSchema, createOrder } from "../services/orders.ts";
import { attributedReferrer } from "./api_orders.ts";
import { CheckoutSteps, PriceBreakdown } from "../components/PriceBreakdown.tsx";
import { Field, FormAlert, PostForm } from "../components/Form.tsx";
import { appConfig } from "../fresh.config.ts";

const lineForm = z.object({
  productId: z.string().regex(/^\d{1,18}$/),
  quantity: z.coerce.number().int().min(0).max(99),
  back: z.string().optional(),
});

function breakdownOf(q: NonNullable<Awaited<ReturnType<typeof pricedCart>>["quote"]>) {
  const p = q.price;
  return {
    subtotal: toMoneyString(p.subtotal),
    discount: toMoneyString(p.discount),
    pointsDiscount: toMoneyString(p.pointsDiscount),
    shipping: toMoneyString(p.shipping),
    total: toMoneyString(p.total),
  };
}

async function cartPage(c: Ctx) {
  const t = c.get("t");
  const locale = c.get("locale");
  const cart = await pricedCart(c.get("deps").db, c.get("user"), await currentCart(c), { now: new Date() });
  const csrf = c.get("csrf");
  const unitPrice = new Map(cart.quote?.price.lines.map((l) => [l.productId, toMoneyString(l.unitPrice)]) ?? []);
  return renderPage(
    c,
    <section class={cart.lines.length ? "stack cart-layout" : "stack"}>
      <CheckoutSteps step={1} t={t} />
      <h1>{t("cart.title")}</h1>
      {cart.lines.length === 0
        ? (
          <p class="empty-state">
            {t("cart.empty")} <a href="/">{t("error.home")}</a>
          </p>
        )
        : (
          <>
            <ul class="cart-lines card">
              {cart.lines.map((l) => {
                const name = locale === "en" && l.product.name_en ? l.product.name_en : l.product.name;
                return (
                  <li key={l.productId} class="cart-line cart-line-edit">
                    <img src={`/images/products/${l.productId}.svg`} alt="" width="64" height="64" />
                    <div class="cart-line-main">
                      <a href={`/products/${l.productId}`}>{name}</a>
                      <span class="price">¥{unitPrice.get(l.productId) ?? l.product.price}</span>
                      {l.product.sellable < l.quantity && (
                        <span class="badge badge-warn">{t("product.lowStock", { n: l.product.sellable })}</span>
                      )}
                    </div>
                    <PostForm action="/cart/set" csrf={csrf} class="inline-form">
                      <input type="hidden" name="productId" value={l.productId} />
                      <label class="sr-only" for={`q-${l.productId}`}>{t("cart.quantityOf", { name })}</label>
                      <input
                        id={`q-${l.productId}`}
                        class="qty"
                        type="number"
                        name="quantity"
                        min="0"
                        max="99"
                        value={String(l.quantity)}
                      />
                      <button class="btn btn-ghost btn-sm" type="submit" aria-label={t("cart.updateOf", { name })}>
                        {t("cart.update")}
                      </button>
                    </PostForm>
                    <PostForm action="/cart/set" csrf={csrf} class="inline-form">
                      <input type="hidden" name="productId" value={l.productId} />
                      <input type="hidden" name="quantity" value="0" />
                      <button class="btn btn-ghost btn-sm" type="submit" aria-label={t("cart.removeOf", { name })}>
                        {t("cart.remove")}
                      </button>
                    </PostForm>
                  </li>
                );
              })}
            </ul>
            {cart.quote && (
              <div class="card">
                <PriceBreakdown b={breakdownOf(cart.quote)} t={t} />
                <p class="muted">{t("price.freeOver", { amount: appConfig.shop.freeShippingOver })}</p>
                <a
                  class="btn btn-primary btn-block"
                  data-testid="checkout"
                  href={c.get("user") ? "/checkout" : "/login?next=/checkout"}
                >
                  {t("cart.checkout")}
                </a>
              </div>
            )}
          </>
        )}
    </section>,
    { title: t("cart.title") },
  );
}

interface CheckoutValues {
  name: string;
  phone: string;
  line1: string;
  city: string;
  postcode: string;
  couponCode: string;
  pointsToUse: string;
  key: string;
}

async function checkoutPage(
  c: Ctx,
  values: CheckoutValues,
  errors: Record<string, string>,
  status = 200,
  message?: string,
) {
  const t = c.get("t");
  const user = c.get("user")!;
  const lines = await currentCart(c);
  if (!lines.length) return c.redirect("/cart", 303);
  const points = Number(values.pointsToUse || "0");
  const cart = await pricedCart(c.get("deps").db, user, lines, {
    couponCode: values.couponCode || undefined,
    pointsToUse: Number.isInteger(points) && points >= 0 ? points : 0,
    now: new Date(),
  });
  const allErrors = localizeErrors(c, { ...cart.problems, ...errors });
  message = message && translateMessage(c.get("locale"), message);
  const [balance] = await c.get("deps").db.query<{ points_balance: number }>(
    "SELECT points_balance FROM users WHERE id = $1",
    [
      user.id,
    ],
  );
  return renderPage(
    c,
    <section class="stack">
      <CheckoutSteps step={2} t={t} />
      <h1>{t("checkout.title")}</h1>
      <FormAlert message={message ?? (Object.keys(allErrors).length ? t("auth.error") : undefined)} />
      {allErrors.items && <div class="alert alert-error" role="alert">{allErrors.items}</div>}
      <PostForm action="/checkout" csrf={c.get("csrf")} class="form checkout">
        <input type="hidden" name="key" value={values.key} />
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
            label={t("checkout.points", { balance: balance.points_balance })}
            name="pointsToUse"
            type="number"
            value={values.pointsToUse}
            error={allErrors.pointsToUse}
          />
          <button class="btn btn-ghost" type="submit" name="action" value="apply">{t("checkout.apply")}</button>
        </fieldset>
        <div class="card">
          {cart.quote && <PriceBreakdown b={breakdownOf(cart.quote)} t={t} />}
          <button class="btn btn-primary btn-block" type="submit" name="action" value="place">
            {t("checkout.place")}
          </button>
        </div>
      </PostForm>
    </section>,
    { title: t("checkout.title"), status },
  );
}

async function defaultAddress(c: Ctx): Promise<Partial<CheckoutValues>> {
  const [row] = await c.get("deps").db.query<
    { name: string; phone: string; line1: string; city: string; postcode: string | null }
  >(
    "SELECT name, phone, line1, city, postcode FROM addresses WHERE user_id = $1 ORDER BY is_default DESC, id DESC LIMIT 1",
    [c.get("user")!.id],
  );
  return row ? { ...row, postcode: row.postcode ?? "" } : {};
}

function valuesFrom(form: Record<string, string>): CheckoutValues {
  const v = (k: string) => (form[k] ?? "").slice(0, 200);
  return {
    name: v("name"),
    phone: v("phone"),
    line1: v("line1"),
    city: v("city"),
    postcode: v("postcode"),
    couponCode: v("couponCode").trim(),
    pointsToUse: v("pointsToUse").trim(),
    key: v("key") || randomToken(16),
  };
}

async function placeFromCheckout(c: Ctx, lines: CartLine[], values: CheckoutValues) {
  const address = addressSchema.safeParse({
    name: values.name,
    phone: values.phone,
    line1: values.line1,
    city: values.city,
    postcode: values.postcode || undefined,
  });
  const points = values.pointsToUse === "" ? 0 : Number(values.pointsToUse);
  const errors: Record<string, string> = {};
  if (!address.success) {
    for (const [k, msg] of Object.entries(issuesToFields(address.error))) errors[`address.${k}`] = msg;
  }
  if (!Number.isInteger(points) || points < 0) errors.pointsToUse = "Points must be a whole number, zero or more";
  if (!address.success || errors.pointsToUse) return await checkoutPage(c, values, errors, 400);
  const user = c.get("user")!;
  const shop = c.get("deps").shop;
  try {
    const { order } = await createOrder(
      shop,
      user,
      {
        items: lines.map((l) => ({ productId: l.productId, quantity: l.quantity })),
        couponCode: values.couponCode || undefined,
        pointsToUse: points,
        address: address.data,
      },
      `checkout:${values.key}`,
      await attributedReferrer(c, String(user.id)),
    );
    await removeFromCart(shop.db, String(user.id), lines.map((l) => l.productId));
    const [{ n }] = await shop.db.query<{ n: number }>("SELECT count(*)::int AS n FROM addresses WHERE user_id = $1", [
      user.id,
    ]);
    if (n === 0) {
      await shop.db.query(
        "INSERT INTO addresses (user_id, name, phone, line1, city, postcode, is_default) VALUES ($1, $2, $3, $4, $5, $6, true)",
        [
          user.id,
          address.data.name,
          address.data.phone,
          address.data.line1,
          address.data.city,
          address.data.postcode ?? null,
        ],
      );
    }
    return c.redirect(`/orders/${order.id}`, 303);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      return await checkoutPage(c, values, err.fields ?? {}, err.status, err.message);
    }
    throw err;
  }
}

/** Cart and checkout pages (forms; no JavaScript needed). */
export const pagesCart = new Hono<AppEnv>()
  .get("/cart", (c) => cartPage(c))
  .post("/cart/set", async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form, { visitorSameOrigin: true }); // kept product pages carry no token for visitors
    const parsed = lineForm.safeParse(form);
    if (!parsed.success) return c.redirect("/cart", 303);
    const lines = await currentCart(c);
    const current = lines.find((l) => l.productId === parsed.data.productId)?.quantity ?? 0;
    const quantity = form.mode === "add" ? current + Math.max(1, parsed.data.quantity) : parsed.data.quantity;
    await setCartLine(c, parsed.data.productId, quantity);
    return c.redirect("/cart", 303);
  })
  .get("/checkout", async (c) => {
    if (!c.get("user")) return c.redirect("/login?next=/checkout");
    return await checkoutPage(c, { ...valuesFrom({}), ...(await defaultAddress(c)) }, {});
  })
  .post("/checkout", async (c) => {
    if (!c.get("user")) return c.redirect("/login?next=/checkout", 303);
    const form = await readForm(c);
    checkCsrf(c, form);
    const values = valuesFrom(form);
    if (form.action !== "place") return await checkoutPage(c, values, {});
    const lines = await currentCart(c);
    if (!lines.length) return c.redirect("/cart", 303);
    return await placeFromCheckout(c, lines, values);
  });
