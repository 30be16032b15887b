import { z } from "zod";
import type { Handlers } from "../../../../../lib/fs_router.ts";
import { readJson, requireManager } from "../../../../../lib/http.ts";
import { requirePermission } from "../../../../../lib/guards.ts";
import { parseInput } from "../../../../../lib/validate.ts";
import { orderView, shipOrder } from "../../../../../services/orders.ts";
import { idParam } from "../../_schemas.ts";
import { text } from "../../../../../lib/text.ts";
import { says } from "../../../../../i18n/messages.ts";

const shipSchema = z.object({
  carrier: text().trim().min(1, says("ord.err.carrierRequired")).max(60),
  trackingNumber: text().trim().min(4, says("ord.err.trackingShort")).max(60),
});

/** `POST /api/admin/orders/:id/ship` `{ carrier, trackingNumber }`: only from `paid`. */
export const handler: Handlers = {
  POST: [requirePermission("orders.ship"), async (c) => {
    const { id } = parseInput(idParam, c.req.param());
    const input = await readJson(c, shipSchema);
    const shop = c.get("deps").shop;
    const order = await shipOrder(shop, id, requireManager(c), input);
    return c.json({ order: await orderView(shop.db, order) });
  }],
};
