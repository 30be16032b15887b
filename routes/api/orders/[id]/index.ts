import type { Handlers } from "../../../../lib/fs_router.ts";
import { requireUser } from "../../../../lib/http.ts";
import { orderForViewer, orderView } from "../../../../services/orders.ts";
import { maskOrderFor } from "../../../../services/members_admin.ts";

/** `GET /api/orders/:id`: its buyer or a manager. */
export const handler: Handlers = {
  async GET(c) {
    const db = c.get("deps").db;
    const viewer = requireUser(c);
    const order = await orderForViewer(db, c.req.param("id")!, viewer, c.get("deps").box);
    return c.json({ order: maskOrderFor(viewer, await orderView(db, order, c.get("locale")), String(order.user_id)) });
  },
};
