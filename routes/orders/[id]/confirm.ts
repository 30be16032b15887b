import type { Handlers } from "../../../lib/fs_router.ts";
import { confirmReceipt } from "../../../services/orders.ts";
import { orderAction } from "./_page.tsx";

/** `POST /orders/:id/confirm`: the buyer confirms receipt. */
export const handler: Handlers = {
  POST: (c) => orderAction(c, () => confirmReceipt(c.get("deps").shop, c.req.param("id")!, c.get("user")!)),
};
