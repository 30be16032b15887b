import type { z } from "zod";
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { CsvError, parseCsv } from "../domain/import/csv.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { readXlsx } from "../lib/xlsx.ts";
import { AppError, fail } from "../lib/errors.ts";
import { createProduct, productInputSchema } from "./catalogue_admin.ts";

/** The columns of the product import, in template order. */
export const IMPORT_COLUMNS = [
  "name",
  "nameEn",
  "category",
  "brand",
  "price",
  "costPrice",
  "stock",
  "lowStockThreshold",
  "onSale",
] as const;

/** The downloadable template: the header and one example row. */
export function importTemplate(): string {
  return `${IMPORT_COLUMNS.join(",")}\n保湿面霜 50ml,Hydrating Cream 50ml,beauty,晨露 Dew,129.00,52.00,200,20,true\n`;
}

/** The rows of an uploaded CSV (UTF-8) or XLSX file (told apart by the zip signature). */
export function rowsOfFile(file: Uint8Array): { line: number; cells: string[] }[] {
  if (file[0] === 0x50 && file[1] === 0x4b && file[2] === 0x03 && file[3] === 0x04) {
    try {
      return readXlsx(file);
    } catch (err) {
      throw fail.invalid(`This file is not a readable XLSX workbook: ${(err as Error).message}`, { file: "Not XLSX" });
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(file);
  } catch {
    throw fail.invalid("The file is neither XLSX nor UTF-8 CSV text; save it as CSV (UTF-8) or XLSX", {
      file: "Not UTF-8",
    });
  }
  if (text.includes("\u0000")) throw fail.invalid("This is not a CSV text file", { file: "Binary data" });
  try {
    return parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) {
      throw fail.invalid(`This file is not valid CSV: ${err.message}`, { file: err.message });
    }
    throw err;
  }
}

/** Most bytes an import may have. */
export const IMPORT_LIMIT = 2 * 1024 * 1024;

/**
 * Imports products from CSV or XLSX, all or nothing. Every row is validated first; any bad row refuses
 * the whole file with each bad line's number and reason. With `dryRun` nothing is written.
 */
export async function importProducts(db: Db, actor: UserRow, file: Uint8Array, dryRun: boolean, ip: string | null) {
  if (file.length > IMPORT_LIMIT) {
    throw fail.invalid(`The file is too large (limit ${IMPORT_LIMIT / 1024 / 1024} MB)`, { file: "Too large" });
  }
  const rows = rowsOfFile(file);
  const header = rows.shift();
  if (!header || IMPORT_COLUMNS.some((c) => !header.cells.map((h) => h.trim()).includes(c))) {
    throw fail.invalid(`The first line must name the columns: ${IMPORT_COLUMNS.join(", ")}`, {
      file: "Missing or wrong header",
    });
  }
  if (rows.length === 0) throw fail.invalid("The file has no product rows", { file: "Empty" });
  if (rows.length > 10_000) throw fail.invalid("At most 10,000 rows per import", { file: "Too many rows" });
  const index = Object.fromEntries(header.cells.map((h, i) => [h.trim(), i]));
  const errors: { line: number; reason: string }[] = [];
  const inputs: z.infer<typeof productInputSchema>[] = [];
  for (const row of rows) {
    const get = (c: string) => (row.cells[index[c]] ?? "").trim();
    const parsed = productInputSchema.safeParse({
      name: get("name"),
      nameEn: get("nameEn") || undefined,
      category: get("category"),
      brand: get("brand") || undefined,
      price: get("price"),
      costPrice: get("costPrice"),
      stock: /^\d+$/.test(get("stock")) ? Number(get("stock")) : get("stock"),
      lowStockThreshold: /^\d+$/.test(get("lowStockThreshold"))
        ? Number(get("lowStockThreshold"))
        : get("lowStockThreshold"),
      onSale: get("onSale") === ""
        ? undefined
        : ["true", "1", "yes", "是"].includes(get("onSale").toLowerCase())
        ? true
        : ["false", "0", "no", "否"].includes(get("onSale").toLowerCase())
        ? false
        : get("onSale"),
    });
    if (parsed.success) inputs.push(parsed.data);
    else {
      const issue = parsed.error.issues[0];
      errors.push({ line: row.line, reason: `${String(issue.path[0] ?? "row")}: ${issue.message}` });
    }
  }
  if (errors.length) {
    throw new AppError("invalid_input", `${errors.length} row(s) are wrong; nothing was imported`, {
      ...Object.fromEntries(errors.slice(0, 100).map((e) => [`line ${e.line}`, e.reason])),
    });
  }
  if (dryRun) return { dryRun: true, rows: inputs.length, imported: 0 };
  await db.transaction(async (tx) => {
    for (const input of inputs) await createProduct(tx, actor, input, ip, false);
    await appendAudit(tx, {
      actorId: String(actor.id),
      action: "product.import",
      target: "products",
      ip,
      after: { rows: inputs.length },
    });
  });
  return { dryRun: false, rows: inputs.length, imported: inputs.length };
}
