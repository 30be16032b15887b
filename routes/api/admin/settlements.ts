import type { Handlers } from "../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../lib/http.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { closePeriod, closePeriodSchema } from "../../../services/settlement.ts";

/** `POST /api/admin/settlements` `{ startsAt, endsAt }`: closes a settlement period. */
export const handler: Handlers = {
  POST: [requirePermission("settlements.close"), async (c) => {
    const input = await readJson(c, closePeriodSchema);
    const period = await closePeriod(c.get("deps").db, requireManager(c), input, clientIp(c));
    return c.json({ period }, 201);
  }],
};
