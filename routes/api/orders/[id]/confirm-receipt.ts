import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireUser } from "../../../../lib/http.ts";
import { confirmReceipt, orderView } from "../../../../services/orders.ts";

/** `POST /api/orders/:id/confirm-receipt`: the buyer, after shipping. */
export const handler: Handlers = {
  async POST(c) {
    const shop = c.get("deps").shop;
    const order = await confirmReceipt(shop, c.req.param("id")!, requireUser(c));
    return c.json({ order: await orderView(shop.db, order) });
  },
};
