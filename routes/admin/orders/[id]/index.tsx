import type { Handlers, RouteConfig } from "../../../../lib/fs_router.ts";
import { renderPage } from "../../../../lib/render.tsx";
import { requirePermission } from "../../../../lib/guards.ts";
import { can, staffRoleOf } from "../../../../domain/permissions.ts";
import { orderView } from "../../../../services/orders.ts";
import { refundsOfOrder, refundView } from "../../../../services/refunds.ts";
import { orderCommissions } from "../../../../services/earnings.ts";
import { orderForStaff } from "../../../../services/order_lists.ts";
import { buyerSummary } from "../../../../services/members.ts";
import { lastEventId } from "../../../../services/live.ts";
import { AdminOrderDetail } from "../../../../components/AdminOrderDetail.tsx";

/** Order ids are numbers (`/admin/orders/ship-csv` is another route). */
export const config: RouteConfig = { params: { id: "\\d+" } };

/** `/admin/orders/:id`: one order for staff. */
export const handler: Handlers = {
  GET: [requirePermission("orders.read"), async (c) => {
    const id = c.req.param("id")!;
    const user = c.get("user")!;
    const t = c.get("t");
    const db = c.get("deps").db;
    const row = await orderForStaff(db, c.get("deps").box, id);
    const role = staffRoleOf(user);
    const [order, refundRows, commissions, eventId, buyer] = await Promise.all([
      orderView(db, row, c.get("locale")),
      refundsOfOrder(db, id),
      can(role, "members.read") ? orderCommissions(db, id) : Promise.resolve(null),
      lastEventId(db),
      buyerSummary(db, row.user_id),
    ]);
    const refunds = await Promise.all(refundRows.map((r) => refundView(db, r)));
    const phone = order.address.phone ?? "";
    const back = `/admin/orders/${order.id}`;
    const props = { t, user, csrf: c.get("csrf"), role, order, refunds, commissions, lastEventId: eventId, buyer };
    return renderPage(c, <AdminOrderDetail {...props} phone={phone} back={back} />, {
      title: t("ord.title", { number: order.number }),
    });
  }],
};

export default AdminOrderDetail;
