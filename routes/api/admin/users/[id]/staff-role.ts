import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { setStaffRole, staffRoleSchema } from "../../../../../services/members_admin.ts";
import { idParam } from "../../_schemas.ts";

/** `POST /api/admin/users/:id/staff-role` `{ staffRole }`. */
export const handler: Handlers = {
  POST: [requirePermission("users.role"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { staffRole } = await readJson(c, staffRoleSchema);
    return c.json({ user: await setStaffRole(c.get("deps").db, requireManager(c), id, staffRole, clientIp(c)) });
  }],
};
