import type { Handlers } from "../../../../lib/fs_router.ts";
import { readQuery, requireUser } from "../../../../lib/http.ts";
import { teamChildren, teamChildrenQuerySchema } from "../../../../services/team.ts";

/** `GET /api/me/team/children`: one page of a downline member's children (the team tree's lazy branches). */
export const handler: Handlers = {
  async GET(c) {
    const user = requireUser(c);
    const q = readQuery(c, teamChildrenQuerySchema);
    return c.json(await teamChildren(c.get("deps").db, String(user.id), q));
  },
};
