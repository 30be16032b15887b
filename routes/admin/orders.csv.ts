import type { Handlers } from "../../lib/fs_router.ts";
import { clientIp } from "../../lib/http.ts";
import { requirePermission } from "../../lib/guards.ts";
import { toCsv } from "../../lib/csv.ts";
import { can, staffRoleOf } from "../../domain/permissions.ts";
import { maskPhone } from "../../domain/pii.ts";
import { linesOfOrders, ordersForStaff } from "../../services/order_lists.ts";
import { linesText } from "../../domain/catalogue/skus.ts";
import { auditExport } from "../../services/audit.ts";
import { orderFilter } from "./orders/_page.tsx";

/** `/admin/orders.csv`: the filtered order list with its lines ("name（specs）×qty; …"; phones masked unless the role reads PII; audited). */
export const handler: Handlers = {
  GET: [requirePermission("orders.read"), async (c) => {
    const { filter } = orderFilter(c);
    const { rows } = await ordersForStaff(c.get("deps").db, c.get("deps").box, { ...filter, limit: 10_000, offset: 0 });
    const lines = await linesOfOrders(c.get("deps").db, rows.map((o) => String(o.id)));
    const pii = can(staffRoleOf(c.get("user")!), "pii.read");
    await auditExport(c.get("deps").db, {
      actorId: String(c.get("user")!.id),
      target: "orders",
      ip: clientIp(c),
      after: { rows: rows.length, phones: pii ? "full" : "masked", filter },
    });
    const csv = toCsv([
      ["number", "status", "total", "name", "phone", "city", "created_at", "items"],
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
        linesText(lines.get(String(o.id)) ?? []),
      ]),
    ]);
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="orders.csv"',
    });
  }],
};
