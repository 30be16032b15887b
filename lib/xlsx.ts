/**
 * # XLSX in and out, on exceljs
 *
 * exceljs writes and reads the workbooks; it is loaded on first use (it takes about a second to load),
 * so that starting the app and pages that never export pay nothing for it.
 *
 * An uploaded workbook is a zip that could unpack to far more than it weighs. Before exceljs sees it,
 * fflate lists the zip's central directory (no inflating) and the file is refused past
 * `XLSX_MAX_ENTRIES` entries or `XLSX_MAX_UNPACKED` declared bytes; then fflate inflates it a few
 * kilobytes at a time, counting, and stops past the budget (an entry that lies about its size gains
 * nothing). exceljs reads a stored (uncompressed) copy of exactly those entries, never the upload.
 */
import type { Workbook } from "exceljs";
import { Unzip, UnzipInflate, type Unzipped, unzipSync, zipSync } from "fflate";
import { cleanMultilineText } from "../domain/text.ts";
import { fail } from "./errors.ts";

/** Most bytes an uploaded workbook may unpack to (declared in its zip directory). */
export const XLSX_MAX_UNPACKED = 32 * 1024 * 1024;
/** Most entries an uploaded workbook's zip may hold. */
export const XLSX_MAX_ENTRIES = 500;

/** The message of a file that is not a workbook (also translated in `i18n/messages.ts`). */
const NOT_XLSX = "This file is not a readable XLSX workbook";

type ExcelJs = typeof import("exceljs");
let loading: Promise<ExcelJs> | undefined;

/** exceljs, loaded once on first use. */
function excel(): Promise<ExcelJs> {
  loading ??= import("exceljs").then((m) => ((m as { default?: ExcelJs }).default ?? m) as ExcelJs);
  return loading;
}

/** A sheet name Excel accepts: no `[]:*?/\`, no quote mark at either end, at most 31 characters. */
function sheetNameOf(name: string): string {
  const clean = cleanMultilineText(name).replace(/[\[\]:*?/\\\r\n\t]/g, " ").replace(/^'+|'+$/g, "").trim();
  const short = clean.slice(0, 31).trim();
  return short && short !== "History" ? short : "Sheet1";
}

/** A one-sheet XLSX workbook of text cells (control characters dropped), as bytes. */
export async function toXlsx(rows: string[][], sheetName = "Sheet1"): Promise<Uint8Array<ArrayBuffer>> {
  const { Workbook } = await excel();
  const book = new Workbook();
  const sheet = book.addWorksheet(sheetNameOf(sheetName));
  for (const row of rows) sheet.addRow(row.map((cell) => cleanMultilineText(String(cell))));
  const buffer = await book.xlsx.writeBuffer() as unknown as Uint8Array;
  return new Uint8Array(buffer.buffer as ArrayBuffer, buffer.byteOffset, buffer.byteLength);
}

/** How much of the zip is handed to the inflater at a time: no step can unpack more than ~1,000 times this. */
const STEP = 8 * 1024;

function unpacksTooLarge() {
  return fail.invalid(`The workbook unpacks to more than ${XLSX_MAX_UNPACKED / 1024 / 1024} MB`, {
    file: "Unpacks too large",
  });
}

/**
 * The entries of an uploaded zip, within the budget (400 otherwise): not more than `XLSX_MAX_ENTRIES`
 * entries and `XLSX_MAX_UNPACKED` bytes, first as its central directory declares them (nothing
 * inflated), then as they really inflate, fed a few kilobytes at a time and stopped as soon as the
 * count passes the budget, whatever the directory said.
 */
export function unzipWithinBudget(bytes: Uint8Array): Unzipped {
  let entries = 0;
  let declared = 0;
  try {
    unzipSync(bytes, {
      filter: (file) => {
        entries++;
        declared += file.originalSize;
        return false;
      },
    });
  } catch {
    throw fail.invalid(NOT_XLSX, { file: "Not XLSX" });
  }
  if (entries > XLSX_MAX_ENTRIES || declared > XLSX_MAX_UNPACKED) throw unpacksTooLarge();

  const files: Unzipped = {};
  let seen = 0;
  let unpacked = 0;
  let problem: Error | undefined;
  const unzip = new Unzip((file) => {
    if (problem) return;
    if (++seen > XLSX_MAX_ENTRIES) {
      problem = unpacksTooLarge();
      return;
    }
    const chunks: Uint8Array[] = [];
    file.ondata = (err, chunk, final) => {
      if (problem) return;
      if (err) {
        problem = fail.invalid(NOT_XLSX, { file: "Not XLSX" });
        return;
      }
      unpacked += chunk.length;
      if (unpacked > XLSX_MAX_UNPACKED) {
        problem = unpacksTooLarge();
        return;
      }
      chunks.push(chunk);
      if (final) files[file.name] = concat(chunks);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length && !problem; at += STEP) {
      unzip.push(bytes.subarray(at, at + STEP), at + STEP >= bytes.length);
    }
  } catch {
    problem ??= fail.invalid(NOT_XLSX, { file: "Not XLSX" });
  }
  if (problem) throw problem;
  return files;
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** A cell's value as the text a person sees in it (numbers as written, dates as ISO dates). */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return v.richText.map((part: { text?: string }) => part.text ?? "").join("");
    if ("formula" in v || "sharedFormula" in v) return textOf(v.result);
    if ("text" in v) return textOf(v.text);
    if ("error" in v) return String(v.error);
  }
  return String(value);
}

/**
 * Reads the first sheet of an uploaded XLSX file into rows of text, keeping each row's sheet number as
 * its line (empty rows are left out). Within the zip budget (`unzipWithinBudget`); anything that is not
 * a workbook is a 400.
 */
export async function readXlsx(bytes: Uint8Array): Promise<{ line: number; cells: string[] }[]> {
  const stored = zipSync(unzipWithinBudget(bytes), { level: 0 });
  const { Workbook } = await excel();
  const book: Workbook = new Workbook();
  try {
    await book.xlsx.load(stored as unknown as ArrayBuffer);
  } catch {
    throw fail.invalid(NOT_XLSX, { file: "Not XLSX" });
  }
  const sheet = book.worksheets[0];
  if (!sheet) throw fail.invalid("The workbook has no sheet", { file: "No sheet" });
  const rows: { line: number; cells: string[] }[] = [];
  sheet.eachRow((row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = textOf(cell.value);
    });
    rows.push({ line, cells: Array.from(cells, (c) => c ?? "") });
  });
  return rows;
}
