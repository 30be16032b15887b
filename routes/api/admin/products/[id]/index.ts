import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import {
  adminProductView,
  archiveProduct,
  productPatchSchema,
  updateProduct,
} from "../../../../../services/catalogue_admin.ts";
import { idParam } from "../../_schemas.ts";

/** `GET` a product with cost and stock, `PATCH` it (stock changes are recorded), `DELETE` archives it. */
export const handler: Handlers = {
  GET: [requirePermission("orders.read"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    return c.json({ product: await adminProductView(c.get("deps").db, id) });
  }],
  PATCH: [requirePermission("catalogue.write"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const patch = await readJson(c, productPatchSchema);
    const product = await updateProduct(c.get("deps").db, requireManager(c), id, patch, clientIp(c));
    return c.json({ product });
  }],
  DELETE: [requirePermission("catalogue.write"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    return c.json({ product: await archiveProduct(c.get("deps").db, requireManager(c), id, clientIp(c)) });
  }],
};
