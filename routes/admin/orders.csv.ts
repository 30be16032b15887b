import type { Handlers } from "../../lib/fs_router.ts";
import { clientIp } from "../../lib/http.ts";
import { requirePermission } from "../../lib/guards.ts";
import { toCsv } from "../../lib/csv.ts";
import { can, staffRoleOf } from "../../domain/permissions.ts";
import { maskPhone } from "../../domain/pii.ts";
import { ordersForStaff } from "../../services/order_lists.ts";
import { auditExport } from "../../services/audit.ts";
import { orderFilter } from "./orders/_page.tsx";

/** `/admin/orders.csv`: the filtered order list (phones masked unless the role reads PII; audited). */
export const handler: Handlers = {
  GET: [requirePermission("orders.read"), async (c) => {
    const { filter } = orderFilter(c);
    const { rows } = await ordersForStaff(c.get("deps").db, c.get("deps").box, { ...filter, limit: 10_000, offset: 0 });
    const pii = can(staffRoleOf(c.get("user")!), "pii.read");
    await auditExport(c.get("deps").db, {
      actorId: String(c.get("user")!.id),
      target: "orders",
      ip: clientIp(c),
      after: { rows: rows.length, phones: pii ? "full" : "masked", filter },
    });
    const csv = toCsv([
      ["number", "status", "total", "name", "phone", "city", "created_at"],
      ...rows.map((
        o,
      ) => [
        o.number,
        o.status,
        o.total,
        o.address.name,
        pii ? o.address.phone : maskPhone(o.address.phone ?? ""),
        o.address.city,
        new Date(o.created_at).toISOString(),
      ]),
    ]);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="orders.csv"',
    });
  }],
};
