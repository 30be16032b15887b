import { z } from "zod";
import type { Handlers } from "../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../lib/http.ts";
import { CART_LIMITS, resolveCartSku } from "../../services/cart.ts";
import { checkoutPath } from "../../services/checkout_selection.ts";
import { AppError } from "../../lib/errors.ts";

const buyForm = z.object({
  productId: z.string().regex(/^\d{1,18}$/),
  skuId: z.string().regex(/^\d{1,18}$/).optional().or(z.literal("").transform(() => undefined)),
  quantity: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(1).max(CART_LIMITS.quantity)),
});

/**
 * `POST /cart/buy` (立即购买 on a product page): the chosen SKU and quantity go straight to checkout with
 * just that line (`/checkout?buy=<skuId>&qty=<n>`; a visitor signs in first), leaving the cart as it is.
 * Without a SKU chosen the shopper goes back to the product page to choose; a bad quantity back to it too.
 */
export const handler: Handlers = {
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form, { visitorSameOrigin: true }); // kept product pages carry no token for visitors
    const productId = /^\d{1,18}$/.test(form.productId ?? "") ? form.productId : undefined;
    const parsed = buyForm.safeParse(form);
    if (!parsed.success) return c.redirect(productId ? `/products/${productId}#buy-qty` : "/", 303);
    let skuId: string;
    try {
      const specs = Object.fromEntries(
        Object.entries(form).filter(([k]) => k.startsWith("spec.")).map(([k, v]) => [k.slice(5), v]),
      );
      skuId = await resolveCartSku(c.get("deps").db, parsed.data.productId, parsed.data.skuId, "skuId", specs);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return c.redirect(`/products/${productId}#choose`, 303);
      throw err;
    }
    const target = checkoutPath({ kind: "buy", skuId, quantity: parsed.data.quantity });
    return c.redirect(c.get("user") ? target : `/login?next=${encodeURIComponent(target)}`, 303);
  },
};
