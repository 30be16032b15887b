import type { Handlers } from "../../../../lib/fs_router.ts";
import { readQuery, requireUser } from "../../../../lib/http.ts";
import { teamQuerySchema } from "../../../../services/earnings.ts";
import { teamForApi } from "../../../../services/team.ts";

/** `GET /api/me/team?depth=`: the caller's own downline. */
export const handler: Handlers = {
  async GET(c) {
    const q = readQuery(c, teamQuerySchema);
    return c.json(await teamForApi(c.get("deps").db, String(requireUser(c).id), q));
  },
};
