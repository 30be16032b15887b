import { z } from "zod";
import type { Handlers, RouteConfig } from "../../../lib/fs_router.ts";
import { clientIp } from "../../../lib/http.ts";
import { requirePermission } from "../../../lib/guards.ts";
import { parseInput } from "../../../lib/validate.ts";
import { toCsv } from "../../../lib/csv.ts";
import { xlsxResponse } from "../../../lib/xlsx_response.ts";
import { analyticsSnapshot } from "../../../services/analytics.ts";
import { auditExport } from "../../../services/audit.ts";
import { ANALYTICS_TABLES, analyticsTable } from "../../../components/analytics_tables.ts";
import { analyticsFilter } from "../_analytics.ts";

/** `top-products.csv`, `orders-per-minute.xlsx`, ...: the table's name and the format. */
export const config: RouteConfig = { params: { file: "[a-z-]+\\.(?:csv|xlsx)" } };

/** `/admin/analytics/:table.csv|xlsx`: an analytics table with the page's filters; audited, as it may name members. */
export const handler: Handlers = {
  GET: [requirePermission("analytics.read"), async (c) => {
    const user = c.get("user")!;
    const [name, ext] = (c.req.param("file")! ?? "").split(".");
    const { table, format } = parseInput(
      z.object({ table: z.enum(ANALYTICS_TABLES), format: z.enum(["csv", "xlsx"]) }),
      { table: name, format: ext },
    );
    const { f, filter } = analyticsFilter(c);
    const db = c.get("deps").db;
    const a = await analyticsSnapshot(db, new Date(), filter);
    const rows = analyticsTable(a, table, c.get("t"));
    await auditExport(db, {
      actorId: String(user.id),
      target: `analytics:${table}`,
      ip: clientIp(c),
      after: { rows: rows.length - 1, format, filter: f },
    });
    if (format === "xlsx") return xlsxResponse(c, rows, table);
    return c.body(toCsv(rows), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${table}.csv"`,
    });
  }],
};
