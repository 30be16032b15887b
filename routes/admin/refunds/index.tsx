import type { Handlers } from "../../../lib/fs_router.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { RefundList } from "../../../components/RefundList.tsx";
import { refundsPage } from "./_page.tsx";

/** `/admin/refunds?status=&kind=&q=&sort=&dir=&page=`: every after-sales request, with decisions on waiting ones. */
export const handler: Handlers = {
  GET: [requirePermission("orders.read"), (c) => refundsPage(c)],
};

export default RefundList;
