import type { Handlers } from "../../../../lib/fs_router.ts";
import { clientIp, readQuery, requireManager } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { membersByPhone, phoneLookupSchema } from "../../../../services/members_admin.ts";

/** `GET /api/admin/users?phone=`: the members with this phone (found by its keyed hash; PII by the staff role). */
export const handler: Handlers = {
  GET: [requirePermission("members.read"), async (c) => {
    const { phone } = readQuery(c, phoneLookupSchema);
    const { db, box } = c.get("deps");
    return c.json(await membersByPhone(db, box, requireManager(c), phone, clientIp(c)));
  }],
};
