import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { createProduct, productCreateSchema } from "../../../../services/catalogue_admin.ts";

/** `POST /api/admin/products`: a new product (single-SKU fields or `skus`). */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    const input = await readJson(c, productCreateSchema);
    const product = await createProduct(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ product }, 201);
  }],
};
