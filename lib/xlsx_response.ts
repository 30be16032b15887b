import type { Ctx } from "./app_env.ts";
import { toXlsx } from "./xlsx.ts";
import { inertCell } from "./csv.ts";

/** A table as an XLSX download (cells that look like formulas are made inert, as in CSV). */
export async function xlsxResponse(c: Ctx, rows: string[][], name: string): Promise<Response> {
  const bytes = await toXlsx(rows.map((r) => r.map(inertCell)), name);
  return c.body(bytes, 200, {
    "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Content-Disposition": `attachment; filename="${name}.xlsx"`,
  });
}
