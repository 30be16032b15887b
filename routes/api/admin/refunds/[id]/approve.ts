import { z } from "zod";
import type { Handlers } from "../../../../../lib/fs_router.ts";
import { clientIp, readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { approveRefund, refundView } from "../../../../../services/refunds.ts";
import { idParam } from "../../_schemas.ts";
import { text } from "../../../../../lib/text.ts";

const approveSchema = z.object({ note: text({ multiline: true }).trim().max(500).optional() });

/** `POST /api/admin/refunds/:id/approve` `{ note? }`: the note explains the decision to the buyer. */
export const handler: Handlers = {
  POST: [requirePermission("refunds.decide"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const shop = c.get("deps").shop;
    // The body is optional: `{ note? }` explains the decision to the buyer.
    const { note } = c.req.header("content-length") && c.req.header("content-length") !== "0"
      ? await readJson(c, approveSchema)
      : { note: undefined };
    const refund = await approveRefund(shop, id, requireManager(c), clientIp(c), note || null);
    return c.json({ refund: await refundView(shop.db, refund) });
  }],
};
