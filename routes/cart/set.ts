import { z } from "zod";
import type { Handlers } from "../../lib/fs_router.ts";
import type { Ctx } from "../../lib/app_env.ts";
import { checkCsrf, readForm } from "../../lib/http.ts";
import { currentCart, setCartLines } from "../../lib/cart_cookie.ts";
import { CART_LIMITS, type CartLine, resolveCartSku } from "../../services/cart.ts";
import { sellableUnits } from "../../services/cart_page.ts";
import { AppError } from "../../lib/errors.ts";
import { cartModel, type CartNotice, readTicked } from "./_model.ts";

const lineForm = z.object({
  productId: z.string().regex(/^\d{1,18}$/),
  skuId: z.string().regex(/^\d{1,18}$/).optional().or(z.literal("").transform(() => undefined)),
  quantity: z.string().regex(/^\d{1,3}$/).transform(Number).pipe(z.number().int().min(0).max(CART_LIMITS.quantity)),
});

/** The answer: the cart page (303, with a notice) for a form, or its data as JSON for the page's script. */
async function answer(
  c: Ctx,
  form: Record<string, string>,
  notice?: CartNotice,
  status: 200 | 400 = 200,
  lines?: CartLine[],
) {
  if (!c.req.header("accept")?.includes("application/json")) {
    return c.redirect(notice ? `/cart?notice=${notice}` : "/cart", 303);
  }
  const model = await cartModel(c, readTicked(form.sel), notice, lines);
  return c.json(model, status, { "Cache-Control": "no-store" });
}

/**
 * `POST /cart/set`: a SKU line's quantity (`mode=add` adds to it; 0 removes the line), at most what can
 * be sold now (more is lowered to that, with a notice). A product with several SKUs needs `skuId` or its
 * `spec.<axis>` choices; a product page without them goes back to the page to choose. A bad quantity or
 * an unknown SKU changes nothing and says so.
 */
export const handler: Handlers = {
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form, { visitorSameOrigin: true }); // kept product pages carry no token for visitors
    const parsed = lineForm.safeParse(form);
    if (!parsed.success) return await answer(c, form, "invalid", 400);
    const { productId } = parsed.data;
    const db = c.get("deps").db;
    let skuId: string;
    try {
      const specs = Object.fromEntries(
        Object.entries(form).filter(([k]) => k.startsWith("spec.")).map(([k, v]) => [k.slice(5), v]),
      );
      skuId = await resolveCartSku(db, productId, parsed.data.skuId, "skuId", specs);
    } catch (err) {
      if (!(err instanceof AppError && err.status < 500)) throw err;
      if (form.mode === "add") return c.redirect(`/products/${productId}#choose`, 303);
      return await answer(c, form, "gone", 400);
    }
    const lines = await currentCart(c);
    const current = lines.find((l) => l.productId === productId && (l.skuId ?? skuId) === skuId)?.quantity ?? 0;
    let quantity = form.mode === "add" ? current + Math.max(1, parsed.data.quantity) : parsed.data.quantity;
    let notice: CartNotice | undefined;
    // More than the line had must be there to sell; fewer is always fine (stock may have dropped since).
    if (quantity > current) {
      const sellable = await sellableUnits(db, skuId) ?? 0;
      if (quantity > sellable) [quantity, notice] = [Math.max(sellable, current), "stock"];
    }
    const after = await setCartLines(c, [{ productId, skuId, quantity: Math.min(quantity, CART_LIMITS.quantity) }]);
    return await answer(c, form, notice, 200, after);
  },
};
