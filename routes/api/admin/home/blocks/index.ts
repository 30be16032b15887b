import type { Handlers } from "../../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { blockInputSchema, createBlock } from "../../../../../services/home_arrangement.ts";

/** `POST /api/admin/home/blocks`: a featured block after the others. */
export const handler: Handlers = {
  POST: [requirePermission("home.write"), async (c) => {
    const input = await readJson(c, blockInputSchema);
    const block = await createBlock(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ block }, 201);
  }],
};
