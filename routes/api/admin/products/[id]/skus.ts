import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { replaceSkus, skuReplaceSchema } from "../../../../../services/catalogue_admin.ts";
import { idParam } from "../../_schemas.ts";

/** `PUT /api/admin/products/:id/skus`: replaces the product's specification axes and SKUs (audited). */
export const handler: Handlers = {
  PUT: [requirePermission("catalogue.write"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const input = await readJson(c, skuReplaceSchema);
    return c.json({ product: await replaceSkus(c.get("deps").db, requireManager(c), id, input, clientIp(c)) });
  }],
};
