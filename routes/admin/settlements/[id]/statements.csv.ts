import type { Handlers, RouteConfig } from "../../../../lib/fs_router.ts";
import { clientIp } from "../../../../lib/http.ts";
import { requirePermission } from "../../../../lib/guards.ts";
import { periodCsv } from "../../../../services/settlement.ts";
import { auditExport } from "../../../../services/audit.ts";

/** Period ids are numbers. */
export const config: RouteConfig = { params: { id: "\\d+" } };

/** `/admin/settlements/:id/statements.csv`: every statement of a period (audited). */
export const handler: Handlers = {
  GET: [requirePermission("settlements.close"), async (c) => {
    const id = c.req.param("id")!;
    const { csv, rows } = await periodCsv(c.get("deps").db, id);
    const actorId = String(c.get("user")!.id);
    await auditExport(c.get("deps").db, {
      actorId,
      target: `period:${id}`,
      ip: clientIp(c),
      after: { rows, format: "csv" },
    });
    return c.body(csv, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="period-${id}-statements.csv"`,
    });
  }],
};
