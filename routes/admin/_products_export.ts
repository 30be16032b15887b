import type { Ctx } from "../../lib/app_env.ts";
import { clientIp } from "../../lib/http.ts";
import { toCsv } from "../../lib/csv.ts";
import { xlsxResponse } from "../../lib/xlsx_response.ts";
import { TEMPLATE_COLUMNS } from "../../services/product_import.ts";
import { catalogueExportRows } from "../../services/stock_admin.ts";
import { auditExport } from "../../services/audit.ts";

/**
 * The live catalogue as CSV or XLSX (archived products left out, so the file re-imports cleanly elsewhere),
 * in the import template's columns plus stock figures (audited).
 */
export async function exportProducts(c: Ctx, format: "csv" | "xlsx") {
  const db = c.get("deps").db;
  const rows = await catalogueExportRows(db);
  const table = [
    [...TEMPLATE_COLUMNS, "reserved"],
    ...rows.map((r) =>
      [
        r.name,
        r.name_en,
        r.category,
        r.brand ?? "",
        r.price,
        r.cost_price,
        r.stock,
        r.low_stock_threshold,
        r.on_sale,
        r.restock_lead_days,
        r.reserved,
      ].map((v) => String(v ?? ""))
    ),
  ];
  await auditExport(db, {
    actorId: String(c.get("user")!.id),
    target: "products",
    ip: clientIp(c),
    after: { rows: rows.length },
  });
  if (format === "xlsx") return xlsxResponse(c, table, "products");
  return c.body(toCsv(table), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="products.csv"',
  });
}
