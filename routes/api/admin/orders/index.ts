import { z } from "zod";
import type { Handlers } from "../../../../lib/fs_router.ts";
import { readQuery, requireManager } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { ORDER_STATUSES } from "../../../../domain/orders/order_state.ts";
import { orderView } from "../../../../services/orders.ts";
import { ordersForStaff } from "../../../../services/order_lists.ts";
import { maskOrderFor } from "../../../../services/members_admin.ts";
import { appConfig } from "../../../../fresh.config.ts";

const orderQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(appConfig.pagination.maxPageSize).default(20),
});

/** `GET /api/admin/orders?status=&page=`: phones masked unless the staff role reads PII. */
export const handler: Handlers = {
  GET: [requirePermission("orders.read"), async (c) => {
    const q = readQuery(c, orderQuery);
    const { db, box } = c.get("deps");
    const { total, rows } = await ordersForStaff(db, box, {
      status: q.status,
      limit: q.pageSize,
      offset: (q.page - 1) * q.pageSize,
    });
    const viewer = requireManager(c);
    return c.json({
      items: await Promise.all(rows.map(async (o) => maskOrderFor(viewer, await orderView(db, o), String(o.user_id)))),
      total,
    });
  }],
};
