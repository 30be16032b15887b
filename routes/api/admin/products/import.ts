import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp, requireManager } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { readLimitedBytes } from "../../../../lib/upload.ts";
import { IMPORT_LIMIT, importProducts } from "../../../../services/product_import.ts";

/** `POST /api/admin/products/import?dryRun=true`: a CSV or XLSX file of products. */
export const handler: Handlers = {
  POST: [requirePermission("catalogue.write"), async (c) => {
    const buf = await readLimitedBytes(c, IMPORT_LIMIT);
    const dryRun = c.req.query("dryRun") === "true";
    const result = await importProducts(c.get("deps").db, requireManager(c), buf, dryRun, clientIp(c));
    return c.json({ import: result }, dryRun ? 200 : 201);
  }],
};
