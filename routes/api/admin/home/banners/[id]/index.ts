import type { Handlers } from "../../../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../../../lib/guards.ts";
import { clientIp, readJson, requireManager } from "../../../../../../lib/http.ts";
import { bannerPatchSchema, deleteHomeItem, updateBanner } from "../../../../../../services/home_arrangement.ts";

/** `PATCH /api/admin/home/banners/:id` (any field, `enabled` to switch it) and `DELETE` (204). */
export const handler: Handlers = {
  PATCH: [requirePermission("home.write"), async (c) => {
    const patch = await readJson(c, bannerPatchSchema);
    const banner = await updateBanner(c.get("deps").db, requireManager(c), c.req.param("id")!, patch, clientIp(c));
    return c.json({ banner });
  }],
  DELETE: [requirePermission("home.write"), async (c) => {
    await deleteHomeItem(c.get("deps").db, requireManager(c), "banners", c.req.param("id")!, clientIp(c));
    return c.body(null, 204);
  }],
};
