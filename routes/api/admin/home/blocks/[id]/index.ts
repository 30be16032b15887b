import type { Handlers } from "../../../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../../../lib/guards.ts";
import { clientIp, readJson, requireManager } from "../../../../../../lib/http.ts";
import { blockPatchSchema, deleteHomeItem, updateBlock } from "../../../../../../services/home_arrangement.ts";

/** `PATCH /api/admin/home/blocks/:id` (any field, `enabled` to switch it) and `DELETE` (204). */
export const handler: Handlers = {
  PATCH: [requirePermission("home.write"), async (c) => {
    const patch = await readJson(c, blockPatchSchema);
    const block = await updateBlock(c.get("deps").db, requireManager(c), c.req.param("id")!, patch, clientIp(c));
    return c.json({ block });
  }],
  DELETE: [requirePermission("home.write"), async (c) => {
    await deleteHomeItem(c.get("deps").db, requireManager(c), "blocks", c.req.param("id")!, clientIp(c));
    return c.body(null, 204);
  }],
};
