import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { restoreProduct } from "../../../../../services/catalogue_admin.ts";
import { idParam } from "../../_schemas.ts";

/** `POST /api/admin/products/:id/restore`: back from the archive (it stays off sale). */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    return c.json({ product: await restoreProduct(c.get("deps").db, requireManager(c), id, clientIp(c)) });
  }],
};
