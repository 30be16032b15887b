import { z } from "zod";
import { says } from "../../../../../i18n/messages.ts";
import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { moveMember } from "../../../../../services/programme.ts";
import { idParam } from "../../_schemas.ts";

/** `POST /api/admin/users/:id/upline` `{ uplineId }`: moves a member under another (audited). */
export const handler: Handlers = {
  POST: [requirePermission("members.move"), async (c) => {
    const { id } = parseInput(idParam, { id: c.req.param("id")! });
    const { uplineId } = await readJson(
      c,
      z.object({ uplineId: z.string().regex(/^\d{1,18}$/, says("validation.id")) }),
    );
    return c.json({ move: await moveMember(c.get("deps").db, requireManager(c), id, uplineId, clientIp(c)) });
  }],
};
