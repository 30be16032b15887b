import type { Handlers } from "../../../lib/fs_router.ts";
import { OrderDetail } from "../../../components/OrderDetail.tsx";
import { orderPage } from "./_page.tsx";

/** `/orders/:id`: the order with its live status and timeline. */
export const handler: Handlers = {
  GET: (c) => orderPage(c, c.req.param("id")!),
};

export default OrderDetail;
