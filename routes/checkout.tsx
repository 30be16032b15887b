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
import { type CartLine, pricedCart } from "../services/cart.ts";
import { addressSchema } from "../services/orders.ts";
import { type Address, bookAddress, checkoutOrder, checkoutView } from "../services/checkout.ts";
import { attributedReferrer } from "../services/members.ts";
import { toMoneyString } from "../domain/money.ts";
import { CheckoutForm, type CheckoutValues } from "../components/CheckoutForm.tsx";
import {
  type CheckoutSelection,
  readSelection,
  selectionFields,
  selectionLines,
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
  const { db, box } = c.get("deps");
  const lines = await selectionLines(db, await currentCart(c), selection);
  if (!lines.length) return c.redirect(selection.kind === "lines" ? "/cart?notice=none" : "/cart", 303);
  const points = Number(values.pointsToUse || "0");
  const view = await checkoutView(db, box, user, lines, {
    couponCode: values.couponCode || undefined,
    pointsToUse: Number.isInteger(points) && points >= 0 ? points : 0,
    now: new Date(),
    locale: c.get("locale"),
  });
  // The default address (listed first) is chosen unless the member chose another one, or a new one.
  const known = values.addressId === "new" || view.addresses.some((a) => a.id === values.addressId);
  const addressId = known ? values.addressId : view.addresses[0]?.id ?? "new";
  const allErrors = localizeErrors(c, { ...view.warnings, ...view.problems, ...errors });
  // A coupon or points that were refused are a 400 even when the member only asked to recalculate.
  const shownStatus = status === 200 && Object.keys(view.problems).length ? 400 : status;
  const props = { t, locale: c.get("locale"), csrf: c.get("csrf"), allErrors, message: said && t.msg(said), view };
  const carry = selectionFields(selection);
  return renderPage(c, <CheckoutForm {...props} values={{ ...values, addressId }} carry={carry} />, {
    title: t("checkout.title"),
    status: shownStatus,
  });
}

function valuesFrom(form: Record<string, string>): CheckoutValues {
  const v = (k: string) => (form[k] ?? "").slice(0, 200);
  return {
    addressId: v("addressId"),
    name: v("name"),
    phone: v("phone"),
    line1: v("line1"),
    city: v("city"),
    postcode: v("postcode"),
    keepAddress: form.keepAddress === "on",
    // A coupon's 使用 / 不使用 button names it (or none); else the code field.
    couponCode: (form.pick ?? v("couponCode")).slice(0, 200).trim(),
    pointsToUse: v("pointsToUse").trim(),
    key: v("key") || randomToken(16),
    shownTotal: form.shownTotal === undefined ? undefined : v("shownTotal"),
  };
}

/** The delivery address the form names: an entry of the member's book (404 for anyone else's), or the typed one. */
async function addressFrom(c: Ctx, values: CheckoutValues): Promise<{ address?: Address; errors: FieldMessages }> {
  const { db, box } = c.get("deps");
  if (values.addressId && values.addressId !== "new") {
    return { address: await bookAddress(db, box, String(c.get("user")!.id), values.addressId), errors: {} };
  }
  const { name, phone, line1, city, postcode } = values;
  const parsed = addressSchema.safeParse({ name, phone, line1, city, postcode: postcode || undefined });
  if (parsed.success) return { address: parsed.data, errors: {} };
  const fields = issuesToFields(parsed.error);
  return { errors: Object.fromEntries(Object.entries(fields).map(([k, m]) => [`address.${k}`, m])) };
}

async function placeFromCheckout(c: Ctx, lines: CartLine[], values: CheckoutValues, selection: CheckoutSelection) {
  const { address, errors } = await addressFrom(c, values);
  const points = values.pointsToUse === "" ? 0 : Number(values.pointsToUse);
  if (!Number.isInteger(points) || points < 0) errors.pointsToUse = msg("pricing.pointsWhole");
  if (!address || Object.keys(errors).length) return await checkoutPage(c, values, errors, 400, undefined, selection);
  const user = c.get("user")!;
  const shop = c.get("deps").shop;
  const couponCode = values.couponCode || undefined;
  // The order is placed only at the price the page showed: anything else shows the new price first (a post
  // without the page's total, as a script might send, is priced as it comes).
  const priced = await pricedCart(shop.db, user, lines, { couponCode, pointsToUse: points, now: new Date() });
  const total = priced.quote && toMoneyString(priced.quote.price.total);
  const stale = values.shownTotal !== undefined && total !== values.shownTotal;
  if (total && !Object.keys(priced.problems).length && stale) {
    return await checkoutPage(c, values, {}, 409, msg("checkout.totalChanged", { total }), selection);
  }
  try {
    const referrer = await attributedReferrer(shop.db, getCookie(c, "ref"), String(user.id));
    const keepAddress = values.addressId && values.addressId !== "new" ? undefined : values.keepAddress;
    const input = { couponCode, pointsToUse: points, address, keepAddress };
    // Buy-now leaves the cart as it is; a cart checkout takes its lines out of the cart.
    const keepCart = selection.kind === "buy";
    const { order } = await checkoutOrder(shop, user, lines, input, values.key, referrer, { keepCart });
    return c.redirect(`/orders/${order.id}`, 303);
  } catch (err) {
    if (err instanceof AppError && err.status < 500 && err.status !== 404) {
      return await checkoutPage(c, values, err.fields ?? {}, err.status, err.msg, selection);
    }
    throw err;
  }
}

/** `/checkout` (step 2 of 3): the confirm step, choosing an address and a coupon, and placing the order. */
export const handler: Handlers = {
  async GET(c) {
    const search = new URL(c.req.url).search;
    if (!c.get("user")) return c.redirect(`/login?next=/checkout${search && encodeURIComponent(search)}`);
    const selection = readSelection({ ...c.req.query(), sel: c.req.queries("sel") });
    return await checkoutPage(c, { ...valuesFrom({}), keepAddress: true }, {}, 200, undefined, selection);
  },
  async POST(c) {
    if (!c.get("user")) return c.redirect("/login?next=/checkout", 303);
    const form = await readForm(c);
    checkCsrf(c, form);
    const values = valuesFrom(form);
    const selection = readSelection({ buy: form.buy, qty: form.qty, lines: form.lines });
    if (form.action !== "place" || form.pick !== undefined) {
      return await checkoutPage(c, values, {}, 200, undefined, selection);
    }
    const lines = await selectionLines(c.get("deps").db, await currentCart(c), selection);
    if (!lines.length) return c.redirect("/cart", 303);
    return await placeFromCheckout(c, lines, values, selection);
  },
};

export { CheckoutForm as default };
