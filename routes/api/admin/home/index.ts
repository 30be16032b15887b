import type { Handlers } from "../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { listArrangement } from "../../../../services/home_arrangement.ts";

/** `GET /api/admin/home`: every banner and featured block in order, with its state (live, scheduled, ended, off). */
export const handler: Handlers = {
  GET: [requirePermission("home.write"), async (c) => {
    return c.json(await listArrangement(c.get("deps").db, c.get("deps").shop.now()));
  }],
};
