import { z } from "zod";
import type { Handlers } from "../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../lib/http.ts";
import { currentCart, setCartLine } from "../../lib/cart_cookie.ts";
import { resolveCartSku } from "../../services/cart.ts";
import { AppError } from "../../lib/errors.ts";

const lineForm = z.object({
  productId: z.string().regex(/^\d{1,18}$/),
  skuId: z.string().regex(/^\d{1,18}$/).optional().or(z.literal("").transform(() => undefined)),
  quantity: z.coerce.number().int().min(0).max(99),
  back: z.string().optional(),
});

/**
 * `POST /cart/set`: a SKU line's quantity (`mode=add` adds to it; 0 removes the line). A product with several
 * SKUs needs `skuId`; without one the shopper goes back to the product page to choose.
 */
export const handler: Handlers = {
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form, { visitorSameOrigin: true }); // kept product pages carry no token for visitors
    const parsed = lineForm.safeParse(form);
    if (!parsed.success) return c.redirect("/cart", 303);
    const { productId } = parsed.data;
    let skuId: string;
    try {
      const specs = Object.fromEntries(
        Object.entries(form).filter(([k]) => k.startsWith("spec.")).map(([k, v]) => [k.slice(5), v]),
      );
      skuId = await resolveCartSku(c.get("deps").db, productId, parsed.data.skuId, "skuId", specs);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return c.redirect(`/products/${productId}?choose=1`, 303);
      throw err;
    }
    const lines = await currentCart(c);
    const current = lines.find((l) => l.productId === productId && (l.skuId ?? skuId) === skuId)?.quantity ?? 0;
    const quantity = form.mode === "add" ? current + Math.max(1, parsed.data.quantity) : parsed.data.quantity;
    await setCartLine(c, { productId, skuId }, quantity);
    return c.redirect("/cart", 303);
  },
};
