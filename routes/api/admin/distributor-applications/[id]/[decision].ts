import { z } from "zod";
import type { Handlers, RouteConfig } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { fail } from "../../../../../lib/errors.ts";
import { msg } from "../../../../../i18n/messages.ts";
import { decideApplication } from "../../../../../services/programme.ts";
import { idParam } from "../../_schemas.ts";
import { text } from "../../../../../lib/text.ts";

/** The decision is `approve` or `reject`. */
export const config: RouteConfig = { params: { decision: "approve|reject" } };

/** `POST /api/admin/distributor-applications/:id/approve` or `/reject` `{ reason }` (required to reject). */
export const handler: Handlers = {
  POST: [requirePermission("applications.decide"), async (c) => {
    const { id } = parseInput(idParam, { id: c.req.param("id")! });
    const { reason } = await readJson(c, z.object({ reason: text({ multiline: true }).trim().max(500).default("") }));
    const approve = c.req.param("decision")! === "approve";
    if (!approve && !reason) {
      throw fail.invalid("validation.giveReason", {}, { reason: msg("validation.requiredWhenRejecting") });
    }
    return c.json({
      application: await decideApplication(c.get("deps").db, requireManager(c), id, approve, reason, clientIp(c)),
    });
  }],
};
