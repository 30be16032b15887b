import type { Handlers } from "../../../../../lib/fs_router.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { bannerInputSchema, createBanner } from "../../../../../services/home_arrangement.ts";

/** `POST /api/admin/home/banners`: a banner at the end of the carousel (generated art; pictures in the console). */
export const handler: Handlers = {
  POST: [requirePermission("home.write"), async (c) => {
    const input = await readJson(c, bannerInputSchema);
    const banner = await createBanner(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ banner }, 201);
  }],
};
