import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { changeRole, roleSchema } from "../../../../../services/accounts.ts";
import { idParam } from "../../_schemas.ts";

/** `POST /api/admin/users/:id/role` `{ role }`. */
export const handler: Handlers = {
  POST: [requirePermission("users.role"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { role } = await readJson(c, roleSchema);
    const user = await changeRole(
      c.get("deps").db,
      requireManager(c),
      id,
      role,
      clientIp(c),
      c.get("deps").sessionSockets,
    );
    return c.json({ user });
  }],
};
