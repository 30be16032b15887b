/** The UTF-8 byte order mark: Excel needs it to open a CSV file's Chinese text as UTF-8 rather than GBK. */
export const CSV_BOM = "\uFEFF";

/** One CSV cell: quoted when needed, and a leading = + - @ made inert so spreadsheets never run it. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows to CSV text for a download: a UTF-8 byte order mark, then the rows, with a trailing newline. */
export function toCsv(rows: string[][]): string {
  return CSV_BOM + rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}
