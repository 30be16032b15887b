import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { checkCsrf, clientIp, readForm } from "../../../../lib/http.ts";
import { AppError } from "../../../../lib/errors.ts";
import { fromShopLocalInput } from "../../../../domain/shop_time.ts";
import { productInputSchema, updateProduct } from "../../../../services/catalogue_admin.ts";
import { cataloguePage } from "../_page.tsx";

/** `POST /admin/products/:id`: the list's quick change of stock, price and shelf times (shop time). */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    const patch: Record<string, unknown> = {};
    if (form.stock?.trim()) patch.stock = /^\d+$/.test(form.stock.trim()) ? Number(form.stock.trim()) : form.stock;
    if (form.price?.trim()) patch.price = form.price.trim();
    // Shelf times come from datetime-local inputs, in shop time (China, UTC+8).
    for (const key of ["onShelfAt", "offShelfAt"] as const) {
      const value = form[key]?.trim();
      if (value) patch[key] = fromShopLocalInput(value);
    }
    const parsed = productInputSchema.partial().safeParse(patch);
    if (!parsed.success || Object.keys(patch).length === 0) {
      return await cataloguePage(c, {
        kind: "error",
        text: parsed.success ? "Nothing to change" : parsed.error.issues[0].message,
      }, 400);
    }
    try {
      await updateProduct(c.get("deps").db, c.get("user")!, c.req.param("id")!, parsed.data, clientIp(c));
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        return await cataloguePage(c, { kind: "error", text: err.message }, err.status);
      }
      throw err;
    }
    return c.redirect("/admin/products", 303);
  }],
};
