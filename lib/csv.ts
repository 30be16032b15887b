import { cleanMultilineText } from "../domain/text.ts";

/** The UTF-8 byte order mark: Excel needs it to open a CSV file's Chinese text as UTF-8 rather than GBK. */
export const CSV_BOM = "\uFEFF";

/**
 * One CSV cell: control characters dropped (any stored text is safe to export), quoted when
 * needed, and a leading = + - @ (or tab/CR) made inert so spreadsheets never run it.
 */
export function csvCell(value: string): string {
  const clean = cleanMultilineText(String(value));
  const safe = /^[=+\-@\t\r]/.test(clean) && !/^-?\d+(\.\d+)?$/.test(clean) ? `'${clean}` : clean;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows to CSV text for a download: a UTF-8 byte order mark, then the rows, with a trailing newline. */
export function toCsv(rows: string[][]): string {
  return CSV_BOM + rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}
