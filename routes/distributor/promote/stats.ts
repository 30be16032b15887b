import type { Handlers } from "../../../lib/fs_router.ts";
import { fail } from "../../../lib/errors.ts";
import { linkStats } from "../../../services/promote.ts";

/** `/distributor/promote/stats`: the member's link statistics (JSON for the island; 401 without a session). */
export const handler: Handlers = {
  async GET(c) {
    const user = c.get("user");
    if (!user) return c.json(fail.unauthenticated().toJSON(c.get("t")), 401);
    c.header("Cache-Control", "no-store");
    return c.json(await linkStats(c.get("deps").db, String(user.id)));
  },
};
