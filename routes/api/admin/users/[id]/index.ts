import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { memberProfile } from "../../../../../services/members_admin.ts";
import { idParam } from "../../_schemas.ts";

/** `GET /api/admin/users/:id`: a member's profile (PII by the staff role; audited). */
export const handler: Handlers = {
  GET: [requirePermission("members.read"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { db, box } = c.get("deps");
    return c.json(await memberProfile(db, box, requireManager(c), id, clientIp(c)));
  }],
};
