import type { Handlers } from "../../lib/fs_router.ts";
import { requirePermission } from "../../lib/guards.ts";
import { exportProducts } from "./_products_export.ts";

/** `/admin/products.xlsx`: the live catalogue as a spreadsheet (audited). */
export const handler: Handlers = {
  GET: [requirePermission("catalogue.write"), (c) => exportProducts(c, "xlsx")],
};
