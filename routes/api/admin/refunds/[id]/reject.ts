import { z } from "zod";
import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { refundView, rejectRefund } from "../../../../../services/refunds.ts";
import { idParam } from "../../_schemas.ts";
import { text } from "../../../../../lib/text.ts";
import { says } from "../../../../../i18n/messages.ts";

const rejectSchema = z.object({
  reason: text({ multiline: true }).trim().min(1, says("validation.giveReason")).max(500),
});

/** `POST /api/admin/refunds/:id/reject` `{ reason }`. */
export const handler: Handlers = {
  POST: [requirePermission("refunds.decide"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const { reason } = await readJson(c, rejectSchema);
    const shop = c.get("deps").shop;
    const refund = await rejectRefund(shop, id, requireManager(c), reason, clientIp(c));
    return c.json({ refund: await refundView(shop.db, refund) });
  }],
};
