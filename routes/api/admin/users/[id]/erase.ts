import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { eraseMember } from "../../../../../services/member_data.ts";
import { idParam } from "../../_schemas.ts";

/** `POST /api/admin/users/:id/erase`: personal data erased, history kept; 409 while obligations are open. */
export const handler: Handlers = {
  POST: [requirePermission("members.erase"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { db, sessionSockets } = c.get("deps");
    return c.json({ erased: await eraseMember(db, requireManager(c), id, clientIp(c), sessionSockets) });
  }],
};
