import type { Handlers } from "../../lib/fs_router.ts";
import { requirePermission } from "../../lib/guards.ts";
import { exportSkus } from "./_products_export.ts";

/** `/admin/product-skus.csv`: the live catalogue one row per SKU, with `skuCode` and `specs` (audited). */
export const handler: Handlers = {
  GET: [requirePermission("catalogue.write"), (c) => exportSkus(c)],
};
