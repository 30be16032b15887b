import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireUser } from "../../../../lib/http.ts";
import { statementsOf, statementView } from "../../../../services/settlement.ts";

/** `GET /api/me/statements`: the caller's settlement statements. */
export const handler: Handlers = {
  async GET(c) {
    const rows = await statementsOf(c.get("deps").db, String(requireUser(c).id));
    return c.json({ items: rows.map(statementView), total: rows.length });
  },
};
