import type { Handlers } from "../../../lib/fs_router.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { checkCsrf, clientIp, readForm } from "../../../lib/http.ts";
import { createProduct, listedCategory, productInputSchema } from "../../../services/catalogue_admin.ts";
import { msg } from "../../../i18n/messages.ts";
import { cataloguePage } from "./_page.tsx";
import { issueMsg } from "../../../lib/validate.ts";

/** `POST /admin/products/new`: a product from the quick form, then its edit page. */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    const form = await readForm(c);
    checkCsrf(c, form);
    const parsed = productInputSchema.safeParse({
      ...form,
      stock: Number(form.stock),
      lowStockThreshold: Number(form.lowStockThreshold),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const text = c.get("t")("cat.err.field", { field: String(issue.path[0]), message: issueMsg(issue) });
      return await cataloguePage(c, { kind: "error", text }, 400);
    }
    if (!(await listedCategory(c.get("deps").db, parsed.data.category))) {
      const text = c.get("t")("cat.err.field", { field: "category", message: msg("cat.err.pickCategory") });
      return await cataloguePage(c, { kind: "error", text }, 400);
    }
    const created = await createProduct(c.get("deps").db, c.get("user")!, parsed.data, clientIp(c));
    return c.redirect(`/admin/products/${created.id}/edit?created=1`, 303);
  }],
};
