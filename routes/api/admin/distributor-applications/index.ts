import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireManager } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { listApplications } from "../../../../services/distributors_admin.ts";

/** `GET /api/admin/distributor-applications`. */
export const handler: Handlers = {
  GET: [requirePermission("members.read"), async (c) => {
    const rows = await listApplications(c.get("deps").db, requireManager(c));
    return c.json({ items: rows, total: rows.length });
  }],
};
