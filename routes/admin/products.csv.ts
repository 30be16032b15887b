import type { Handlers } from "../../lib/fs_router.ts";
import { requirePermission } from "../../lib/guards.ts";
import { exportProducts } from "./_products_export.ts";

/** `/admin/products.csv`: the live catalogue in the import template's columns (audited). */
export const handler: Handlers = {
  GET: [requirePermission("catalogue.write"), (c) => exportProducts(c, "csv")],
};
