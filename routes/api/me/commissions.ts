import type { Handlers } from "../../../lib/fs_router.ts";
import { readQuery, requireUser } from "../../../lib/http.ts";
import { commissionQuerySchema, commissionsOf } from "../../../services/earnings.ts";

/** `GET /api/me/commissions?status=`: commission lines and totals. */
export const handler: Handlers = {
  async GET(c) {
    const q = readQuery(c, commissionQuerySchema);
    return c.json(await commissionsOf(c.get("deps").db, String(requireUser(c).id), q));
  },
};
