import { getCookie } from "hono/cookie";
import type { Ctx } from "../lib/app_env.ts";
import type { Handlers } from "../lib/fs_router.ts";
import { checkCsrf, readForm } from "../lib/http.ts";
import { localizeErrors, renderPage } from "../lib/render.tsx";
import { type Msg, msg } from "../i18n/messages.ts";
import { AppError, type FieldMessages } from "../lib/errors.ts";
import { issuesToFields } from "../lib/validate.ts";
import { randomToken } from "../lib/tokens.ts";
import { currentCart } from "../lib/cart_cookie.ts";
import { type CartLine, pricedCart, quoteBreakdown } from "../services/cart.ts";
import { addressSchema } from "../services/orders.ts";
import { checkoutAddress, checkoutOrder } from "../services/checkout.ts";
import { attributedReferrer, memberBalance } from "../services/members.ts";
import { CheckoutForm, type CheckoutValues } from "../components/CheckoutForm.tsx";
import {
  type CheckoutSelection,
  readSelection,
  selectionFields,
  selectionLines,
  stockProblems,
} from "../services/checkout_selection.ts";

async function checkoutPage(
  c: Ctx,
  values: CheckoutValues,
  errors: FieldMessages,
  status = 200,
  said?: Msg,
  selection: CheckoutSelection = { kind: "cart" },
) {
  const t = c.get("t");
  const user = c.get("user")!;
  const lines = await selectionLines(c.get("deps").db, await currentCart(c), selection);
  if (!lines.length) return c.redirect(selection.kind === "lines" ? "/cart?notice=none" : "/cart", 303);
  const points = Number(values.pointsToUse || "0");
  const cart = await pricedCart(c.get("deps").db, user, lines, {
    couponCode: values.couponCode || undefined,
    pointsToUse: Number.isInteger(points) && points >= 0 ? points : 0,
    now: new Date(),
  });
  const en = c.get("locale") === "en";
  const nameOf = (l: (typeof cart.lines)[number]) => en && l.product.name_en ? l.product.name_en : l.product.name;
  const allErrors = localizeErrors(c, { ...stockProblems(cart.lines, nameOf), ...cart.problems, ...errors });
  const message = said && t.msg(said);
  const balance = await memberBalance(c.get("deps").db, user.id);
  const props = { t, csrf: c.get("csrf"), values, allErrors, message, pointsBalance: balance.points_balance };
  const breakdown = cart.quote ? quoteBreakdown(cart.quote) : undefined;
  const shown = cart.lines.map((l) => ({
    key: l.skuId,
    name: nameOf(l),
    specs: l.product.specs ?? {},
    quantity: l.quantity,
  }));
  return renderPage(
    c,
    <CheckoutForm {...props} breakdown={breakdown} lines={shown} carry={selectionFields(selection)} />,
    {
      title: t("checkout.title"),
      status,
    },
  );
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

async function placeFromCheckout(c: Ctx, lines: CartLine[], values: CheckoutValues, selection: CheckoutSelection) {
  const address = addressSchema.safeParse({
    name: values.name,
    phone: values.phone,
    line1: values.line1,
    city: values.city,
    postcode: values.postcode || undefined,
  });
  const points = values.pointsToUse === "" ? 0 : Number(values.pointsToUse);
  const errors: FieldMessages = {};
  if (!address.success) {
    for (const [k, m] of Object.entries(issuesToFields(address.error))) errors[`address.${k}`] = m;
  }
  if (!Number.isInteger(points) || points < 0) errors.pointsToUse = msg("pricing.pointsWhole");
  if (!address.success || errors.pointsToUse) return await checkoutPage(c, values, errors, 400, undefined, selection);
  const user = c.get("user")!;
  const shop = c.get("deps").shop;
  try {
    const referrer = await attributedReferrer(shop.db, getCookie(c, "ref"), String(user.id));
    const input = { couponCode: values.couponCode || undefined, pointsToUse: points, address: address.data };
    // Buy-now leaves the cart as it is; a cart checkout takes its lines out of the cart.
    const keepCart = selection.kind === "buy";
    const { order } = await checkoutOrder(shop, user, lines, input, values.key, referrer, { keepCart });
    return c.redirect(`/orders/${order.id}`, 303);
  } catch (err) {
    if (err instanceof AppError && err.status < 500) {
      return await checkoutPage(c, values, err.fields ?? {}, err.status, err.msg, selection);
    }
    throw err;
  }
}

/** `/checkout` (step 2 of 3): the form, applying a coupon or points, and placing the order. */
export const handler: Handlers = {
  async GET(c) {
    const search = new URL(c.req.url).search;
    if (!c.get("user")) return c.redirect(`/login?next=/checkout${search && encodeURIComponent(search)}`);
    const selection = readSelection({ ...c.req.query(), sel: c.req.queries("sel") });
    const saved = await checkoutAddress(c.get("deps").db, c.get("deps").box, c.get("user")!.id);
    return await checkoutPage(c, { ...valuesFrom({}), ...saved }, {}, 200, undefined, selection);
  },
  async POST(c) {
    if (!c.get("user")) return c.redirect("/login?next=/checkout", 303);
    const form = await readForm(c);
    checkCsrf(c, form);
    const values = valuesFrom(form);
    const selection = readSelection({ buy: form.buy, qty: form.qty, lines: form.lines });
    if (form.action !== "place") return await checkoutPage(c, values, {}, 200, undefined, selection);
    const lines = await selectionLines(c.get("deps").db, await currentCart(c), selection);
    if (!lines.length) return c.redirect("/cart", 303);
    return await placeFromCheckout(c, lines, values, selection);
  },
};

export { CheckoutForm as default };
