import type { Handlers } from "../../../lib/fs_router.ts";
import { cancelOrder } from "../../../services/orders.ts";
import { orderAction } from "./_page.tsx";

/** `POST /orders/:id/cancel`: an unpaid order, cancelled. */
export const handler: Handlers = {
  POST: (c) => orderAction(c, () => cancelOrder(c.get("deps").shop, c.req.param("id")!, c.get("user")!)),
};
