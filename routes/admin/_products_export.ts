import type { Ctx } from "../../lib/app_env.ts";
import { clientIp } from "../../lib/http.ts";
import { toCsv } from "../../lib/csv.ts";
import { xlsxResponse } from "../../lib/xlsx_response.ts";
import { SKU_COLUMNS, specsCell, TEMPLATE_COLUMNS } from "../../services/product_import.ts";
import { catalogueExportRows, skuExportRows } from "../../services/stock_admin.ts";
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

/** The live catalogue one row per SKU (CSV), re-importable as products with SKUs (audited). */
export async function exportSkus(c: Ctx) {
  const db = c.get("deps").db;
  const rows = await skuExportRows(db);
  const table = [
    [...TEMPLATE_COLUMNS, ...SKU_COLUMNS, "reserved"],
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
        r.code,
        specsCell(r.specs ?? {}),
        r.reserved,
      ].map((v) => String(v ?? ""))
    ),
  ];
  await auditExport(db, {
    actorId: String(c.get("user")!.id),
    target: "product_skus",
    ip: clientIp(c),
    after: { rows: rows.length },
  });
  return c.body(toCsv(table), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": 'attachment; filename="product-skus.csv"',
  });
}
