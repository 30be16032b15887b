import type { Handlers } from "../../../../lib/fs_router.ts";
import { readQuery, requireUser } from "../../../../lib/http.ts";
import { searchTeam, teamSearchQuerySchema } from "../../../../services/team.ts";

/** `GET /api/me/team/search`: the team table, searched, sorted and paged. */
export const handler: Handlers = {
  async GET(c) {
    const user = requireUser(c);
    const q = readQuery(c, teamSearchQuerySchema);
    return c.json(await searchTeam(c.get("deps").db, String(user.id), q));
  },
};
