import type { Handlers } from "../../../../lib/fs_router.ts";
import { readQuery, requireUser } from "../../../../lib/http.ts";
import { teamOf, teamQuerySchema } from "../../../../services/earnings.ts";

/** `GET /api/me/team?depth=`: the caller's own downline. */
export const handler: Handlers = {
  async GET(c) {
    const q = readQuery(c, teamQuerySchema);
    return c.json(await teamOf(c.get("deps").db, String(requireUser(c).id), q));
  },
};
