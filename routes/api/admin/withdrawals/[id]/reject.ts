import { z } from "zod";
import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { rejectWithdrawal, withdrawalView } from "../../../../../services/earnings.ts";
import { idParam } from "../../_schemas.ts";
import { text } from "../../../../../lib/text.ts";
import { says } from "../../../../../i18n/messages.ts";

/** `POST /api/admin/withdrawals/:id/reject` `{ reason }`. */
export const handler: Handlers = {
  POST: [requirePermission("withdrawals.approve"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { reason } = await readJson(
      c,
      z.object({ reason: text({ multiline: true }).trim().min(1, says("validation.giveReason")).max(500) }),
    );
    const w = await rejectWithdrawal(c.get("deps").db, requireManager(c), id, reason, clientIp(c));
    return c.json({ withdrawal: withdrawalView(w) });
  }],
};
