import type { Ctx } from "./app_env.ts";
import { toXlsx } from "./xlsx.ts";
import { csvCell } from "./csv.ts";

/** A table as an XLSX download (cells that look like formulas are made inert, as in CSV). */
export function xlsxResponse(c: Ctx, rows: string[][], name: string): Response {
  const safe = rows.map((r) =>
    r.map((cell) => (/^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell) ? csvCell(cell) : cell))
  );
  return c.body(toXlsx(safe, name) as Uint8Array<ArrayBuffer>, 200, {
    "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Content-Disposition": `attachment; filename="${name}.xlsx"`,
  });
}
