import type { Handlers, RouteConfig } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { checkCsrf, clientIp, readForm } from "../../../../lib/http.ts";
import { archiveProduct, restoreProduct } from "../../../../services/catalogue_admin.ts";

/** The change is `archive` or `restore`. */
export const config: RouteConfig = { params: { change: "archive|restore" } };

/** `POST /admin/products/:id/archive` or `/restore`. */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    checkCsrf(c, await readForm(c));
    const id = c.req.param("id")!;
    const change = c.req.param("change")! === "archive" ? archiveProduct : restoreProduct;
    await change(c.get("deps").db, c.get("user")!, id, clientIp(c));
    return c.redirect(`/admin/products/${id}/edit?saved=1`, 303);
  }],
};
