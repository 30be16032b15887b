import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { importTemplate } from "../../../../services/product_import.ts";

/** `GET /api/admin/products/import-template.csv`. */
export const handler: Handlers = {
  GET: [requirePermission("catalogue.write"), (c) =>
    c.body(importTemplate(), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="products-template.csv"',
    })],
};
