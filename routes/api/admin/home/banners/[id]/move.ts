import type { Handlers } from "../../../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../../../lib/guards.ts";
import { clientIp, readJson, requireManager } from "../../../../../../lib/http.ts";
import { moveHomeItem, moveSchema } from "../../../../../../services/home_arrangement.ts";

/** `POST /api/admin/home/banners/:id/move` `{ direction: "up" | "down" }`: 200 `{ order }` (banner ids). */
export const handler: Handlers = {
  POST: [requirePermission("home.write"), async (c) => {
    const { direction } = await readJson(c, moveSchema);
    const db = c.get("deps").db;
    const order = await moveHomeItem(db, requireManager(c), "banners", c.req.param("id")!, direction, clientIp(c));
    return c.json({ order });
  }],
};
