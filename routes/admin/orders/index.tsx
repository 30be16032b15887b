import type { Handlers } from "../../../lib/fs_router.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { AdminOrderList } from "../../../components/AdminOrderList.tsx";
import { ordersPage } from "./_page.tsx";

/** `/admin/orders?status=&q=&from=&to=&page=`: orders and after-sales for staff. */
export const handler: Handlers = {
  GET: [requirePermission("orders.read"), (c) => ordersPage(c)],
};

export default AdminOrderList;
