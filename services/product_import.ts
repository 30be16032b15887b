import type { z } from "zod";
import type { Db } from "../db/db.ts";
import type { UserRow } from "../db/users_repo.ts";
import { appendAudit } from "../db/audit_repo.ts";
import { readXlsx } from "../lib/xlsx.ts";
import { AppError, fail, type FieldMessages } from "../lib/errors.ts";
import { type Msg, msg } from "../i18n/messages.ts";
import { issueMsg } from "../lib/validate.ts";
import { type CsvRow, readCsv, toCsv } from "../lib/csv.ts";
import { randomToken, sha256Hex } from "../lib/tokens.ts";
import { liveProductsNamed, saveImportDraft, takeImportDraft } from "../db/product_import_repo.ts";
import { categoryProblem, createProduct, productCreateSchema, productInputSchema } from "./catalogue_admin.ts";
import { catalogueChanged } from "./catalogue_events.ts";

/** The columns every product import must name, in template order. */
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

/** Columns an import may leave out (days a restock takes to arrive; 7 when absent or empty). */
export const OPTIONAL_IMPORT_COLUMNS = ["restockLeadDays"] as const;

/** Every column the import reads, in template (and export) order. */
export const TEMPLATE_COLUMNS = [...IMPORT_COLUMNS, ...OPTIONAL_IMPORT_COLUMNS] as const;

/**
 * Columns for products with SKUs (not in the template): `specs` as `颜色=红;尺码=M` and `skuCode`. Rows of one
 * name that each give specs are one product with one SKU per row (its name, category, brand, shelf state
 * and lead time from the first row; price, cost, stock and threshold per row). The SKU export has them.
 */
export const SKU_COLUMNS = ["skuCode", "specs"] as const;

/** `颜色=红;尺码=M` (also full-width ＝ ； and ：) into specs, or the reason it is not. */
export function parseSpecsCell(cell: string): { specs: Record<string, string> } | { error: Msg } {
  const specs: Record<string, string> = {};
  for (const part of cell.split(/[;；]/).map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=＝:：]+)[=＝:：](.+)$/.exec(part);
    if (!match) return { error: msg("sku.err.specsCell") };
    specs[match[1].trim()] = match[2].trim();
  }
  return { specs };
}

/** Specs as the import's `specs` cell. */
export function specsCell(specs: Record<string, string>): string {
  return Object.entries(specs).map(([k, v]) => `${k}=${v}`).join(";");
}

/** The downloadable template (CSV with a byte order mark for Excel): the header and one example row. */
export function importTemplate(): string {
  return toCsv([
    [...TEMPLATE_COLUMNS],
    ["保湿面霜 50ml", "Hydrating Cream 50ml", "beauty", "晨露 Dew", "129.00", "52.00", "200", "20", "true", "7"],
  ]);
}

/** The rows of an uploaded CSV (UTF-8) or XLSX file (told apart by the zip signature). */
export async function rowsOfFile(file: Uint8Array): Promise<CsvRow[]> {
  if (file[0] === 0x50 && file[1] === 0x4b && file[2] === 0x03 && file[3] === 0x04) return await readXlsx(file);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(file);
  } catch {
    throw fail.invalid("cat.err.notUtf8", {}, { file: msg("cat.err.notUtf8Field") });
  }
  if (text.includes("\u0000")) throw fail.invalid("cat.err.binary", {}, { file: msg("cat.err.binaryField") });
  return readCsv(text);
}

/** Most bytes an import may have. */
export const IMPORT_LIMIT = 2 * 1024 * 1024;

/** How long a checked file waits for "import now" before it must be uploaded again. */
export const IMPORT_DRAFT_MINUTES = 30;

/** Advisory lock taken by every committing import, so two imports cannot both add the same new name. */
const IMPORT_LOCK = 727_101;

/** One thing wrong with one cell of an import: the file's line, the column and why. */
export interface ImportProblem {
  line: number;
  column: string;
  reason: Msg;
}

/**
 * An import refused because rows are wrong. `problems` holds every reason of every bad row, in file
 * order; `fields` (the API's contract) has one entry per bad line, `"line 12": "price: …; stock: …"`.
 */
export class ImportRefused extends AppError {
  constructor(readonly problems: ImportProblem[], readonly badRows: number) {
    super("invalid_input", msg("cat.err.importRefused", { n: badRows }), importFields(problems));
    this.name = "ImportRefused";
  }
}

function importFields(problems: ImportProblem[]): FieldMessages {
  const byLine = new Map<string, Msg[]>();
  for (const p of problems) {
    const key = `line ${p.line}`;
    const cell = msg("cat.err.cell", { column: p.column, reason: p.reason });
    byLine.set(key, [...(byLine.get(key) ?? []), cell]);
  }
  // One line's cells, joined by the list separator of the reader's language.
  return Object.fromEntries([...byLine].map(([key, cells]) => [key, msg("cat.err.cells", { cells })]));
}

type ProductInput = z.infer<typeof productCreateSchema>;

const TRUE_WORDS = ["true", "1", "yes", "是"];
const FALSE_WORDS = ["false", "0", "no", "否"];

/** One row's cells as `productInputSchema` input, with the problems found before the schema runs. */
function rowInput(get: (column: string) => string) {
  const early: { column: string; reason: Msg }[] = [];
  const count = (column: string) => {
    const value = get(column);
    if (/^\d{1,9}$/.test(value)) return Number(value);
    early.push({ column, reason: msg("cat.err.wholeNumber") });
    return undefined;
  };
  const onSale = get("onSale").toLowerCase();
  if (onSale !== "" && !TRUE_WORDS.includes(onSale) && !FALSE_WORDS.includes(onSale)) {
    early.push({ column: "onSale", reason: msg("cat.err.trueFalse") });
  }
  const lead = get("restockLeadDays");
  let restockLeadDays: number | undefined;
  if (lead !== "") {
    if (/^\d{1,3}$/.test(lead) && Number(lead) <= 365) restockLeadDays = Number(lead);
    else early.push({ column: "restockLeadDays", reason: msg("cat.err.leadDays") });
  }
  const input = {
    name: get("name"),
    nameEn: get("nameEn") || undefined,
    category: get("category"),
    brand: get("brand") || undefined,
    price: get("price"),
    costPrice: get("costPrice"),
    stock: count("stock"),
    lowStockThreshold: count("lowStockThreshold"),
    onSale: TRUE_WORDS.includes(onSale) ? true : FALSE_WORDS.includes(onSale) ? false : undefined,
    restockLeadDays,
  };
  return { input, early };
}

/**
 * Checks a whole import file without writing: every row against the product rules, every name against
 * the other rows and the live catalogue. Returns the products to create, or throws `ImportRefused` with
 * every reason of every bad row (or a plain 400 for a file that is not an import at all).
 */
export async function checkImport(db: Db, file: Uint8Array): Promise<ProductInput[]> {
  if (file.length > IMPORT_LIMIT) {
    throw fail.invalid("cat.err.fileTooLarge", { mb: IMPORT_LIMIT / 1024 / 1024 }, {
      file: msg("validation.tooLarge"),
    });
  }
  const rows = await rowsOfFile(file);
  const header = rows.shift();
  if (!header || IMPORT_COLUMNS.some((c) => !header.cells.map((h) => h.trim()).includes(c))) {
    throw fail.invalid("err.csvColumns", { columns: IMPORT_COLUMNS.join(", ") }, { file: msg("cat.err.headerField") });
  }
  if (rows.length === 0) throw fail.invalid("cat.err.noRows", {}, { file: msg("cat.err.emptyField") });
  if (rows.length > 10_000) throw fail.invalid("cat.err.tooManyRows", {}, { file: msg("cat.err.tooManyRowsField") });
  const index = Object.fromEntries(header.cells.map((h, i) => [h.trim(), i]));
  const order: string[] = [...TEMPLATE_COLUMNS, ...SKU_COLUMNS];
  const problems: ImportProblem[] = [];
  const inputs: ProductInput[] = [];
  const firstLineOf = new Map<string, number>();
  const named: { line: number; key: string }[] = [];
  const categoryLines: { line: number; category: string }[] = [];
  /** Rows with specs, by name: one product with SKUs. */
  const skuGroups = new Map<
    string,
    { line: number; input: z.infer<typeof productInputSchema>; specs: Record<string, string>; code?: string }[]
  >();
  const plainNames = new Map<string, number>();
  for (const row of rows) {
    const get = (c: string) => (index[c] === undefined ? "" : (row.cells[index[c]] ?? "").trim());
    const { input, early } = rowInput(get);
    const found = early.map((e) => ({ line: row.line, ...e }));
    const parsed = productInputSchema.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? "row");
        if (!found.some((p) => p.column === column)) found.push({ line: row.line, column, reason: issueMsg(issue) });
      }
    }
    const specsText = get("specs");
    const specs = specsText ? parseSpecsCell(specsText) : { specs: {} };
    if ("error" in specs) found.push({ line: row.line, column: "specs", reason: specs.error });
    const withSpecs = "specs" in specs && Object.keys(specs.specs).length > 0;
    const key = input.name.toLowerCase();
    if (key && !found.some((p) => p.column === "name")) {
      const first = firstLineOf.get(key);
      const plainFirst = plainNames.get(key);
      if (withSpecs ? plainFirst !== undefined : first !== undefined) {
        found.push({
          line: row.line,
          column: "name",
          reason: msg("cat.err.duplicateLine", { line: plainFirst ?? first! }),
        });
      } else if (first === undefined) {
        firstLineOf.set(key, row.line);
        named.push({ line: row.line, key });
      }
      if (!withSpecs) plainNames.set(key, plainNames.get(key) ?? row.line);
    }
    problems.push(...found);
    if (!parsed.success || found.length) continue;
    categoryLines.push({ line: row.line, category: parsed.data.category });
    if (withSpecs && "specs" in specs) {
      const group = skuGroups.get(key) ?? [];
      if (!group.length) skuGroups.set(key, group);
      group.push({ line: row.line, input: parsed.data, specs: specs.specs, code: get("skuCode") || undefined });
    } else inputs.push(parsed.data);
  }
  // Each group of rows with specs is one product with SKUs, checked as the API checks one.
  for (const group of skuGroups.values()) {
    const first = group[0].input;
    const candidate = {
      ...first,
      skus: group.map((g) => ({
        code: g.code,
        specs: g.specs,
        price: g.input.price,
        costPrice: g.input.costPrice,
        stock: g.input.stock,
        lowStockThreshold: g.input.lowStockThreshold,
      })),
    };
    const parsed = productCreateSchema.safeParse(candidate);
    if (parsed.success) {
      inputs.push(parsed.data);
      continue;
    }
    for (const issue of parsed.error.issues) {
      const at = issue.path[0] === "skus" && typeof issue.path[1] === "number" ? group[issue.path[1]] : group[0];
      const column = issue.path[0] === "skus"
        ? (issue.path[2] === "code" ? "skuCode" : "specs")
        : String(issue.path[0]);
      problems.push({ line: at.line, column, reason: issueMsg(issue) });
    }
  }
  // Products go into listed categories only, as in the API and the console (`categoryProblem`).
  const categoryProblems = new Map<string, Msg | null>();
  for (const { line, category } of categoryLines) {
    if (!categoryProblems.has(category)) categoryProblems.set(category, await categoryProblem(db, category));
    const reason = categoryProblems.get(category);
    if (reason) problems.push({ line, column: "category", reason });
  }
  const live = await liveProductsNamed(db, named.map((n) => n.key));
  if (live.length) {
    const byName = new Map(live.map((p) => [p.name.toLowerCase(), p.id]));
    for (const n of named) {
      const id = byName.get(n.key);
      if (id) problems.push({ line: n.line, column: "name", reason: msg("cat.err.inCatalogue", { id }) });
    }
  }
  if (problems.length) {
    const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
    problems.sort((a, b) => a.line - b.line || rank(a.column) - rank(b.column));
    throw new ImportRefused(problems, new Set(problems.map((p) => p.line)).size);
  }
  return inputs;
}

/** Checks the file again inside `tx` (under the import lock) and creates every product, audited once. */
async function commitChecked(tx: Db, actor: UserRow, file: Uint8Array, ip: string | null) {
  await tx.query("SELECT pg_advisory_xact_lock($1)", [IMPORT_LOCK]);
  const inputs = await checkImport(tx, file);
  for (const input of inputs) await createProduct(tx, actor, input, ip, false);
  await appendAudit(tx, {
    actorId: String(actor.id),
    action: "product.import",
    target: "products",
    ip,
    after: { rows: inputs.length },
  });
  if (inputs.length) await catalogueChanged(tx);
  return { dryRun: false, rows: inputs.length, imported: inputs.length };
}

/**
 * Imports products from CSV or XLSX, all or nothing. Every row is validated first; any bad row refuses
 * the whole file with each bad line's number and reasons. With `dryRun` nothing is written.
 */
export async function importProducts(db: Db, actor: UserRow, file: Uint8Array, dryRun: boolean, ip: string | null) {
  if (dryRun) return { dryRun: true, rows: (await checkImport(db, file)).length, imported: 0 };
  return await db.transaction((tx) => commitChecked(tx, actor, file, ip));
}

/**
 * A dry run that keeps the checked file server-side (in the database, so any instance can finish it)
 * for `IMPORT_DRAFT_MINUTES`, under a random token only this manager can use once.
 */
export async function checkImportForLater(db: Db, actor: UserRow, file: Uint8Array) {
  const rows = (await checkImport(db, file)).length;
  const token = randomToken(24);
  const expiresAt = await saveImportDraft(db, {
    tokenHash: await sha256Hex(token),
    userId: String(actor.id),
    file,
    rows,
    minutes: IMPORT_DRAFT_MINUTES,
  });
  return { rows, token, expiresAt };
}

/**
 * Imports a file kept by `checkImportForLater`, checked again against the catalogue as it is now.
 * An unknown, expired, used or someone else's token is 409; a file that is no longer clean keeps its draft.
 */
export async function commitImportDraft(db: Db, actor: UserRow, token: string, ip: string | null) {
  const tokenHash = await sha256Hex(token);
  return await db.transaction(async (tx) => {
    const file = await takeImportDraft(tx, tokenHash, String(actor.id));
    if (!file) {
      throw fail.conflict("cat.err.draftGone", {}, { file: msg("cat.err.uploadAgain") });
    }
    return await commitChecked(tx, actor, file, ip);
  });
}
