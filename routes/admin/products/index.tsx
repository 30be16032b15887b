import type { Handlers } from "../../../lib/fs_router.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { CatalogueAdmin } from "../../../components/CatalogueAdmin.tsx";
import { cataloguePage } from "./_page.tsx";

/** `/admin/products?q=&archived=1&page=`: catalogue and stock for managers. */
export const handler: Handlers = {
  GET: [requirePermission("catalogue.write"), (c) => cataloguePage(c)],
};

export default CatalogueAdmin;
