import type { Handlers } from "../../../../lib/fs_router.ts";
import { readJson, requireUser } from "../../../../lib/http.ts";
import { refundRequestSchema, refundView, requestRefund } from "../../../../services/refunds.ts";

/** `POST /api/orders/:id/refunds`: an after-sales request by the buyer. */
export const handler: Handlers = {
  async POST(c) {
    const buyer = requireUser(c);
    const input = await readJson(c, refundRequestSchema);
    const shop = c.get("deps").shop;
    const refund = await requestRefund(shop, c.req.param("id")!, buyer, input);
    return c.json({ refund: await refundView(shop.db, refund) }, 201);
  },
};
