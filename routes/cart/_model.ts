import type { Ctx } from "../../lib/app_env.ts";
import { currentCart } from "../../lib/cart_cookie.ts";
import { toMoneyString } from "../../domain/money.ts";
import { specsLabel } from "../../domain/catalogue/skus.ts";
import { CART_LIMITS, type CartLine, pricedCart } from "../../services/cart.ts";
import { selectionSummary } from "../../services/cart_page.ts";
import { productImgAttrs } from "../../components/ProductImg.tsx";
import { iconBody } from "../../components/icons.ts";
import type { CartLabels, CartModel, CartViewProps } from "../../islands/CartView.tsx";

/** What the cart page and its background requests say about the last change. */
export type CartNotice = "invalid" | "stock" | "none" | "gone";

/** Reads `sel` (comma-separated SKU ids; "" is none ticked); undefined when absent (all ticked). */
export function readTicked(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value.split(",").filter((id) => /^\d{1,18}$/.test(id)).slice(0, CART_LIMITS.lines);
}

/**
 * The cart as the page shows it: each line priced as checkout prices it, with its subtotal, stock and
 * specs; the ticked lines (`ticked`, else every line that can be bought) and their price; and a notice.
 */
export async function cartModel(
  c: Ctx,
  ticked?: string[],
  notice?: CartNotice,
  /** The cart as just written (a visitor's new cookie is not in this request's cookies). */
  written?: CartLine[],
): Promise<CartModel> {
  const db = c.get("deps").db;
  const user = c.get("user");
  const t = c.get("t");
  const en = c.get("locale") === "en";
  const now = new Date();
  const cart = await pricedCart(db, user, written ?? await currentCart(c), { now });
  const priced = new Map((cart.quote?.price.lines ?? []).map((l) => [l.skuId, l]));
  const lines = cart.lines.map((l) => {
    const p = priced.get(l.skuId);
    const sellable = Math.max(0, l.product.sellable);
    const available = Boolean(p) && sellable > 0;
    const name = en && l.product.name_en ? l.product.name_en : l.product.name;
    return {
      skuId: l.skuId,
      productId: l.productId,
      name,
      href: `/products/${l.productId}`,
      specs: specsLabel(l.product.specs ?? {}),
      img: productImgAttrs({ id: l.productId, size: 88 }),
      unitPrice: p ? toMoneyString(p.unitPrice) : null,
      listPrice: p && p.unitPrice.lt(p.listPrice) ? toMoneyString(p.listPrice) : null,
      lineTotal: p ? toMoneyString(p.total) : null,
      quantity: l.quantity,
      max: Math.min(CART_LIMITS.quantity, Math.max(sellable, l.quantity)),
      available,
      warning: !available
        ? t("cart.unavailable")
        : sellable < l.quantity
        ? t("product.lowStock", { n: sellable })
        : null,
    };
  });
  const open = lines.filter((l) => l.available).map((l) => l.skuId);
  const selected = ticked ? open.filter((id) => ticked.includes(id)) : open;
  const chosen = cart.lines.filter((l) => selected.includes(l.skuId));
  return {
    lines,
    selected,
    summary: await selectionSummary(db, user, chosen, now),
    notice: notice ? t(`cart.notice.${notice}`) : null,
  };
}

/** The cart island's labels in the reader's language. */
export function cartLabels(c: Ctx): CartLabels {
  const t = c.get("t");
  return {
    selectAll: t("cart.selectAll"),
    selectOf: t.raw("cart.selectOf"),
    quantityOf: t.raw("cart.quantityOf"),
    decreaseOf: t.raw("cart.decreaseOf"),
    increaseOf: t.raw("cart.increaseOf"),
    removeOf: t.raw("cart.removeOf"),
    remove: t("cart.remove"),
    lineTotal: t("cart.lineTotal"),
    total: t("cart.total"),
    checkoutN: t.raw("cart.checkoutN"),
    selectedN: t.raw("cart.selectedN"),
    shippingFree: t("cart.shippingFree"),
    shippingFee: t.raw("cart.shippingFee"),
    freeGap: t.raw("cart.freeGap"),
    failed: t("cart.failed"),
    colProduct: t("cart.col.product"),
    colPrice: t("cart.col.price"),
    colQuantity: t("cart.quantity"),
    colActions: t("cart.col.actions"),
  };
}

/** The cart island's props. */
export function cartProps(c: Ctx, model: CartModel): CartViewProps {
  return {
    model,
    csrf: c.get("csrf"),
    labels: cartLabels(c),
    icons: { minus: iconBody("minus"), plus: iconBody("plus"), trash: iconBody("trash") },
  };
}
