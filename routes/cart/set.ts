import { z } from "zod";
import type { Handlers } from "../../lib/fs_router.ts";
import { checkCsrf, readForm } from "../../lib/http.ts";
import { currentCart, setCartLine } from "../../lib/cart_cookie.ts";

const lineForm = z.object({
  productId: z.string().regex(/^\d{1,18}$/),
  quantity: z.coerce.number().int().min(0).max(99),
  back: z.string().optional(),
});

/** `POST /cart/set`: a line's quantity (`mode=add` adds to it; 0 removes the line). */
export const handler: Handlers = {
  async POST(c) {
    const form = await readForm(c);
    checkCsrf(c, form, { visitorSameOrigin: true }); // kept product pages carry no token for visitors
    const parsed = lineForm.safeParse(form);
    if (!parsed.success) return c.redirect("/cart", 303);
    const lines = await currentCart(c);
    const current = lines.find((l) => l.productId === parsed.data.productId)?.quantity ?? 0;
    const quantity = form.mode === "add" ? current + Math.max(1, parsed.data.quantity) : parsed.data.quantity;
    await setCartLine(c, parsed.data.productId, quantity);
    return c.redirect("/cart", 303);
  },
};
