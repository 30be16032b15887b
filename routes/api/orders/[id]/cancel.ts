import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireUser } from "../../../../lib/http.ts";
import { cancelOrder, orderView } from "../../../../services/orders.ts";

/** `POST /api/orders/:id/cancel`: only while unpaid; the stock is released. */
export const handler: Handlers = {
  async POST(c) {
    const shop = c.get("deps").shop;
    const order = await cancelOrder(shop, c.req.param("id")!, requireUser(c));
    return c.json({ order: await orderView(shop.db, order) });
  },
};
